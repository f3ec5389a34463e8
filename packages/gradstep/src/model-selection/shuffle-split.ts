/** Random train/test splits: scikit-learn's ShuffleSplit and StratifiedShuffleSplit. */
import { checkOptionNames, checkSampleCount } from '../validate.js';
import { approximateMode } from './approximate-mode.js';
import type { Fold } from './folds.js';
import { encodeLabels, membersByClass, type EncodedLabels, type Labels } from './label-encoding.js';
import { randomFrom, type Random, type Seed } from './random.js';
import { resolveSplitSizes, type SplitSize, type SplitSizes } from './split-sizes.js';

/** Options of {@link shuffleSplit} and {@link stratifiedShuffleSplit}: number of splits, sizes and seed. */
export interface ShuffleSplitOptions {
  /** Number of splits, at least 1. Default 10. */
  nSplits?: number;
  /**
   * Test set: a fraction in (0, 1) (rounded up) or a count. Default: the rest of trainSize, or 0.1
   * if trainSize is not given either.
   */
  testSize?: SplitSize;
  /** Train set: a fraction in (0, 1) (rounded down) or a count. Default: every sample not in the test set. */
  trainSize?: SplitSize;
  /** Seed of the shuffles; a `Random` is advanced. Default: a fresh random seed. */
  seed?: Seed;
}

const SHUFFLE_SPLIT_OPTIONS = ['nSplits', 'testSize', 'trainSize', 'seed'];

/**
 * `nSplits` independent random splits of n samples, as scikit-learn's `ShuffleSplit`: for each
 * split a fresh permutation of 0 … n − 1, whose first testSize entries are the test set and next
 * trainSize entries the train set. Indices come in that permuted order (not sorted); test sets of
 * different splits may overlap. Sizes are resolved as scikit-learn's (see `trainTestSplit`).
 *
 * Difference from scikit-learn: permutations come from {@link Random} (PCG32), not MT19937, so the
 * members differ; sizes are the same. `nSplits` is validated (scikit-learn does not).
 *
 * @throws RangeError for sizes out of range (see `trainTestSplit`) or nSplits < 1
 */
export function shuffleSplit(n: number, options?: ShuffleSplitOptions): Fold[] {
  const owner = 'shuffleSplit';
  const given = checkOptionNames(owner, options, SHUFFLE_SPLIT_OPTIONS);
  checkSampleCount(owner, 'n', n);
  const nSplits = checkSampleCount(owner, 'nSplits', given.nSplits ?? 10);
  const sizes = resolveSplitSizes(owner, n, given.testSize, given.trainSize, 0.1);
  const rng = randomFrom(given.seed as Seed | undefined, `${owner}: seed`);
  const order = new Uint32Array(n);
  const folds: Fold[] = [];
  for (let s = 0; s < nSplits; s++) folds.push(drawShuffleSplit(order, sizes, rng));
  return folds;
}

/**
 * One split: `order` (length n, any content) is reset to 0 … n − 1 and shuffled, so that each split
 * depends only on the generator's state.
 */
export function drawShuffleSplit(order: Uint32Array, sizes: SplitSizes, rng: Random): Fold {
  for (let i = 0; i < order.length; i++) order[i] = i;
  rng.shuffle(order);
  return {
    test: order.slice(0, sizes.testSize),
    train: order.slice(sizes.testSize, sizes.testSize + sizes.trainSize),
  };
}

/**
 * `nSplits` random stratified splits, as scikit-learn's `StratifiedShuffleSplit`: every split keeps
 * the class proportions of `labels` in both sets. Per split: the per-class train counts are
 * `_approximate_mode(classCounts, trainSize)`, the test counts `_approximate_mode(classCounts −
 * trainCounts, testSize)`; each class's samples are shuffled and the first ones go to the train set,
 * the next ones to the test set; finally both sets are shuffled. Classes are taken in sorted order
 * (numbers ascending, strings by code point) as `np.unique` gives them.
 *
 * The per-class counts are scikit-learn's (where scikit-learn breaks a tie between equal remainders
 * at random, so do we, with other draws); the members differ (PCG32 instead of MT19937).
 *
 * @param labels the class of each sample: numbers or strings (not both)
 * @throws RangeError if a class has fewer than 2 members, if the train or test set is smaller than
 *   the number of classes, for sizes out of range or nSplits < 1; TypeError for labels of mixed types
 */
