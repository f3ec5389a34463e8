// gradientBoosting: the reference's worked example (§8), staged predictions and losses, stochastic
// subsampling (exact in-bag count, reproducibility, OOB loss), and argument errors.
import { describe, expect, it } from 'vitest';
import { EarlyStopping, gradientBoosting } from '../../src/ensembles/gradient-boosting.js';
import { gradientBoostingClassifier } from '../../src/ensembles/gradient-boosting-classifier.js';

describe('gradientBoosting', () => {
  it('depth-1 trees on x = 1..4, y = [1, 2, 3, 10], lr 0.1: F = [3.8 ×3, 4.6] then [3.62 ×3, 5.14]', () => {
    const X = [[1], [2], [3], [4]];
    const y = [1, 2, 3, 10];
    const model = gradientBoosting({ X, y, maxDepth: 1, learningRate: 0.1, nEstimators: 2 });
    expect(model.init).toBe(4);
    const [first, second] = model.stagedPredict(X);
    [3.8, 3.8, 3.8, 4.6].forEach((v, i) => expect(first[i]).toBeCloseTo(v, 14));
    [3.62, 3.62, 3.62, 5.14].forEach((v, i) => expect(second[i]).toBeCloseTo(v, 14));
    expect(model.trees[0].tree.threshold[0]).toBe(3.5);
    // Training MSE after each stage.
    const mse = (F: number[]) => F.reduce((s, f, i) => s + (y[i] - f) ** 2, 0) / 4;
    expect(model.trainLoss[0]).toBeCloseTo(mse([3.8, 3.8, 3.8, 4.6]), 13);
    expect(model.trainLoss[1]).toBeCloseTo(mse([3.62, 3.62, 3.62, 5.14]), 13);
    expect(model.oobLoss).toBeUndefined();
  });

  it('the training loss falls stage by stage; learningRate 0 predicts the (weighted) mean', () => {
    const X = Array.from({ length: 30 }, (_, i) => [i, (i * 13) % 7]);
    const y = X.map(([a, b]) => Math.sin(a / 3) + b);
    const model = gradientBoosting({ X, y, nEstimators: 20 });
    for (let m = 1; m < 20; m++) expect(model.trainLoss[m]).toBeLessThanOrEqual(model.trainLoss[m - 1]);
    const flat = gradientBoosting({ X: [[0], [1], [2]], y: [0, 3, 6], sampleWeight: [1, 1, 2], learningRate: 0, nEstimators: 3 });
    expect(Array.from(flat.predict([[5]]))).toEqual([15 / 4]);
  });

  it('subsample picks exactly max(1, ⌊subsample·n⌋) rows per tree, reproducibly from the seed', () => {
    const X = Array.from({ length: 25 }, (_, i) => [i]);
    const y = X.map(([a]) => (a % 5) * 2);
    const options = { X, y, subsample: 0.5, nEstimators: 8, maxDepth: 2, seed: 4 };
    const one = gradientBoosting(options);
    const two = gradientBoosting(options);
    expect(Array.from(one.trainLoss)).toEqual(Array.from(two.trainLoss));
    expect(Array.from(one.oobLoss!)).toEqual(Array.from(two.oobLoss!));
    for (const tree of one.trees) expect(tree.tree.samples[0]).toBe(12);
    const other = gradientBoosting({ ...options, seed: 5 });
    expect(Array.from(other.trainLoss)).not.toEqual(Array.from(one.trainLoss));
    expect(gradientBoosting({ ...options, subsample: 0.01 }).trees[0].tree.samples[0]).toBe(1);
  });

  it('rejects bad arguments naming them', () => {
    const X = [[1], [2]];
    expect(() => gradientBoosting({ X, y: [1, 2], subsample: 0 })).toThrow(/subsample must be a finite number > 0 and <= 1, got 0/);
    expect(() => gradientBoosting({ X, y: [1, 2], subsample: 1.5 })).toThrow(RangeError);
    expect(() => gradientBoosting({ X, y: [1, 2], learningRate: -0.1 })).toThrow(/learningRate must be a finite number >= 0, got -0.1/);
    expect(() => gradientBoosting({ X, y: [1, 2], maxDepth: 0 })).toThrow(/maxDepth must be an integer >= 1/);
    expect(() => gradientBoosting({ X, y: [1] })).toThrow(/y has length 1 but X has 2 rows/);
    expect(() => gradientBoosting({ X, y: [1, 2], nEstimator: 3 } as never)).toThrow(/unknown option "nEstimator"/);
    expect(() => gradientBoosting({ X: [], y: [] })).toThrow(/X must not be empty/);
    // The seed is checked even when subsample = 1 leaves it unused.
    expect(() => gradientBoosting({ X: [[0], [1]], y: [0, 1], seed: -5 })).toThrow(RangeError);
  });
});

