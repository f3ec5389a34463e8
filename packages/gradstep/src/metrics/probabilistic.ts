/**
 * Losses of predicted probabilities, after scikit-learn 1.9's `log_loss` and `brier_score_loss`
 * (`sklearn/metrics/_classification.py`).
 *
 * Probabilities layout, as gradstep's models give them: a flat row-major array of n rows × k values,
 * n the length of yTrue and k = yProba.length / n. k = 1 is the binary case: the probability of the
 * positive class (for logLoss, the greater of the two labels). Otherwise one column per class, in
 * ascending label order (the order of `labels` once sorted, or of the labels of yTrue).
 *
 * Clipping (log loss): scikit-learn 1.9 clips probabilities to [eps, 1 − eps] with eps the machine
 * epsilon of the probabilities' dtype, and does not renormalize rows (a row that does not sum to 1
 * within √eps only warns). Here eps is 2^-23 for a Float32Array and 2^-52 otherwise; the arithmetic is
 * float64 throughout (scikit-learn computes in float32 for float32 input, so results from a
 * Float32Array differ from its in the 7th digit or so).
 */
import { warn } from '../model-selection/warnings.js';
import { checkBoolean, checkOptionNames, describe } from '../validate.js';
import {
  checkFiniteNumbers,
  checkLabels,
  checkLabelsOption,
  checkLabelValue,
  checkSampleWeight,
  codesOf,
  compareLabels,
  listLabels,
  numpySum,
  sortedUnique,
  type CheckedLabels,
  type Label,
  type Labels,
} from './inputs.js';

/** Options of {@link logLoss}. */
export interface LogLossOptions {
  /** true (default): the (weighted) mean loss per sample; false: the (weighted) sum. */
  normalize?: boolean;
  /** One weight >= 0 per sample, not all zero. */
  sampleWeight?: ArrayLike<number>;
  /**
   * All the classes (at least two), when yTrue may lack some; columns are in their ascending order
   * whatever the order given (scikit-learn warns when it is not sorted, and so does this).
   */
  labels?: readonly Label[];
}

/**
 * The cross-entropy loss, `−mean(log p(true class))` (`log_loss`), probabilities clipped to
 * [eps, 1 − eps] (see the module docs).
 *
 * @throws RangeError for probabilities outside [0, 1], NaN or Infinity, a length that is not a
 *   multiple of yTrue's, a column count other than the number of classes, a yTrue label not in
 *   `labels`, fewer than two classes; TypeError/RangeError for the input errors of the other metrics
 */
export function logLoss(yTrue: Labels, yProba: ArrayLike<number>, options?: LogLossOptions): number {
  const owner = 'logLoss';
  const given = checkOptionNames(owner, options, ['normalize', 'sampleWeight', 'labels']);
  const normalize = given.normalize === undefined ? true : checkBoolean(owner, 'normalize', given.normalize);
  const { t, k, weights } = checkProbabilities(owner, yTrue, yProba, given.sampleWeight);
  const { codes, columns } = classColumns(owner, t, given.labels, yProba, k);
  const eps = yProba instanceof Float32Array ? 2 ** -23 : 2 ** -52;
  const n = t.length;
  const losses = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = columns === 2 && k === 1 ? (codes[i] === 1 ? yProba[i] : 1 - yProba[i]) : yProba[i * k + codes[i]];
    losses[i] = -Math.log(Math.min(Math.max(p, eps), 1 - eps));
  }
  if (weights === undefined) return normalize ? numpySum(losses) / n : numpySum(losses);
  const weighted = losses.map((loss, i) => loss * weights[i]);
  return normalize ? numpySum(weighted) / numpySum(weights) : numpySum(weighted);
}

