/**
 * AdaBoost for K classes with the discrete SAMME algorithm (Zhu, Zou, Rosset & Hastie 2009,
 * "Multi-class AdaBoost"), step for step as scikit-learn ≥ 1.2's `AdaBoostClassifier`
 * (`_weight_boosting.py`, the only algorithm left there since 1.6).
 */
import { warn } from '../model-selection/warnings.js';
import { checkInteger, checkNumber, checkOptionNames, describe } from '../validate.js';
import { argmax, ClassLookup, encodeClassLabels, type Label } from './class-labels.js';
import { DecisionStumpClassifier } from './decision-stump.js';
import { checkFeatureRows, checkFunction, checkPredictions, checkSampleWeights, type FeatureRows } from './training-data.js';
import type { LabelPredictor, WeightedClassifierLearner } from './weak-learner.js';

/** float64 machine epsilon: scikit-learn keeps every positive weight at least this large. */
const FLOAT64_EPSILON = 2.220446049250313e-16;

/** Options of {@link adaBoost} (scikit-learn's AdaBoostClassifier's, in camelCase). */
export interface AdaBoostOptions {
  /** Rows of features (see FeatureRows), at least one. */
  X: FeatureRows;
  /** One label per row: numbers or strings, not mixed. */
  y: ArrayLike<Label>;
  /** Initial weight per row (finite, ≥ 0, positive sum); default uniform. Normalized to sum 1. */
  sampleWeight?: ArrayLike<number>;
  /** Most weak learners to fit (fewer on an early stop): an integer ≥ 1. Default 50. */
  nEstimators?: number;
  /** Shrinks every estimator weight: a finite number > 0. Default 1. */
  learningRate?: number;
  /**
   * Fits a weak learner to weighted data; default a decision stump (gini, depth 1), scikit-learn's
   * default `DecisionTreeClassifier(max_depth=1)`.
   */
  learner?: WeightedClassifierLearner;
}

/** A fitted SAMME ensemble: its classes, weak learners, their weights and errors, and why boosting stopped. */
export interface AdaBoostClassifier {
  /** The classes, ascending; the column order of `decisionFunction` and `predictProba`. */
  readonly classes: readonly Label[];
  /** The fitted weak learners that were kept, in order (at most nEstimators). */
  readonly estimators: readonly LabelPredictor[];
  /** alpha of each kept estimator (scikit-learn's `estimator_weights_` without the trailing zeros). */
  readonly estimatorWeights: Float64Array;
  /** Weighted training error of each kept estimator (`estimator_errors_` without the trailing ones). */
  readonly estimatorErrors: Float64Array;
  /** Fraction of training rows the ensemble of the first m + 1 estimators misclassifies, per m. */
  readonly trainErrors: Float64Array;
  /** Why boosting stopped: all estimators fitted, a perfect estimator, one no better than chance, or overflowing weights. */
  readonly stopReason: 'completed' | 'perfect-estimator' | 'worse-than-chance' | 'weights-overflow';
  /** Per row, the K class scores `f_c = Σ_m alpha_m·(1 if h_m = c else −1/(K−1)) / Σ_m alpha_m` (for K = 2 scikit-learn returns `f_1 − f_0`). */
  decisionFunction(X: FeatureRows): Float64Array[];
  /** The class of the largest score, the smallest label on a tie. */
  predict(X: FeatureRows): Label[];
  /** Per row, `softmax(f / (K − 1))` as scikit-learn (all ones when there is a single class). */
  predictProba(X: FeatureRows): Float64Array[];
  /** `predict` after each stage: element m uses the first m + 1 estimators. */
  stagedPredict(X: FeatureRows): Label[][];
}

