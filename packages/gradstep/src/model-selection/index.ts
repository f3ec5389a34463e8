/**
 * Model selection, part one: seeded randomness, data splitting and resampling with scikit-learn's
 * semantics (folds, sizes, per-class counts, errors), on sample indices (Uint32Array).
 */
export { Random, resolveSeed, type Seed } from './random.js';
export { setWarningHandler, type WarningHandler } from './warnings.js';
export type { Fold } from './folds.js';
export type { Label, Labels } from './label-encoding.js';
export type { SplitSize } from './split-sizes.js';
export { trainTestSplit, type TrainTestSplitOptions } from './train-test-split.js';
export { takeRows, splitArrays, type Rows, type TakenRows, type SplitArrays, type TakeRowsOptions } from './take-rows.js';
export { kFold, repeatedKFold, type KFoldOptions, type RepeatedKFoldOptions } from './k-fold.js';
export { stratifiedKFold, repeatedStratifiedKFold } from './stratified-k-fold.js';
export { groupKFold } from './group-k-fold.js';
export { shuffleSplit, stratifiedShuffleSplit, type ShuffleSplitOptions } from './shuffle-split.js';
export { timeSeriesSplit, type TimeSeriesSplitOptions } from './time-series-split.js';
export { leaveOneOut, leavePOut } from './leave-out.js';
export { batches, type BatchOptions } from './batches.js';
export {
  bootstrap,
  bootstrapInterval,
  type BootstrapOptions,
  type BootstrapSample,
  type BootstrapIntervalOptions,
  type BootstrapInterval,
} from './bootstrap.js';
