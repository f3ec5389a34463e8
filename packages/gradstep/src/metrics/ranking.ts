/**
 * The area under the ROC curve, after scikit-learn 1.9's `roc_auc_score` (`sklearn/metrics/_ranking.py`,
 * `_base.py`): the ROC curve as `roc_curve` builds it (samples sorted by descending score, tied scores
 * grouped into one threshold, samples of weight 0 left out, collinear points dropped) and its area by
 * the trapezoidal rule; for multiclass targets one-vs-rest or one-vs-one (Hand & Till) averages.
 *
 * Scores layout, as gradstep's models give them: a flat row-major array of n rows × k values, where
 * n is the length of yTrue and k = scores.length / n. One value per sample (k = 1) is the binary
 * case: the score of the greater of the two labels. k ≥ 3 columns are the probabilities of each
 * class (rows summing to 1), in the order of the `labels` option or of the sorted labels of yTrue.
 *
 * One deliberate difference: scikit-learn 1.9 answers NaN, with an UndefinedMetricWarning, when yTrue
 * holds a single class (or when the sample weights leave one class with no weight); rocAucScore
 * throws a RangeError there, so that an undefined score cannot flow on as NaN. Inside a multiclass
 * average, a class absent from yTrue (possible with `labels`) is NaN with a warning, as in scikit-learn.
 */
import { warn } from '../model-selection/warnings.js';
import { checkOptionNames } from '../validate.js';
import {
  checkChoice,
  checkFiniteNumbers,
  checkLabels,
  checkLabelsOption,
  checkSampleWeight,
  codesOf,
  compareLabels,
  listLabels,
  numpySum,
  sortedUnique,
  type Label,
  type Labels,
} from './inputs.js';

/** Options of {@link rocAucScore}. */
export interface RocAucOptions {
  /**
   * Multiclass targets only (ignored for binary ones, as scikit-learn): 'ovr' scores each class
   * against the rest, 'ovo' each pair of classes (Hand & Till). Required for multiclass targets (as
   * scikit-learn's default 'raise').
   */
  multiClass?: 'ovr' | 'ovo';
  /**
   * Multiclass targets only: 'macro' (default) the unweighted mean over classes (or pairs); 'weighted'
   * weighted by class prevalence; 'micro' ('ovr' only) one curve over all (sample, class) pairs.
   */
  average?: 'macro' | 'weighted' | 'micro';
  /**
   * Multiclass targets only: the classes of the score columns, ascending and distinct (scikit-learn
   * requires them "ordered"), one per column. Default: the labels of yTrue.
   */
  labels?: readonly Label[];
  /** One weight >= 0 per sample, not all zero; not allowed with multiClass 'ovo' (as scikit-learn). */
  sampleWeight?: ArrayLike<number>;
}

/**
 * The area under the ROC curve (`roc_auc_score`): 1 for scores that rank every positive above every
 * negative, 0.5 for no skill; ties between a positive and a negative count one half.
 *
 * ```ts
 * rocAucScore([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);                 // 0.75
 * rocAucScore(y, proba, { multiClass: 'ovr' });                        // proba: n × k row-major
 * ```
 *
 * @throws RangeError when yTrue holds a single class (scikit-learn 1.9 warns and returns NaN there;
 *   see the module docs), when a binary problem's weights leave one class without weight, for scores
 *   whose length is not a multiple of yTrue's, multiclass rows that do not sum to 1 (np.allclose), a
 *   yTrue label missing from `labels`, `labels` unsorted or not one per column; TypeError/RangeError for
 *   the input errors of the other metrics (NaN, Infinity, empty arrays, mixed labels)
 */
