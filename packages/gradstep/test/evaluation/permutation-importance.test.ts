// permutationImportance on the forests and boosting (rows) and on an MLP (flat Float32Array rows): the
// informative features matter, noise does not; seeded; scorers needing probabilities; argument errors.
import { Adam, fit, gradientBoostingClassifier, init, MLP, permutationImportance, RandomForestRegressor } from 'gradstep';
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
