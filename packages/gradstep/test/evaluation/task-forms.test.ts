// The task-module and recipe forms of crossValidate, learningCurve, validationCurve, gridSearch and
// biasVariance on the calling thread (workers: 1, the default): the bits of their callback forms, the
// job order they name in errors, and what they refuse. test/parallel/ runs the same forms on workers
// against the built package; these run in-process, so mutation testing reaches the code that builds
// the jobs and reads their outcomes (evaluation/task-jobs.ts and each function's task branch).
import { describe, expect, it } from 'vitest';
import {
  biasVariance,
  crossValidate,
  getScorer,
  gridSearch,
  init,
  kFold,
  learningCurve,
  Random,
  trainRecipe,
  validationCurve,
  type Recipe,
} from 'gradstep';
// @ts-expect-error: a plain .mjs task module without types
import * as ridge from '../parallel/fixtures/ridge-task.mjs';
// @ts-expect-error: a plain .mjs task module without types
import * as probe from './fixtures/probe-task.mjs';
import { expectTimesWithinCall } from '../timing.js';

await init();

const RIDGE = new URL('../parallel/fixtures/ridge-task.mjs', import.meta.url);
const RIDGE_MULTI = new URL('../parallel/fixtures/ridge-multi-task.mjs', import.meta.url);
const PROBE = new URL('./fixtures/probe-task.mjs', import.meta.url);

const n = 48;
const p = 3;
const random = new Random(8);
const X = Float64Array.from({ length: n * p }, () => random.nextFloat() * 4 - 2);
const y = Float64Array.from({ length: n }, (_, r) => 2 * X[r * p] - X[r * p + 2] + 1 + (random.nextFloat() - 0.5));
const data = { X, y, p };
const folds = kFold(n, { k: 4, shuffle: true, seed: 2 });

const bits = (values: ArrayLike<number>) => Array.from(new BigUint64Array(Float64Array.from(values).buffer), (b) => b.toString(16));
const ridgeFit = (alpha: number) => (rows: Uint32Array) => ridge.fit({ alpha }, rows, data);
const ridgeScore = (model: unknown, rows: Uint32Array) => ridge.score(model, rows, data) as number;