export function rocAucScore(yTrue: Labels, yScore: ArrayLike<number>, options?: RocAucOptions): number {
  const owner = 'rocAucScore';
  const given = checkOptionNames(owner, options, ['multiClass', 'average', 'labels', 'sampleWeight']);
  const t = checkLabels(owner, 'yTrue', yTrue);
  const n = t.length;
  const length = checkFiniteNumbers(owner, 'yScore', yScore, 'scores');
  if (length === 0 || length % n !== 0) {
    throw new RangeError(
      `${owner}: yScore must hold n × k scores in row-major order for the n = ${n} samples of yTrue ` +
        `(one per sample for binary targets, one per class for multiclass ones), got length ${length}`,
    );
  }
  const k = length / n;
  const weights = checkSampleWeight(owner, given.sampleWeight, n);
  const multiClass = given.multiClass === undefined ? undefined : checkChoice(owner, 'multiClass', given.multiClass, ['ovr', 'ovo'] as const);
  const average = given.average === undefined ? 'macro' : checkChoice(owner, 'average', given.average, ['macro', 'weighted', 'micro'] as const);
  const labelsOption = given.labels === undefined ? undefined : checkLabelsOption(owner, given.labels, t);
  const present = sortedUnique(t.values);

  if (present.length > 2 || k > 2) {
    if (k === 1) {
      throw new RangeError(
        `${owner}: yScore must hold one probability per class for each sample (n × k, row-major) since yTrue holds ` +
          `${present.length} classes (${listLabels(present)}), got one score per sample`,
      );
    }
    return multiclassAuc(owner, t.values, present, yScore, n, k, { multiClass, average, labels: labelsOption, weights });
  }
  if (k === 2) {
    throw new RangeError(
      `${owner}: for binary yTrue, yScore must hold one score per sample (the score of the greater label, ` +
        `${describeLabel(present[present.length - 1])}), got 2 per sample; pass the second column of the probabilities`,
    );
  }
  if (present.length < 2) {
    throw new RangeError(`${owner}: yTrue must contain two classes, got only ${describeLabel(present[0])}; ROC AUC is not defined for one class`);
  }
  const positive = new Uint8Array(n);
  for (let i = 0; i < n; i++) positive[i] = t.values[i] === present[1] ? 1 : 0;
  const auc = binaryAuc(positive, yScore, weights);
  if (auc.missing !== undefined) {
    throw new RangeError(`${owner}: every ${auc.missing} sample of yTrue has sampleWeight 0; ROC AUC needs both classes with weight`);
  }
  return auc.area;
}

function describeLabel(label: Label): string {
  return listLabels([label]);
}

interface MulticlassOptions {
  multiClass: 'ovr' | 'ovo' | undefined;
  average: 'macro' | 'weighted' | 'micro';
  labels: Label[] | undefined;
  weights: Float64Array | undefined;
}

function multiclassAuc(
  owner: string,
  y: ArrayLike<Label>,
  present: Label[],
  scores: ArrayLike<number>,
  n: number,
  k: number,
  o: MulticlassOptions,
): number {
  if (o.multiClass === undefined) {
    throw new RangeError(`${owner}: multiClass must be 'ovr' or 'ovo' for multiclass targets (yScore has ${k} columns), got undefined`);
  }
  for (let i = 0; i < n; i++) {
    const sum = numpySum(scores, i * k, k);
    // np.allclose(1, sums): |1 − sum| <= 1e-8 + 1e-5·|sum|.
    if (!(Math.abs(1 - sum) <= 1e-8 + 1e-5 * Math.abs(sum))) {
      throw new RangeError(
        `${owner}: yScore must hold probabilities for multiclass ROC AUC, each row summing to 1 over the classes; row ${i} sums to ${sum}`,
      );
    }
  }
  if (o.average === 'micro' && o.multiClass === 'ovo') {
    throw new RangeError(`${owner}: average must be 'macro' or 'weighted' for multiClass 'ovo', got 'micro'`);
  }
  let classes: Label[];
  if (o.labels !== undefined) {
    classes = o.labels;
    const sorted = [...classes].sort(compareLabels);
    if (sorted.some((label, i) => label !== classes[i])) {
      throw new RangeError(`${owner}: labels must be in ascending order (as the columns of yScore), got ${listLabels(classes)}`);
    }
    if (classes.length !== k) {
      throw new RangeError(`${owner}: labels must name one class per column of yScore (${k}), got ${classes.length} labels`);
    }
    const known = new Set(classes);
    const unknown = present.find((label) => !known.has(label));
    if (unknown !== undefined) {
      throw new RangeError(`${owner}: yTrue contains ${describeLabel(unknown)}, which is not one of labels (${listLabels(classes)})`);
    }
  } else {
    classes = present;
    if (classes.length !== k) {
      throw new RangeError(
        `${owner}: yTrue holds ${classes.length} classes (${listLabels(classes)}) but yScore has ${k} columns; ` +
          'pass the labels option to name the class of each column',
      );
    }
  }
  if (present.length < 2) {
    throw new RangeError(`${owner}: yTrue must contain at least two classes, got only ${describeLabel(present[0])}; ROC AUC is not defined for one class`);
  }
  const codes = codesOf(y, classes);
  return o.multiClass === 'ovo' ? oneVsOne(owner, codes, scores, k, o) : oneVsRest(owner, codes, scores, n, k, o);
}

