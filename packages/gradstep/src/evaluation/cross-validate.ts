/**
 * Cross-validation with user callbacks, after scikit-learn's `cross_validate`
 * (`sklearn/model_selection/_validation.py`), plus the generalization gap.
 */
import type { Fold } from '../model-selection/folds.js';
import { checkOptionNames } from '../validate.js';
import { checkFunction } from '../ensembles/training-data.js';
import { checkFolds, checkScore } from './fold-checks.js';
import { mean, populationStd } from './score-summary.js';
import { checkCallbacksStayHere, resolveWorkers, type WorkerPool, type Workers } from '../parallel/pool.js';
import { checkNoTaskOptions, hasTask, checkReturnTrainScore, loadSingleScoreTask, runScoredJobs } from './task-jobs.js';
import type { TaskOrRecipe } from './task-jobs.js';

/** The options of {@link crossValidate} with fit and score callbacks (run in the calling thread). */
export interface CrossValidateOptions<M> {
  /** The splits, e.g. from `kFold` or `stratifiedKFold`: `{ train, test }` sample indices. */
  folds: Iterable<Fold>;
  /** Fits a fresh model on the rows `train` of fold `foldIndex`; may return a Promise. */
  fit: (train: Uint32Array, foldIndex: number) => M | PromiseLike<M>;
  /** Scores a model on the rows `indices` (higher is better, as scikit-learn's scorers); may return a Promise. */
  score: (model: M, indices: Uint32Array) => number | PromiseLike<number>;
  /** Also score each model on its own training rows, and report the generalization gap. Default false. */
  returnTrainScore?: boolean;
}

/**
 * The options of {@link crossValidate} with a task module, to run the folds on `workers` threads: the
 * module (as in gridSearch's {@link SearchTaskOptions}) exports `fit(params, trainRows, data)`,
 * `score(model, rows, data)` (one function) and optionally `setup(data)`.
 */
export type CrossValidateTaskOptions = CrossValidateTaskFields & TaskOrRecipe;

/** The fields of {@link CrossValidateTaskOptions} beside the task or recipe. */
export interface CrossValidateTaskFields {
  /** The splits, e.g. from `kFold` or `stratifiedKFold`: `{ train, test }` sample indices. */
  folds: Iterable<Fold>;
  /** Structured-cloneable data given to the task (posted to each worker once; SharedArrayBuffer-backed typed arrays are shared). */
  data?: unknown;
  /** The hyperparameters passed to the task's fit (a fresh shallow copy per fold; structured-cloneable). Default `{}`. */
  params?: Record<string, unknown>;
  /** 1 (default: in the calling thread), n threads, or 'auto' (one per core). Same bits whatever the count. */
  workers?: Workers;
  /** Also score each model on its own training rows, and report the generalization gap. Default false. */
  returnTrainScore?: boolean;
}

/** What {@link crossValidate} gives: each fold's scores and times, their summaries, and the fitted models. */
export interface CrossValidateResult<M> {
  /** Test score of each fold, in fold order. */
  readonly testScores: Float64Array;
  /** The mean of the test scores: the cross-validated estimate. */
  readonly meanTestScore: number;
  /** Population standard deviation (`np.std`, ddof 0) of the test scores. */
  readonly stdTestScore: number;
  /** Wall time of each fit in milliseconds (`performance.now()`), including awaiting it. */
  readonly fitTimes: Float64Array;
  /** Wall time of each test scoring in milliseconds (train scoring is not included, as scikit-learn). */
  readonly scoreTimes: Float64Array;
  /** The fitted model of each fold (with a task module: undefined, the models stay in the threads that fitted them). */
  readonly models: M[];
  /** With returnTrainScore: train score of each fold. */
  readonly trainScores?: Float64Array;
  /** With returnTrainScore: the mean of the train scores. */
  readonly meanTrainScore?: number;
  /** With returnTrainScore: the population std (ddof 0) of the train scores. */
  readonly stdTrainScore?: number;
  /**
   * With returnTrainScore: the generalization gap of each fold, train score minus test score
   * (positive when the model does better on the data it saw: overfitting). With a loss as the
   * score (lower is better) the sign flips.
   */
  readonly generalizationGaps?: Float64Array;
  /** The mean of `generalizationGaps` (= meanTrainScore − meanTestScore). */
  readonly meanGeneralizationGap?: number;
}

