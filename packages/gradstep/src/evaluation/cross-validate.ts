/**
 * Cross-validation with user callbacks, after scikit-learn's `cross_validate`
 * (`sklearn/model_selection/_validation.py`), plus the generalization gap.
 */
import type { Fold } from '../model-selection/folds.js';
import { checkBoolean, checkOptionNames } from '../validate.js';
import { checkFunction } from '../ensembles/training-data.js';
import { checkFolds, checkScore } from './fold-checks.js';
import { mean, populationStd } from './score-summary.js';

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

export interface CrossValidateResult<M> {
  /** Test score of each fold, in fold order. */
  readonly testScores: Float64Array;
  readonly meanTestScore: number;
  /** Population standard deviation (`np.std`, ddof 0) of the test scores. */
  readonly stdTestScore: number;
  /** Wall time of each fit in milliseconds (`performance.now()`), including awaiting it. */
  readonly fitTimes: Float64Array;
  /** Wall time of each test scoring in milliseconds (train scoring is not included, as scikit-learn). */
  readonly scoreTimes: Float64Array;
  /** The fitted model of each fold. */
  readonly models: M[];
  /** With returnTrainScore: train score of each fold. */
  readonly trainScores?: Float64Array;
  readonly meanTrainScore?: number;
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
 * @throws (rejects with) TypeError/RangeError for malformed folds (a RangeError for a fold whose
 *   train and test share a row; every fold is checked before the first fit), non-function callbacks
 *   or a score that is not a number
 */
export async function crossValidate<M>(options: CrossValidateOptions<M>): Promise<CrossValidateResult<M>> {
  const owner = 'crossValidate';
  const given = checkOptionNames(owner, options, ['folds', 'fit', 'score', 'returnTrainScore']);
  const folds = checkFolds(owner, given.folds);
  const fit = checkFunction<CrossValidateOptions<M>['fit']>(owner, 'fit', given.fit);
  const score = checkFunction<CrossValidateOptions<M>['score']>(owner, 'score', given.score);
  const returnTrainScore = given.returnTrainScore === undefined ? false : checkBoolean(owner, 'returnTrainScore', given.returnTrainScore);

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
  if (!returnTrainScore) return result;
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