describe('crossValidate with a task module on the calling thread', () => {
  it('gives the callback form\'s scores, train scores and gaps, bit for bit', async () => {
    const callbacks = await crossValidate({ folds, fit: ridgeFit(0.5), score: ridgeScore, returnTrainScore: true });
    const task = await crossValidate({ folds, task: RIDGE, data, params: { alpha: 0.5 }, returnTrainScore: true });
    for (const key of ['testScores', 'trainScores', 'generalizationGaps'] as const) expect(bits(task[key]!)).toEqual(bits(callbacks[key]!));
    expect(bits([task.meanTestScore, task.stdTestScore, task.meanTrainScore!, task.meanGeneralizationGap!])).toEqual(
      bits([callbacks.meanTestScore, callbacks.stdTestScore, callbacks.meanTrainScore!, callbacks.meanGeneralizationGap!]),
    );
    expect(task.models).toEqual([undefined, undefined, undefined, undefined]);
    for (const times of [task.fitTimes, task.scoreTimes]) {
      expect(times).toHaveLength(4);
      for (const t of times) expect(t).toBeGreaterThanOrEqual(0);
    }
    // Penalty changes the fits: params reach every job.
    const unpenalized = await crossValidate({ folds, task: RIDGE, data, params: { alpha: 0 } });
    expect(bits(unpenalized.testScores)).toEqual(bits((await crossValidate({ folds, fit: ridgeFit(0), score: ridgeScore })).testScores));
    expect(bits(unpenalized.testScores)).not.toEqual(bits(task.testScores));
  });

  it('leaves the train scores out unless asked', async () => {
    const result = await crossValidate({ folds, task: RIDGE, data, params: { alpha: 1 } });
    expect(Object.keys(result).sort()).toEqual(['fitTimes', 'meanTestScore', 'models', 'scoreTimes', 'stdTestScore', 'testScores']);
  });

  it('names the fold whose fit or score threw, keeping the error as the cause', async () => {
    const fitError = await crossValidate({ folds, task: RIDGE, data, params: { alpha: 1, fail: true }, workers: 1 }).catch((error: Error) => error);
    expect((fitError as Error).message).toBe('crossValidate: fit threw on fold 0: alpha 1 is not allowed');
    expect(((fitError as Error).cause as Error).message).toBe('alpha 1 is not allowed');
    const scoreError = await crossValidate({ folds, task: RIDGE, data, params: { alpha: 1, failScore: true } }).catch((error: Error) => error);
    expect((scoreError as Error).message).toBe('crossValidate: score threw on the test rows of fold 0: score refused');
    expect(((scoreError as Error).cause as Error).message).toBe('score refused');
    await expect(crossValidate({ folds, task: PROBE, data: { scoreAs: '1' } })).rejects.toThrow(/^crossValidate: score must return a number, got "1" for the test rows of fold 0$/);
  });

  it('refuses mixed forms and bad params, naming them', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ task: RIDGE, data, params: [1] }, /^crossValidate: params must be an object of hyperparameters for the task's fit, got an array/],
      [{ task: RIDGE, data, params: 'alpha' }, /^crossValidate: params must be an object of hyperparameters for the task's fit, got "alpha"$/],
      [{ task: RIDGE, data, fit: ridgeFit(1) }, /^crossValidate: give either task \(a module that exports fit and score\) or recipe, or the fit and score callbacks, not both$/],
      [{ task: RIDGE, data, score: ridgeScore }, /^crossValidate: give either task .* not both$/],
      [{ task: RIDGE, recipe: { model: { type: 'LinearRegression', features: p } }, data }, /^crossValidate: give either task \(a module\) or recipe, not both$/],
      [{ task: RIDGE_MULTI, data }, /^crossValidate: the task module .*ridge-multi-task\.mjs must export score as one function \(crossValidate has one score\)$/],
      [{ task: RIDGE, data, returnTrainScore: 1 }, /^crossValidate: returnTrainScore must be true or false, got 1$/],
      [{ fit: ridgeFit(1), score: ridgeScore, data }, /^crossValidate: data is for a task module: it needs task$/],
      [{ fit: ridgeFit(1), score: ridgeScore, params: {} }, /^crossValidate: params is for a task module: it needs task$/],
      [{ fit: ridgeFit(1), score: 'mse' }, /^crossValidate: score must be a function, got "mse"$/],
      [{ fit: ridgeFit(1), score: ridgeScore, returnTrainScore: 'yes' }, /^crossValidate: returnTrainScore must be true or false, got "yes"$/],
    ];
    for (const [options, message] of cases) await expect(crossValidate({ folds, ...options } as never)).rejects.toThrow(message);
  });

  it('scores a recipe: its scoring names one scorer', async () => {
    const recipe: Recipe = { model: { type: 'LinearRegression', features: p }, optimizer: { type: 'SGD', lr: 0.05 }, epochs: 2, scoring: 'negMeanSquaredError' };
    const X32 = Float32Array.from(X);
    const y32 = Float32Array.from(y);
    const result = await crossValidate({ folds, recipe, data: { X: X32, y: y32 } });
    const byHand = await crossValidate({
      folds,
      fit: (rows) => trainRecipe(recipe, { X: X32, y: y32 }, rows),
      score: (model, rows) => {
        const predicted = model.predict(X32, rows);
        let sum = 0;
        rows.forEach((r, i) => (sum += (predicted[i] - y32[r]) ** 2));
        return -sum / rows.length;
      },
    });
    expect(bits(result.testScores)).toEqual(bits(byHand.testScores));
    const oneOfList = await crossValidate({ folds, recipe: { ...recipe, scoring: ['negMeanSquaredError'] }, data: { X: X32, y: y32 } });
    expect(bits(oneOfList.testScores)).toEqual(bits(byHand.testScores));
    await expect(crossValidate({ folds, recipe: { ...recipe, scoring: ['negMeanSquaredError', 'r2'] }, data: { X: X32, y: y32 } })).rejects.toThrow(
      /^crossValidate: recipe\.scoring must name one scorer \(crossValidate has one score\), got 2: negMeanSquaredError, r2$/,
    );
  });
});

