/**
 * Classification metrics on predicted labels, after scikit-learn 1.9's `sklearn/metrics/_classification.py`:
 * accuracyScore, balancedAccuracyScore, confusionMatrix, precisionRecallFscoreSupport and its
 * precisionScore, recallScore, f1Score and fbetaScore.
 *
 * Labels are numbers (integer-valued) or strings, never mixed; classes are ordered as `np.unique`
 * orders them unless a `labels` option gives the order. Where scikit-learn warns (an ill-defined
 * precision under `zeroDivision: 'warn'`, a pos_label it ignores) the warning goes to the handler of
 * `setWarningHandler` (by default `console.warn`, once per distinct message) and the function goes on.
 */
import { warn } from '../model-selection/warnings.js';
import { checkBoolean, checkNumber, checkOptionNames, describe } from '../validate.js';
import {
  checkChoice,
  checkLabelsOption,
  checkLabelValue,
  checkSampleWeight,
  checkTargets,
  codesOf,
  listLabels,
  numpySum,
  sortedUnique,
  type CheckedLabels,
  type Label,
  type Labels,
} from './inputs.js';

/** Options of {@link accuracyScore}. */
export interface AccuracyOptions {
  /** true (default): the weighted fraction of correct predictions; false: their (weighted) count. */
  normalize?: boolean;
  /** One weight >= 0 per sample, not all zero. Default: equal weights. */
  sampleWeight?: ArrayLike<number>;
}

/**
 * The fraction of samples whose predicted label equals the true label (`accuracy_score`).
 *
 * @throws TypeError/RangeError for arrays of different lengths, empty arrays, labels that mix numbers
 *   and strings or are not integers, NaN, bad weights or options
 */
export function accuracyScore(yTrue: Labels, yPred: Labels, options?: AccuracyOptions): number {
  const owner = 'accuracyScore';
  const given = checkOptionNames(owner, options, ['normalize', 'sampleWeight']);
  const { yTrue: t, yPred: p } = checkTargets(owner, yTrue, yPred);
  const weights = checkSampleWeight(owner, given.sampleWeight, t.length);
  const normalize = given.normalize === undefined ? true : checkBoolean(owner, 'normalize', given.normalize);
  const correct = new Float64Array(t.length);
  for (let i = 0; i < t.length; i++) correct[i] = t.values[i] === p.values[i] ? (weights ? weights[i] : 1) : 0;
  const total = numpySum(correct);
  if (!normalize) return total;
  return total / (weights ? numpySum(weights) : t.length);
}

/** Options of {@link balancedAccuracyScore}. */
export interface BalancedAccuracyOptions {
  /** Rescale so that chance scores 0 and perfect prediction 1 (`(score − 1/k) / (1 − 1/k)`). Default false. */
  adjusted?: boolean;
  /** One weight >= 0 per sample, not all zero. */
  sampleWeight?: ArrayLike<number>;
}

/**
 * The mean recall over the classes of yTrue (`balanced_accuracy_score`). A class that occurs only in
 * yPred has no recall: it is left out, with a warning, as scikit-learn does. With `adjusted` and a
 * single class the result is −Infinity (or NaN when every prediction is right), as NumPy's division.
 */
export function balancedAccuracyScore(yTrue: Labels, yPred: Labels, options?: BalancedAccuracyOptions): number {
  const owner = 'balancedAccuracyScore';
  const given = checkOptionNames(owner, options, ['adjusted', 'sampleWeight']);
  const { yTrue: t, yPred: p } = checkTargets(owner, yTrue, yPred);
  const weights = checkSampleWeight(owner, given.sampleWeight, t.length);
  const adjusted = given.adjusted === undefined ? false : checkBoolean(owner, 'adjusted', given.adjusted);
  const { matrix } = confusionCounts(owner, t, p, sortedUnique(t.values, p.values), weights);
  const perClass: number[] = [];
  let missing = false;
  for (let i = 0; i < matrix.length; i++) {
    const recall = matrix[i][i] / numpySum(matrix[i]);
    if (Number.isNaN(recall)) missing = true;
    else perClass.push(recall);
  }
  if (missing) warn(`${owner}: yPred contains classes not in yTrue`);
  let score = numpySum(perClass) / perClass.length;
  if (adjusted) {
    const chance = 1 / perClass.length;
    score -= chance;
    score /= 1 - chance;
  }
  return score;
}

