/** K-fold cross-validation: scikit-learn's KFold and RepeatedKFold. */
import { checkOptionNames, checkSampleCount } from '../validate.js';
import { checkFlag, checkFoldCount, rejectSeedWithoutShuffle } from './argument-checks.js';
import { blockSizes, foldsFromAssignment, newFoldAssignment, type Fold, type FoldAssignment } from './folds.js';
import { randomFrom, type Random, type Seed } from './random.js';

/** Options of {@link kFold}, {@link stratifiedKFold} and {@link groupKFold}: the number of folds and the shuffle. */
export interface KFoldOptions {
  /** Number of folds, at least 2 and at most n. Default 5. */
  k?: number;
  /** Shuffle the samples before cutting them into folds. Default false. */
  shuffle?: boolean;
  /** Seed of the shuffle (only with `shuffle: true`); a `Random` is advanced. Default: a fresh random seed. */
  seed?: Seed;
}

/**
 * K-fold cross-validation folds of n samples, as scikit-learn's `KFold(n_splits=k, shuffle, random_state)`:
 * the samples (shuffled if asked) are cut into k consecutive blocks, the first n mod k of size
 * ⌊n/k⌋ + 1 and the others ⌊n/k⌋; fold f tests block f and trains on the rest. Train and test
 * indices come in ascending order. Without shuffling the folds are exactly scikit-learn's.
 *
 * Differences from scikit-learn: the shuffle uses {@link Random} (PCG32), not NumPy's MT19937, so
 * shuffled folds have the same sizes but other members. All folds are returned at once: memory is
 * n·k indices.
 *
 * @throws RangeError if n < 1, k < 2, k > n, or a seed is given with `shuffle: false` (as scikit-learn)
 */
export function kFold(n: number, options?: KFoldOptions): Fold[] {
  const owner = 'kFold';
  const given = checkOptionNames(owner, options, ['k', 'shuffle', 'seed']);
  checkSampleCount(owner, 'n', n);
  const k = checkFoldCount(owner, given.k ?? 5, n);
  const shuffle = checkFlag(owner, 'shuffle', given.shuffle, false);
  const seed = given.seed as Seed | undefined;
  rejectSeedWithoutShuffle(owner, shuffle, seed);
  const rng = shuffle ? randomFrom(seed, `${owner}: seed`) : null;
  return foldsFromAssignment(kFoldAssignment(n, k, rng), k);
}

/** Options of {@link repeatedKFold} and {@link repeatedStratifiedKFold}: folds, repetitions and seed. */
export interface RepeatedKFoldOptions {
  /** Number of folds per repetition, at least 2 and at most n. Default 5. */
  k?: number;
  /** Number of repetitions, at least 1. Default 10. */
  repeats?: number;
  /** Seed of the shuffles; a `Random` is advanced. Default: a fresh random seed. */
  seed?: Seed;
}

/**
 * K-fold cross-validation repeated with a new shuffle each time, as scikit-learn's `RepeatedKFold`:
 * `repeats` shuffled {@link kFold}s one after the other (k·repeats folds, repetition by repetition),
 * every shuffle drawn from one generator, so a seed fixes all of them.
 *
 * @throws RangeError if n < 1, k < 2, k > n or repeats < 1
 */
export function repeatedKFold(n: number, options?: RepeatedKFoldOptions): Fold[] {
  const owner = 'repeatedKFold';
  const given = checkOptionNames(owner, options, ['k', 'repeats', 'seed']);
  checkSampleCount(owner, 'n', n);
  const k = checkFoldCount(owner, given.k ?? 5, n);
  const repeats = checkSampleCount(owner, 'repeats', given.repeats ?? 10);
  const rng = randomFrom(given.seed as Seed | undefined, `${owner}: seed`);
  const folds: Fold[] = [];
  for (let r = 0; r < repeats; r++) folds.push(...foldsFromAssignment(kFoldAssignment(n, k, rng), k));
  return folds;
}

/**
 * The fold of each of n items: position p of the (shuffled) order goes to the block holding p.
 * Also used by groupKFold, over groups.
 */
export function kFoldAssignment(n: number, k: number, rng: Random | null): FoldAssignment {
  const order = rng ? rng.permutation(n) : null;
  const foldOf = newFoldAssignment(n, k);
  const sizes = blockSizes(n, k);
  let position = 0;
  for (let f = 0; f < k; f++) {
    const end = position + sizes[f];
    if (order) for (let p = position; p < end; p++) foldOf[order[p]] = f;
    else foldOf.fill(f, position, end);
    position = end;
  }
  return foldOf;
}