export function stratifiedShuffleSplit(labels: Labels, options?: ShuffleSplitOptions): Fold[] {
  const owner = 'stratifiedShuffleSplit';
  const given = checkOptionNames(owner, options, SHUFFLE_SPLIT_OPTIONS);
  const encoded = encodeLabels(owner, 'labels', labels, { order: 'sorted' });
  const nSplits = checkSampleCount(owner, 'nSplits', given.nSplits ?? 10);
  const sizes = resolveSplitSizes(owner, encoded.codes.length, given.testSize, given.trainSize, 0.1);
  const plan = planStratifiedSplit(owner, 'labels', encoded, sizes);
  const rng = randomFrom(given.seed as Seed | undefined, `${owner}: seed`);
  const folds: Fold[] = [];
  for (let s = 0; s < nSplits; s++) folds.push(drawStratifiedSplit(plan, rng));
  return folds;
}

/** What every split of a stratified shuffle split needs, computed once. */
export interface StratifiedSplitPlan {
  readonly counts: Uint32Array;
  /** Sample indices grouped by class (sorted class order), data order within a class. */
  readonly members: Uint32Array;
  readonly starts: Uint32Array;
  readonly sizes: SplitSizes;
  /** Scratch space for the per-class shuffles. */
  readonly scratch: Uint32Array;
}

/**
 * Checks the classes against the sizes, as scikit-learn's StratifiedShuffleSplit.
 *
 * @param name how the messages name the labels' argument (`'labels'`, trainTestSplit's `'stratify'`)
 */
export function planStratifiedSplit(owner: string, name: string, encoded: EncodedLabels, sizes: SplitSizes): StratifiedSplitPlan {
  const { classes, counts } = encoded;
  const tooSmall = classes.filter((_, c) => counts[c] < 2);
  if (tooSmall.length > 0) {
    const shown = tooSmall.slice(0, 10).map((label) => JSON.stringify(label)).join(', ');
    throw new RangeError(
      `${owner}: the least populated classes in ${name} have only 1 member, which is too few: every class needs ` +
        `at least 2. Classes with 1 member: [${shown}${tooSmall.length > 10 ? ', …' : ''}]`,
    );
  }
  for (const [sizeName, size] of [['trainSize', sizes.trainSize], ['testSize', sizes.testSize]] as const) {
    if (size < classes.length) {
      throw new RangeError(
        `${owner}: ${sizeName} = ${size} samples must be at least the number of classes (${classes.length})`,
      );
    }
  }
  const { members, starts } = membersByClass(encoded);
  return { counts, members, starts, sizes, scratch: new Uint32Array(members.length) };
}

export function drawStratifiedSplit(plan: StratifiedSplitPlan, rng: Random): Fold {
  const { counts, members, starts, sizes, scratch } = plan;
  const trainCounts = approximateMode(counts, sizes.trainSize, rng);
  const remaining = counts.map((count, c) => count - trainCounts[c]);
  const testCounts = approximateMode(remaining, sizes.testSize, rng);
  const train = new Uint32Array(sizes.trainSize);
  const test = new Uint32Array(sizes.testSize);
  let trainFilled = 0;
  let testFilled = 0;
  for (let c = 0; c < counts.length; c++) {
    const shuffled = scratch.subarray(starts[c], starts[c + 1]);
    shuffled.set(members.subarray(starts[c], starts[c + 1]));
    rng.shuffle(shuffled);
    train.set(shuffled.subarray(0, trainCounts[c]), trainFilled);
    test.set(shuffled.subarray(trainCounts[c], trainCounts[c] + testCounts[c]), testFilled);
    trainFilled += trainCounts[c];
    testFilled += testCounts[c];
  }
  // Otherwise the sets would be grouped by class.
  rng.shuffle(train);
  rng.shuffle(test);
  return { train, test };
}