/** Options of {@link confusionMatrix}. */
export interface ConfusionMatrixOptions {
  /**
   * The classes and their order (rows and columns). Samples whose true or predicted label is not
   * among them are left out; at least one of them must occur in yTrue. Default: the labels of yTrue
   * and yPred, ascending.
   */
  labels?: readonly Label[];
  /** One weight >= 0 per sample, not all zero. */
  sampleWeight?: ArrayLike<number>;
  /** 'true': each row sums to 1; 'pred': each column; 'all': the whole matrix. A zero sum gives zeros. Default: counts. */
  normalize?: 'true' | 'pred' | 'all';
}

/** The result of {@link confusionMatrix}. */
export interface ConfusionMatrix {
  /** The classes, in the order of the rows and columns. */
  readonly labels: Label[];
  /** `matrix[i][j]`: the (weighted) number of samples of class `labels[i]` predicted as `labels[j]`. */
  readonly matrix: Float64Array[];
}

/**
 * The confusion matrix (`confusion_matrix`): rows are true classes, columns predicted classes, so
 * for two classes [[tn, fp], [fn, tp]]. A 1 × 1 matrix (a single label in yTrue and yPred) is
 * returned with a warning, as scikit-learn's, suggesting the `labels` option.
 */
export function confusionMatrix(yTrue: Labels, yPred: Labels, options?: ConfusionMatrixOptions): ConfusionMatrix {
  const owner = 'confusionMatrix';
  const given = checkOptionNames(owner, options, ['labels', 'sampleWeight', 'normalize']);
  const { yTrue: t, yPred: p } = checkTargets(owner, yTrue, yPred);
  const weights = checkSampleWeight(owner, given.sampleWeight, t.length);
  const normalize =
    given.normalize === undefined ? undefined : checkChoice(owner, 'normalize', given.normalize, ['true', 'pred', 'all'] as const);
  let labels: Label[];
  if (given.labels === undefined) {
    labels = sortedUnique(t.values, p.values);
  } else {
    labels = checkLabelsOption(owner, given.labels, t);
    const inTrue = new Set(Array.from(t.values));
    if (!labels.some((label) => inTrue.has(label))) {
      throw new RangeError(`${owner}: at least one of labels (${listLabels(labels)}) must occur in yTrue`);
    }
  }
  const { matrix } = confusionCounts(owner, t, p, labels, weights);
  if (normalize !== undefined) normalizeMatrix(matrix, normalize);
  return { labels, matrix };
}

/** The unnormalized confusion matrix over `labels` (samples with other labels left out), warning when 1 × 1. */
function confusionCounts(
  owner: string,
  t: CheckedLabels,
  p: CheckedLabels,
  labels: Label[],
  weights: Float64Array | undefined,
): { matrix: Float64Array[] } {
  const k = labels.length;
  const matrix = Array.from({ length: k }, () => new Float64Array(k));
  const trueCodes = codesOf(t.values, labels);
  const predCodes = codesOf(p.values, labels);
  for (let i = 0; i < t.length; i++) {
    if (trueCodes[i] < 0 || predCodes[i] < 0) continue;
    matrix[trueCodes[i]][predCodes[i]] += weights ? weights[i] : 1;
  }
  if (k === 1) {
    warn(
      `${owner}: a single label was found in yTrue and yPred; for the confusion matrix to have the correct shape, ` +
        'pass all known labels in the labels option',
    );
  }
  return { matrix };
}