/**
 * Fits and scores one model per fold: `model = fit(fold.train, f)`, test score `score(model,
 * fold.test)`, and with `returnTrainScore` the train score `score(model, fold.train)`. Folds run
 * one after another in order (never concurrently, so callbacks may share state).
 *
 * Always returns a Promise, whether the callbacks are synchronous or not: one signature for sync and
 * async training (tfjs, workers), and `await` costs nothing next to a fit. Errors of the callbacks
 * reject it (scikit-learn's `error_score="raise"`; there is no NaN substitution).
 *
 * The callbacks get the fold's own index arrays: they must not modify them. Folds, as all inputs,
 * are not modified here.
 *
 * ```ts
 * const folds = kFold(y.length, { k: 5, shuffle: true, seed: 0 });
 * const cv = await crossValidate({
 *   folds,
 *   fit: (train) => trainModel(takeRows(X, train), takeRows(y, train)),
 *   score: (model, idx) => accuracy(model, takeRows(X, idx), takeRows(y, idx)),
 *   returnTrainScore: true,
 * });
 * cv.meanTestScore; cv.meanGeneralizationGap;
 * ```
 *
 * On several threads: `{ task, data, params, workers }` in place of fit and score (see
 * {@link CrossValidateTaskOptions}): the folds run on a pool of `workers` threads, each result placed
 * by its fold's index (the same bits with any worker count); `models` are not returned. A fit or
 * score that throws rejects with an Error naming the fold (its error as the cause), and a worker
 * that crashes rejects naming the fold it ran; every worker is terminated before the call settles.
 *
 * @throws (rejects with) TypeError/RangeError for malformed folds (a RangeError for a fold whose
 *   train and test share a row; every fold is checked before the first fit), non-function callbacks
 *   or a score that is not a number
 */
export async function crossValidate(options: CrossValidateTaskOptions): Promise<CrossValidateResult<undefined>>;
export async function crossValidate<M>(options: CrossValidateOptions<M>): Promise<CrossValidateResult<M>>;
export async function crossValidate<M>(options: CrossValidateOptions<M> | CrossValidateTaskOptions): Promise<CrossValidateResult<M>> {
  const owner = 'crossValidate';
  const given = checkOptionNames(owner, options, ['folds', 'fit', 'score', 'returnTrainScore', 'task', 'recipe', 'data', 'params', 'workers']);
  const folds = checkFolds(owner, given.folds);
  const workers = await resolveWorkers(owner, given.workers);
  if (hasTask(given)) return crossValidateTask(owner, given, folds, workers) as Promise<CrossValidateResult<M>>;
  checkCallbacksStayHere(owner, workers);
  checkNoTaskOptions(owner, given, ['data', 'params']);
  const fit = checkFunction<CrossValidateOptions<M>['fit']>(owner, 'fit', given.fit);
  const score = checkFunction<CrossValidateOptions<M>['score']>(owner, 'score', given.score);
  const returnTrainScore = checkReturnTrainScore(owner, given.returnTrainScore);

  const k = folds.length;
  const testScores = new Float64Array(k);
  const trainScores = new Float64Array(k);
  const fitTimes = new Float64Array(k);
  const scoreTimes = new Float64Array(k);
  const models: M[] = [];
  for (let f = 0; f < k; f++) {
    const { train, test } = folds[f];
    const started = performance.now();
    const model = await fit(train, f);
    const fitted = performance.now();
    testScores[f] = checkScore(owner, await score(model, test), `the test rows of fold ${f}`);
    scoreTimes[f] = performance.now() - fitted;
    fitTimes[f] = fitted - started;
    if (returnTrainScore) trainScores[f] = checkScore(owner, await score(model, train), `the train rows of fold ${f}`);
    models.push(model);
  }
  const result: CrossValidateResult<M> = {
    testScores,
    meanTestScore: mean(testScores),
    stdTestScore: populationStd(testScores),
    fitTimes,
    scoreTimes,
    models,
  };
  return withTrainScores(result, returnTrainScore, trainScores);
}

function withTrainScores<M>(result: CrossValidateResult<M>, returnTrainScore: boolean, trainScores: Float64Array): CrossValidateResult<M> {
  if (!returnTrainScore) return result;
  const { testScores } = result;
  const generalizationGaps = trainScores.map((train, f) => train - testScores[f]);
  return {
    ...result,
    trainScores,
    meanTrainScore: mean(trainScores),
    stdTrainScore: populationStd(trainScores),
    generalizationGaps,
    meanGeneralizationGap: mean(generalizationGaps),
  };
}

/** crossValidate with a task module, in the calling thread or on a pool. */
async function crossValidateTask(
  owner: string,
  given: Record<string, unknown>,
  folds: readonly Fold[],
  workers: number | WorkerPool,
): Promise<CrossValidateResult<undefined>> {
  const task = await loadSingleScoreTask(owner, given, workers);
  const returnTrainScore = checkReturnTrainScore(owner, given.returnTrainScore);
  const jobs = folds.map((_, f) => ({ params: task.params, fold: f, scoreTrain: returnTrainScore }));
  const scores = await runScoredJobs(owner, task, workers, folds, jobs, (f) => `fold ${f}`);
  const result: CrossValidateResult<undefined> = {
    testScores: scores.test,
    meanTestScore: mean(scores.test),
    stdTestScore: populationStd(scores.test),
    fitTimes: scores.fitTimes,
    scoreTimes: scores.scoreTimes,
    models: folds.map(() => undefined),
  };
  return withTrainScores(result, returnTrainScore, scores.train);
}
