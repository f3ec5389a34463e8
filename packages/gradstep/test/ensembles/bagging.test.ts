// bagging: the documented draws (member seeds, bootstrap indices), maxSamples as fraction or count,
// out-of-bag predictions with NaN for rows never left out, hard and soft voting with ties, spread
// across members, reproducibility, and argument errors.
import { describe, expect, it } from 'vitest';
import { captureWarnings } from '../capture-warnings.js';
import { bagging } from '../../src/ensembles/bagging.js';
import { DecisionTreeClassifier, DecisionTreeRegressor } from '../../src/ensembles/decision-tree.js';
import { Random } from '../../src/model-selection/random.js';
import { setWarningHandler } from '../../src/model-selection/warnings.js';

const warnings = captureWarnings(setWarningHandler);

const rows = (n: number) => Array.from({ length: n }, (_, i) => i);
/** A member that predicts the mean of the targets it was fitted on, whatever the row. */
const meanMember = {
  task: 'regression' as const,
  fit: (_X: number[], y: Float64Array) => y.reduce((s, v) => s + v, 0) / y.length,
  predict: (mean: number, X: number[]) => X.map(() => mean),
};

describe('bagging draws', () => {
  it('draws member seeds first, then each member\'s rows from its own Random, as documented', () => {
    const fitted: { indices: number[]; seed: number; member: number }[] = [];
    const model = bagging({
      ...meanMember,
      X: rows(8),
      y: rows(8),
      estimators: 3,
      seed: 42,
      fit: (X, y, info) => {
        fitted.push({ indices: Array.from(info.indices), seed: info.seed, member: info.member });
        expect(X).toEqual(Array.from(info.indices));
        return meanMember.fit(X, y);
      },
    });
    const rng = new Random(42);
    const seeds = [rng.nextUint32(), rng.nextUint32(), rng.nextUint32()];
    seeds.forEach((seed, m) => {
      const memberRng = new Random(seed);
      const indices = Array.from({ length: 8 }, () => memberRng.integer(8));
      expect(fitted[m].indices).toEqual(indices);
      expect(Array.from(model.samples[m])).toEqual(indices);
      expect(fitted[m].seed).toBe(memberRng.nextUint32());
      expect(Array.from(model.outOfBag[m])).toEqual(rows(8).filter((i) => !indices.includes(i)));
    });
    expect(Array.from(model.memberSeeds)).toEqual(fitted.map((f) => f.seed));
  });

  it('maxSamples: fractions truncate as int(f·n), counts above 1 are counts; bootstrap false draws without repeats', () => {
    const sizes = (maxSamples: number) =>
      bagging({ ...meanMember, X: rows(10), y: rows(10), estimators: 1, seed: 0, maxSamples }).samples[0].length;
    expect(sizes(0.25)).toBe(2);
    expect(sizes(0.35)).toBe(3);
    expect(sizes(1)).toBe(10);
    expect(sizes(7)).toBe(7);
    const pasting = bagging({ ...meanMember, X: rows(10), y: rows(10), estimators: 4, seed: 1, bootstrap: false, maxSamples: 6 });
    for (const sample of pasting.samples) expect(new Set(sample).size).toBe(6);
    expect(pasting.oobScore).toBeUndefined();
    const all = bagging({ ...meanMember, X: rows(5), y: rows(5), estimators: 1, seed: 1, bootstrap: false });
    expect(Array.from(all.samples[0]).sort()).toEqual(rows(5));
  });

  it('is reproducible from a seed and differs with another', () => {
    const options = { ...meanMember, X: rows(20), y: rows(20).map((i) => i * i), estimators: 5 };
    expect(bagging({ ...options, seed: 3 }).predict([0])).toEqual(bagging({ ...options, seed: 3 }).predict([0]));
    expect(bagging({ ...options, seed: 3 }).samples).toEqual(bagging({ ...options, seed: 3 }).samples);
    expect(bagging({ ...options, seed: 4 }).predict([0])).not.toEqual(bagging({ ...options, seed: 3 }).predict([0]));
  });
});