describe('the times and train scoring of the task and callback forms', () => {
  const slow = { fitMs: 3, scoreMs: 2 };

  it('crossValidate times each fit and each test scoring', async () => {
    const timesOf = (r: { fitTimes: Float64Array; scoreTimes: Float64Array }) => [
      { values: r.fitTimes, least: slow.fitMs },
      { values: r.scoreTimes, least: slow.scoreMs },
    ];
    await expectTimesWithinCall(() => crossValidate({ folds, task: PROBE, data: slow }), timesOf);
    await expectTimesWithinCall(() => crossValidate({ folds, fit: (rows) => probe.fit({}, rows, slow), score: (model, rows) => probe.score(model, rows, slow) as number }), timesOf);
  });

  it('learningCurve times each fit', async () => {
    const timesOf = (r: { fitTimes: Float64Array[] }) => r.fitTimes.map((values) => ({ values, least: slow.fitMs }));
    await expectTimesWithinCall(() => learningCurve({ folds, trainSizes: [12, 36], task: PROBE, data: slow }), timesOf);
    await expectTimesWithinCall(() => learningCurve({ folds, trainSizes: [12, 36], fit: (rows) => probe.fit({}, rows, slow), score: (model, rows) => probe.score(model, rows, {}) as number }), timesOf);
  });

  it('crossValidate scores the train rows only when asked, naming them when that throws', async () => {
    const refusing = { refuseTrainRows: true };
    const callbacks = { fit: (rows: Uint32Array) => probe.fit({}, rows, refusing), score: (model: unknown, rows: Uint32Array) => probe.score(model, rows, refusing) as number };
    for (const result of [await crossValidate({ folds, task: PROBE, data: refusing }), await crossValidate({ folds, ...callbacks })]) {
      expect(Array.from(result.testScores)).toEqual([12, 12, 12, 12]);
    }
    await expect(crossValidate({ folds, task: PROBE, data: refusing, returnTrainScore: true })).rejects.toThrow(
      /^crossValidate: score threw on the train rows of fold 0: scored the train rows$/,
    );
    await expect(crossValidate({ folds, ...callbacks, returnTrainScore: true })).rejects.toThrow(/^scored the train rows$/);
    // A job past the first names its own fold and size or value: job j is (fold ⌊j / count⌋, entry j mod count).
    await expect(learningCurve({ folds, trainSizes: [12, 36], task: PROBE, data: { refuseRows: 36 } })).rejects.toThrow(
      /^learningCurve: fit threw on fold 0, size 36: refused 36 rows$/,
    );
    await expect(validationCurve({ folds, paramName: 'value', paramRange: [1, 2, 3], task: PROBE, data: { refuseValue: 3 } })).rejects.toThrow(
      /^validationCurve: fit threw on fold 0, paramRange\[2\]: refused 36 rows$/,
    );
    const both = await crossValidate({ folds, task: PROBE, data: {}, returnTrainScore: true });
    expect([Array.from(both.trainScores!), Array.from(both.testScores)]).toEqual([[36, 36, 36, 36], [12, 12, 12, 12]]);
  });
});

describe('learningCurve with a task module on the calling thread', () => {
  it('gives the callback form\'s curve, size by size, bit for bit', async () => {
    for (const trainSizes of [[0.25, 0.5, 1], undefined]) {
      const callbacks = await learningCurve({ folds, trainSizes, fit: (rows) => ridgeFit(2)(rows), score: ridgeScore });
      const task = await learningCurve({ folds, trainSizes, task: RIDGE, data, params: { alpha: 2 } });
      expect(Array.from(task.trainSizes)).toEqual(Array.from(callbacks.trainSizes));
      for (const key of ['trainScores', 'testScores'] as const) expect(task[key].map(bits)).toEqual(callbacks[key].map(bits));
      for (const key of ['meanTrainScores', 'stdTrainScores', 'meanTestScores', 'stdTestScores'] as const) expect(bits(task[key])).toEqual(bits(callbacks[key]));
      expect(task.fitTimes).toHaveLength(task.trainSizes.length);
      for (const row of task.fitTimes) {
        expect(row).toHaveLength(4);
        for (const t of row) expect(t).toBeGreaterThanOrEqual(0);
      }
    }
    // scikit-learn's default sizes, linspace(0.1, 1, 5) of the 36 train rows.
    const defaults = await learningCurve({ folds, task: RIDGE, data, params: { alpha: 2 } });
    expect(Array.from(defaults.trainSizes)).toEqual([3, 11, 19, 27, 36]);
  });

  it('names the fold and size whose fit or score threw', async () => {
    await expect(learningCurve({ folds, trainSizes: [10, 20], task: RIDGE, data, params: { alpha: 3, fail: true } })).rejects.toThrow(
      /^learningCurve: fit threw on fold 0, size 10: alpha 3 is not allowed$/,
    );
    await expect(learningCurve({ folds, trainSizes: [10, 20], task: RIDGE, data, params: { alpha: 3, failScore: true } })).rejects.toThrow(
      /^learningCurve: score threw on the test rows of fold 0, size 10: score refused$/,
    );
    await expect(learningCurve({ folds, trainSizes: [10, 37], task: RIDGE, data })).rejects.toThrow(
      /^learningCurve: trainSizes are absolute numbers of training samples and must be integers within \[1, 36\], got 37 at index 1$/,
    );
    await expect(learningCurve({ folds, fit: ridgeFit(1), score: ridgeScore, params: {} } as never)).rejects.toThrow(/^learningCurve: params is for a task module: it needs task$/);
    await expect(learningCurve({ folds, fit: ridgeFit(1), score: ridgeScore, data } as never)).rejects.toThrow(/^learningCurve: data is for a task module: it needs task$/);
    await expect(learningCurve({ folds, fit: 1, score: ridgeScore } as never)).rejects.toThrow(/^learningCurve: fit must be a function, got 1$/);
    await expect(learningCurve({ folds, fit: ridgeFit(1), score: [] } as never)).rejects.toThrow(/^learningCurve: score must be a function, got an array/);
  });
});

