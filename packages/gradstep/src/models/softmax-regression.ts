/** Multinomial logistic (softmax) regression trained by gradient descent. */
import type { BackendName } from '../backend.js';
import { checkOptionNames } from '../validate.js';
import { checkLayerSize, DenseNetwork } from './dense-network.js';

/** Options of SoftmaxRegression: its input size, number of classes and the backend of its params. */
export interface SoftmaxRegressionOptions {
  /** Features per row of X. Required. */
  features: number;
  /** Number of classes K ≥ 2; targets are class indices 0 … K − 1. Required. */
  classes: number;
  /** Backend of the params; default getBackend(). */
  backend?: BackendName;
}

/**
 * P(y = c | x) = softmax(x·W + b)_c, loss the mean cross-entropy −ln P(y | x); its gradient with
 * respect to the logits is (p − onehot(y)) / rows. Weights start at zero (the loss is convex).
 * `params` = [W (features × classes), b (classes)].
 */
export class SoftmaxRegression extends DenseNetwork {
  constructor(options: SoftmaxRegressionOptions) {
    const owner = 'SoftmaxRegression';
    const given = checkOptionNames(owner, options, ['features', 'classes', 'backend']);
    const features = checkLayerSize(owner, 'features', given.features);
    const classes = checkLayerSize(owner, 'classes', given.classes, 2);
    super({ owner, layerSizes: [features, classes], activation: 'relu', loss: 'softmax-cross-entropy', init: 'zeros', backend: given.backend as BackendName | undefined });
  }
}
