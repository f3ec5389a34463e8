// Random forests grown on the worker pool (fitAsync): the same trees, bit for bit, as fit in the
// calling thread, on 1 and 2 workers and a kept pool, for both forests and with out-of-bag scores;
// errors in a tree name it; no worker outlives a call.
import { afterEach, describe, expect, it } from 'vitest';
import { createWorkerPool, liveWorkerCount, Random, RandomForestClassifier, RandomForestRegressor } from 'gradstep';

afterEach(() => expect(liveWorkerCount()).toBe(0));

const random = new Random(17);
const n = 120;
const X = Array.from({ length: n }, () => [random.nextFloat() * 4 - 2, random.nextFloat() * 4 - 2, random.nextFloat(), random.nextFloat()]);
const labels = X.map(([a, b, c]) => (a + b * b > 1 ? 2 : c > 0.5 ? 1 : 0));
const values = X.map(([a, b, c, d]) => a * b + c - d);

const treeBits = (trees: readonly { threshold: Float64Array; value: Float64Array; feature: Int32Array }[]) =>
  trees.map((t) => [Array.from(t.feature), Array.from(new BigUint64Array(Float64Array.from(t.threshold).buffer), String), Array.from(new BigUint64Array(Float64Array.from(t.value).buffer), String)]);

describe('random forests on the worker pool', () => {
  it('grow the trees fit grows, on 1 and 2 workers and a kept pool', async () => {
    const options = { nEstimators: 12, maxDepth: 5, oobScore: true, seed: 3 };
    const here = new RandomForestClassifier(options).fit(X, labels);
    const regressorHere = new RandomForestRegressor({ ...options, maxFeatures: 2 }).fit(X, values);
    const pool = createWorkerPool(2);
    try {
      for (const workers of [1, 2, pool]) {
        const forest = await new RandomForestClassifier(options).fitAsync(X, labels, undefined, { workers });
        expect(treeBits(forest.trees)).toEqual(treeBits(here.trees));
        expect(forest.oobScore).toBe(here.oobScore);
        expect(forest.predictProba(X.slice(0, 5))).toEqual(here.predictProba(X.slice(0, 5)));
        const regressor = await new RandomForestRegressor({ ...options, maxFeatures: 2 }).fitAsync(X, values, undefined, { workers });
        expect(treeBits(regressor.trees)).toEqual(treeBits(regressorHere.trees));
        expect(Array.from(regressor.featureImportances)).toEqual(Array.from(regressorHere.featureImportances));
      }
    } finally {
      await pool.close();
    }
    // Trees that differ from one another: the bootstraps and feature draws were used.
    expect(new Set(here.trees.map((t) => t.feature.join(','))).size).toBeGreaterThan(1);
    expect(here.oobScore).toBeGreaterThan(0.6);
  });

  it('reject a tree that cannot grow naming it, and refuse unknown options', async () => {
    const nothing = { 0: 0, 1: 0, 2: 0 };
    await expect(new RandomForestClassifier({ nEstimators: 3, bootstrap: false, classWeight: nothing, seed: 1 }).fitAsync(X, labels, undefined, { workers: 2 })).rejects.toThrow(
      /^RandomForestClassifier\.fitAsync: the fit of tree \d threw: RandomForestClassifier\.fitAsync: every row of tree \d has weight 0/,
    );
    await expect(new RandomForestClassifier({ nEstimators: 2 }).fitAsync(X, labels, undefined, { threads: 2 } as never)).rejects.toThrow(/unknown option "threads"/);
  });
});

describe('the bootstrap with weights, as scikit-learn 1.9', () => {
  it('draws rows in proportion to the sample weights and gives each tree its draw counts only', () => {
    // Weight 10 on row 0, 0 on rows 1 to 9: row 0 is drawn about 10/(10 + 110) of the time, rows 1-9 never.
    const weights = Array.from({ length: n }, (_, i) => (i === 0 ? 10 : i < 10 ? 0 : 1));
    const forest = new RandomForestRegressor({ nEstimators: 20, seed: 4, maxDepth: 1 }).fit(X, values, weights);
    for (const tree of forest.trees) expect(tree.weightedSamples[0]).toBe(n); // the root: n draws, counted once each
    const oob = new RandomForestRegressor({ nEstimators: 20, seed: 4, oobScore: true }).fit(X, values, weights);
    // Rows of weight 0 are never drawn: out of bag for every tree.
    for (let i = 1; i < 10; i++) expect(Number.isNaN(oob.oobPrediction![i])).toBe(false);
    const drawsOfRow0 = forest.trees.reduce((sum, tree) => sum + (tree.samples[0] > 0 ? 1 : 0), 0);
    expect(drawsOfRow0).toBe(20);
  });

  it('a fractional maxSamples is ⌊f · (sum of the weights)⌋ rows', () => {
    const unweighted = new RandomForestRegressor({ nEstimators: 3, maxSamples: 0.59, seed: 1, maxDepth: 1 }).fit(X.slice(0, 10), values.slice(0, 10));
    expect(unweighted.trees.map((t) => t.weightedSamples[0])).toEqual([5, 5, 5]);
    const weighted = new RandomForestRegressor({ nEstimators: 3, maxSamples: 0.5, seed: 1, maxDepth: 1 }).fit(X.slice(0, 10), values.slice(0, 10), Array(10).fill(3));
    expect(weighted.trees.map((t) => t.weightedSamples[0])).toEqual([15, 15, 15]);
  });
});
