// permutationImportance on the forests and boosting (rows) and on an MLP (flat Float32Array rows): the
// informative features matter, noise does not; seeded; scorers needing probabilities; argument errors.
import { Adam, fit, getScorer, gradientBoostingClassifier, init, MLP, permutationImportance, Random, RandomForestRegressor, type ScorerName } from 'gradstep';
import { beforeAll, describe, expect, it } from 'vitest';

beforeAll(() => init());

const X = Array.from({ length: 160 }, (_, i) => [Math.sin(i * 1.7), Math.cos(i * 0.37), ((i * 29) % 13) / 13 - 0.5]);
const y = X.map((row) => 2 * row[0] - row[1]);
const labels = X.map((row) => (row[0] > 0.1 ? 1 : 0));

describe('permutationImportance', () => {
  it('a forest: the features y depends on lose score when shuffled, the noise does not; seeded', () => {
    const forest = new RandomForestRegressor({ nEstimators: 20, seed: 0 }).fit(X, y);
    const copy = JSON.stringify(X);
    const result = permutationImportance(forest, X, y, { scoring: 'r2', nRepeats: 4, seed: 3 });
    expect(JSON.stringify(X)).toBe(copy);
    expect(result.importancesMean[0]).toBeGreaterThan(0.3);
    expect(result.importancesMean[1]).toBeGreaterThan(0.05);
    expect(Math.abs(result.importancesMean[2])).toBeLessThan(0.05);
    expect(result.importances[0]).toHaveLength(4);
    expect(permutationImportance(forest, X, y, { scoring: 'r2', nRepeats: 4, seed: 3 })).toEqual(result);
  });

  it('boosting with a probability scorer, and an MLP on flat rows', () => {
    const model = gradientBoostingClassifier({ X, y: labels, nEstimators: 20, seed: 0 });
    const byLogLoss = permutationImportance(model, X, labels, { scoring: 'negLogLoss', nRepeats: 3, seed: 1 });
    expect(byLogLoss.importancesMean[0]).toBeGreaterThan(byLogLoss.importancesMean[2]);
    const byAuc = permutationImportance(model, X, labels, { scoring: 'rocAuc', seed: 1 });
    expect(byAuc.baselineScore).toBeGreaterThan(0.9);

    const flat = Float32Array.from(X.flat());
    const classes = Float32Array.from(labels);
    const mlp = new MLP({ layers: [3, 8, 2], seed: 2 });
    fit(mlp, { X: flat, y: classes }, { optimizer: new Adam(mlp.params, { lr: 0.05 }), epochs: 40, batchSize: 16, seed: 1 });
    const result = permutationImportance(mlp, flat, classes, { scoring: 'accuracy', nRepeats: 3, seed: 2 });
    expect(result.baselineScore).toBeGreaterThan(0.85);
    expect(result.importancesMean[0]).toBeGreaterThan(result.importancesMean[2]);
    expect(permutationImportance(mlp, flat, classes, { scoring: 'negLogLoss', seed: 2 }).importancesMean[0]).toBeGreaterThan(0);
    mlp.dispose();
  });

  it('bad input: errors naming the argument and the value', () => {
    const forest = new RandomForestRegressor({ nEstimators: 2, seed: 0 }).fit(X, y);
    expect(() => permutationImportance(forest, X, y, {} as never)).toThrow(/scoring must name a scorer/);
    expect(() => permutationImportance(forest, X, y, { scoring: 'nope' as never })).toThrow(/name must be one of/);
    expect(() => permutationImportance(forest, X, y, { scoring: 'r2', nRepeats: 0 })).toThrow(/nRepeats must be an integer >= 1, got 0/);
    expect(() => permutationImportance(forest, X, y.slice(1), { scoring: 'r2' })).toThrow(/y must have one value per row of X \(160\)/);
    const ragged = X.map((row, i) => (i === 7 ? row.slice(1) : row));
    expect(() => permutationImportance(forest, ragged, y, { scoring: 'r2' })).toThrow(/^permutationImportance: X\[7\]/);
    expect(() => permutationImportance(forest, X, y, { scoring: 'negLogLoss' })).toThrow(/needs probabilities, and the model has no predictProba/);
    expect(() => permutationImportance({} as never, X, y, { scoring: 'r2' })).toThrow(/model must be a fitted model with a predict method/);
  });
});