describe('validationCurve with a task module on the calling thread', () => {
  const paramRange = [0, 1, 10];
  it('gives the callback form\'s curve, value by value, bit for bit', async () => {
    const callbacks = await validationCurve({ folds, paramRange, fit: (rows, alpha) => ridgeFit(alpha)(rows), score: ridgeScore });
    const task = await validationCurve({ folds, paramName: 'alpha', paramRange, task: RIDGE, data });
    for (const key of ['trainScores', 'testScores'] as const) expect(task[key].map(bits)).toEqual(callbacks[key].map(bits));
    for (const key of ['meanTrainScores', 'stdTrainScores', 'meanTestScores', 'stdTestScores'] as const) expect(bits(task[key])).toEqual(bits(callbacks[key]));
    // The value given by paramName wins over params' own.
    const overridden = await validationCurve({ folds, paramName: 'alpha', paramRange, params: { alpha: 99 }, task: RIDGE, data });
    expect(overridden.testScores.map(bits)).toEqual(callbacks.testScores.map(bits));
  });

  it('names the fold and value whose fit threw, and refuses a missing paramName', async () => {
    await expect(validationCurve({ folds, paramName: 'alpha', paramRange, params: { fail: true }, task: RIDGE, data })).rejects.toThrow(
      /^validationCurve: fit threw on fold 0, paramRange\[0\]: alpha 0 is not allowed$/,
    );
    await expect(validationCurve({ folds, paramName: '', paramRange, task: RIDGE, data })).rejects.toThrow(
      /^validationCurve: paramName must name the hyperparameter that paramRange varies, got ""$/,
    );
    await expect(validationCurve({ folds, paramRange, task: RIDGE, data } as never)).rejects.toThrow(
      /^validationCurve: paramName must name the hyperparameter that paramRange varies, got undefined$/,
    );
  });
});

describe('learningCurve and validationCurve of a recipe on the calling thread', () => {
  const X32 = Float32Array.from(X);
  const y32 = Float32Array.from(y);
  const recipeData = { X: X32, y: y32 };
  const recipe: Recipe = { model: { type: 'LinearRegression', features: p }, optimizer: { type: 'SGD', lr: 0.05 }, epochs: 2, scoring: 'r2' };
  /** The recipe's scoring as its documentation states it: the scorer on the rows' targets and the model's predictions. */
  const r2 = (model: { predict(X: Float32Array, rows: Uint32Array): Float32Array }, rows: Uint32Array) =>
    getScorer('r2').score(Float32Array.from(rows, (r) => y32[r]) as never, model.predict(X32, rows) as never);

  it('learningCurve: the curve of the recipe trained by hand', async () => {
    const task = await learningCurve({ folds, trainSizes: [0.5, 1], recipe, data: recipeData, workers: 1 });
    const hand = await learningCurve({ folds, trainSizes: [0.5, 1], fit: (rows) => trainRecipe(recipe, recipeData, rows), score: r2 });
    for (const key of ['trainScores', 'testScores'] as const) {
      expect(task[key].map((row) => Array.from(row))).toEqual(hand[key].map((row) => Array.from(row)));
    }
  });

  it('validationCurve: the curve of the recipe trained by hand, value by value', async () => {
    const task = await validationCurve({ folds, paramName: 'optimizer.lr', paramRange: [0.01, 0.1], recipe, data: recipeData, workers: 1 });
    const hand = await validationCurve({
      folds,
      paramRange: [0.01, 0.1],
      fit: (rows, lr) => trainRecipe({ ...recipe, optimizer: { type: 'SGD', lr } }, recipeData, rows),
      score: r2,
    });
    for (const key of ['trainScores', 'testScores'] as const) expect(task[key].map((row) => Array.from(row))).toEqual(hand[key].map((row) => Array.from(row)));
  });
});

