// learningCurve and validationCurve with a task module: the same bits as their callback forms, with 1
// and 2 workers and with a kept pool; a throwing fit names its (fold, size) or (fold, value); no worker
// outlives a call. Times are left out of every comparison.
import { afterEach, describe, expect, it } from 'vitest';
import { createWorkerPool, kFold, learningCurve, liveWorkerCount, Random, validationCurve } from 'gradstep';
// @ts-expect-error: a plain .mjs task module without types
import * as ridge from './fixtures/ridge-task.mjs';

const RIDGE = new URL('./fixtures/ridge-task.mjs', import.meta.url);
afterEach(() => expect(liveWorkerCount()).toBe(0));

const n = 60;
const p = 3;
const random = new Random(21);
const X = Float64Array.from({ length: n * p }, () => random.nextFloat() * 4 - 2);
const y = Float64Array.from({ length: n }, (_, r) => 2 * X[r * p] - X[r * p + 2] + 1 + (random.nextFloat() - 0.5));
const data = { X, y, p };
const folds = kFold(n, { k: 4, shuffle: true, seed: 5 });

const bits = (rows: readonly Float64Array[] | Float64Array) =>
  (Array.isArray(rows) ? rows : [rows]).map((row: Float64Array) => Array.from(new BigUint64Array(Float64Array.from(row).buffer), (b) => b.toString(16)));
type Curve = { trainScores: Float64Array[]; testScores: Float64Array[]; meanTestScores: Float64Array; stdTrainScores: Float64Array };
const curveBits = (curve: Curve) => [curve.trainScores, curve.testScores, curve.meanTestScores, curve.stdTrainScores].map(bits);

describe('validationCurve with a task module', () => {
  const paramRange = [0, 0.5, 5, 50];
  it('gives the bits of the callback form with 1 and 2 workers and a pool', async () => {
    const callbacks = await validationCurve({
      folds,
      paramRange,
      fit: (rows, alpha) => ridge.fit({ alpha }, rows, data),
      score: (model, rows) => ridge.score(model, rows, data),
    });
    const pool = createWorkerPool(2);
    try {
      for (const workers of [1, 2, pool]) {
        const curve = await validationCurve({ folds, paramName: 'alpha', paramRange, task: RIDGE, data, workers });
        expect(curveBits(curve)).toEqual(curveBits(callbacks));
      }
    } finally {
      await pool.close();
    }
    expect(callbacks.testScores).toHaveLength(4);
    expect(callbacks.testScores[0]).toHaveLength(4);
    // More penalty, worse train fit: the curve has a shape, not only the same numbers twice.
    expect(callbacks.meanTrainScores[0]).toBeGreaterThan(callbacks.meanTrainScores[3]);
  });

  it('passes the other params to every fit and names the failing job', async () => {
    await expect(validationCurve({ folds, paramName: 'alpha', paramRange, params: { fail: true }, task: RIDGE, data, workers: 2 })).rejects.toThrow(
      /^validationCurve: fit threw on fold \d, paramRange\[\d\]: alpha (0|0\.5|5|50) is not allowed$/,
    );
    await expect(validationCurve({ folds, paramRange, task: RIDGE, data } as never)).rejects.toThrow(/paramName must name the hyperparameter/);
    await expect(
      validationCurve({ folds, paramRange, paramName: 'alpha', fit: () => 0, score: () => 0 } as never),
    ).rejects.toThrow(/paramName is for a task module: it needs task/);
    await expect(validationCurve({ folds, paramRange, fit: () => 0, score: () => 0, workers: 2 } as never)).rejects.toThrow(/needs a task module/);
  });
});

describe('learningCurve with a task module', () => {
  const trainSizes = [0.25, 0.5, 1];
  it('gives the bits of the callback form with 1 and 2 workers and a pool', async () => {
    const callbacks = await learningCurve({
      folds,
      trainSizes,
      fit: (rows) => ridge.fit({ alpha: 1 }, rows, data),
      score: (model, rows) => ridge.score(model, rows, data),
    });
    const pool = createWorkerPool(2);
    try {
      for (const workers of [1, 2, pool]) {
        const curve = await learningCurve({ folds, trainSizes, params: { alpha: 1 }, task: RIDGE, data, workers });
        expect(Array.from(curve.trainSizes)).toEqual(Array.from(callbacks.trainSizes));
        expect(curveBits(curve)).toEqual(curveBits(callbacks));
        expect(curve.fitTimes).toHaveLength(3);
      }
    } finally {
      await pool.close();
    }
    expect(Array.from(callbacks.trainSizes)).toEqual([11, 22, 45]);
  });

  it('names the failing job by fold and size', async () => {
    await expect(learningCurve({ folds, trainSizes, params: { alpha: 1, fail: true }, task: RIDGE, data, workers: 2 })).rejects.toThrow(
      /^learningCurve: fit threw on fold \d, size (11|22|45): alpha 1 is not allowed$/,
    );
  });
});