describe('permutationImportance by its definition', () => {
  // scikit-learn's scheme with gradstep's generator: one seed for every column (the first draw of
  // Random(seed)); per column, a fresh Random(columnSeed) shuffles the row order nRepeats times; each
  // repeat's drop is the baseline score minus the score with that column's values taken from the
  // shuffled rows. Float32-exact features, so rows and a flat Float32Array are the same data.
  const n = 40;
  const rowsX = Array.from({ length: n }, (_, i) => [Math.fround(Math.sin(i * 1.3)), Math.fround(Math.cos(i * 0.7)), Math.fround(((i * 7) % 11) / 11)]);
  const flatX = Float32Array.from(rowsX.flat());
  const target = rowsX.map((row) => 2 * row[0] - row[1] + 0.1 * Math.sin(31 * row[2]));
  const rowsOf = (X: number[][] | Float32Array): number[][] =>
    X instanceof Float32Array ? Array.from({ length: X.length / 3 }, (_, i) => Array.from(X.subarray(i * 3, i * 3 + 3))) : X;
  const linear = (X: number[][] | Float32Array) => Float64Array.from(rowsOf(X), (row) => 2 * row[0] - 0.5 * row[1]);
  const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

  function byHand(scoring: ScorerName, y: ArrayLike<number>, predict: (rows: number[][]) => ArrayLike<number>, nRepeats: number, seed: number) {
    const scorer = getScorer(scoring);
    const columnSeed = new Random(seed).nextUint32();
    const baselineScore = scorer.score(y as never, predict(rowsX) as never);
    const importances = [0, 1, 2].map((j) => {
      const rng = new Random(columnSeed);
      const order = Uint32Array.from({ length: n }, (_, i) => i);
      return Float64Array.from({ length: nRepeats }, () => {
        rng.shuffle(order);
        const permuted = rowsX.map((row, i) => row.map((v, c) => (c === j ? rowsX[order[i]][j] : v)));
        return baselineScore - scorer.score(y as never, predict(permuted) as never);
      });
    });
    const importancesMean = Float64Array.from(importances, (d) => d.reduce((a, v) => a + v, 0) / nRepeats);
    const importancesStd = Float64Array.from(importances, (d, j) => Math.sqrt(d.reduce((a, v) => a + (v - importancesMean[j]) ** 2, 0) / nRepeats));
    return { baselineScore, importancesMean, importancesStd, importances };
  }

  it('a regressor on rows and on a flat Float32Array: the drops, their mean and their population std', () => {
    const expected = byHand('r2', target, linear, 4, 9);
    const model = { predict: linear };
    expect(permutationImportance(model, rowsX, target, { scoring: 'r2', nRepeats: 4, seed: 9 })).toEqual(expected);
    expect(permutationImportance(model, flatX, target, { scoring: 'r2', nRepeats: 4, seed: 9, features: 3 })).toEqual(expected);
    expect(permutationImportance({ predict: linear, features: 3 }, flatX, target, { scoring: 'r2', nRepeats: 4, seed: 9 })).toEqual(expected);
    // One row: nothing to permute, every drop 0.
    const one = permutationImportance(model, flatX.slice(0, 3), [target[0]], { scoring: 'negMeanSquaredError', features: 3, nRepeats: 2, seed: 1 });
    expect(Array.from(one.importancesMean)).toEqual([0, 0, 0]);
    // Five repeats unless told; weights reach the scorer.
    expect(permutationImportance(model, rowsX, target, { scoring: 'r2', seed: 9 })).toEqual(byHand('r2', target, linear, 5, 9));
    const weights = Float64Array.from({ length: n }, (_, i) => 1 + (i % 3));
    const weighted = permutationImportance(model, rowsX, target, { scoring: 'r2', nRepeats: 2, seed: 9, sampleWeight: weights });
    expect(weighted.baselineScore).toBe(getScorer('r2').score(target as never, linear(rowsX) as never, { sampleWeight: weights }));
    expect(weighted.baselineScore).not.toBe(expected.baselineScore);
  });

  it('a classifier\'s probabilities in every layout, and decision values where the scorer wants them', () => {
    const labels = rowsX.map((row) => (row[0] > 0 ? 1 : 0));
    const p = (X: number[][] | Float32Array) => Array.from(linear(X), sigmoid);
    const expected = byHand('negLogLoss', labels, (rows) => p(rows), 3, 4);
    const layouts = {
      rowsOfTwo: (X: number[][]) => p(X).map((q) => [1 - q, q]),
      flatTwo: (X: number[][]) => Float64Array.from(p(X).flatMap((q) => [1 - q, q])),
      rowsOfOne: (X: number[][]) => p(X).map((q) => [q]),
    };
    for (const [name, predictProba] of Object.entries(layouts)) {
      const model = { predict: () => { throw new Error('predict is not for negLogLoss'); }, predictProba };
      expect(permutationImportance(model, rowsX, labels, { scoring: 'negLogLoss', nRepeats: 3, seed: 4 }), name).toEqual(expected);
    }
    // rocAuc takes decision values when the model has them, else the positive class's probability.
    const decision = byHand('rocAuc', labels, (rows) => linear(rows), 3, 4);
    // (Probabilities that rank the rows the other way round: only decision values give `decision`.)
    const both = { predict: () => [], predictProba: (X: number[][]) => p(X).map((q) => [q, 1 - q]), decisionFunction: linear };
    expect(permutationImportance(both, rowsX, labels, { scoring: 'rocAuc', nRepeats: 3, seed: 4 })).toEqual(decision);
    expect(permutationImportance({ predict: () => [], predictProba: layouts.flatTwo }, rowsX, labels, { scoring: 'rocAuc', nRepeats: 3, seed: 4 })).toEqual(
      byHand('rocAuc', labels, (rows) => p(rows), 3, 4),
    );
    expect(() => permutationImportance({ predict: () => [] }, rowsX, labels, { scoring: 'rocAuc' })).toThrow(
      /^permutationImportance: scoring "rocAuc" needs decision values or probabilities, and the model has neither$/,
    );
  });

  it('three classes: rows of probabilities and their flat layout give the same importances', () => {
    const classes = rowsX.map((row) => (row[0] > 0.3 ? 2 : row[0] > -0.3 ? 1 : 0));
    const softmax = (X: number[][]) =>
      rowsOf(X).map((row) => {
        const z = [-2 * row[0], 0.1 * row[1], 2 * row[0]].map(Math.exp);
        const total = z[0] + z[1] + z[2];
        return z.map((v) => v / total);
      });
    const fromRows = permutationImportance({ predict: () => [], predictProba: softmax }, rowsX, classes, { scoring: 'negLogLoss', nRepeats: 2, seed: 6 });
    const fromFlat = permutationImportance({ predict: () => [], predictProba: (X: number[][]) => Float64Array.from(softmax(X).flat()) }, rowsX, classes, {
      scoring: 'negLogLoss',
      nRepeats: 2,
      seed: 6,
    });
    expect(fromFlat).toEqual(fromRows);
    expect(fromRows.importancesMean[0]).toBeGreaterThan(0);
    expect(fromRows.baselineScore).toBe(getScorer('negLogLoss').score(classes as never, Float64Array.from(softmax(rowsX).flat()) as never));
  });

  it('refuses what it cannot read, with exact messages', () => {
    const model = { predict: linear };
    const cases: [unknown, unknown, unknown, Record<string, unknown>, RegExp][] = [
      [null, rowsX, target, {}, /^permutationImportance: model must be a fitted model with a predict method, got null$/],
      [{ predict: 1 }, rowsX, target, {}, /^permutationImportance: model must be a fitted model with a predict method, got an object/],
      [model, [], target, {}, /^permutationImportance: X must be a non-empty array of rows or a Float32Array, got an array of length 0$/],
      [model, new Float64Array(6), target, {}, /^permutationImportance: X must be a non-empty array of rows or a Float32Array, got a Float64Array/],
      [model, new Float32Array(7), target, { features: 3 }, /^permutationImportance: X holds 7 values, not a whole number of rows of 3 features$/],
      [model, new Float32Array(0), target, { features: 3 }, /^permutationImportance: X holds 0 values, not a whole number of rows of 3 features$/],
      [model, flatX, target, {}, /^permutationImportance: features must be an integer >= 1, got undefined$/],
      [model, rowsX, null, {}, /^permutationImportance: y must have one value per row of X \(40\), got null$/],
      [model, rowsX, 5, {}, /^permutationImportance: y must have one value per row of X \(40\), got 5$/],
      [model, rowsX, { length: 'x' }, {}, /^permutationImportance: y must have one value per row of X \(40\), got an object/],
      [model, rowsX, target, { nRepeat: 2 }, /^permutationImportance: unknown option "nRepeat"/],
      [model, rowsX, target, { seed: -1 }, /^permutationImportance: seed must be an integer from 0 to 4294967295/],
    ];
    for (const [m, X, y, options, message] of cases) expect(() => permutationImportance(m as never, X as never, y as never, { scoring: 'r2', ...options } as never)).toThrow(message);
  });
});