/**
 * Fits AdaBoost-SAMME. With sample weights w (initially `sampleWeight`/sum, or 1/n), each round:
 * 1. clip positive weights to at least 2^−52 (as scikit-learn; zero weights stay zero);
 * 2. fit the learner to (X, y, w) and predict the training rows;
 * 3. err = Σ w·[wrong] / Σ w; if err = 0 keep it with alpha = 1 and stop; if err ≥ 1 − 1/K drop
 *    it and stop (an Error if it is the first: the ensemble cannot be fitted);
 * 4. alpha = learningRate · (ln((1 − err)/err) + ln(K − 1));
 * 5. except after the last round: w ← exp(ln w + alpha) on the misclassified rows of positive
 *    weight, then w ← w / Σ w. Non-finite Σ w warns and stops (the estimator is kept).
 *
 * Deterministic (no randomness) with the default learner; with K = 2 it is AdaBoost.M1.
 *
 * @throws TypeError/RangeError for bad input (mismatched lengths, mixed label types, a learner
 *   that returns unknown labels or the wrong number of them); Error if the first estimator is no
 *   better than chance
 */
export function adaBoost(options: AdaBoostOptions): AdaBoostClassifier {
  const owner = 'adaBoost';
  const given = checkOptionNames(owner, options, ['X', 'y', 'sampleWeight', 'nEstimators', 'learningRate', 'learner']);
  const X = given.X as FeatureRows;
  const features = checkFeatureRows(owner, 'X', X);
  const n = X.length;
  const { classes, codes } = encodeClassLabels(owner, 'y', given.y, n);
  const weights = checkSampleWeights(owner, given.sampleWeight, n);
  const nEstimators = checkInteger(owner, 'nEstimators', given.nEstimators ?? 50, 1);
  const learningRate = checkNumber(owner, 'learningRate', given.learningRate ?? 1, { min: 0, minExclusive: true });
  const learner: WeightedClassifierLearner =
    given.learner === undefined
      ? (rows, labels, sampleWeight) => new DecisionStumpClassifier().fit(rows, labels, sampleWeight)
      : checkFunction(owner, 'learner', given.learner);

  const k = classes.length;
  const lookup = new ClassLookup(classes);
  const labels = Object.freeze(Array.from(codes, (code) => classes[code]));
  normalize(weights);
  const zeroWeight = weights.map((w) => (w === 0 ? 1 : 0));

  const estimators: LabelPredictor[] = [];
  const alphas: number[] = [];
  const errors: number[] = [];
  const trainErrors: number[] = [];
  // Running unnormalized class scores of the training rows, for the staged training error.
  const scores = new Float64Array(n * k);
  let stopReason: AdaBoostClassifier['stopReason'] = 'completed';

  for (let m = 0; m < nEstimators; m++) {
    for (let i = 0; i < n; i++) weights[i] = zeroWeight[i] ? 0 : Math.max(weights[i], FLOAT64_EPSILON);
    const estimator = learner(X, labels, weights.slice(), m);
    const predicted = predictCodes(owner, estimator, X, lookup);
    let wrongWeight = 0;
    let totalWeight = 0;
    for (let i = 0; i < n; i++) {
      totalWeight += weights[i];
      if (predicted[i] !== codes[i]) wrongWeight += weights[i];
    }
    const error = wrongWeight / totalWeight;
    if (error <= 0) {
      keep(estimator, predicted, 1, 0);
      stopReason = 'perfect-estimator';
      break;
    }
    if (error >= 1 - 1 / k) {
      if (estimators.length === 0) {
        throw new Error(
          `${owner}: the first weak learner is worse than random (weighted error ${error} >= 1 - 1/K = ${1 - 1 / k}); the ensemble cannot be fitted`,
        );
      }
      stopReason = 'worse-than-chance';
      break;
    }
    const alpha = learningRate * (Math.log((1 - error) / error) + Math.log(k - 1));
    keep(estimator, predicted, alpha, error);
    if (m === nEstimators - 1) break;
    // scikit-learn's exp(log(w) + alpha·incorrect·(w > 0)), operation for operation.
    for (let i = 0; i < n; i++) {
      if (predicted[i] !== codes[i] && weights[i] > 0) weights[i] = Math.exp(Math.log(weights[i]) + alpha);
    }
    let sum = 0;
    for (let i = 0; i < n; i++) sum += weights[i];
    if (!Number.isFinite(sum)) {
      warn(`${owner}: sample weights have reached infinite values at iteration ${m}, causing overflow; iterations stopped. Try lowering the learning rate.`);
      stopReason = 'weights-overflow';
      break;
    }
    if (sum <= 0) break;
    for (let i = 0; i < n; i++) weights[i] /= sum;
  }

  function keep(estimator: LabelPredictor, predicted: Uint32Array, alpha: number, error: number): void {
    estimators.push(estimator);
    alphas.push(alpha);
    errors.push(error);
    addVotes(scores, predicted, alpha, k);
    let wrong = 0;
    for (let i = 0; i < n; i++) if (argmax(scores, i * k, k) !== codes[i]) wrong++;
    trainErrors.push(wrong / n);
  }

  const estimatorWeights = Float64Array.from(alphas);
  const weightSum = alphas.reduce((s, a) => s + a, 0);

  const stageScores = (rows: FeatureRows, onStage?: (scores: Float64Array) => void): Float64Array => {
    checkFeatureRows(`${owner}: predict`, 'X', rows, features);
    const result = new Float64Array(rows.length * k);
    estimators.forEach((estimator, m) => {
      addVotes(result, predictCodes(owner, estimator, rows, lookup), estimatorWeights[m], k);
      onStage?.(result);
    });
    return result;
  };
  const labelsOf = (raw: Float64Array, rows: number): Label[] => {
    const result = new Array<Label>(rows);
    for (let i = 0; i < rows; i++) result[i] = classes[argmax(raw, i * k, k)];
    return result;
  };
  const decisionFunction = (rows: FeatureRows): Float64Array[] => {
    // scikit-learn: with a single class, every decision value is 0.
    if (k === 1) return rows.map(() => new Float64Array(1));
    const raw = stageScores(rows);
    return rows.map((_, i) => raw.slice(i * k, i * k + k).map((v) => v / weightSum));
  };

  return {
    classes,
    estimators,
    estimatorWeights,
    estimatorErrors: Float64Array.from(errors),
    trainErrors: Float64Array.from(trainErrors),
    stopReason,
    decisionFunction,
    predict: (rows) => labelsOf(stageScores(rows), rows.length),
    predictProba: (rows) =>
      decisionFunction(rows).map((f) => (k === 1 ? new Float64Array(1).fill(1) : softmax(f.map((v) => v / (k - 1))))),
    stagedPredict: (rows) => {
      const stages: Label[][] = [];
      stageScores(rows, (raw) => stages.push(labelsOf(raw, rows.length)));
      return stages;
    },
  };
}

