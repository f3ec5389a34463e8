/**
 * Class labels of the classifiers: numbers or strings (never both), numbered in ascending order as
 * scikit-learn's `classes_` (`np.unique`), so "ties go to the smallest label" means the first class.
 */
import { encodeLabels, type Label } from '../model-selection/label-encoding.js';
import { describe } from '../validate.js';
import { checkSameLength } from './training-data.js';

export type { Label };

/** Labels encoded as positions in the sorted `classes`. */
export interface ClassLabels {
  /** The distinct labels, ascending (numbers numerically, strings by code point). */
  readonly classes: Label[];
  /** `codes[i]` is the position of sample i's label in `classes`. */
  readonly codes: Uint32Array;
}

/**
 * Encodes `y` (length `n`, numbers or strings, not mixed, no NaN): TypeError/RangeError naming the
 * argument otherwise.
 */
export function encodeClassLabels(owner: string, name: string, y: unknown, n: number, xName = 'X'): ClassLabels {
  checkSameLength(owner, name, y, n, xName);
  const { classes, codes } = encodeLabels(owner, name, y, { order: 'sorted' });
  return { classes, codes };
}

/**
 * Encodes `y` against classes fixed in advance (`classes` option of the tree classifier, members of
 * a bagging ensemble): every label must be one of them.
 */
export function encodeWithClasses(owner: string, name: string, y: ArrayLike<unknown>, lookup: ClassLookup): Uint32Array {
  const codes = new Uint32Array(y.length);
  for (let i = 0; i < y.length; i++) codes[i] = lookup.codeOf(owner, name, y[i], i);
  return codes;
}

/** Maps labels back to their class positions, for predictions of weak learners. */
export class ClassLookup {
  private readonly positions = new Map<unknown, number>();

  constructor(readonly classes: readonly Label[]) {
    classes.forEach((label, code) => this.positions.set(label, code));
  }

  /** The position of `label` in `classes`; RangeError naming `name[index]` for an unknown label. */
  codeOf(owner: string, name: string, label: unknown, index: number): number {
    const code = this.positions.get(label);
    if (code === undefined) {
      throw new RangeError(
        `${owner}: ${name}[${index}] is ${describe(label)}, which is not one of the classes (${this.classes.map(describe).join(', ')})`,
      );
    }
    return code;
  }
}

/** Checks a `classes` option: a non-empty array of distinct numbers or strings, returned sorted. */
export function checkClassesOption(owner: string, classes: unknown): Label[] {
  if (!Array.isArray(classes)) throw new TypeError(`${owner}: classes must be an array of labels, got ${describe(classes)}`);
  const encoded = encodeLabels(owner, 'classes', classes, { order: 'sorted' });
  if (encoded.classes.length !== classes.length) {
    throw new RangeError(`${owner}: classes must not contain duplicates, got ${classes.map(describe).join(', ')}`);
  }
  return encoded.classes;
}

/** The first position of the largest of `k` values from `start` (np.argmax's tie rule). */
export function argmax(values: ArrayLike<number>, start: number, k: number): number {
  let best = 0;
  for (let c = 1; c < k; c++) if (values[start + c] > values[start + best]) best = c;
  return best;
}