describe('gridSearch with a task module on the calling thread', () => {
  it('gives the callback search\'s split scores and ranks, bit for bit, with several scorers', async () => {
    const grid = { alpha: [0, 3, 30] };
    const callbacks = await gridSearch({ folds, params: grid, fit: (candidate: { alpha: number }, rows: Uint32Array) => ridgeFit(candidate.alpha)(rows), score: ridgeScore });
    const task = await gridSearch({ folds, params: grid, task: RIDGE, data });
    expect(task.results.splitTestScores.score.map(bits)).toEqual(callbacks.results.splitTestScores.score.map(bits));
    expect(Array.from(task.results.rankTestScore.score)).toEqual(Array.from(callbacks.results.rankTestScore.score));
    expect(task.bestIndex).toBe(callbacks.bestIndex);
    // The refit runs the task's fit on the calling thread, on every row of the folds.
    expect(task.bestModel).toEqual(ridge.fit(callbacks.bestParams, task.refitRows, data));
    expect(Array.from(task.refitRows!)).toEqual(Array.from({ length: n }, (_, i) => i));
    const multi = await gridSearch({ folds, params: grid, task: RIDGE_MULTI, data, refit: 'negMae' });
    expect(Object.keys(multi.results.splitTestScores)).toEqual(['negMse', 'negMae']);
    expect(multi.results.splitTestScores.negMse.map(bits)).toEqual(callbacks.results.splitTestScores.score.map(bits));
    await expect(gridSearch({ folds, params: grid, fit: () => 0, score: () => 0, data } as never)).rejects.toThrow(
      /^gridSearch: data is the task module's data: it needs task$/,
    );
  });
});

