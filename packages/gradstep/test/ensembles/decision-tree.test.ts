// The CART trees and stumps: hand-computed splits and leaves, sample weights, the documented
// tie-breaking, minSamplesLeaf/minSamplesSplit/maxDepth, scikit-learn's node numbering, trees
// thousands of levels deep, and argument errors.
import { describe, expect, it } from 'vitest';
import { DecisionStumpClassifier, DecisionStumpRegressor } from '../../src/ensembles/decision-stump.js';
import { DecisionTreeClassifier, DecisionTreeRegressor } from '../../src/ensembles/decision-tree.js';

describe('DecisionTreeRegressor', () => {
  it('a stump on x = 1..4, y = [1, 2, 3, 10] splits at the midpoint 3.5 (leaves 2 and 10)', () => {
    const stump = new DecisionStumpRegressor().fit([[1], [2], [3], [4]], [1, 2, 3, 10]);
    expect(stump.tree.threshold[0]).toBe(3.5);
    expect(Array.from(stump.predict([[0], [3.5], [3.6], [100]]))).toEqual([2, 2, 10, 10]);
  });

  it('grows to pure leaves without maxDepth and reproduces the training targets', () => {
    const X = [[0.3], [0.1], [0.9], [0.5], [0.7]];
    const y = [3, 1, 9, 5, 7];
    const tree = new DecisionTreeRegressor().fit(X, y);
    expect(Array.from(tree.predict(X))).toEqual(y);
    expect(tree.tree.left.filter((l) => l < 0)).toHaveLength(5);
  });

  it('a weight-0 row is ignored entirely; integer weights act as repeated rows', () => {
    const X = [[1], [2], [3], [4], [5]];
    const y = [1, 1, 5, 5, 100];
    const ignored = new DecisionTreeRegressor({ maxDepth: 1 }).fit(X, y, [1, 1, 1, 1, 0]);
    const removed = new DecisionTreeRegressor({ maxDepth: 1 }).fit(X.slice(0, 4), y.slice(0, 4));
    expect(ignored.tree.threshold[0]).toBe(2.5);
    expect(Array.from(ignored.predict(X))).toEqual(Array.from(removed.predict(X)));
    const weighted = new DecisionTreeRegressor({ maxDepth: 2 }).fit([[1], [2], [3]], [0, 4, 10], [2, 1, 1]);
    const repeated = new DecisionTreeRegressor({ maxDepth: 2 }).fit([[1], [1], [2], [3]], [0, 0, 4, 10]);
    expect(Array.from(weighted.predict([[1], [2], [3]]))).toEqual(Array.from(repeated.predict([[1], [2], [3]])));
  });

  it('keeps the first of equally good features (index order), unlike scikit-learn\'s random order', () => {
    const X = [[1, 10], [2, 20], [3, 30], [4, 40]];
    const tree = new DecisionTreeRegressor({ maxDepth: 1 }).fit(X, [0, 0, 1, 1]);
    expect(tree.tree.feature[0]).toBe(0);
    const swapped = new DecisionTreeRegressor({ maxDepth: 1 }).fit(X.map(([a, b]) => [b, a]), [0, 0, 1, 1]);
    expect(swapped.tree.feature[0]).toBe(0);
    expect(swapped.tree.threshold[0]).toBe(25);
  });

  it('honors minSamplesLeaf and minSamplesSplit', () => {
    const X = [[1], [2], [3], [4], [5], [6]];
    const y = [0, 0, 0, 0, 0, 60];
    // The best split isolates row 5; with minSamplesLeaf 2 the best allowed is 4.5.
    expect(new DecisionTreeRegressor({ maxDepth: 1 }).fit(X, y).tree.threshold[0]).toBe(5.5);
    expect(new DecisionTreeRegressor({ maxDepth: 1, minSamplesLeaf: 2 }).fit(X, y).tree.threshold[0]).toBe(4.5);
    expect(new DecisionTreeRegressor({ minSamplesSplit: 7 }).fit(X, y).tree.feature[0]).toBe(-1);
    expect(new DecisionTreeRegressor({ minSamplesLeaf: 4 }).fit(X, y).tree.feature[0]).toBe(-1); // 6 < 2·4
  });

  it('makes no split on constant features or constant targets', () => {
    expect(new DecisionTreeRegressor().fit([[1], [1], [1]], [1, 2, 3]).predict([[0]])[0]).toBe(2);
    expect(new DecisionTreeRegressor().fit([[1], [2], [3]], [4, 4, 4]).tree.feature.length).toBe(1);
  });

  it('accepts typed-array rows and does not modify its inputs', () => {
    const X = [Float32Array.of(1, 0), Float64Array.of(2, 0), Float32Array.of(3, 1)];
    const y = [1, 2, 3];
    const w = [1, 2, 3];
    const tree = new DecisionTreeRegressor().fit(X, y, w);
    expect(Array.from(tree.predict(X))).toEqual([1, 2, 3]);
    expect(X.map((row) => Array.from(row))).toEqual([[1, 0], [2, 0], [3, 1]]);
    expect(w).toEqual([1, 2, 3]);
  });
});

