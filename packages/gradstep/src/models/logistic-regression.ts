/** Binary logistic regression trained by gradient descent. */
import type { BackendName } from '../backend.js';
import { checkOptionNames } from '../validate.js';
import { checkLayerSize, DenseNetwork } from './dense-network.js';

/** Options of LogisticRegression: its input size and the backend of its params. */
export interface LogisticRegressionOptions {
  /** Features per row of X. Required. */
  features: number;
  /** Backend of the params; default getBackend(). */
  backend?: BackendName;
}

/**
 * P(y = 1 | x) = σ(x·w + b), loss the mean binary cross-entropy (log loss) with targets 0 or 1; its
 * gradient is (σ(z) − y)·x / rows. Weights start at zero (the loss is convex). `predict` gives 1
 * where z > 0, `predictProba` gives P(y = 1) per row. `params` = [w (features × 1), b (1)].
 * No regularization of its own: use the optimizer's `weightDecay` for an L2 penalty.
 */
export class LogisticRegression extends DenseNetwork {
  constructor(options: LogisticRegressionOptions) {
    const owner = 'LogisticRegression';
    const given = checkOptionNames(owner, options, ['features', 'backend']);
    const features = checkLayerSize(owner, 'features', given.features);
    super({ owner, layerSizes: [features, 1], activation: 'relu', loss: 'sigmoid-cross-entropy', init: 'zeros', backend: given.backend as BackendName | undefined });
  }
}