/** Options of {@link brierScoreLoss}. */
export interface BrierScoreOptions {
  /** One weight >= 0 per sample, not all zero. */
  sampleWeight?: ArrayLike<number>;
  /**
   * Binary case (one probability per sample): the positive class. Default: 1 when the labels of
   * yTrue are among {0, 1} or {−1, 1}, else the greater label; string labels need it. A posLabel
   * absent from yTrue makes every sample negative (as scikit-learn).
   */
  posLabel?: Label;
  /** Multiclass case: all the classes, as for logLoss. */
  labels?: readonly Label[];
  /**
   * Halve the sum of squared differences over the columns: 'auto' (default) does for one or two
   * columns, so that the binary Brier score is `mean((y − p)²)`, and not for three or more.
   */
  scaleByHalf?: boolean | 'auto';
}

/**
 * The Brier score (`brier_score_loss`): the mean squared difference between the predicted
 * probabilities and the one-hot true classes; for one probability per sample `mean((y − p)²)` with
 * y = 1 for posLabel.
 *
 * @throws RangeError for a binary case whose yTrue holds more than two labels, string labels without
 *   posLabel, probabilities outside [0, 1], and the errors of logLoss for the multiclass case
 */
export function brierScoreLoss(yTrue: Labels, yProba: ArrayLike<number>, options?: BrierScoreOptions): number {
  const owner = 'brierScoreLoss';
  const given = checkOptionNames(owner, options, ['sampleWeight', 'posLabel', 'labels', 'scaleByHalf']);
  const scaleByHalfOption =
    given.scaleByHalf === undefined || given.scaleByHalf === 'auto' ? 'auto' : checkBoolean(owner, 'scaleByHalf', given.scaleByHalf);
  const { t, k, weights } = checkProbabilities(owner, yTrue, yProba, given.sampleWeight);
  const n = t.length;
  const rowSums = new Float64Array(n);
  if (k === 1) {
    if (given.labels !== undefined) checkLabelsOption(owner, given.labels, t);
    const present = sortedUnique(t.values);
    if (present.length > 2) {
      throw new RangeError(
        `${owner}: yTrue must hold at most two classes for one probability per sample, got ${present.length} (${listLabels(present)}); ` +
          'pass n × k probabilities for multiclass targets',
      );
    }
    const posLabel = given.posLabel === undefined ? defaultPosLabel(owner, present) : checkLabelValue(owner, 'posLabel', given.posLabel, t);
    for (let i = 0; i < n; i++) {
      const y = t.values[i] === posLabel ? 1 : 0;
      const p = yProba[i];
      // scikit-learn's two columns [1 − y, y] − [1 − p, p], squared and summed.
      const negative = 1 - y - (1 - p);
      const positive = y - p;
      rowSums[i] = 0 + negative * negative + positive * positive;
    }
  } else {
    if (given.posLabel !== undefined) checkLabelValue(owner, 'posLabel', given.posLabel, t);
    const { codes } = classColumns(owner, t, given.labels, yProba, k);
    const row = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < k; c++) {
        const d = (codes[i] === c ? 1 : 0) - yProba[i * k + c];
        row[c] = d * d;
      }
      rowSums[i] = numpySum(row);
    }
  }
  let score = weights === undefined ? numpySum(rowSums) / n : numpySum(rowSums.map((s, i) => s * weights[i])) / numpySum(weights);
  const scaleByHalf = scaleByHalfOption === 'auto' ? k < 3 : scaleByHalfOption;
  if (scaleByHalf) score *= 0.5;
  return score;
}

/** `_check_pos_label_consistency` with brier_score_loss's fallback to the greater numeric label. */
function defaultPosLabel(owner: string, present: Label[]): Label {
  if (typeof present[0] === 'string') {
    throw new RangeError(
      `${owner}: yTrue takes values in {${listLabels(present)}} and posLabel is not given: pass posLabel to name the positive class`,
    );
  }
  const key = present.join(',');
  if (['0,1', '-1,1', '0', '-1', '1'].includes(key)) return 1;
  return present[present.length - 1];
}