function normalizeMatrix(matrix: Float64Array[], normalize: 'true' | 'pred' | 'all'): void {
  const k = matrix.length;
  const divide = (i: number, j: number, by: number) => {
    const v = matrix[i][j] / by;
    matrix[i][j] = Number.isNaN(v) ? 0 : v;
  };
  if (normalize === 'true') {
    for (let i = 0; i < k; i++) {
      const sum = numpySum(matrix[i]);
      for (let j = 0; j < k; j++) divide(i, j, sum);
    }
  } else if (normalize === 'pred') {
    const sums = new Float64Array(k);
    // NumPy's sum(axis=0) of a k × k matrix: a running sum down each column (pairwise for k = 1, the same).
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) sums[j] += matrix[i][j];
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) divide(i, j, sums[j]);
  } else {
    const flat = new Float64Array(k * k);
    matrix.forEach((row, i) => flat.set(row, i * k));
    const sum = numpySum(flat);
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) divide(i, j, sum);
  }
}

/**
 * How per-class scores are combined: 'binary' reports the class `posLabel` only (yTrue and yPred
 * together may hold at most two labels); 'micro' counts true and false positives over all classes;
 * 'macro' is the unweighted mean of the per-class scores; 'weighted' their mean weighted by support
 * (the number of true samples of each class); 'none' returns the per-class scores (scikit-learn's
 * `average=None`).
 */
export type Average = 'binary' | 'micro' | 'macro' | 'weighted' | 'none';

/**
 * What a precision, recall or F-score with a zero denominator becomes: 'warn' (default) gives 0 and
 * a warning through `setWarningHandler`'s handler, 0 and 1 give that value silently, NaN gives NaN
 * (and the averages leave NaN classes out, as scikit-learn's `_nanaverage`).
 */
export type ZeroDivision = 'warn' | 0 | 1 | number;

/** Options of precisionScore, recallScore and f1Score. */
export interface PrecisionRecallOptions {
  /** See {@link Average}. Default 'binary' (precisionRecallFscoreSupport: 'none'). */
  average?: Average;
  /**
   * The classes to report and their order, for averages other than 'binary' (which uses
   * `[posLabel]`); labels absent from the data score by `zeroDivision`. Per-class counts still cover
   * every sample. Default: the labels of yTrue and yPred, ascending.
   */
  labels?: readonly Label[];
  /**
   * The positive class of average 'binary'. Default 1 (so string labels need it). With another
   * average a posLabel other than 1 is ignored, with a warning, as scikit-learn does.
   */
  posLabel?: Label;
  /** One weight >= 0 per sample, not all zero. */
  sampleWeight?: ArrayLike<number>;
  /** See {@link ZeroDivision}. Default 'warn'. */
  zeroDivision?: ZeroDivision;
}

/** Options of fbetaScore and precisionRecallFscoreSupport. */
export interface FbetaOptions extends PrecisionRecallOptions {
  /** The weight of recall: beta = 1 is F1, larger favours recall; 0 gives precision, Infinity recall. Required for fbetaScore. */
  beta?: number;
}

/** Per-class results of {@link precisionRecallFscoreSupport} (average 'none'). */
export interface PerClassScores {
  /** The classes, in the order of the arrays. */
  readonly labels: Label[];
  /** Per class: tp / (tp + fp), the fraction of its predictions that are right. */
  readonly precision: Float64Array;
  /** Per class: tp / (tp + fn), the fraction of its samples found. */
  readonly recall: Float64Array;
  /** Per class: the F-beta score of its precision and recall. */
  readonly fScore: Float64Array;
  /** The (weighted) number of true samples of each class. */
  readonly support: Float64Array;
}

/** Averaged results of {@link precisionRecallFscoreSupport}; scikit-learn returns no support then. */
export interface AveragedScores {
  /** The averaged precision. */
  readonly precision: number;
  /** The averaged recall. */
  readonly recall: number;
  /** The averaged F-beta score. */
  readonly fScore: number;
}

type Metric = 'precision' | 'recall' | 'f-score';

/**
 * Precision `tp / (tp + fp)`, recall `tp / (tp + fn)`, the F-beta score
 * `(1 + β²)·tp / ((1 + β²)·tp + β²·fn + fp)` and the support of each class, or their average
 * (`precision_recall_fscore_support`; average defaults to 'none' here as there). Every one of the three
 * with a zero denominator warns under `zeroDivision: 'warn'`.
 *
 * @throws RangeError for average 'binary' with more than two labels in yTrue and yPred or a posLabel
 *   not among two present labels; TypeError/RangeError for the input errors of accuracyScore and bad
 *   options (beta >= 0, Infinity allowed)
 */
