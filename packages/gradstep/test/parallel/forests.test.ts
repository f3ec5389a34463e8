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
    const zeroWeights = Array.from({ length: n }, (_, i) => (i === 0 ? 1 : 0));
    await expect(new RandomForestRegressor({ nEstimators: 4, maxSamples: 2, seed: 1 }).fitAsync(X, values, zeroWeights, { workers: 2 })).rejects.toThrow(
      /^RandomForestRegressor\.fitAsync: the fit of tree \d threw: RandomForestRegressor\.fitAsync: the rows drawn for tree \d all have weight 0/,
    );
    await expect(new RandomForestClassifier({ nEstimators: 2 }).fitAsync(X, labels, undefined, { threads: 2 } as never)).rejects.toThrow(/unknown option "threads"/);
  });
});
