/** One train/test split: scikit-learn's `train_test_split`, on indices. */
import { checkOptionNames, checkSampleCount } from '../validate.js';
import { checkFlag } from './argument-checks.js';
import { indexRange, type Fold } from './folds.js';
import { encodeLabels, type Labels } from './label-encoding.js';
import { Random, randomFrom, resolveSeed, type Seed } from './random.js';
import { drawShuffleSplit, drawStratifiedSplit, planStratifiedSplit } from './shuffle-split.js';
import { resolveSplitSizes, type SplitSize } from './split-sizes.js';

/** Options of {@link trainTestSplit}: sizes, shuffling, stratification and seed. */
export interface TrainTestSplitOptions {
  /**
   * Test set: a fraction in (0, 1), rounded up (ceil), or a count (an integer >= 1; so 1 means one
   * sample). Default: the rest of trainSize, or 0.25 if trainSize is not given either.
   */
  testSize?: SplitSize;
  /** Train set: a fraction in (0, 1), rounded down (floor), or a count. Default: the rest of testSize. */
  trainSize?: SplitSize;
  /** Shuffle before splitting. Default true. Without shuffling the train set is the first rows. */
  shuffle?: boolean;
  /** Seed of the shuffle; a `Random` is advanced. Default: a fresh random seed. Ignored without shuffling. */
  seed?: Seed;
  /** Class labels (length n) whose proportions both sets keep; needs `shuffle: true`. */
  stratify?: Labels;
}

/**
 * Splits n samples into a train set and a test set, as scikit-learn's `train_test_split` does on
 * indices (pass the result to `splitArrays` to split the data itself):
 *
 * - sizes as scikit-learn's `_validate_shuffle_split`: a test fraction rounds up, a train fraction
 *   down, counts are exact, the set not given takes the rest; 0.25 test by default;
 * - `shuffle: false`: train = 0 … trainSize − 1, test = the next testSize indices (train first);
 * - shuffled, without `stratify`: as ShuffleSplit, test = the first testSize entries of a random
 *   permutation, train = the next trainSize, in that permuted order;
 * - with `stratify`: as StratifiedShuffleSplit, scikit-learn's per-class counts, in shuffled order.
 *
 * Differences from scikit-learn: the shuffles use {@link Random} (PCG32), so shuffled indices are not
 * numpy's (sizes and per-class counts are); fractions adding up to exactly 1 never fail from rounding
 * (the train set takes all that the test set leaves); 1 is a count, never the fraction 1.0.
 *
 * @throws RangeError for sizes out of range (a fraction not in (0, 1), a count >= n, sizes adding up
 *   to more than n, an empty train set), for `stratify` with `shuffle: false` (as scikit-learn),
 *   stratify labels of another length than n, a class of fewer than 2 members, or fewer train or
 *   test samples than classes; TypeError for arguments of the wrong type
 */
export function trainTestSplit(n: number, options?: TrainTestSplitOptions): Fold {
  const owner = 'trainTestSplit';
  const given = checkOptionNames(owner, options, ['testSize', 'trainSize', 'shuffle', 'seed', 'stratify']);
  checkSampleCount(owner, 'n', n);
  const sizes = resolveSplitSizes(owner, n, given.testSize, given.trainSize, 0.25);
  const shuffle = checkFlag(owner, 'shuffle', given.shuffle, true);
  const seed = given.seed as Seed | undefined;
  if (!shuffle) {
    if (given.stratify !== undefined) {
      throw new RangeError(`${owner}: stratify needs shuffle: true (a stratified split without shuffling is not defined)`);
    }
    // scikit-learn ignores random_state without shuffling; we still reject a malformed seed.
    if (seed !== undefined && !(seed instanceof Random)) resolveSeed(seed, `${owner}: seed`);
    return { train: indexRange(0, sizes.trainSize), test: indexRange(sizes.trainSize, sizes.trainSize + sizes.testSize) };
  }
  if (given.stratify !== undefined) {
    const encoded = encodeLabels(owner, 'stratify', given.stratify, { order: 'sorted' });
    if (encoded.codes.length !== n) {
      throw new RangeError(`${owner}: stratify must have one label per sample (n=${n}), got ${encoded.codes.length} labels`);
    }
    const plan = planStratifiedSplit(owner, 'stratify', encoded, sizes);
    return drawStratifiedSplit(plan, randomFrom(seed, `${owner}: seed`));
  }
  return drawShuffleSplit(new Uint32Array(n), sizes, randomFrom(seed, `${owner}: seed`));
}