export function precisionRecallFscoreSupport(yTrue: Labels, yPred: Labels, options?: FbetaOptions & { average?: 'none' }): PerClassScores;
export function precisionRecallFscoreSupport(yTrue: Labels, yPred: Labels, options: FbetaOptions & { average: Exclude<Average, 'none'> }): AveragedScores;
export function precisionRecallFscoreSupport(yTrue: Labels, yPred: Labels, options?: FbetaOptions): PerClassScores | AveragedScores;
export function precisionRecallFscoreSupport(yTrue: Labels, yPred: Labels, options?: FbetaOptions): PerClassScores | AveragedScores {
  const owner = 'precisionRecallFscoreSupport';
  const given = checkOptionNames(owner, options, ['beta', 'average', 'labels', 'posLabel', 'sampleWeight', 'zeroDivision']);
  const beta = given.beta === undefined ? 1 : checkBeta(owner, given.beta);
  return prfs(owner, yTrue, yPred, given, beta, 'none', ['precision', 'recall', 'f-score']);
}

/**
 * Precision, `tp / (tp + fp)`: of the samples predicted as a class, the fraction that belong to it
 * (`precision_score`). A number, or per class (in the order of `labels`) for average 'none'.
 */
export function precisionScore(yTrue: Labels, yPred: Labels, options: PrecisionRecallOptions & { average: 'none' }): Float64Array;
export function precisionScore(yTrue: Labels, yPred: Labels, options?: PrecisionRecallOptions & { average?: Exclude<Average, 'none'> }): number;
export function precisionScore(yTrue: Labels, yPred: Labels, options?: PrecisionRecallOptions): number | Float64Array;
export function precisionScore(yTrue: Labels, yPred: Labels, options?: PrecisionRecallOptions): number | Float64Array {
  const owner = 'precisionScore';
  const given = checkOptionNames(owner, options, ['average', 'labels', 'posLabel', 'sampleWeight', 'zeroDivision']);
  return pick(prfs(owner, yTrue, yPred, given, 1, 'binary', ['precision']), 'precision');
}

/**
 * Recall, `tp / (tp + fn)`: of the samples of a class, the fraction predicted as it (`recall_score`).
 * A number, or per class for average 'none'.
 */
export function recallScore(yTrue: Labels, yPred: Labels, options: PrecisionRecallOptions & { average: 'none' }): Float64Array;
export function recallScore(yTrue: Labels, yPred: Labels, options?: PrecisionRecallOptions & { average?: Exclude<Average, 'none'> }): number;
export function recallScore(yTrue: Labels, yPred: Labels, options?: PrecisionRecallOptions): number | Float64Array;
export function recallScore(yTrue: Labels, yPred: Labels, options?: PrecisionRecallOptions): number | Float64Array {
  const owner = 'recallScore';
  const given = checkOptionNames(owner, options, ['average', 'labels', 'posLabel', 'sampleWeight', 'zeroDivision']);
  return pick(prfs(owner, yTrue, yPred, given, 1, 'binary', ['recall']), 'recall');
}

/**
 * The F1 score, the harmonic mean of precision and recall, `2·tp / (2·tp + fp + fn)` (`f1_score`).
 * Warns only when the F-score itself is ill-defined (no true and no predicted samples).
 */
export function f1Score(yTrue: Labels, yPred: Labels, options: PrecisionRecallOptions & { average: 'none' }): Float64Array;
export function f1Score(yTrue: Labels, yPred: Labels, options?: PrecisionRecallOptions & { average?: Exclude<Average, 'none'> }): number;
export function f1Score(yTrue: Labels, yPred: Labels, options?: PrecisionRecallOptions): number | Float64Array;
export function f1Score(yTrue: Labels, yPred: Labels, options?: PrecisionRecallOptions): number | Float64Array {
  const owner = 'f1Score';
  const given = checkOptionNames(owner, options, ['average', 'labels', 'posLabel', 'sampleWeight', 'zeroDivision']);
  return pick(prfs(owner, yTrue, yPred, given, 1, 'binary', ['f-score']), 'fScore');
}

