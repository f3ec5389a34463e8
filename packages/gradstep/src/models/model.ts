/**
 * What `fit()` and the evaluation helpers need from a model: params that any optimizer can step,
 * and a loss with its gradient. The built-in models (LinearRegression, LogisticRegression,
 * SoftmaxRegression, MLP) implement it; a user's model can too.
 *
 * Data layout, everywhere: `X` is a row-major Float32Array of rows × `features` values (row i is
 * `X[i·features … i·features + features − 1]`), `y` one target per row (a class index for
 * classifiers, a number for single-output regressors; rows × outputs values otherwise), and the
 * optional `rows` selects rows of X and y by index (a mini-batch from `batches`, a fold from
 * `kFold`) without copying the data.
 */
import type { Param } from '../param.js';

/** A model's mean loss and accuracy over some rows (Model.evaluate). */
export interface Evaluation {
  /** The mean loss over the rows (the quantity the gradient descends). */
  readonly loss: number;
  /** Classifiers: the fraction of rows predicted correctly; regressors: NaN. */
  readonly accuracy: number;
}

/**
 * What fit(), the searches and the evaluation helpers need from a model: params to step, a loss
 * with its gradient, evaluation and prediction. The built-in models implement it; yours can too.
 */
export interface Model {
  /** 'classifier': `predict` gives class indices; 'regressor': numbers. */
  readonly kind: 'classifier' | 'regressor';
  /** Features per row of X. */
  readonly features: number;
  /** The trainable params, in a fixed order; pass them to an optimizer. */
  readonly params: readonly Param[];
  /**
   * Computes the mean loss over the rows and writes its gradient into each param's `.grad`
   * (overwriting it: there is no need to call `zeroGrad()` between steps).
   */
  lossAndGradient(X: Float32Array, y: ArrayLike<number>, rows?: ArrayLike<number>): number;
  /** The mean loss and accuracy over the rows, without touching the gradients. */
  evaluate(X: Float32Array, y: ArrayLike<number>, rows?: ArrayLike<number>): Evaluation;
  /** Class indices (classifiers) or predicted values (regressors), one per row (rows × outputs for multi-output regressors). */
  predict(X: Float32Array, rows?: ArrayLike<number>): Float32Array;
  /** Frees the params' memory. The model cannot be used afterwards. */
  dispose(): void;
}
