/**
 * Class labels and group labels as small integer codes, the form every stratified or grouped
 * splitter works on. Linear in the number of samples (one Map lookup each) plus a sort of the
 * distinct labels.
 */
import { describe } from '../validate.js';

/** A class or group label: numbers and strings, never both in one array. */
export type Label = number | string;

/** Labels as passed by users: arrays (or typed arrays) of numbers, or arrays of strings. */
export type Labels = ArrayLike<number> | ArrayLike<string>;

export interface EncodedLabels {
  /** The distinct labels, in the order given by `order`. */
  readonly classes: Label[];
  /** `codes[i]` is the position in `classes` of the label of sample i. */
  readonly codes: Uint32Array;
  /** `counts[c]` is the number of samples with label `classes[c]`. */
  readonly counts: Uint32Array;
}

export interface LabelEncodingRules {
  /**
   * 'first-appearance' numbers classes in the order they first occur (StratifiedKFold);
   * 'sorted' in ascending order as `np.unique` does (StratifiedShuffleSplit, GroupKFold):
   * numbers numerically, strings by Unicode code point.
   */
  order: 'first-appearance' | 'sorted';
  /**
   * Rejects numbers that are not integers, as scikit-learn's StratifiedKFold rejects a
   * 'continuous' target.
   */
  integersOnly?: boolean;
}

/**
 * Encodes `labels` (at least one). Throws a TypeError for a non-array, for elements that are
 * neither numbers nor strings or that mix the two, and a RangeError for NaN or ±Infinity (and for
 * non-integers under `integersOnly`). -0 and 0 are the same label, as in NumPy.
 */
export function encodeLabels(owner: string, name: string, labels: unknown, rules: LabelEncodingRules): EncodedLabels {
  const length = checkLabelArray(owner, name, labels);
  const values = labels as ArrayLike<unknown>;
  const kind = labelKind(owner, name, values);
  const codeOf = new Map<Label, number>();
  const firstSeen: Label[] = [];
  const codes = new Uint32Array(length);
  for (let i = 0; i < length; i++) {
    const label = values[i];
    checkLabelKind(owner, name, values, i, kind);
    let code = codeOf.get(label as Label);
    if (code === undefined) {
      if (kind === 'number') checkNumericLabel(owner, name, label as number, i, rules.integersOnly === true);
      code = firstSeen.length;
      codeOf.set(label as Label, code);
      firstSeen.push(label as Label);
    }
    codes[i] = code;
  }

  let classes = firstSeen;
  if (rules.order === 'sorted') {
    const order = Array.from(firstSeen.keys()).sort(kind === 'number' ? byNumber(firstSeen) : byCodePoints(firstSeen));
    const renumber = new Uint32Array(order.length);
    order.forEach((firstAppearance, rank) => (renumber[firstAppearance] = rank));
    for (let i = 0; i < length; i++) codes[i] = renumber[codes[i]];
    classes = order.map((firstAppearance) => firstSeen[firstAppearance]);
  }
  const counts = new Uint32Array(classes.length);
  for (let i = 0; i < length; i++) counts[codes[i]]++;
  return { classes, codes, counts };
}

/** The kind of a label array's first element: 'number' or 'string', else a TypeError. */
export function labelKind(owner: string, name: string, values: ArrayLike<unknown>): 'number' | 'string' {
  const kind = typeof values[0];
  if (kind !== 'number' && kind !== 'string') {
    throw new TypeError(`${owner}: ${name} must hold numbers or strings, got ${describe(values[0])} at index 0`);
  }
  return kind;
}

/** TypeError unless `values[i]` is of `kind`, naming a mix of numbers and strings as such. */
export function checkLabelKind(owner: string, name: string, values: ArrayLike<unknown>, i: number, kind: 'number' | 'string'): void {
  const label = values[i];
  if (typeof label === kind) return;
  if (typeof label === 'number' || typeof label === 'string') {
    throw new TypeError(`${owner}: ${name} mixes numbers and strings (${describe(values[0])} at index 0, ${describe(label)} at index ${i})`);
  }
  throw new TypeError(`${owner}: ${name} must hold numbers or strings, got ${describe(label)} at index ${i}`);
}

/** A non-string array-like of at least one element; returns its length. */
export function checkLabelArray(owner: string, name: string, labels: unknown): number {
  const isArrayLike =
    Array.isArray(labels) || (ArrayBuffer.isView(labels) && !(labels instanceof DataView));
  if (!isArrayLike) {
    throw new TypeError(`${owner}: ${name} must be an array or a typed array, got ${describe(labels)}`);
  }
  const length = (labels as ArrayLike<unknown>).length;
  if (length === 0) throw new RangeError(`${owner}: ${name} must not be empty, got an empty array`);
  return length;
}

function checkNumericLabel(owner: string, name: string, label: number, index: number, integersOnly: boolean): void {
  if (!Number.isFinite(label)) {
    throw new RangeError(`${owner}: ${name} must be finite, got ${describe(label)} at index ${index}`);
  }
  if (integersOnly && !Number.isInteger(label)) {
    throw new RangeError(
      `${owner}: ${name} must be class labels (integers or strings), got ${describe(label)} at index ${index}; ` +
        'continuous targets cannot be stratified',
    );
  }
}

const byNumber = (labels: Label[]) => (a: number, b: number) => (labels[a] as number) - (labels[b] as number);

/**
 * NumPy orders strings by code point; JavaScript's `<` by UTF-16 code unit, which differs when a
 * character above U+FFFF meets one from U+E000 to U+FFFF.
 */
const byCodePoints = (labels: Label[]) => (a: number, b: number) => compareCodePoints(labels[a] as string, labels[b] as string);

export function compareCodePoints(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.codePointAt(i)!;
    const cb = b.codePointAt(j)!;
    if (ca !== cb) return ca - cb;
    i += ca > 0xffff ? 2 : 1;
    j += cb > 0xffff ? 2 : 1;
  }
  return a.length - i - (b.length - j);
}

/**
 * The samples of each class in data order, one block per class: `members` holds the sample
 * indices of class 0, then of class 1, …; class c occupies `members[starts[c] .. starts[c + 1])`
 * (a counting sort, so linear). This is `np.split(argsort(codes, kind="stable"), cumsum(counts))`.
 */
export function membersByClass(encoded: EncodedLabels): { members: Uint32Array; starts: Uint32Array } {
  const { codes, counts } = encoded;
  const starts = new Uint32Array(counts.length + 1);
  for (let c = 0; c < counts.length; c++) starts[c + 1] = starts[c] + counts[c];
  const next = starts.slice(0, counts.length);
  const members = new Uint32Array(codes.length);
  for (let i = 0; i < codes.length; i++) members[next[codes[i]]++] = i;
  return { members, starts };
}
