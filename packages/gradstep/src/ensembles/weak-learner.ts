/**
 * The contract between the boosting algorithms and their weak learners: a function that fits a
 * model and returns something with `predict`. The built-in trees and stumps fit it; so does any
 * model of the user's.
 */
import type { Label } from './class-labels.js';
import type { FeatureRows } from './training-data.js';

/** A fitted classifier: one label (one of the training classes) per row. */
export interface LabelPredictor {
  /** One predicted label per row of X. */
  predict(X: FeatureRows): ArrayLike<Label>;
}

/** A fitted regressor: one number per row. */
export interface NumberPredictor {
  /** One predicted number per row of X. */
  predict(X: FeatureRows): ArrayLike<number>;
}

/**
 * Fits a classifier honoring sample weights (AdaBoost's weak learner). `y` is the training labels
 * (a frozen array, the same every round), `sampleWeight` a fresh copy of the current boosting
 * weights (sum 1) that the learner may keep or modify; `round` counts from 0.
 */
export type WeightedClassifierLearner = (
  X: FeatureRows,
  y: readonly Label[],
  sampleWeight: Float64Array,
  round: number,
) => LabelPredictor;

/**
 * Fits a regressor on a weighted bootstrap sample (AdaBoost.R2's weak learner): `X` and `y` are the
 * resampled rows; `seed` (an integer in [0, 2^32)) is for the learner's own randomness, if any.
 */
export type ResampledRegressorLearner = (
  X: FeatureRows,
  y: Float64Array,
  info: { readonly round: number; readonly seed: number },
) => NumberPredictor;