describe('gradientBoostingClassifier and early stopping', () => {
  const X = Array.from({ length: 150 }, (_, i) => [Math.sin(i * 1.3), Math.cos(i * 0.7), ((i * 37) % 11) / 11]);
  const labels = X.map((row) => (row[0] + 0.5 * row[1] > 0.3 ? 'b' : row[0] > -0.2 ? 'a' : 'c'));

  it('probabilities sum to 1, staged stages match the final ones, subsampling is seeded', () => {
    const model = gradientBoostingClassifier({ X, y: labels, nEstimators: 10, subsample: 0.7, maxFeatures: 2, seed: 4 });
    const proba = model.predictProba(X);
    for (const row of proba) expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    expect(model.stagedPredictProba(X).at(-1)).toEqual(proba);
    expect(model.trees).toHaveLength(10);
    expect(model.trees[0]).toHaveLength(3);
    expect(model.oobLoss).toHaveLength(10);
    const again = gradientBoostingClassifier({ X, y: labels, nEstimators: 10, subsample: 0.7, maxFeatures: 2, seed: 4 });
    expect(again.predictProba(X)).toEqual(proba);
  });

  it('the early stopping rule: stops at the first stage without progress by more than tol on the last nIterNoChange', () => {
    const stopping = new EarlyStopping(2, 0.1);
    expect([1, 0.5, 0.45, 0.42, 0.39, 0.2].map((loss) => stopping.progress(loss))).toEqual([true, true, true, false, true, true]);
    const model = gradientBoosting({ X, y: X.map((row) => row[0] * 3 + row[2]), nEstimators: 500, learningRate: 0.5, nIterNoChange: 3, seed: 1 });
    expect(model.trees.length).toBeLessThan(500);
    expect(model.validationLoss).toHaveLength(model.trees.length);
    expect(model.validationRows).toHaveLength(15);
  });

  it('bad input: errors naming the argument and the value; inputs not modified', () => {
    const copy = JSON.stringify([X, labels]);
    expect(() => gradientBoostingClassifier({ X, y: X.map(() => 'one') })).toThrow(/y must hold at least two classes, got only "one"/);
    expect(() => gradientBoostingClassifier({ X, y: labels, nIterNoChange: 3, validationFraction: 0 })).toThrow(
      /nIterNoChange needs validation rows: validationFraction must be in \(0, 1\), got 0/,
    );
    expect(() => gradientBoosting({ X: [[1]], y: [1], nIterNoChange: 3 })).toThrow(/nIterNoChange needs validation rows/);
    expect(() => gradientBoostingClassifier({ X, y: labels, validationFraction: 0.2 })).toThrow(/validationFraction is used only with nIterNoChange/);
    expect(() => gradientBoostingClassifier({ X, y: labels, maxFeatures: 0 })).toThrow(/maxFeatures must be .*got 0/);
    expect(() => gradientBoostingClassifier({ X, y: labels, maxFeatures: 4 })).toThrow(/maxFeatures must be at most the number of features 3, got 4/);
    expect(() => gradientBoostingClassifier({ X, y: labels, nIterNoChange: 0 })).toThrow(/nIterNoChange/);
    expect(() => gradientBoostingClassifier({ X, y: labels, tol: -1 })).toThrow(/tol must be a finite number >= 0, got -1/);
    gradientBoostingClassifier({ X, y: labels, nEstimators: 3, nIterNoChange: 2, seed: 0 });
    expect(JSON.stringify([X, labels])).toBe(copy);
  });
});