/**
 * The F-beta score `(1 + β²)·tp / ((1 + β²)·tp + β²·fn + fp)` (`fbeta_score`); `beta` is required.
 */
export function fbetaScore(yTrue: Labels, yPred: Labels, options: FbetaOptions & { beta: number; average: 'none' }): Float64Array;
export function fbetaScore(yTrue: Labels, yPred: Labels, options: FbetaOptions & { beta: number; average?: Exclude<Average, 'none'> }): number;
export function fbetaScore(yTrue: Labels, yPred: Labels, options: FbetaOptions & { beta: number }): number | Float64Array;
export function fbetaScore(yTrue: Labels, yPred: Labels, options: FbetaOptions & { beta: number }): number | Float64Array {
  const owner = 'fbetaScore';
  const given = checkOptionNames(owner, options, ['beta', 'average', 'labels', 'posLabel', 'sampleWeight', 'zeroDivision']);
  if (given.beta === undefined) throw new TypeError(`${owner}: beta is required (a number >= 0), got undefined`);
  const beta = checkBeta(owner, given.beta);
  return pick(prfs(owner, yTrue, yPred, given, beta, 'binary', ['f-score']), 'fScore');
}

function pick(result: PerClassScores | AveragedScores, key: 'precision' | 'recall' | 'fScore'): number | Float64Array {
  return result[key];
}

function checkBeta(owner: string, beta: unknown): number {
  if (beta === Infinity) return beta;
  return checkNumber(owner, 'beta', beta, { min: 0 });
}

function checkZeroDivision(owner: string, value: unknown): ZeroDivision {
  if (value === 'warn' || value === 0 || value === 1 || Number.isNaN(value)) return value as ZeroDivision;
  const message = `${owner}: zeroDivision must be 'warn', 0, 1 or NaN, got ${describe(value)}`;
  throw typeof value === 'number' ? new RangeError(message) : new TypeError(message);
}

const AVERAGES = ['binary', 'micro', 'macro', 'weighted', 'none'] as const;