function oneVsRest(owner: string, codes: Int32Array, scores: ArrayLike<number>, n: number, k: number, o: MulticlassOptions): number {
  if (o.average === 'micro') {
    const positive = new Uint8Array(n * k);
    for (let i = 0; i < n; i++) positive[i * k + codes[i]] = 1;
    let weights: Float64Array | undefined;
    if (o.weights) {
      weights = new Float64Array(n * k);
      for (let i = 0; i < n; i++) weights.fill(o.weights[i], i * k, i * k + k);
    }
    return innerAuc(owner, positive, scores, weights);
  }
  const perClass = new Float64Array(k);
  const column = new Float64Array(n);
  const positive = new Uint8Array(n);
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < n; i++) {
      column[i] = scores[i * k + c];
      positive[i] = codes[i] === c ? 1 : 0;
    }
    perClass[c] = innerAuc(owner, positive, column, o.weights);
  }
  if (o.average === 'macro') return numpySum(perClass) / k;
  // 'weighted': by the (weighted) number of samples of each class, `sum(y_true * w, axis=0)`.
  const prevalence = new Float64Array(k);
  for (let i = 0; i < n; i++) prevalence[codes[i]] += o.weights ? o.weights[i] : 1;
  const total = numpySum(prevalence);
  if (Math.abs(total) <= 1e-8) return 0;
  for (let c = 0; c < k; c++) if (prevalence[c] === 0) perClass[c] = 0;
  return numpySum(perClass.map((score, c) => score * prevalence[c])) / total;
}

function oneVsOne(owner: string, codes: Int32Array, scores: ArrayLike<number>, k: number, o: MulticlassOptions): number {
  if (o.weights !== undefined) throw new TypeError(`${owner}: sampleWeight is not supported with multiClass 'ovo'`);
  const n = codes.length;
  const present = Array.from(new Set(codes)).sort((a, b) => a - b);
  const pairScores: number[] = [];
  const prevalence: number[] = [];
  for (let ia = 0; ia < present.length; ia++) {
    for (let ib = ia + 1; ib < present.length; ib++) {
      const a = present[ia];
      const b = present[ib];
      const rows: number[] = [];
      for (let i = 0; i < n; i++) if (codes[i] === a || codes[i] === b) rows.push(i);
      const isA = Uint8Array.from(rows, (i) => (codes[i] === a ? 1 : 0));
      const isB = Uint8Array.from(rows, (i) => (codes[i] === b ? 1 : 0));
      const scoreA = Float64Array.from(rows, (i) => scores[i * k + a]);
      const scoreB = Float64Array.from(rows, (i) => scores[i * k + b]);
      const aucA = innerAuc(owner, isA, scoreA, undefined);
      const aucB = innerAuc(owner, isB, scoreB, undefined);
      pairScores.push((aucA + aucB) / 2);
      prevalence.push(rows.length / n);
    }
  }
  if (o.average === 'macro') return numpySum(pairScores) / pairScores.length;
  return numpySum(pairScores.map((score, i) => score * prevalence[i])) / numpySum(prevalence);
}