describe('biasVariance of a recipe on the calling thread', () => {
  const features = 4;
  const classes = Float64Array.from({ length: 60 }, (_, i) => i % 3);
  const rowsRandom = new Random(5);
  const Xc = Float32Array.from({ length: 60 * features }, (_, k) => classes[Math.floor(k / features)] * ((k % features) - 1.5) + rowsRandom.nextFloat() * 2 - 1);
  const classData = { X: Xc, y: classes };
  const trainRows = Uint32Array.from({ length: 40 }, (_, i) => i);
  const testRows = Uint32Array.from({ length: 20 }, (_, i) => 40 + i);
  const softmax: Recipe = { model: { type: 'SoftmaxRegression', features, classes: 3 }, optimizer: { type: 'SGD', lr: 0.2 }, epochs: 2, batchSize: 8 };

  /** The callback form over row indices, training the same recipe on the drawn rows: what the recipe form means. */
  const byHand = (recipe: Recipe, given: { X: Float32Array; y: ArrayLike<number> }, loss: '0-1' | 'mse', rounds: number, seed: number) =>
    biasVariance({
      XTrain: Array.from(trainRows),
      yTrain: Array.from(trainRows, (r) => given.y[r]),
      XTest: Array.from(testRows),
      yTest: Array.from(testRows, (r) => given.y[r]),
      loss,
      rounds,
      seed,
      fit: (rows) => trainRecipe(recipe, given, Uint32Array.from(rows)),
      predict: (model, rows) => Array.from(model.predict(given.X, Uint32Array.from(rows))),
    });

  it('has the callback form\'s draws and 0-1 decomposition', async () => {
    const result = await biasVariance({ recipe: softmax, data: classData, trainRows, testRows, rounds: 5, seed: 12 });
    const hand = byHand(softmax, classData, '0-1', 5, 12);
    expect(bits([result.expectedLoss, result.bias, result.variance])).toEqual(bits([hand.expectedLoss, hand.bias, hand.variance]));
    expect(result.predictions).toEqual(hand.predictions);
    expect(result.mainPredictions).toEqual(hand.mainPredictions);
    expect(hand.variance).toBeGreaterThan(0);
  });

  it('decomposes a regressor recipe\'s squared error as the callback form does', async () => {
    const yValue = Float32Array.from({ length: 60 }, (_, i) => Xc[i * features] - Xc[i * features + 3]);
    const linear: Recipe = { model: { type: 'LinearRegression', features }, optimizer: { type: 'SGD', lr: 0.05 }, epochs: 3 };
    const result = await biasVariance({ recipe: linear, data: { X: Xc, y: yValue }, trainRows, testRows, loss: 'mse', rounds: 4, seed: 3 });
    const hand = byHand(linear, { X: Xc, y: yValue }, 'mse', 4, 3);
    expect(bits([result.expectedLoss, result.bias, result.variance])).toEqual(bits([hand.expectedLoss, hand.bias, hand.variance]));
    expect(result.predictions.map((row) => bits(row as Float64Array))).toEqual(hand.predictions.map((row) => bits(row as Float64Array)));
    for (const row of [...result.predictions, result.mainPredictions]) expect(row).toBeInstanceOf(Float64Array);
    expect(result.bias).toBeGreaterThan(0);
  });

  it('names the round whose fit threw', async () => {
    const broken: Recipe = { ...softmax, model: { type: 'SoftmaxRegression', features, classes: 1 } };
    const error = (await biasVariance({ recipe: broken, data: classData, trainRows, testRows, rounds: 2 }).catch((e: Error) => e)) as Error;
    expect(error.message).toMatch(/^biasVariance: the fit of round 0 threw: SoftmaxRegression: classes/);
    expect(error.message).toContain((error.cause as Error).message);
  });

  it('breaks ties as the callback form does (an even number of rounds), takes workers: 1, refuses a bad seed or a NaN label', async () => {
    const result = await biasVariance({ recipe: softmax, data: classData, trainRows, testRows, rounds: 4, seed: 2, workers: 1 });
    const hand = byHand(softmax, classData, '0-1', 4, 2);
    expect(result.mainPredictions).toEqual(hand.mainPredictions);
    expect(bits([result.bias, result.variance])).toEqual(bits([hand.bias, hand.variance]));
    await expect(biasVariance({ recipe: softmax, data: classData, trainRows, testRows, seed: 1.5 })).rejects.toThrow(/^biasVariance: seed must be an integer/);
    const nanLabel = { X: Xc, y: Float64Array.from(classes, (v, i) => (i === 41 ? Number.NaN : v)) };
    await expect(biasVariance({ recipe: softmax, data: nanLabel, trainRows, testRows, rounds: 1 })).rejects.toThrow(
      /^biasVariance: data\.y \(test rows\)\[1\] must be a finite number, got NaN$/,
    );
  });

  it('runs 200 rounds unless told', async () => {
    const tiny: Recipe = { ...softmax, epochs: 1 };
    const result = await biasVariance({ recipe: tiny, data: classData, trainRows, testRows, seed: 1 });
    expect(result.predictions).toHaveLength(200);
  });

  it('refuses bad rows, loss, rounds and targets, naming them', async () => {
    const base = { recipe: softmax, data: classData, trainRows, testRows, rounds: 2 };
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ trainRows: [0, 1] }, /^biasVariance: trainRows must be a Uint32Array of row indices, got an array/],
      [{ testRows: new Uint32Array(0) }, /^biasVariance: testRows must not be empty$/],
      [{ testRows: Uint32Array.of(5, 59, 60) }, /^biasVariance: testRows\[2\] is row 60, but data has 60 rows$/],
      [{ trainRows: Uint32Array.of(61) }, /^biasVariance: trainRows\[0\] is row 61, but data has 60 rows$/],
      [{ loss: 'l1' }, /^biasVariance: loss must be 'mse' or '0-1', got "l1"$/],
      [{ rounds: 0 }, /^biasVariance: rounds must be an integer >= 1, got 0$/],
      [{ loss: 'mse', data: { X: Xc, y: Float64Array.from(classes, (v, i) => (i === 45 ? Number.NaN : v)) } }, /^biasVariance: data\.y \(test rows\)\[5\] /],
    ];
    for (const [options, message] of cases) await expect(biasVariance({ ...base, ...options } as never)).rejects.toThrow(message);
  });
});