describe('DecisionTreeClassifier', () => {
  it('sorts classes, predicts the heaviest class of a leaf and its fractions', () => {
    const X = [[1], [2], [3], [4], [5]];
    const tree = new DecisionStumpClassifier().fit(X, ['b', 'b', 'a', 'a', 'b']);
    expect(tree.classes).toEqual(['a', 'b']);
    expect(tree.tree.threshold[0]).toBe(2.5);
    expect(tree.predict([[0], [9]])).toEqual(['b', 'a']);
    expect(Array.from(tree.predictProba([[9]])[0])).toEqual([2 / 3, 1 / 3]);
  });

  it('breaks a tie in a leaf toward the smallest label', () => {
    const tree = new DecisionTreeClassifier().fit([[1], [1]], [7, 3]);
    expect(tree.predict([[1]])).toEqual([3]);
    const weighted = new DecisionTreeClassifier().fit([[1], [1]], [7, 3], [2, 1]);
    expect(weighted.predict([[1]])).toEqual([7]);
  });

  it('a separable dataset gives pure leaves; the gini proxy prefers the cleaner split', () => {
    const X = [[0, 5], [1, 1], [2, 4], [3, 2], [4, 3]];
    const y = [0, 0, 0, 1, 1];
    const tree = new DecisionTreeClassifier({ maxDepth: 1 }).fit(X, y);
    expect(tree.tree.feature[0]).toBe(0);
    expect(tree.tree.threshold[0]).toBe(2.5);
    expect(tree.predict(X)).toEqual(y);
  });

  it('the classes option fixes the probability columns', () => {
    const tree = new DecisionTreeClassifier({ classes: [2, 0, 1] }).fit([[0], [1]], [0, 2]);
    expect(tree.classes).toEqual([0, 1, 2]);
    expect(Array.from(tree.predictProba([[0]])[0])).toEqual([1, 0, 0]);
    expect(() => new DecisionTreeClassifier({ classes: [0, 1] }).fit([[0]], [5])).toThrow(/y\[0\] is 5, which is not one of the classes \(0, 1\)/);
    expect(() => new DecisionTreeClassifier({ classes: [0, 0] })).toThrow(/duplicates/);
  });

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
});

describe('tree argument errors', () => {
  it('name the argument and the value', () => {
    expect(() => new DecisionTreeRegressor({ maxDepth: 0 })).toThrow(/maxDepth must be an integer >= 1 or Infinity, got 0/);
    expect(() => new DecisionTreeRegressor({ maxDepth: NaN })).toThrow(RangeError);
    expect(() => new DecisionTreeRegressor({ minSamplesSplit: 1 })).toThrow(/minSamplesSplit must be an integer >= 2 or a fraction in \(0, 1\), got 1/);
    expect(() => new DecisionTreeRegressor({ minSamplesLeaf: 1.5 })).toThrow(RangeError);
    expect(() => new DecisionTreeRegressor({ depth: 3 } as never)).toThrow(/unknown option "depth"/);
    expect(() => new DecisionStumpClassifier({ maxDepth: 2 } as never)).toThrow(TypeError);
    const tree = new DecisionTreeRegressor();
    expect(() => tree.predict([[1]])).toThrow(/not fitted/);
    expect(() => tree.fit([], [])).toThrow(/X must not be empty/);
    expect(() => tree.fit([[1], [2]], [1])).toThrow(/y has length 1 but X has 2 rows/);
    expect(() => tree.fit([[1], [2, 3]], [1, 2])).toThrow(/X\[1\] has 2 features, expected 1/);
    expect(() => tree.fit([[1], [NaN]], [1, 2])).toThrow(/X\[1\]\[0\] must be a finite number, got NaN/);
    expect(() => tree.fit([[1], [2]], [1, NaN])).toThrow(/y\[1\] must be a finite number, got NaN/);
    expect(() => tree.fit([[1], [2]], [1, 2], [1])).toThrow(/sampleWeight has length 1 but X has 2 rows/);
    expect(() => tree.fit([[1], [2]], [1, 2], [1, -1])).toThrow(/sampleWeight\[1\] must be a finite number >= 0, got -1/);
    expect(() => tree.fit([[1], [2]], [1, 2], [0, 0])).toThrow(/positive sum/);
    tree.fit([[1], [2]], [1, 2]);
    expect(() => tree.predict([[1, 2]])).toThrow(/X\[0\] has 2 features, expected 1/);
    expect(() => new DecisionTreeClassifier().fit([[1], [2]], [1, 'a'] as never)).toThrow(/mixes numbers and strings/);
    expect(() => new DecisionTreeClassifier().fit([[1], [2]], [1, NaN])).toThrow(RangeError);
  });
});

