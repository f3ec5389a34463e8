// Regressions found in review: deep trees, seeds checked when unused, one-class AdaBoost.
import { describe, expect, it } from 'vitest';
import { DecisionTreeClassifier } from '../../src/ensembles/decision-tree.js';
import { adaBoost } from '../../src/ensembles/ada-boost.js';
import { gradientBoosting } from '../../src/ensembles/gradient-boosting.js';

describe('review fixes', () => {
  it('grows trees thousands of levels deep without overflowing the stack', () => {
    const n = 6000;
    const X = Array.from({ length: n }, (_, i) => [i]);
    const y = Array.from({ length: n }, (_, i) => i % 2); // alternating labels: a chain of depth n − 1
    const tree = new DecisionTreeClassifier().fit(X, y);
    expect(Array.from(tree.predict(X.slice(0, 6)))).toEqual([0, 1, 0, 1, 0, 1]);
    expect(tree.tree.depth).toBe(n - 1);
  });

  it('numbers nodes depth first, left first (as scikit-learn)', () => {
    const tree = new DecisionTreeClassifier().fit([[0], [1], [2], [3]], [0, 1, 1, 0]);
    // Root splits {0} | {1, 2, 3}: node 1 is the left leaf, node 2 the right child, whose children are 3 and 4.
    const { left, right } = tree.tree;
    expect(Array.from(left).slice(0, 3)).toEqual([1, -1, 3]);
    expect(Array.from(right).slice(0, 3)).toEqual([2, -1, 4]);
  });

  it('checks a gradient boosting seed even when subsample is 1', () => {
    expect(() => gradientBoosting({ X: [[0], [1]], y: [0, 1], seed: -5 })).toThrow(RangeError);
  });

  it('gives decision values of 0 for a single class, as scikit-learn', () => {
    const model = adaBoost({ X: [[0], [1], [2]], y: [7, 7, 7] });
    expect(Array.from(model.decisionFunction([[0]])[0])).toEqual([0]);
  });
});
