/**
 * AdaBoost.R2 (Drucker 1997, "Improving Regressors using Boosting Techniques") as scikit-learn's
 * `AdaBoostRegressor`: weak regressors fitted on weighted bootstrap samples, combined by a weighted
 * median.
 */
import { warn } from '../model-selection/warnings.js';
import { randomFrom, type Seed } from '../model-selection/random.js';
import { checkInteger, checkNumber, checkOptionNames, describe } from '../validate.js';
import { DecisionTreeRegressor } from './decision-tree.js';
import {
  checkFeatureRows,
  checkFunction,
  checkRegressionTargets,
  checkSampleWeights,
  numericPredictions,
  rowsAt,
  type FeatureRows,
} from './training-data.js';
import type { NumberPredictor, ResampledRegressorLearner } from './weak-learner.js';

const FLOAT64_EPSILON = 2.220446049250313e-16;

/** How AdaBoost.R2 turns a row's normalized absolute error e into a loss: e, e² or 1 − exp(−e). */
export type AdaBoostR2Loss = 'linear' | 'square' | 'exponential';

/** Options of {@link adaBoostRegressor} (scikit-learn's AdaBoostRegressor's, in camelCase). */
export interface AdaBoostRegressorOptions {
  /** Rows of features, at least one. */
  X: FeatureRows;
  /** One finite target per row. */
  y: ArrayLike<number>;
  /** Initial weight per row (finite, ≥ 0, positive sum); default uniform. */
  sampleWeight?: ArrayLike<number>;
  /** Most weak learners (fewer on an early stop): an integer ≥ 1. Default 50. */
  nEstimators?: number;
  /** A finite number > 0. Default 1. */
  learningRate?: number;
  /** How the normalized absolute errors e ∈ [0, 1] become losses: e, e² or 1 − exp(−e). Default 'linear'. */
  loss?: AdaBoostR2Loss;
  /** Seed of the weighted bootstrap samples; a Random is advanced. Default: a fresh random seed. */
  seed?: Seed;
  /** Fits a weak regressor to a resampled training set; default a regression tree of depth 3 (scikit-learn's default). */
  learner?: ResampledRegressorLearner;
}

/** A fitted AdaBoost.R2 ensemble: its weak learners, their weights and errors, and why boosting stopped. */
export interface AdaBoostRegressor {
  /** The kept weak learners in order (at most nEstimators). */
  readonly estimators: readonly NumberPredictor[];
  /** alpha = learningRate · ln(1/beta) of each kept estimator (0 for a first estimator kept although err ≥ 0.5). */
  readonly estimatorWeights: Float64Array;
  /** Weighted average loss of each kept estimator (1 for a first estimator kept although err ≥ 0.5, as scikit-learn). */
  readonly estimatorErrors: Float64Array;
  /** The bootstrap indices each kept estimator was fitted on. */
  readonly samples: readonly Uint32Array[];
  /** Why boosting stopped: all estimators fitted, a perfect estimator, one no better than chance (average loss ≥ 0.5), or overflowing weights. */
  readonly stopReason: 'completed' | 'perfect-estimator' | 'worse-than-chance' | 'weights-overflow';
  /** The weighted median of the estimators' predictions for each row. */
  predict(X: FeatureRows): Float64Array;
  /** `predict` after each stage: element m uses the first m + 1 estimators. */
  stagedPredict(X: FeatureRows): Float64Array[];
}

/**
 * Fits AdaBoost.R2. With weights w (initially `sampleWeight`/sum, or 1/n), each round m:
 * 1. clip positive weights to at least 2^−52 (zero weights stay zero);
 * 2. draw the learner's seed (`rng.nextUint32()`), then n indices with probabilities w: for each,
 *    u = `rng.nextFloat()` and the index is the first i with cdf[i] > u, where cdf is the cumulative
 *    sum of w divided by its last element (NumPy's `choice(p=w)`, `searchsorted(side="right")`);
 * 3. fit the learner on those rows (weights are not passed); e = |prediction − y| over the rows of
 *    positive weight, divided by its maximum (when not 0); L = e, e² or 1 − exp(−e);
 * 4. err = Σ w·L; if err ≤ 0: keep with alpha 1 and stop; if err ≥ 0.5: stop, dropping this
 *    estimator unless it is the first (which stays, with alpha 0);
 * 5. beta = err/(1 − err), alpha = learningRate · ln(1/beta); except after the last round,
 *    w ← w · beta^((1 − L)·learningRate), then w ← w/Σ w.
 *
 * Reproducible from `seed`; the draws (PCG32) are not NumPy's, so the trees differ from
 * scikit-learn's on the same data.
 *
 * @throws TypeError/RangeError for bad input, naming the argument and the value
 */
