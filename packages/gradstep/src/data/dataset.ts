/** A dataset in the layout the models train on. */

/**
 * Rows of features and one target per row. `X` is row-major: row i is
 * `X[i·features … i·features + features − 1]`. For classification `y` holds class indices
 * 0 … K − 1 (`classes` then names them, when they were encoded from labels).
 */
export interface Dataset {
  /** The features, row-major: samples × features values. */
  readonly X: Float32Array;
  /** One target per row; empty when the data had no target column. */
  readonly y: Float32Array;
  /** Number of rows. */
  readonly samples: number;
  /** Features per row. */
  readonly features: number;
  /** One name per feature: the CSV header, or `x0`, `x1`, … */
  readonly featureNames: readonly string[];
  /** The target column's name ('' without one). */
  readonly targetName: string;
  /** With `classes: true`: the distinct target values in sorted order; y[i] indexes them. */
  readonly classes?: readonly (string | number)[];
}