describe('tree options: maxFeatures, maxLeafNodes, minImpurityDecrease, classWeight, importances', () => {
  // 80 rows, 6 features; y depends on features 0 and 3 only.
  const X = Array.from({ length: 80 }, (_, i) => Array.from({ length: 6 }, (_, f) => Math.sin(i * (f + 1) * 1.37 + f) * (f + 1)));
  const y = X.map((row) => row[0] * 2 - row[3] + (row[0] > 0 ? 1 : 0));
  const labels = y.map((v) => (v > 0.5 ? 'high' : v > -1 ? 'mid' : 'low'));

  it('maxFeatures draws from the seed: the same seed gives the same tree, the features come from every draw', () => {
    const a = new DecisionTreeRegressor({ maxFeatures: 'sqrt', seed: 7 }).fit(X, y);
    const b = new DecisionTreeRegressor({ maxFeatures: 'sqrt', seed: 7 }).fit(X, y);
    expect(Array.from(a.tree.feature)).toEqual(Array.from(b.tree.feature));
    const used = new Set<number>();
    for (let seed = 0; seed < 10; seed++) {
      for (const f of new DecisionTreeRegressor({ maxFeatures: 2, seed }).fit(X, y).tree.feature) if (f >= 0) used.add(f);
    }
    expect(used.size).toBeGreaterThan(3);
    // maxFeatures = all (1 as a fraction) draws nothing and equals the default.
    expect(Array.from(new DecisionTreeRegressor({ maxFeatures: 1, seed: 3 }).fit(X, y).tree.threshold)).toEqual(
      Array.from(new DecisionTreeRegressor().fit(X, y).tree.threshold),
    );
  });

  it('maxLeafNodes caps the leaves; minImpurityDecrease prunes weak splits', () => {
    const tree = new DecisionTreeClassifier({ maxLeafNodes: 5 }).fit(X, labels);
    expect(tree.tree.left.filter((l) => l < 0)).toHaveLength(5);
    const full = new DecisionTreeRegressor().fit(X, y).tree.feature.length;
    const pruned = new DecisionTreeRegressor({ minImpurityDecrease: 0.05 }).fit(X, y).tree.feature.length;
    expect(pruned).toBeLessThan(full);
  });

  it('importances sum to 1 and favour the features y depends on; a single leaf has none', () => {
    const importances = new DecisionTreeRegressor({ maxDepth: 4 }).fit(X, y).featureImportances;
    expect(importances.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    expect(importances[0] + importances[3]).toBeGreaterThan(0.8);
    expect(Array.from(new DecisionTreeRegressor().fit([[1], [2]], [5, 5]).featureImportances)).toEqual([0]);
  });

  it('classWeight as a Map, an object or balanced; the arguments are not modified', () => {
    const weights = X.map(() => 1);
    const copy = JSON.stringify([X, labels, weights]);
    const byMap = new DecisionTreeClassifier({ classWeight: new Map([['low', 5]]), maxDepth: 2 }).fit(X, labels, weights);
    const byObject = new DecisionTreeClassifier({ classWeight: { low: 5 }, maxDepth: 2 }).fit(X, labels, weights);
    expect(byMap.predictProba(X)).toEqual(byObject.predictProba(X));
    new DecisionTreeClassifier({ classWeight: 'balanced', maxFeatures: 'log2', seed: 1 }).fit(X, labels, weights);
    expect(JSON.stringify([X, labels, weights])).toBe(copy);
  });

  it('bad options: RangeError/TypeError naming the argument and the value', () => {
    expect(() => new DecisionTreeRegressor({ maxFeatures: 0 })).toThrow(/maxFeatures must be .* got 0/);
    expect(() => new DecisionTreeRegressor({ maxFeatures: 2.5 })).toThrow(RangeError);
    expect(() => new DecisionTreeRegressor({ maxFeatures: 'half' as never })).toThrow(TypeError);
    expect(() => new DecisionTreeRegressor({ maxFeatures: 7 }).fit(X, y)).toThrow(/maxFeatures must be at most the number of features 6, got 7/);
    expect(() => new DecisionTreeRegressor({ maxLeafNodes: 1 })).toThrow(/maxLeafNodes must be an integer >= 2 or Infinity, got 1/);
    expect(() => new DecisionTreeRegressor({ minImpurityDecrease: -1 })).toThrow(/minImpurityDecrease must be a finite number >= 0, got -1/);
    expect(() => new DecisionTreeRegressor({ seed: -1 })).toThrow(/seed/);
    expect(() => new DecisionTreeClassifier({ criterion: 'mse' as never })).toThrow(/criterion must be 'gini', 'entropy' or 'log_loss', got "mse"/);
    expect(() => new DecisionTreeClassifier({ classWeight: { low: -1 } })).toThrow(/classWeight\["low"\] must be a finite number >= 0, got -1/);
    expect(() => new DecisionTreeClassifier({ classWeight: { nope: 2 } }).fit(X, labels)).toThrow(/classWeight\[0\] is "nope", which is not one of the classes/);
  });
});
