/** The result type of every splitter, and the construction of folds from a fold number per sample. */

/** One train/test split: indices of the samples (rows) to train on and to test on. */
export interface Fold {
  /** Indices of the rows to fit on. */
  readonly train: Uint32Array;
  /** Indices of the held-out rows to score on. */
  readonly test: Uint32Array;
}

/** A fold number per sample, in the smallest unsigned type that holds k folds. */
export type FoldAssignment = Uint8Array | Uint16Array | Uint32Array;

export function newFoldAssignment(n: number, k: number): FoldAssignment {
  if (k <= 0x100) return new Uint8Array(n);
  if (k <= 0x10000) return new Uint16Array(n);
  return new Uint32Array(n);
}

/**
 * The k folds of an assignment: fold f tests the samples assigned to f and trains on all others,
 * both in ascending order, as scikit-learn's `BaseCrossValidator.split` yields `indices[mask]`.
 * One pass over the samples per fold: O(n·k) time, which is the size of the output.
 */
export function foldsFromAssignment(foldOf: FoldAssignment, k: number): Fold[] {
  const n = foldOf.length;
  const testSizes = new Uint32Array(k);
  for (let i = 0; i < n; i++) testSizes[foldOf[i]]++;
  const folds: Fold[] = [];
  for (let f = 0; f < k; f++) {
    const test = new Uint32Array(testSizes[f]);
    const train = new Uint32Array(n - testSizes[f]);
    let t = 0;
    let r = 0;
    for (let i = 0; i < n; i++) {
      if (foldOf[i] === f) test[t++] = i;
      else train[r++] = i;
    }
    folds.push({ train, test });
  }
  return folds;
}

/** The indices start, start + 1, …, stop − 1. */
export function indexRange(start: number, stop: number): Uint32Array {
  const indices = new Uint32Array(Math.max(0, stop - start));
  for (let i = 0; i < indices.length; i++) indices[i] = start + i;
  return indices;
}

/**
 * Sizes of k near-equal consecutive blocks of n items, as KFold's `fold_sizes` and
 * `np.array_split`: the first n mod k blocks get ⌊n/k⌋ + 1 items, the others ⌊n/k⌋.
 */
export function blockSizes(n: number, k: number): Uint32Array {
  const sizes = new Uint32Array(k).fill(Math.floor(n / k));
  for (let f = 0; f < n % k; f++) sizes[f]++;
  return sizes;
}
