/**
 * The input checks and shared arithmetic of the metrics: class labels (numbers or strings, as
 * scikit-learn's `_check_targets` and `type_of_target` accept them), scores and probabilities,
 * sample weights, and sums taken in NumPy's order so that results match scikit-learn to the last bits
 * where it matters (the `!= 0` tests of r2Score, the tie groups of the ROC curve).
 */
import { checkLabelKind, compareCodePoints, labelKind, type Label, type Labels } from '../model-selection/label-encoding.js';
import { describe } from '../validate.js';

export type { Label, Labels };

/** Class labels after checking: the values and their kind (never mixed). */
export interface CheckedLabels {
  readonly values: ArrayLike<Label>;
  readonly kind: 'number' | 'string';
  readonly length: number;
}

/**
 * A non-empty array (or typed array) of class labels: all numbers or all strings; numbers finite and
 * integer-valued (scikit-learn calls any other float target 'continuous' and refuses it in
 * classification metrics). TypeError for the wrong type, RangeError for a bad value, naming the
 * argument, the value and its index.
 */
export function checkLabels(owner: string, name: string, labels: unknown): CheckedLabels {
  const length = checkArrayLike(owner, name, labels);
  if (length === 0) throw new RangeError(`${owner}: ${name} must not be empty, got an empty array`);
  const values = labels as ArrayLike<unknown>;
  const kind = labelKind(owner, name, values);
  for (let i = 0; i < length; i++) {
    checkLabelKind(owner, name, values, i, kind);
    if (kind === 'number') checkClassNumber(owner, name, values[i] as number, i);
  }
  return { values: values as ArrayLike<Label>, kind, length };
}

function checkClassNumber(owner: string, name: string, label: number, index: number): void {
  if (!Number.isFinite(label)) {
    throw new RangeError(`${owner}: ${name} must hold finite labels, got ${describe(label)} at index ${index}`);
  }
  if (!Number.isInteger(label)) {
    throw new RangeError(
      `${owner}: ${name} must hold class labels (integers or strings), got ${describe(label)} at index ${index}; ` +
        'non-integer numbers are continuous targets, not classes',
    );
  }
}

/** `yTrue` and `yPred` (or scores' labels): same kind, same length. Returns both, checked. */
export function checkTargets(
  owner: string,
  yTrue: unknown,
  yPred: unknown,
  predName = 'yPred',
): { yTrue: CheckedLabels; yPred: CheckedLabels } {
  const t = checkLabels(owner, 'yTrue', yTrue);
  const p = checkLabels(owner, predName, yPred);
  if (p.length !== t.length) {
    throw new RangeError(`${owner}: ${predName} must have one label per sample (length ${t.length}, as yTrue), got length ${p.length}`);
  }
  checkSameKind(owner, t, predName, p);
  return { yTrue: t, yPred: p };
}

/** TypeError when `other` holds strings and yTrue numbers, or the reverse (scikit-learn's "Mix of label input types"). */
export function checkSameKind(owner: string, yTrue: CheckedLabels, otherName: string, other: CheckedLabels): void {
  if (other.kind !== yTrue.kind) {
    throw new TypeError(
      `${owner}: ${otherName} must hold ${yTrue.kind}s like yTrue (labels cannot mix numbers and strings), ` +
        `got ${describe(other.values[0])} at index 0`,
    );
  }
}

/** A `labels` option: a non-empty array of distinct labels of the same kind as `y`. */
export function checkLabelsOption(owner: string, labels: unknown, y: CheckedLabels, name = 'labels'): Label[] {
  if (!Array.isArray(labels) && !(ArrayBuffer.isView(labels) && !(labels instanceof DataView))) {
    throw new TypeError(`${owner}: ${name} must be an array of class labels, got ${describe(labels)}`);
  }
  const checked = checkLabels(owner, name, labels);
  checkSameKind(owner, y, name, checked);
  const list = Array.from(checked.values);
  const seen = new Set<Label>();
  list.forEach((label, i) => {
    if (seen.has(label)) throw new RangeError(`${owner}: ${name} must not contain duplicates, got ${describe(label)} twice (again at index ${i})`);
    seen.add(label);
  });
  return list;
}

/** A label option such as posLabel: a finite number or a string, of the kind of `y`'s labels. */
export function checkLabelValue(owner: string, name: string, value: unknown, y: CheckedLabels): Label {
  if (typeof value !== 'number' && typeof value !== 'string') {
    throw new TypeError(`${owner}: ${name} must be a class label (a number or a string), got ${describe(value)}`);
  }
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new RangeError(`${owner}: ${name} must be a finite number or a string, got ${describe(value)}`);
  }
  if (typeof value !== y.kind) {
    throw new TypeError(`${owner}: ${name} must be a ${y.kind} like the labels of yTrue, got ${describe(value)}`);
  }
  return value;
}

/** Compares labels as `np.unique` orders them: numbers numerically, strings by code point. */
export function compareLabels(a: Label, b: Label): number {
  if (typeof a === 'number') return (a as number) - (b as number);
  return compareCodePoints(a as string, b as string);
}

/** The distinct labels of all `arrays`, ascending (`np.unique` of their union). */
export function sortedUnique(...arrays: ArrayLike<Label>[]): Label[] {
  const seen = new Set<Label>();
  for (const array of arrays) for (let i = 0; i < array.length; i++) seen.add(array[i]);
  return Array.from(seen).sort(compareLabels);
}

