/**
 * Train and test set sizes from `testSize` / `trainSize` (fractions or counts), as scikit-learn's
 * `_validate_shuffle_split`, used by trainTestSplit, shuffleSplit and stratifiedShuffleSplit.
 */
import { describe } from '../validate.js';

/** A fraction of the samples in (0, 1), or a count of samples (an integer >= 1). */
export type SplitSize = number;

export interface SplitSizes {
  readonly trainSize: number;
  readonly testSize: number;
}

/**
 * The test and train sizes for n samples:
 *
 * - a fraction of the test set rounds **up** (`ceil(testSize·n)`), a fraction of the train set
 *   **down** (`floor(trainSize·n)`), with no epsilon: 0.07 of 100 samples is 8 test samples, since
 *   0.07·100 = 7.000000000000001 (as scikit-learn);
 * - a count is taken as is and must be below n;
 * - when only one size is given the other set takes the rest; with neither, `testSize` is
 *   `defaultTestSize`;
 * - the sizes may leave samples unused, but must not add up to more than n, nor leave the train
 *   set empty.
 *
 * The number 1 is a count (one sample), not the fraction 1.0: JavaScript cannot tell the two apart,
 * and scikit-learn rejects the fraction 1.0 anyway.
 *
 * Difference from scikit-learn: two fractions that add up to 1 (within 4 ulps, so that 0.7 + 0.3 or
 * 0.07 + 0.93 count) give the train set all samples the test set did not take, where scikit-learn can
 * fail from rounding (0.07 and 0.93 of 100 samples: ceil(7.000000000000001) + floor(93) = 101 > 100).
 */
export function resolveSplitSizes(
  owner: string,
  n: number,
  testSizeArgument: unknown,
  trainSizeArgument: unknown,
  defaultTestSize: number,
): SplitSizes {
  let testSize = checkSplitSize(owner, 'testSize', testSizeArgument);
  const trainSize = checkSplitSize(owner, 'trainSize', trainSizeArgument);
  if (testSize === undefined && trainSize === undefined) testSize = defaultTestSize;
  for (const [name, size] of [['testSize', testSize], ['trainSize', trainSize]] as const) {
    if (size !== undefined && size >= 1 && size >= n) {
      throw new RangeError(
        `${owner}: ${name}=${size} must be smaller than the number of samples n=${n} (or a fraction in (0, 1))`,
      );
    }
  }
  const testIsFraction = testSize !== undefined && testSize < 1;
  const trainIsFraction = trainSize !== undefined && trainSize < 1;
  const fractionsAddUpToOne =
    testIsFraction && trainIsFraction && Math.abs(testSize! + trainSize! - 1) <= 4 * Number.EPSILON;
  if (testIsFraction && trainIsFraction && testSize! + trainSize! > 1 && !fractionsAddUpToOne) {
    throw new RangeError(
      `${owner}: testSize + trainSize = ${testSize! + trainSize!} must not exceed 1; reduce testSize and/or trainSize`,
    );
  }

  let nTest = testSize === undefined ? 0 : testIsFraction ? Math.ceil(testSize * n) : testSize;
  let nTrain = trainSize === undefined ? 0 : trainIsFraction ? Math.floor(trainSize * n) : trainSize;
  if (trainSize === undefined || fractionsAddUpToOne) nTrain = n - nTest;
  else if (testSize === undefined) nTest = n - nTrain;

  if (nTrain + nTest > n) {
    throw new RangeError(
      `${owner}: trainSize + testSize = ${nTrain + nTest} samples, more than the number of samples n=${n}; ` +
        'reduce testSize and/or trainSize',
    );
  }
  if (nTrain === 0) {
    throw new RangeError(
      `${owner}: with n=${n}, testSize=${describe(testSize)} and trainSize=${describe(trainSize)} the train set would be empty`,
    );
  }
  return { trainSize: nTrain, testSize: nTest };
}

/** undefined, a fraction in (0, 1) or an integer >= 1. */
function checkSplitSize(owner: string, name: string, value: unknown): SplitSize | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number') {
    throw new TypeError(`${owner}: ${name} must be a fraction in (0, 1) or an integer count >= 1, got ${describe(value)}`);
  }
  const isFraction = value > 0 && value < 1;
  const isCount = Number.isInteger(value) && value >= 1;
  if (!isFraction && !isCount) {
    throw new RangeError(`${owner}: ${name} must be a fraction in (0, 1) or an integer count >= 1, got ${describe(value)}`);
  }
  return value;
}
