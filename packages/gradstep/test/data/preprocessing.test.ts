// Standardization fitted on training rows only, polynomial features, row conversions, and the
// seeded generators.
import { describe, expect, it } from 'vitest';
import { fitStandardizer } from '../../src/data/standardizer.js';
import { polynomialFeatures } from '../../src/data/polynomial-features.js';
import { fromRowArrays, toRowArrays } from '../../src/data/feature-rows.js';
import { makeMoons } from '../../src/data/moons.js';
import { makeSpirals } from '../../src/data/spirals.js';
import { makeNoisyRegression } from '../../src/data/noisy-regression.js';

describe('fitStandardizer', () => {
  it('uses the statistics of the given rows only (ddof 0), and maps constant features to 0', () => {
    const X = Float32Array.from([1, 5, 3, 5, 100, 5]); // 3 rows × 2 features
    const scaler = fitStandardizer(X, 2, [0, 1]);
    expect(Array.from(scaler.mean)).toEqual([2, 5]);
    expect(Array.from(scaler.scale)).toEqual([1, 1]);
    expect(Array.from(scaler.transform(X))).toEqual([-1, 0, 1, 0, 98, 0]);
    const all = fitStandardizer(X, 2);
    const Z = all.transform(X);
    const column = [Z[0], Z[2], Z[4]];
    expect(column.reduce((s, v) => s + v, 0)).toBeCloseTo(0, 6);
    expect(column.reduce((s, v) => s + v * v, 0) / 3).toBeCloseTo(1, 6);
    expect(Array.from(all.inverseTransform(Z)).map((v) => Math.round(v * 1e4) / 1e4)).toEqual(Array.from(X));
    expect(() => fitStandardizer(X, 4)).toThrow(/6 values, not a whole number of rows of 4/);
    expect(() => fitStandardizer(X, 2, [0, 3])).toThrow(/rows\[1\] must be a row index from 0 to 2, got 3/);
  });
});

describe('polynomialFeatures and row conversions', () => {
  it('gives each feature its powers 1 … degree', () => {
    expect(Array.from(polynomialFeatures(Float32Array.of(2, 3, -1, 0.5), 2, 3))).toEqual([2, 4, 8, 3, 9, 27, -1, 1, -1, 0.5, 0.25, 0.125]);
    expect(() => polynomialFeatures(Float32Array.of(1), 1, 0)).toThrow(/degree must be an integer from 1 to 64/);
  });

  it('toRowArrays views and fromRowArrays stacks', () => {
    const X = Float32Array.of(1, 2, 3, 4, 5, 6);
    const rows = toRowArrays(X, 3);
    expect(rows.map((r) => Array.from(r))).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(rows[1].buffer).toBe(X.buffer);
    expect(Array.from(fromRowArrays([[1, 2], Float64Array.of(3, 4)]))).toEqual([1, 2, 3, 4]);
    expect(() => fromRowArrays([[1, 2], [3]])).toThrow(/rows\[1\] has 1 values, expected 2/);
  });
});

describe('generators', () => {
  it('makeMoons: sizes, classes, seeded, and on the two half circles without noise', () => {
    const a = makeMoons({ samples: 101, seed: 1 });
    expect(a.X).toHaveLength(202);
    expect(Array.from(a.y).filter((c) => c === 0)).toHaveLength(50);
    for (let i = 0; i < 101; i++) {
      const [x, y] = [a.X[2 * i], a.X[2 * i + 1]];
      const r = a.y[i] === 0 ? Math.hypot(x, y) : Math.hypot(x - 1, y - 0.5);
      expect(r).toBeCloseTo(1, 5);
    }
    expect(makeMoons({ samples: 50, noise: 0.1, seed: 2 })).toEqual(makeMoons({ samples: 50, noise: 0.1, seed: 2 }));
    expect(makeMoons({ samples: 50, noise: 0.1, seed: 2 }).X).not.toEqual(makeMoons({ samples: 50, noise: 0.1, seed: 3 }).X);
  });

  it('makeSpirals: one arm per class, radius at most 1', () => {
    const s = makeSpirals({ samples: 301, classes: 3, seed: 4 });
    expect(Array.from({ length: 3 }, (_, c) => Array.from(s.y).filter((v) => v === c).length)).toEqual([101, 100, 100]);
    for (let i = 0; i < 301; i++) expect(Math.hypot(s.X[2 * i], s.X[2 * i + 1])).toBeLessThanOrEqual(1 + 1e-6);
    expect(() => makeSpirals({ classes: 1 })).toThrow(/classes must be an integer from 2 to 32/);
  });

  it('makeNoisyRegression: y − truth has the noise std, truth = sin(2πx)', () => {
    const r = makeNoisyRegression({ samples: 4000, noise: 0.3, seed: 5 });
    const residuals = Array.from(r.y, (v, i) => v - r.truth[i]);
    const std = Math.sqrt(residuals.reduce((s, v) => s + v * v, 0) / residuals.length);
    expect(std).toBeGreaterThan(0.29);
    expect(std).toBeLessThan(0.31);
    expect(r.truth[7]).toBeCloseTo(Math.sin(2 * Math.PI * r.X[7]), 6);
    expect(r.X.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});
