/** Linear regression trained by gradient descent: ŷ = x·W + b, loss the mean squared error. */
import type { BackendName } from '../backend.js';
import { checkOptionNames } from '../validate.js';
import { checkLayerSize, DenseNetwork } from './dense-network.js';

/** Options of LinearRegression: its input and output sizes and the backend of its params. */
export interface LinearRegressionOptions {
  /** Features per row of X. Required. */
  features: number;
  /** Targets per row (y holds rows × outputs values, row-major). Default 1. */
  outputs?: number;
  /** Backend of the params; default getBackend(). */
  backend?: BackendName;
}

/**
 * Least-squares linear regression: loss = mean over rows and outputs of (ŷ − y)², the gradient
 * 2(ŷ − y)·x / (rows·outputs). Weights and bias start at zero (the loss is convex).
 * `params` = [W (features × outputs), b (outputs)].
 *
 * ```ts
 * const model = new LinearRegression({ features: 3 });
 * const opt = new SGD(model.params, { lr: 0.1 });
 * for (let t = 0; t < 100; t++) { model.lossAndGradient(X, y); opt.step(); }
 * ```
 */
export class LinearRegression extends DenseNetwork {
  constructor(options: LinearRegressionOptions) {
    const owner = 'LinearRegression';
    const given = checkOptionNames(owner, options, ['features', 'outputs', 'backend']);
    const features = checkLayerSize(owner, 'features', given.features);
    const outputs = checkLayerSize(owner, 'outputs', given.outputs ?? 1);
    super({ owner, layerSizes: [features, outputs], activation: 'relu', loss: 'squared-error', init: 'zeros', backend: given.backend as BackendName | undefined });
  }
}
