/**
 * Validation curves: train and test score against the values of one hyperparameter, after
 * scikit-learn's `validation_curve`. Low scores on both sides of the range say underfitting; a
 * train score rising away from a falling test score says overfitting.
 */
import type { Fold } from '../model-selection/folds.js';
import { checkOptionNames, describe } from '../validate.js';
import { checkFunction } from '../ensembles/training-data.js';
import { checkCallbacksStayHere, resolveWorkers, type WorkerPool, type Workers } from '../parallel/pool.js';
import { checkFolds, checkScore } from './fold-checks.js';
import { rowMeansAndStds } from './score-summary.js';
import { checkNoTaskOptions, hasTask, loadSingleScoreTask, runScoredJobs } from './task-jobs.js';
import type { TaskOrRecipe } from './task-jobs.js';

/** The options of {@link validationCurve} with fit and score callbacks. */
export interface ValidationCurveOptions<V, M> {
  /** The splits, e.g. from `kFold`. */
  folds: Iterable<Fold>;
  /** The hyperparameter values to try (any type), at least one. */
  paramRange: readonly V[];
  /** Fits a model with hyperparameter `value` on the rows `train` of fold `foldIndex`; may return a Promise. */
  fit: (train: Uint32Array, value: V, foldIndex: number) => M | PromiseLike<M>;
  /** Scores a model on the rows `indices` (higher is better); may return a Promise. */
  score: (model: M, indices: Uint32Array) => number | PromiseLike<number>;
}

/**
 * The options of {@link validationCurve} with a task module (as crossValidate's), to run on `workers`
 * threads: each fit gets `{ ...params, [paramName]: value }`.
 */
export type ValidationCurveTaskOptions<V> = ValidationCurveTaskFields<V> & TaskOrRecipe;

/** The fields of {@link ValidationCurveTaskOptions} beside the task or recipe. */
export interface ValidationCurveTaskFields<V> {
  /** The splits, e.g. from `kFold`. */
  folds: Iterable<Fold>;
  /** The hyperparameter that varies (scikit-learn's `param_name`). */
  paramName: string;
  /** Its values, at least one (structured-cloneable). */
  paramRange: readonly V[];
  /** Structured-cloneable data given to the task (posted to each worker once). */
  data?: unknown;
  /** The other hyperparameters, the same for every fit. Default `{}`. */
  params?: Record<string, unknown>;
  /** 1 (default: in the calling thread), n threads, 'auto' (one per core) or a pool. Same bits whatever the count. */
  workers?: Workers;
}

/** What {@link validationCurve} gives: per hyperparameter value, each fold's train and test scores. */
export interface ValidationCurveResult {
  /** trainScores[p][f]: train score of the model with paramRange[p] in fold f (scikit-learn's shape). */
  readonly trainScores: Float64Array[];
  /** testScores[p][f]: its test score. */
  readonly testScores: Float64Array[];
  /** Per value, the mean over folds of the train scores. */
  readonly meanTrainScores: Float64Array;
  /** Per value, the population std (ddof 0) over folds of the train scores. */
  readonly stdTrainScores: Float64Array;
  /** Per value, the mean over folds of the test scores. */
  readonly meanTestScores: Float64Array;
  /** Per value, the population std (ddof 0) over folds of the test scores. */
  readonly stdTestScores: Float64Array;
}

/**
 * For each fold (outer loop, as scikit-learn) and each value of `paramRange` (inner loop), fits on
 * the fold's train rows and scores on its train and test rows.
 *
 * Always returns a Promise (see {@link crossValidate}); callbacks run one at a time. With a task
 * module ({@link ValidationCurveTaskOptions}) the (fold, value) fits run on `workers` threads, each
 * result placed by its index: the same bits whatever the count.
 *
 * @throws (rejects with) TypeError/RangeError for malformed folds, an empty paramRange or a
 *   non-number score
 */
export async function validationCurve<V>(options: ValidationCurveTaskOptions<V>): Promise<ValidationCurveResult>;
export async function validationCurve<V, M>(options: ValidationCurveOptions<V, M>): Promise<ValidationCurveResult>;
export async function validationCurve<V, M>(options: ValidationCurveOptions<V, M> | ValidationCurveTaskOptions<V>): Promise<ValidationCurveResult> {
  const owner = 'validationCurve';
  const given = checkOptionNames(owner, options, ['folds', 'paramRange', 'fit', 'score', 'paramName', 'task', 'recipe', 'data', 'params', 'workers']);
  const folds = checkFolds(owner, given.folds);
  const paramRange = given.paramRange;
  if (!Array.isArray(paramRange)) throw new TypeError(`${owner}: paramRange must be an array of values, got ${describe(paramRange)}`);
  if (paramRange.length === 0) throw new RangeError(`${owner}: paramRange must not be empty`);
  const values = paramRange.slice() as V[];
  const workers = await resolveWorkers(owner, given.workers);
  if (hasTask(given)) return validationCurveTask(owner, given, folds, values, workers);
  checkCallbacksStayHere(owner, workers);
  checkNoTaskOptions(owner, given, ['data', 'params', 'paramName']);
  const fit = checkFunction<ValidationCurveOptions<V, M>['fit']>(owner, 'fit', given.fit);
  const score = checkFunction<ValidationCurveOptions<V, M>['score']>(owner, 'score', given.score);

  const trainScores = values.map(() => new Float64Array(folds.length));
  const testScores = values.map(() => new Float64Array(folds.length));
  for (let f = 0; f < folds.length; f++) {
    const { train, test } = folds[f];
    for (let p = 0; p < values.length; p++) {
      const model = await fit(train, values[p], f);
      testScores[p][f] = checkScore(owner, await score(model, test), `the test rows of fold ${f}, paramRange[${p}]`);
      trainScores[p][f] = checkScore(owner, await score(model, train), `the train rows of fold ${f}, paramRange[${p}]`);
    }
  }
  return summarize(trainScores, testScores);
}

/** validationCurve with a task module: job f·P + p fits value p on fold f (the callback form's order). */
async function validationCurveTask(
  owner: string,
  given: Record<string, unknown>,
  folds: readonly Fold[],
  values: unknown[],
  workers: number | WorkerPool,
): Promise<ValidationCurveResult> {
  const { paramName } = given;
  if (typeof paramName !== 'string' || paramName.length === 0) {
    throw new TypeError(`${owner}: paramName must name the hyperparameter that paramRange varies, got ${describe(paramName)}`);
  }
  const task = await loadSingleScoreTask(owner, given, workers);
  const P = values.length;
  const jobs = folds.flatMap((_, f) => values.map((value) => ({ params: { ...task.params, [paramName]: value }, fold: f, scoreTrain: true })));
  const scores = await runScoredJobs(owner, task, workers, folds, jobs, (j) => `fold ${Math.floor(j / P)}, paramRange[${j % P}]`);
  const byValue = (flat: Float64Array) => values.map((_, p) => Float64Array.from(folds, (_, f) => flat[f * P + p]));
  return summarize(byValue(scores.train), byValue(scores.test));
}

function summarize(trainScores: Float64Array[], testScores: Float64Array[]): ValidationCurveResult {
  const trainSummary = rowMeansAndStds(trainScores);
  const testSummary = rowMeansAndStds(testScores);
  return {
    trainScores,
    testScores,
    meanTrainScores: trainSummary.mean,
    stdTrainScores: trainSummary.std,
    meanTestScores: testSummary.mean,
    stdTestScores: testSummary.std,
  };
}