export function adaBoostRegressor(options: AdaBoostRegressorOptions): AdaBoostRegressor {
  const owner = 'adaBoostRegressor';
  const given = checkOptionNames(owner, options, ['X', 'y', 'sampleWeight', 'nEstimators', 'learningRate', 'loss', 'seed', 'learner']);
  const X = given.X as FeatureRows;
  const features = checkFeatureRows(owner, 'X', X);
  const n = X.length;
  const y = checkRegressionTargets(owner, 'y', given.y, n);
  const weights = checkSampleWeights(owner, given.sampleWeight, n);
  const nEstimators = checkInteger(owner, 'nEstimators', given.nEstimators ?? 50, 1);
  const learningRate = checkNumber(owner, 'learningRate', given.learningRate ?? 1, { min: 0, minExclusive: true });
  const loss = given.loss ?? 'linear';
  if (loss !== 'linear' && loss !== 'square' && loss !== 'exponential') {
    throw new RangeError(`${owner}: loss must be 'linear', 'square' or 'exponential', got ${describe(loss)}`);
  }
  const rng = randomFrom(given.seed as Seed | undefined, `${owner}: seed`);
  const learner: ResampledRegressorLearner =
    given.learner === undefined
      ? (rows, targets) => new DecisionTreeRegressor({ maxDepth: 3 }).fit(rows, targets)
      : checkFunction(owner, 'learner', given.learner);

  let sum = weights.reduce((s, w) => s + w, 0);
  for (let i = 0; i < n; i++) weights[i] /= sum;
  const zeroWeight = weights.map((w) => (w === 0 ? 1 : 0));
  const estimators: NumberPredictor[] = [];
  const alphas: number[] = [];
  const errors: number[] = [];
  const samples: Uint32Array[] = [];
  let stopReason: AdaBoostRegressor['stopReason'] = 'completed';
  const cdf = new Float64Array(n);
  const losses = new Float64Array(n);

  for (let m = 0; m < nEstimators; m++) {
    for (let i = 0; i < n; i++) weights[i] = zeroWeight[i] ? 0 : Math.max(weights[i], FLOAT64_EPSILON);
    const seed = rng.nextUint32();
    let running = 0;
    for (let i = 0; i < n; i++) cdf[i] = running += weights[i];
    for (let i = 0; i < n; i++) cdf[i] /= running;
    const indices = new Uint32Array(n);
    for (let j = 0; j < n; j++) indices[j] = searchRight(cdf, rng.nextFloat());
    const estimator = learner(rowsAt(X, indices), Float64Array.from(indices, (i) => y[i]), { round: m, seed });
    const predictions = predictNumbers(owner, estimator, X);

    let largest = 0;
    for (let i = 0; i < n; i++) {
      losses[i] = Math.abs(predictions[i] - y[i]);
      if (weights[i] > 0 && losses[i] > largest) largest = losses[i];
    }
    let error = 0;
    for (let i = 0; i < n; i++) {
      if (!(weights[i] > 0)) continue;
      const e = largest !== 0 ? losses[i] / largest : losses[i];
      losses[i] = loss === 'linear' ? e : loss === 'square' ? e * e : 1 - Math.exp(-e);
      error += weights[i] * losses[i];
    }
    if (error <= 0) {
      estimators.push(estimator);
      samples.push(indices);
      alphas.push(1);
      errors.push(0);
      stopReason = 'perfect-estimator';
      break;
    }
    if (error >= 0.5) {
      if (estimators.length === 0) {
        estimators.push(estimator);
        samples.push(indices);
        alphas.push(0);
        errors.push(1);
      }
      stopReason = 'worse-than-chance';
      break;
    }
    const beta = error / (1 - error);
    const alpha = learningRate * Math.log(1 / beta);
    estimators.push(estimator);
    samples.push(indices);
    alphas.push(alpha);
    errors.push(error);
    if (m === nEstimators - 1) break;
    for (let i = 0; i < n; i++) if (weights[i] > 0) weights[i] *= Math.pow(beta, (1 - losses[i]) * learningRate);
    sum = weights.reduce((s, w) => s + w, 0);
    if (!Number.isFinite(sum)) {
      warn(`${owner}: sample weights have reached infinite values at iteration ${m}, causing overflow; iterations stopped. Try lowering the learning rate.`);
      stopReason = 'weights-overflow';
      break;
    }
    if (sum <= 0) break;
    for (let i = 0; i < n; i++) weights[i] /= sum;
  }

  const estimatorWeights = Float64Array.from(alphas);
  const memberPredictions = (rows: FeatureRows): Float64Array[] => {
    checkFeatureRows(`${owner}: predict`, 'X', rows, features);
    return estimators.map((estimator) => predictNumbers(owner, estimator, rows));
  };
  return {
    estimators,
    estimatorWeights,
    estimatorErrors: Float64Array.from(errors),
    samples,
    stopReason,
    predict: (rows) => weightedMedians(memberPredictions(rows), estimatorWeights, estimators.length, rows.length),
    stagedPredict: (rows) => {
      const all = memberPredictions(rows);
      return all.map((_, m) => weightedMedians(all, estimatorWeights, m + 1, rows.length));
    },
  };
}

/**
 * Per row, the prediction of the first `count` estimators at the weighted median, as scikit-learn's
 * `_get_median_predict`: sort the predictions, accumulate their estimator weights, take the first
 * position where the running sum reaches half the total.
 */
export function weightedMedians(predictions: readonly Float64Array[], weights: Float64Array, count: number, rows: number): Float64Array {
  const result = new Float64Array(rows);
  const order = Array.from({ length: count }, (_, m) => m);
  for (let i = 0; i < rows; i++) {
    order.sort((a, b) => predictions[a][i] - predictions[b][i]);
    let total = 0;
    for (const m of order) total += weights[m];
    let running = 0;
    let chosen = order[count - 1];
    for (const m of order) {
      running += weights[m];
      if (running >= 0.5 * total) {
        chosen = m;
        break;
      }
    }
    result[i] = predictions[chosen][i];
  }
  return result;
}

/** The first index i with sorted[i] > value (NumPy's `searchsorted(side="right")`), at most length − 1. */
function searchRight(sorted: Float64Array, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] > value) high = middle;
    else low = middle + 1;
  }
  return Math.min(low, sorted.length - 1);
}

function predictNumbers(owner: string, estimator: NumberPredictor, X: FeatureRows): Float64Array {
  if (estimator === null || typeof estimator !== 'object' || typeof estimator.predict !== 'function') {
    throw new TypeError(`${owner}: learner must return a model with a predict(X) method, got ${describe(estimator)}`);
  }
  return numericPredictions(owner, 'predict', estimator.predict(X), X.length);
}