describe('bagging regression', () => {
  it('averages members, reports their population std, and averages out-of-bag predictions (NaN where never out of bag)', () => {
    const y = [0, 10, 20, 30];
    const model = bagging({ ...meanMember, X: rows(4), y, estimators: 6, seed: 9 });
    const memberMeans = model.samples.map((s) => Array.from(s).reduce((t, i) => t + y[i], 0) / s.length);
    const mean = memberMeans.reduce((s, v) => s + v) / 6;
    const std = Math.sqrt(memberMeans.reduce((s, v) => s + (v - mean) ** 2, 0) / 6);
    const { mean: predicted, std: spread } = model.predictWithUncertainty([0, 1]);
    expect(predicted[0]).toBeCloseTo(mean, 13);
    expect(spread[1]).toBeCloseTo(std, 13);
    for (let i = 0; i < 4; i++) {
      const members = model.outOfBag.map((oob, m) => (oob.includes(i) ? memberMeans[m] : NaN)).filter((v) => !Number.isNaN(v));
      expect(model.outOfBagCounts![i]).toBe(members.length);
      if (members.length === 0) expect(model.oobPrediction![i]).toBeNaN();
      else expect(model.oobPrediction![i]).toBeCloseTo(members.reduce((s, v) => s + v) / members.length, 13);
    }
  });

  it('one member: the rows it drew have no OOB prediction (NaN), a warning, and are not scored', () => {
    const model = bagging({ ...meanMember, X: rows(6), y: [1, 2, 3, 4, 5, 6], estimators: 1, seed: 2 });
    const drawn = new Set(model.samples[0]);
    for (let i = 0; i < 6; i++) expect(Number.isNaN(model.oobPrediction![i])).toBe(drawn.has(i));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/samples have no out-of-bag prediction/);
    expect(Number.isFinite(model.oobScore!)).toBe(true);
  });

  it('trees on a smooth function give a high out-of-bag R² and do not modify X or y', () => {
    const X = Array.from({ length: 80 }, (_, i) => [i / 10, Math.cos(i)]);
    const y = X.map(([a, b]) => a * 2 + b);
    const copy = JSON.stringify([X, y]);
    const model = bagging({
      task: 'regression',
      X,
      y,
      estimators: 20,
      seed: 1,
      fit: (rowsIn, targets) => new DecisionTreeRegressor().fit(rowsIn, targets),
      predict: (tree, rowsIn) => tree.predict(rowsIn),
    });
    expect(model.oobScore!).toBeGreaterThan(0.9);
    expect(JSON.stringify([X, y])).toBe(copy);
  });
});