/**
 * The AUC of one class of a multiclass average: NaN, with scikit-learn's warning, when the class is
 * absent (possible with `labels`) or has no weight.
 */
function innerAuc(owner: string, positive: Uint8Array, scores: ArrayLike<number>, weights: Float64Array | undefined): number {
  let positives = 0;
  for (let i = 0; i < positive.length; i++) positives += positive[i];
  if (positives === 0 || positives === positive.length) {
    warn(`${owner}: only one class is present in yTrue for a one-vs-rest class; its ROC AUC is not defined and is NaN`);
    return NaN;
  }
  const auc = binaryAuc(positive, scores, weights);
  if (auc.missing !== undefined) {
    warn(`${owner}: no ${auc.missing} samples with nonzero weight for a one-vs-rest class; its ROC AUC is NaN`);
  }
  return auc.area;
}

/**
 * The area under the ROC curve of 0/1 targets, as scikit-learn computes it: `missing` names the class
 * left without weight (the area is then NaN).
 */
function binaryAuc(
  positive: Uint8Array,
  scores: ArrayLike<number>,
  weights: Float64Array | undefined,
): { area: number; missing?: 'positive' | 'negative' } {
  // Samples of weight 0 are left out; the rest sorted by descending score, ties in data order.
  let order: number[] = [];
  for (let i = 0; i < positive.length; i++) if (weights === undefined || weights[i] !== 0) order.push(i);
  order = order.sort((a, b) => scores[b] - scores[a] || a - b);
  const m = order.length;

  // Cumulative (weighted) true and false positives at the last sample of each distinct score.
  const tps: number[] = [];
  const fps: number[] = [];
  let tp = 0;
  let fp = 0;
  for (let r = 0; r < m; r++) {
    const i = order[r];
    const w = weights ? weights[i] : 1;
    tp += positive[i] * w;
    if (weights) fp += (1 - positive[i]) * w;
    if (r === m - 1 || scores[order[r + 1]] !== scores[i]) {
      tps.push(tp);
      fps.push(weights ? fp : 1 + r - tp);
    }
  }

  // Drop the points collinear with their neighbours (np.diff(·, 2) == 0 in both coordinates).
  let keptT = tps;
  let keptF = fps;
  if (fps.length > 2) {
    keptT = [tps[0]];
    keptF = [fps[0]];
    for (let j = 1; j < fps.length - 1; j++) {
      const bendF = fps[j + 1] - fps[j] - (fps[j] - fps[j - 1]);
      const bendT = tps[j + 1] - tps[j] - (tps[j] - tps[j - 1]);
      if (bendF !== 0 || bendT !== 0) {
        keptT.push(tps[j]);
        keptF.push(fps[j]);
      }
    }
    keptT.push(tps[tps.length - 1]);
    keptF.push(fps[fps.length - 1]);
  }
  const points = keptT.length + 1;
  const lastF = keptF[keptF.length - 1];
  const lastT = keptT[keptT.length - 1];
  const missing = lastF <= 0 ? 'negative' : lastT <= 0 ? 'positive' : undefined;
  if (missing !== undefined) return { area: NaN, missing };

  const fpr = new Float64Array(points);
  const tpr = new Float64Array(points);
  for (let j = 1; j < points; j++) {
    fpr[j] = keptF[j - 1] / lastF;
    tpr[j] = keptT[j - 1] / lastT;
  }
  // np.trapezoid(tpr, fpr): sum of dx · (y[1:] + y[:-1]) / 2.
  const terms = new Float64Array(points - 1);
  for (let j = 0; j < points - 1; j++) terms[j] = ((fpr[j + 1] - fpr[j]) * (tpr[j + 1] + tpr[j])) / 2;
  return { area: numpySum(terms) };
}
