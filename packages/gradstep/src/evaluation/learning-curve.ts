/**
 * Learning curves: train and test score against the number of training samples, after
 * scikit-learn's `learning_curve` (without shuffling or incremental learning). A curve whose test
 * score keeps rising with more data and stays far below the train score says variance
 * (overfitting: more data helps); train and test scores meeting low say bias (underfitting).
 */
import type { Fold } from '../model-selection/folds.js';
import { warn } from '../model-selection/warnings.js';
import { checkOptionNames, describe } from '../validate.js';
import { checkFunction } from '../ensembles/training-data.js';
import { checkCallbacksStayHere, resolveWorkers, type WorkerPool, type Workers } from '../parallel/pool.js';
import { checkFolds, checkScore } from './fold-checks.js';
import { rowMeansAndStds } from './score-summary.js';
import { checkNoTaskOptions, hasTask, loadSingleScoreTask, runScoredJobs } from './task-jobs.js';
import type { TaskOrRecipe } from './task-jobs.js';

/** scikit-learn's default `np.linspace(0.1, 1.0, 5)`. */
const DEFAULT_TRAIN_SIZES = [0.1, 0.325, 0.55, 0.775, 1];

/** The options of {@link learningCurve} with fit and score callbacks. */
export interface LearningCurveOptions<M> {
  /** The splits, e.g. from `kFold`. The first fold's train size is the 100% of fractions. */
  folds: Iterable<Fold>;
  /**
   * Training sizes: all ≤ 1 means fractions in (0, 1] of the first fold's train size (truncated,
   * at least 1); otherwise integer counts in [1, that size]. Sorted and deduplicated (a warning if
   * duplicates were dropped). Default [0.1, 0.325, 0.55, 0.775, 1].
   */
  trainSizes?: readonly number[];
  /** Fits a model on the rows `train` (the first `size` train rows of fold `foldIndex`); may return a Promise. */
  fit: (train: Uint32Array, foldIndex: number) => M | PromiseLike<M>;
  /** Scores a model on the rows `indices` (higher is better); may return a Promise. */
  score: (model: M, indices: Uint32Array) => number | PromiseLike<number>;
}

/**
 * The options of {@link learningCurve} with a task module (as crossValidate's), to run on `workers`
 * threads: each fit gets `params` and the first `size` train rows of its fold.
 */
export type LearningCurveTaskOptions = LearningCurveTaskFields & TaskOrRecipe;

/** The fields of {@link LearningCurveTaskOptions} beside the task or recipe. */
export interface LearningCurveTaskFields {
  /** The splits, e.g. from `kFold`. The first fold's train size is the 100% of fractions. */
  folds: Iterable<Fold>;
  /** Training sizes: fractions in (0, 1] or counts, as {@link LearningCurveOptions.trainSizes}. Default [0.1, 0.325, 0.55, 0.775, 1]. */
  trainSizes?: readonly number[];
  /** Structured-cloneable data given to the task (posted to each worker once). */
  data?: unknown;
  /** The hyperparameters of every fit. Default `{}`. */
  params?: Record<string, unknown>;
  /** 1 (default: in the calling thread), n threads, 'auto' (one per core) or a pool. Same bits whatever the count. */
  workers?: Workers;
}

/** What {@link learningCurve} gives: per training size, each fold's train and test scores and fit time. */
export interface LearningCurveResult {
  /** The absolute training sizes, ascending and distinct. */
  readonly trainSizes: Uint32Array;
  /** trainScores[s][f]: score on its own training rows of the model fitted on size s in fold f (scikit-learn's shape). */
  readonly trainScores: Float64Array[];
  /** testScores[s][f]: its score on fold f's test rows. */
  readonly testScores: Float64Array[];
  /** Per size, the mean over folds of the train scores. */
  readonly meanTrainScores: Float64Array;
  /** Per size, the population std (ddof 0) over folds of the train scores. */
  readonly stdTrainScores: Float64Array;
  /** Per size, the mean over folds of the test scores. */
  readonly meanTestScores: Float64Array;
  /** Per size, the population std (ddof 0) over folds of the test scores. */
  readonly stdTestScores: Float64Array;
  /** fitTimes[s][f] in milliseconds (`performance.now()`). */
  readonly fitTimes: Float64Array[];
}

/**
 * Converts training sizes as scikit-learn's `_translate_train_sizes`: fractions to
 * `clip(int(f·maxSize), 1, maxSize)`, counts checked against (0, maxSize], then sorted and
 * deduplicated. "Fractions" are recognized by every size being ≤ 1, since JavaScript has no separate
 * float type (so `[1]` means the whole train set and a count of 1 can only appear with larger counts).
 */
export function translateTrainSizes(owner: string, trainSizes: unknown, maxSize: number): Uint32Array {
  if (!Array.isArray(trainSizes)) throw new TypeError(`${owner}: trainSizes must be an array of numbers, got ${describe(trainSizes)}`);
  if (trainSizes.length === 0) throw new RangeError(`${owner}: trainSizes must not be empty`);
  trainSizes.forEach((size: unknown, i) => {
    if (typeof size !== 'number') throw new TypeError(`${owner}: trainSizes[${i}] must be a number, got ${describe(size)}`);
    if (!Number.isFinite(size)) throw new RangeError(`${owner}: trainSizes[${i}] must be a finite number, got ${describe(size)}`);
  });
  const sizes = trainSizes as number[];
  const fractions = sizes.every((size) => size <= 1);
  const absolute = sizes.map((size, i) => {
    if (fractions) {
      if (!(size > 0)) {
        throw new RangeError(
          `${owner}: trainSizes are fractions of the maximum number of training samples (${maxSize}) and must be within (0, 1], got ${describe(size)} at index ${i}`,
        );
      }
      return Math.min(Math.max(Math.floor(size * maxSize), 1), maxSize);
    }
    if (!Number.isInteger(size) || size < 1 || size > maxSize) {
      throw new RangeError(
        `${owner}: trainSizes are absolute numbers of training samples and must be integers within [1, ${maxSize}], got ${describe(size)} at index ${i}`,
      );
    }
    return size;
  });
  const unique = Uint32Array.from(new Set(absolute)).sort();
  if (unique.length < absolute.length) {
    warn(
      `${owner}: removed duplicate entries from trainSizes; number of ticks will be less than the size of trainSizes: ${unique.length} instead of ${absolute.length}`,
    );
  }
  return unique;
}