/** yTrue, yProba (n × k, finite, within [0, 1]) and sampleWeight, checked. */
function checkProbabilities(
  owner: string,
  yTrue: unknown,
  yProba: unknown,
  sampleWeight: unknown,
): { t: CheckedLabels; k: number; weights: Float64Array | undefined } {
  const t = checkLabels(owner, 'yTrue', yTrue);
  const n = t.length;
  const length = checkFiniteNumbers(owner, 'yProba', yProba, 'probabilities');
  if (length === 0 || length % n !== 0) {
    throw new RangeError(
      `${owner}: yProba must hold n × k probabilities in row-major order for the n = ${n} samples of yTrue ` +
        `(one per sample for the positive class, or one per class), got length ${length}`,
    );
  }
  const p = yProba as ArrayLike<number>;
  for (let i = 0; i < length; i++) {
    if (p[i] > 1) throw new RangeError(`${owner}: yProba must hold probabilities from 0 to 1, got ${describe(p[i])} at index ${i}`);
    if (p[i] < 0) throw new RangeError(`${owner}: yProba must hold probabilities from 0 to 1, got ${describe(p[i])} at index ${i}`);
  }
  const weights = checkSampleWeight(owner, sampleWeight, n);
  return { t, k: length / n, weights };
}

/**
 * The classes (`LabelBinarizer` fitted on `labels` or yTrue: ascending) and each sample's position
 * among them; checks there are at least two, one per column (two for one column), and warns for rows
 * that do not sum to 1 within √eps.
 */
function classColumns(
  owner: string,
  t: CheckedLabels,
  labelsOption: unknown,
  yProba: ArrayLike<number>,
  k: number,
): { codes: Int32Array; columns: number } {
  let classes: Label[];
  if (labelsOption !== undefined) {
    const labels = checkLabelsOption(owner, labelsOption, t);
    classes = [...labels].sort(compareLabels);
    if (classes.some((label, i) => label !== labels[i])) {
      warn(
        `${owner}: labels passed were ${listLabels(labels)}, but this function assumes labels are ordered lexicographically; ` +
          `pass the ordered labels ${listLabels(classes)} and make sure the columns of yProba follow this order`,
      );
    }
    const known = new Set(classes);
    for (let i = 0; i < t.length; i++) {
      if (!known.has(t.values[i])) {
        throw new RangeError(`${owner}: yTrue[${i}] is ${describe(t.values[i])}, which is not one of labels (${listLabels(labels)})`);
      }
    }
    if (classes.length < 2) throw new RangeError(`${owner}: labels must hold at least two classes, got ${listLabels(classes)}`);
  } else {
    classes = sortedUnique(t.values);
    if (classes.length < 2) {
      throw new RangeError(
        `${owner}: yTrue contains only one label (${listLabels(classes)}); pass all expected classes in the labels option`,
      );
    }
  }
  warnUnlessRowsSumToOne(owner, yProba, t.length, k);
  return { codes: codesOf(t.values, classes), columns: checkColumns(owner, classes, k, labelsOption !== undefined) };
}

function checkColumns(owner: string, classes: Label[], k: number, fromLabels: boolean): number {
  const columns = k === 1 ? 2 : k;
  if (classes.length !== columns) {
    const source = fromLabels ? 'labels' : 'yTrue';
    throw new RangeError(
      `${owner}: ${source} holds ${classes.length} classes (${listLabels(classes)}) but yProba has ${columns} ` +
        `${k === 1 ? 'columns (one probability per sample is the binary case)' : 'columns'}` +
        `${fromLabels ? '' : '; pass all classes in the labels option'}`,
    );
  }
  return columns;
}

/**
 * Warns, as scikit-learn, when a row of probabilities does not sum to 1: `np.isclose(sum, 1, rtol=√eps)`,
 * that is |sum − 1| <= 1e-8 + √eps.
 */
function warnUnlessRowsSumToOne(owner: string, yProba: ArrayLike<number>, n: number, k: number): void {
  if (k === 1) return;
  const eps = yProba instanceof Float32Array ? 2 ** -23 : 2 ** -52;
  const tolerance = 1e-8 + Math.sqrt(eps);
  for (let i = 0; i < n; i++) {
    const sum = numpySum(yProba, i * k, k);
    if (!(Math.abs(sum - 1) <= tolerance)) {
      warn(`${owner}: the rows of yProba do not sum to one (row ${i} sums to ${sum}); make sure to pass probabilities`);
      return;
    }
  }
}
