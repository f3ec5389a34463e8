/** Forward-chaining splits for ordered data: scikit-learn's TimeSeriesSplit. */
import { checkInteger, checkOptionNames, checkSampleCount } from '../validate.js';
import { indexRange, type Fold } from './folds.js';

/** Options of {@link timeSeriesSplit}: number of splits, gap, and test and train sizes. */
export interface TimeSeriesSplitOptions {
  /** Number of splits, at least 2. Default 5. */
  k?: number;
  /** Samples left out between the end of each train set and its test set. Default 0. */
  gap?: number;
  /** Samples per test set, at least 1. Default ⌊n / (k + 1)⌋. */
  testSize?: number;
  /** Largest train set: longer ones keep only their last maxTrainSize samples. Default: no limit. */
  maxTrainSize?: number;
}

/**
 * Splits for time series, as scikit-learn's `TimeSeriesSplit(n_splits=k, max_train_size, test_size, gap)`:
 * samples are in time order and every train set precedes its test set. The k test sets are
 * consecutive blocks of testSize samples that end at the last sample; train set i is every sample
 * before test set i minus the last `gap` ones (only the last maxTrainSize of them, if given). With
 * default sizes the n mod (k + 1) leftover samples go to the first train set. Indices ascending;
 * exactly scikit-learn's splits.
 *
 * Difference from scikit-learn: gap, testSize and maxTrainSize are validated (scikit-learn does not).
 *
 * @throws RangeError if k < 2, k + 1 > n, or n − gap − testSize·k <= 0 (too many splits)
 */
export function timeSeriesSplit(n: number, options?: TimeSeriesSplitOptions): Fold[] {
  const owner = 'timeSeriesSplit';
  const given = checkOptionNames(owner, options, ['k', 'gap', 'testSize', 'maxTrainSize']);
  checkSampleCount(owner, 'n', n);
  const k = checkInteger(owner, 'k', given.k ?? 5, 2, undefined, 'at least one train/test split');
  const gap = checkSampleCount(owner, 'gap', given.gap ?? 0, 0);
  const testSize = given.testSize === undefined ? Math.floor(n / (k + 1)) : checkSampleCount(owner, 'testSize', given.testSize);
  const maxTrainSize = given.maxTrainSize === undefined ? undefined : checkSampleCount(owner, 'maxTrainSize', given.maxTrainSize);
  if (k + 1 > n) {
    throw new RangeError(`${owner}: cannot have k + 1 = ${k + 1} folds, greater than the number of samples n=${n}`);
  }
  if (n - gap - testSize * k <= 0) {
    throw new RangeError(`${owner}: too many splits k=${k} for n=${n} samples with testSize=${testSize} and gap=${gap}`);
  }
  const folds: Fold[] = [];
  for (let testStart = n - k * testSize; testStart < n; testStart += testSize) {
    const trainEnd = testStart - gap;
    const trainStart = maxTrainSize !== undefined && maxTrainSize < trainEnd ? trainEnd - maxTrainSize : 0;
    folds.push({ train: indexRange(trainStart, trainEnd), test: indexRange(testStart, testStart + testSize) });
  }
  return folds;
}
