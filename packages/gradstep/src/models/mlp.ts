/** A multilayer perceptron: dense layers with ReLU or tanh, softmax cross-entropy or squared error at the output. */
import type { BackendName } from '../backend.js';
import type { Seed } from '../model-selection/random.js';
import { checkOptionNames, describe } from '../validate.js';
import type { Activation } from './activations.js';
import { checkLayerSize, DenseNetwork } from './dense-network.js';
import type { WeightInit } from './weight-init.js';

/** Options of MLP: layer widths, hidden activation, output, initial weights (and their seed), backend. */
export interface MlpOptions {
  /**
   * Layer widths: [features, hidden …, outputs], at least two entries. With the 'softmax' output
   * the last is the number of classes (≥ 2). Required. Example: [64, 64, 10] for the digits.
   */
  layers: readonly number[];
  /** The hidden layers' nonlinearity. Default 'relu'. */
  activation?: Activation;
  /**
   * 'softmax': a classifier with softmax cross-entropy (targets: class indices); 'linear': a
   * regressor with the mean squared error. Default 'softmax'.
   */
  output?: 'softmax' | 'linear';
  /** Initial weights of every layer: default 'he' with ReLU, 'glorot' with tanh. Biases start at 0. */
  init?: WeightInit;
  /** Seed of the initial weights (a Random is advanced). Default: a fresh random seed, readable as `.seed`. */
  seed?: Seed;
  /** Backend of the params; default getBackend(). */
  backend?: BackendName;
}

/**
 * ```ts
 * const mlp = new MLP({ layers: [64, 64, 10], seed: 0 });
 * const opt = new Adam(mlp.params, { lr: 1e-3 });
 * for (const batch of batches(n, { batchSize: 32, seed: rng })) { mlp.lossAndGradient(X, y, batch); opt.step(); }
 * mlp.predict(XTest); // class indices
 * ```
 */
export class MLP extends DenseNetwork {
  constructor(options: MlpOptions) {
    const owner = 'MLP';
    const given = checkOptionNames(owner, options, ['layers', 'activation', 'output', 'init', 'seed', 'backend']);
    const layers = given.layers;
    if (!Array.isArray(layers)) throw new TypeError(`${owner}: layers must be an array of layer widths such as [64, 32, 10], got ${describe(layers)}`);
    if (layers.length < 2) throw new RangeError(`${owner}: layers needs at least the input and output widths, got ${layers.length} entries`);
    const output = given.output ?? 'softmax';
    if (output !== 'softmax' && output !== 'linear') throw new RangeError(`${owner}: output must be 'softmax' or 'linear', got ${describe(output)}`);
    const sizes = layers.map((width: unknown, i: number) => checkLayerSize(owner, `layers[${i}]`, width, output === 'softmax' && i === layers.length - 1 ? 2 : 1));
    const activation = given.activation ?? 'relu';
    if (activation !== 'relu' && activation !== 'tanh') throw new RangeError(`${owner}: activation must be 'relu' or 'tanh', got ${describe(activation)}`);
    const init = given.init ?? (activation === 'relu' ? 'he' : 'glorot');
    if (init !== 'he' && init !== 'glorot' && init !== 'zeros') throw new RangeError(`${owner}: init must be 'he', 'glorot' or 'zeros', got ${describe(init)}`);
    super({
      owner,
      layerSizes: sizes,
      activation,
      loss: output === 'softmax' ? 'softmax-cross-entropy' : 'squared-error',
      init,
      seed: given.seed as Seed | undefined,
      backend: given.backend as BackendName | undefined,
    });
  }
}
