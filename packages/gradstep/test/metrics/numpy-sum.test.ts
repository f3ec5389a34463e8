// numpySum gives NumPy's bits: np.sum of vectors whose sum depends on the order of the additions
// (test/fixtures/numpy-sums.json, written by test/fixtures/gen_numpy_sums.py), at every boundary of
// NumPy's pairwise blocking. The metrics' means and averages rely on it to match scikit-learn exactly.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { columnSums, numpySum } from '../../src/metrics/inputs.js';

const fixture = JSON.parse(readFileSync(new URL('../../../../test/fixtures/numpy-sums.json', import.meta.url), 'utf8')) as {
  cases: { values: number[]; sum: number }[];
};

describe('numpySum', () => {
  it('gives np.sum bit for bit where the order of additions shows', () => {
    for (const { values, sum } of fixture.cases) {
      expect([values.length, numpySum(values)]).toEqual([values.length, sum]);
      expect([values.length, numpySum(Float64Array.from(values))]).toEqual([values.length, sum]);
    }
    // The fixture's values do tell orders apart: a plain left-to-right sum differs for most of them.
    const naive = fixture.cases.filter(({ values, sum }) => values.reduce((a, b) => a + b, 0) !== sum);
    expect(naive.length).toBeGreaterThan(fixture.cases.length / 2);
  });

  it('sums n values from start, as np.sum of the slice', () => {
    for (const { values, sum } of fixture.cases.filter((c) => c.values.length >= 8)) {
      const padded = [1e300, -7, ...values, 1e300];
      expect(numpySum(padded, 2, values.length)).toBe(sum);
    }
  });

  it('columnSums of one column is the pairwise sum', () => {
    for (const { values, sum } of fixture.cases) expect(columnSums(values, values.length, 1)[0]).toBe(sum);
  });
});
