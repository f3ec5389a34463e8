// Random forests: seeded reproducibility, out-of-bag estimates, importances, argument errors and
// untouched inputs. Agreement with scikit-learn is in test/sklearn-forests.test.ts.
import { describe, expect, it } from 'vitest';
import { RandomForestClassifier, RandomForestRegressor } from '../../src/ensembles/random-forest.js';
import { setWarningHandler } from '../../src/model-selection/warnings.js';

const X = Array.from({ length: 120 }, (_, i) => Array.from({ length: 5 }, (_, f) => Math.sin(i * (f + 2) * 0.91 + f)));
const y = X.map((row) => 3 * row[1] - row[4] + 0.1 * Math.cos(row[0] * 7));
const labels = y.map((v) => (v > 0 ? 'up' : 'down'));

describe('RandomForestClassifier / RandomForestRegressor', () => {
  it('the same seed gives the same forest; another seed another one', () => {
    const a = new RandomForestClassifier({ nEstimators: 12, seed: 5 }).fit(X, labels);
    const b = new RandomForestClassifier({ nEstimators: 12, seed: 5 }).fit(X, labels);
    const c = new RandomForestClassifier({ nEstimators: 12, seed: 6 }).fit(X, labels);
    expect(a.predictProba(X)).toEqual(b.predictProba(X));
    expect(a.predictProba(X)).not.toEqual(c.predictProba(X));
    expect(a.options.maxFeatures).toBe('sqrt');
    expect(new RandomForestRegressor().options.maxFeatures).toBe('all');
  });

  it('out-of-bag predictions and scores; importances sum to 1 and find the informative features', () => {
    const forest = new RandomForestRegressor({ nEstimators: 40, oobScore: true, seed: 1 }).fit(X, y);
    expect(forest.oobScore!).toBeGreaterThan(0.7);
    expect(forest.oobPrediction).toHaveLength(X.length);
    const importances = forest.featureImportances;
    expect(importances.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    expect(importances[1] + importances[4]).toBeGreaterThan(0.7);
    const classifier = new RandomForestClassifier({ nEstimators: 40, oobScore: true, seed: 1, maxSamples: 0.8 }).fit(X, labels);
    expect(classifier.oobScore!).toBeGreaterThan(0.8);
    expect(classifier.oobDecision![0]).toHaveLength(2);
    expect(classifier.trees).toHaveLength(40);
  });

  it('warns about rows without an out-of-bag prediction and leaves them out', () => {
    const messages: string[] = [];
    setWarningHandler((message) => messages.push(message));
    const forest = new RandomForestClassifier({ nEstimators: 1, oobScore: true, seed: 2 }).fit(X, labels);
    setWarningHandler(undefined);
    expect(messages[0]).toMatch(/no out-of-bag prediction/);
    expect(forest.oobDecision!.some((row) => Number.isNaN(row[0]))).toBe(true);
  });

  it('bad input: errors naming the argument and the value; inputs not modified', () => {
    expect(() => new RandomForestClassifier({ maxFeatures: 0 })).toThrow(/maxFeatures must be .*got 0/);
    expect(() => new RandomForestClassifier({ maxFeatures: 6 }).fit(X, labels)).toThrow(/maxFeatures must be at most the number of features 5, got 6/);
    expect(() => new RandomForestClassifier().fit(X, X.map(() => 'one'))).toThrow(/y must hold at least two classes, got only "one"/);
    expect(() => new RandomForestRegressor({ bootstrap: false, oobScore: true })).toThrow(/oobScore needs bootstrap: true/);
    expect(() => new RandomForestRegressor({ bootstrap: false, maxSamples: 0.5 })).toThrow(/maxSamples needs bootstrap: true/);
    expect(() => new RandomForestRegressor({ nEstimators: 0 })).toThrow(/nEstimators/);
    expect(() => new RandomForestRegressor({ trees: 3 } as never)).toThrow(/unknown option "trees"/);
    expect(() => new RandomForestRegressor().predict(X)).toThrow(/not fitted/);
    const weights = X.map(() => 1);
    const copy = JSON.stringify([X, y, labels, weights]);
    new RandomForestRegressor({ nEstimators: 3, seed: 0 }).fit(X, y, weights);
    new RandomForestClassifier({ nEstimators: 3, seed: 0, classWeight: 'balanced' }).fit(X, labels, weights);
    expect(JSON.stringify([X, y, labels, weights])).toBe(copy);
  });
});