/** scores[i][c] += alpha if h(x_i) = c else −alpha/(K − 1). */
function addVotes(scores: Float64Array, predicted: Uint32Array, alpha: number, k: number): void {
  const against = k > 1 ? -alpha / (k - 1) : 0;
  for (let i = 0; i < predicted.length; i++) {
    for (let c = 0; c < k; c++) scores[i * k + c] += predicted[i] === c ? alpha : against;
  }
}

/** softmax with the maximum subtracted first, as scipy's. */
function softmax(values: Float64Array): Float64Array {
  const max = Math.max(...values);
  const exps = values.map((v) => Math.exp(v - max));
  const sum = exps.reduce((s, v) => s + v, 0);
  return exps.map((v) => v / sum);
}

function normalize(weights: Float64Array): void {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += weights[i];
  for (let i = 0; i < weights.length; i++) weights[i] /= sum;
}

function predictCodes(owner: string, estimator: LabelPredictor, X: FeatureRows, lookup: ClassLookup): Uint32Array {
  if (estimator === null || typeof estimator !== 'object' || typeof estimator.predict !== 'function') {
    throw new TypeError(`${owner}: learner must return a model with a predict(X) method, got ${describe(estimator)}`);
  }
  const labels = checkPredictions(owner, 'predict', estimator.predict(X), X.length);
  const codes = new Uint32Array(X.length);
  for (let i = 0; i < X.length; i++) codes[i] = lookup.codeOf(owner, 'the prediction', labels[i], i);
  return codes;
}