/** `labels` formatted for a message: `0, 1, 2` or `"a", "b"`, shortened after 10. */
export function listLabels(labels: readonly Label[]): string {
  const shown = labels.slice(0, 10).map(describe).join(', ');
  return labels.length > 10 ? `${shown}, … (${labels.length} in all)` : shown;
}

/** The position of each label of `y` in `classes`, or -1 for a label not among them. */
export function codesOf(y: ArrayLike<Label>, classes: readonly Label[]): Int32Array {
  const position = new Map<Label, number>();
  classes.forEach((label, code) => position.set(label, code));
  const codes = new Int32Array(y.length);
  for (let i = 0; i < y.length; i++) codes[i] = position.get(y[i]) ?? -1;
  return codes;
}

/**
 * Scores, probabilities or regression values: an array or a numeric typed array of finite numbers
 * (scikit-learn's `check_array` refuses NaN and ±Infinity). Returns its length.
 */
export function checkFiniteNumbers(owner: string, name: string, values: unknown, what = 'numbers'): number {
  const length = checkArrayLike(owner, name, values);
  if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
    throw new TypeError(`${owner}: ${name} must hold numbers, got ${describe(values)}`);
  }
  const array = values as ArrayLike<unknown>;
  for (let i = 0; i < length; i++) {
    const v = array[i];
    if (typeof v !== 'number') throw new TypeError(`${owner}: ${name} must hold ${what}, got ${describe(v)} at index ${i}`);
    if (!Number.isFinite(v)) throw new RangeError(`${owner}: ${name} must hold finite ${what}, got ${describe(v)} at index ${i}`);
  }
  return length;
}

/**
 * The optional sampleWeight: one finite weight >= 0 per sample, not all zero (scikit-learn 1.9's
 * `_check_sample_weight` refuses all-zero weights). `undefined` means equal weights.
 */
export function checkSampleWeight(owner: string, weights: unknown, n: number): Float64Array | undefined {
  if (weights === undefined) return undefined;
  const length = checkFiniteNumbers(owner, 'sampleWeight', weights, 'weights');
  if (length !== n) throw new RangeError(`${owner}: sampleWeight must have one weight per sample (length ${n}), got length ${length}`);
  const w = Float64Array.from(weights as ArrayLike<number>);
  let nonzero = false;
  for (let i = 0; i < n; i++) {
    if (w[i] < 0) throw new RangeError(`${owner}: sampleWeight must hold weights >= 0, got ${describe(w[i])} at index ${i}`);
    if (w[i] !== 0) nonzero = true;
  }
  if (!nonzero) throw new RangeError(`${owner}: sampleWeight must contain at least one nonzero weight, got only zeros`);
  return w;
}

/** One of `allowed` (string options such as average): TypeError for a non-string, RangeError otherwise. */
export function checkChoice<T extends string>(owner: string, name: string, value: unknown, allowed: readonly T[], why = ''): T {
  const list = allowed.map((a) => `'${a}'`).join(', ');
  if (typeof value !== 'string') throw new TypeError(`${owner}: ${name} must be one of ${list}, got ${describe(value)}`);
  if (!allowed.includes(value as T)) throw new RangeError(`${owner}: ${name} must be one of ${list}${why}, got ${describe(value)}`);
  return value as T;
}

function checkArrayLike(owner: string, name: string, values: unknown): number {
  const isArrayLike = Array.isArray(values) || (ArrayBuffer.isView(values) && !(values instanceof DataView));
  if (!isArrayLike) throw new TypeError(`${owner}: ${name} must be an array or a typed array, got ${describe(values)}`);
  return (values as ArrayLike<unknown>).length;
}

/**
 * The sum of `n` values from `start`, as NumPy sums a contiguous float64 vector (`np.sum`, `np.mean`,
 * the reductions of `np.average`): pairwise summation, with blocks of at most 128 added by eight
 * interleaved accumulators. Same order, so the same bits.
 */
export function numpySum(values: ArrayLike<number>, start = 0, n = values.length - start): number {
  return 0 + pairwise(values, start, n);
}

function pairwise(a: ArrayLike<number>, start: number, n: number): number {
  if (n < 8) {
    let sum = 0;
    for (let i = start; i < start + n; i++) sum += a[i];
    return sum;
  }
  if (n <= 128) {
    const r = new Float64Array(8);
    for (let j = 0; j < 8; j++) r[j] = a[start + j];
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] += a[start + i + j];
    let sum = r[0] + r[1] + (r[2] + r[3]) + (r[4] + r[5] + (r[6] + r[7]));
    for (; i < n; i++) sum += a[start + i];
    return sum;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  return pairwise(a, start, half) + pairwise(a, start + half, n - half);
}

/**
 * The column sums of a row-major rows × columns matrix as NumPy's `sum(axis=0)` computes them: the
 * pairwise sum for a single column, a running sum down each column otherwise.
 */
export function columnSums(values: ArrayLike<number>, rows: number, columns: number): Float64Array {
  const sums = new Float64Array(columns);
  if (columns === 1) {
    sums[0] = numpySum(values, 0, rows);
    return sums;
  }
  for (let i = 0; i < rows; i++) for (let j = 0; j < columns; j++) sums[j] += values[i * columns + j];
  return sums;
}