/** scikit-learn's precision_recall_fscore_support with its `warn_for`. */
function prfs(
  owner: string,
  yTrue: unknown,
  yPred: unknown,
  given: Record<string, unknown>,
  beta: number,
  defaultAverage: Average,
  warnFor: readonly Metric[],
): PerClassScores | AveragedScores {
  const zeroDivision = given.zeroDivision === undefined ? 'warn' : checkZeroDivision(owner, given.zeroDivision);
  const average = given.average === undefined ? defaultAverage : checkChoice(owner, 'average', given.average, AVERAGES);
  const { yTrue: t, yPred: p } = checkTargets(owner, yTrue, yPred);
  const weights = checkSampleWeight(owner, given.sampleWeight, t.length);
  const present = sortedUnique(t.values, p.values);
  const posLabelGiven = given.posLabel !== undefined;
  const posLabel: Label = posLabelGiven ? checkLabelValue(owner, 'posLabel', given.posLabel, t) : 1;

  let labels: Label[];
  if (average === 'binary') {
    if (present.length > 2) {
      throw new RangeError(
        `${owner}: average 'binary' needs at most two classes, but yTrue and yPred hold ${present.length} (${listLabels(present)}); ` +
          "choose average 'micro', 'macro', 'weighted' or 'none'",
      );
    }
    if (typeof posLabel !== t.kind) {
      throw new TypeError(
        `${owner}: posLabel must be one of the labels (${listLabels(present)}) for average 'binary', got ${describe(posLabel)} (the default); pass posLabel`,
      );
    }
    if (!present.includes(posLabel) && present.length === 2) {
      throw new RangeError(`${owner}: posLabel must be one of the labels (${listLabels(present)}) for average 'binary', got ${describe(posLabel)}`);
    }
    // scikit-learn replaces labels by [posLabel] here; a labels option is still checked.
    if (given.labels !== undefined) checkLabelsOption(owner, given.labels, t);
    labels = [posLabel];
  } else {
    if (posLabelGiven && posLabel !== 1) {
      warn(
        `${owner}: posLabel (set to ${describe(posLabel)}) is ignored when average is not 'binary' (got '${average}'); ` +
          'you may use labels: [posLabel] to specify a single positive class',
      );
    }
    labels = given.labels === undefined ? present : checkLabelsOption(owner, given.labels, t);
  }

  // Per-class sums over every sample (multilabel_confusion_matrix), then the selected labels.
  const k = labels.length;
  const codesTrue = codesOf(t.values, labels);
  const codesPred = codesOf(p.values, labels);
  let tpSum = new Float64Array(k);
  let predSum = new Float64Array(k);
  let trueSum = new Float64Array(k);
  for (let i = 0; i < t.length; i++) {
    const w = weights ? weights[i] : 1;
    if (codesPred[i] >= 0) predSum[codesPred[i]] += w;
    if (codesTrue[i] >= 0) {
      trueSum[codesTrue[i]] += w;
      if (t.values[i] === p.values[i]) tpSum[codesTrue[i]] += w;
    }
  }
  if (average === 'micro') {
    tpSum = Float64Array.of(numpySum(tpSum));
    predSum = Float64Array.of(numpySum(predSum));
    trueSum = Float64Array.of(numpySum(trueSum));
  }

  const divide = (numerator: Float64Array, denominator: Float64Array, metric: Metric, modifier: string): Float64Array => {
    const result = new Float64Array(numerator.length);
    let undefinedAny = false;
    for (let c = 0; c < numerator.length; c++) {
      if (denominator[c] === 0) {
        undefinedAny = true;
        result[c] = zeroDivision === 'warn' ? 0 : zeroDivision;
      } else {
        result[c] = numerator[c] / denominator[c];
      }
    }
    if (undefinedAny && zeroDivision === 'warn' && warnFor.includes(metric)) {
      const name = metric === 'f-score' ? 'F-score' : metric[0].toUpperCase() + metric.slice(1);
      const where = result.length === 1 ? 'due to' : 'in labels with';
      warn(`${owner}: ${name} is ill-defined and being set to 0.0 ${where} no ${modifier} samples; use the zeroDivision option to control this behavior`);
    }
    return result;
  };

  const precision = divide(tpSum, predSum, 'precision', 'predicted');
  const recall = divide(tpSum, trueSum, 'recall', 'true');
  let fScore: Float64Array;
  if (beta === Infinity) {
    fScore = recall;
  } else if (beta === 0) {
    fScore = precision;
  } else {
    const beta2 = beta ** 2;
    const numerator = tpSum.map((tp) => (1 + beta2) * tp);
    const denominator = trueSum.map((trueCount, c) => beta2 * trueCount + predSum[c]);
    fScore = divide(numerator, denominator, 'f-score', 'true nor predicted');
  }

  if (average === 'none') return { labels, precision, recall, fScore, support: trueSum };
  const weightsOfAverage = average === 'weighted' ? trueSum : undefined;
  return {
    precision: nanAverage(precision, weightsOfAverage),
    recall: nanAverage(recall, weightsOfAverage),
    fScore: nanAverage(fScore, weightsOfAverage),
  };
}

/**
 * scikit-learn's `_nanaverage`: the (weighted) mean of the values that are not NaN; NaN when all
 * are; the unweighted mean when the remaining weights sum to zero.
 */
function nanAverage(values: Float64Array, weights?: Float64Array): number {
  const kept: number[] = [];
  const keptWeights: number[] = [];
  values.forEach((v, c) => {
    if (!Number.isNaN(v)) {
      kept.push(v);
      if (weights) keptWeights.push(weights[c]);
    }
  });
  if (kept.length === 0) return NaN;
  if (weights === undefined) {
    // np.nanmean: NaN replaced by 0 in place, so the pairwise sum groups as over all values.
    return numpySum(values.map((v) => (Number.isNaN(v) ? 0 : v))) / kept.length;
  }
  const scale = numpySum(keptWeights);
  if (scale === 0) return numpySum(kept) / kept.length;
  return numpySum(kept.map((v, i) => v * keptWeights[i])) / scale;
}