/**
 * For each fold (in order) and each training size s (ascending), fits on the first s rows of the
 * fold's train indices (a copy of `train.subarray(0, s)`, scikit-learn's `train[:s]` without shuffle) and
 * scores on those rows and on the fold's test rows. Shuffle the folds' train indices yourself for
 * scikit-learn's `shuffle=True`. A fold with fewer train rows than s uses all of them, as
 * scikit-learn's slicing does.
 *
 * Always returns a Promise (see {@link crossValidate}); callbacks run one at a time. With a task
 * module ({@link LearningCurveTaskOptions}) the (fold, size) fits run on `workers` threads, each
 * result placed by its index: the same bits whatever the count.
 *
 * @throws (rejects with) TypeError/RangeError for malformed folds or sizes, or a non-number score
 */
export async function learningCurve(options: LearningCurveTaskOptions): Promise<LearningCurveResult>;
export async function learningCurve<M>(options: LearningCurveOptions<M>): Promise<LearningCurveResult>;
export async function learningCurve<M>(options: LearningCurveOptions<M> | LearningCurveTaskOptions): Promise<LearningCurveResult> {
  const owner = 'learningCurve';
  const given = checkOptionNames(owner, options, ['folds', 'trainSizes', 'fit', 'score', 'task', 'recipe', 'data', 'params', 'workers']);
  const folds = checkFolds(owner, given.folds);
  const workers = await resolveWorkers(owner, given.workers);
  if (hasTask(given)) return learningCurveTask(owner, given, folds, workers);
  checkCallbacksStayHere(owner, workers);
  checkNoTaskOptions(owner, given, ['data', 'params']);
  const fit = checkFunction<LearningCurveOptions<M>['fit']>(owner, 'fit', given.fit);
  const score = checkFunction<LearningCurveOptions<M>['score']>(owner, 'score', given.score);
  const trainSizes = translateTrainSizes(owner, given.trainSizes ?? DEFAULT_TRAIN_SIZES, folds[0].train.length);

  const matrix = () => Array.from(trainSizes, () => new Float64Array(folds.length));
  const trainScores = matrix();
  const testScores = matrix();
  const fitTimes = matrix();
  for (let f = 0; f < folds.length; f++) {
    const { train, test } = folds[f];
    for (let s = 0; s < trainSizes.length; s++) {
      // A copy, not a view: a fit that sorts or shuffles its indices must not change the caller's folds.
      const subset = train.slice(0, trainSizes[s]);
      const started = performance.now();
      const model = await fit(subset, f);
      fitTimes[s][f] = performance.now() - started;
      testScores[s][f] = checkScore(owner, await score(model, test), `the test rows of fold ${f}, size ${trainSizes[s]}`);
      trainScores[s][f] = checkScore(owner, await score(model, subset), `the train rows of fold ${f}, size ${trainSizes[s]}`);
    }
  }
  return summarize(trainSizes, trainScores, testScores, fitTimes);
}

/** learningCurve with a task module: job f·S + s fits size s on fold f (the callback form's order). */
async function learningCurveTask(owner: string, given: Record<string, unknown>, folds: readonly Fold[], workers: number | WorkerPool): Promise<LearningCurveResult> {
  const trainSizes = translateTrainSizes(owner, given.trainSizes ?? DEFAULT_TRAIN_SIZES, folds[0].train.length);
  const task = await loadSingleScoreTask(owner, given, workers);
  const S = trainSizes.length;
  // One fold per job: the first `size` train rows of its fold, and the fold's test rows.
  const subsets = folds.flatMap(({ train, test }) => Array.from(trainSizes, (size) => ({ train: train.slice(0, size), test })));
  const jobs = subsets.map((_, j) => ({ params: task.params, fold: j, scoreTrain: true }));
  const scores = await runScoredJobs(owner, task, workers, subsets, jobs, (j) => `fold ${Math.floor(j / S)}, size ${trainSizes[j % S]}`);
  const bySize = (flat: Float64Array) => Array.from(trainSizes, (_, s) => Float64Array.from(folds, (_, f) => flat[f * S + s]));
  return summarize(trainSizes, bySize(scores.train), bySize(scores.test), bySize(scores.fitTimes));
}

function summarize(trainSizes: Uint32Array, trainScores: Float64Array[], testScores: Float64Array[], fitTimes: Float64Array[]): LearningCurveResult {
  const trainSummary = rowMeansAndStds(trainScores);
  const testSummary = rowMeansAndStds(testScores);
  return {
    trainSizes,
    trainScores,
    testScores,
    meanTrainScores: trainSummary.mean,
    stdTrainScores: trainSummary.std,
    meanTestScores: testSummary.mean,
    stdTestScores: testSummary.std,
    fitTimes,
  };
}