describe('bagging classification', () => {
  /** A member that always predicts one fixed label, chosen by member number. */
  const fixedVotes = (labels: string[]) => ({
    task: 'classification' as const,
    fit: (_X: number[], _y: unknown, info: { member: number }) => labels[info.member],
    predict: (label: string, X: number[]) => X.map(() => label),
  });

  it('hard voting breaks ties toward the smallest label and reports vote shares', () => {
    const model = bagging({ ...fixedVotes(['c', 'b', 'c', 'b']), X: rows(4), y: ['a', 'b', 'c', 'a'], estimators: 4, seed: 0 });
    expect(model.voting).toBe('hard');
    expect(model.classes).toEqual(['a', 'b', 'c']);
    expect(model.predict([0])).toEqual(['b']);
    expect(Array.from(model.predictProba([0])[0])).toEqual([0, 0.5, 0.5]);
    // One-hot votes of b: [0,1,0,1] → std 0.5.
    expect(Array.from(model.predictWithUncertainty([0]).std[0])).toEqual([0, 0.5, 0.5]);
  });

  it('soft voting averages predictProba; OOB decision rows are NaN where never out of bag', () => {
    const probabilities = [[0.6, 0.4], [0.1, 0.9], [0.7, 0.3]];
    const model = bagging({
      task: 'classification',
      X: rows(5),
      y: [0, 1, 0, 1, 1],
      estimators: 3,
      seed: 5,
      fit: (_X, _y, info) => info.member,
      predict: () => [],
      predictProba: (member, X) => X.map(() => probabilities[member]),
    });
    expect(model.voting).toBe('soft');
    const p = model.predictProba([0])[0];
    expect(p[0]).toBeCloseTo(1.4 / 3, 15);
    expect(model.predict([0])).toEqual([1]);
    for (let i = 0; i < 5; i++) {
      const members = model.outOfBag.map((oob, m) => (oob.includes(i) ? m : -1)).filter((m) => m >= 0);
      const row = model.oobDecision![i];
      if (members.length === 0) expect(Array.from(row).every(Number.isNaN)).toBe(true);
      else expect(row[1]).toBeCloseTo(members.reduce((s, m) => s + probabilities[m][1], 0) / members.length, 14);
    }
  });

  it('trees with fixed classes reach a good out-of-bag accuracy', () => {
    const X = Array.from({ length: 120 }, (_, i) => [Math.sin(i * 1.3), Math.cos(i * 0.7)]);
    const y = X.map(([a, b]) => (a + b > 0.2 ? 'pos' : 'neg'));
    const model = bagging({
      task: 'classification',
      X,
      y,
      estimators: 25,
      seed: 0,
      fit: (rowsIn, labels, { classes }) => new DecisionTreeClassifier({ classes }).fit(rowsIn, labels),
      predict: (tree, rowsIn) => tree.predict(rowsIn),
      predictProba: (tree, rowsIn) => tree.predictProba(rowsIn),
    });
    expect(model.oobScore!).toBeGreaterThan(0.85);
    expect(model.predict(X).filter((label, i) => label === y[i]).length).toBeGreaterThan(115);
  });
});

describe('bagging argument errors', () => {
  it('names the argument and the value', () => {
    const base = { ...meanMember, X: rows(4), y: [1, 2, 3, 4] };
    expect(() => bagging({ ...base, y: [1, 2] })).toThrow(/y has length 2 but X has 4 rows/);
    expect(() => bagging({ ...base, X: [] })).toThrow(/X must not be empty/);
    expect(() => bagging({ ...base, estimators: 0 })).toThrow(/estimators must be an integer >= 1, got 0/);
    expect(() => bagging({ ...base, maxSamples: 0.1 })).toThrow(/int\(0.1 \* 4\) = 0 samples/);
    expect(() => bagging({ ...base, maxSamples: 5 })).toThrow(/maxSamples must be <= the number of samples 4, got 5/);
    expect(() => bagging({ ...base, maxSamples: 2.5 })).toThrow(/must be an integer, got 2.5/);
    expect(() => bagging({ ...base, maxSamples: NaN })).toThrow(RangeError);
    expect(() => bagging({ ...base, bootstrap: false, outOfBag: true })).toThrow(/only available with bootstrap/);
    expect(() => bagging({ ...base, task: 'clustering' } as never)).toThrow(/task must be 'regression' or 'classification'/);
    expect(() => bagging({ ...base, seed: 2 ** 32 })).toThrow(RangeError);
    expect(() => bagging({ ...base, predict: () => [1] })).toThrow(/predict returned 1 predictions for/);
    expect(() =>
      bagging({ task: 'classification', X: rows(2), y: [0, 1], fit: () => 0, predict: () => [0, 1], predictProba: (_m, X) => X.map(() => [1]) }),
    ).toThrow(/predictProba must return 2 probabilities per row/);
    expect(() => bagging({ task: 'classification', X: rows(2), y: [0, '1'] as never, fit: () => 0, predict: () => [0, 1] })).toThrow(/mixes numbers and strings/);
  });
});
