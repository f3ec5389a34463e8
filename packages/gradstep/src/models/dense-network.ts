/**
 * A stack of dense layers with its hand-written backpropagation: the machinery behind
 * LinearRegression, LogisticRegression, SoftmaxRegression and MLP, which only choose the layer
 * sizes, the hidden activation, the output loss and the initial weights.
 *
 * Layer l maps a_l (rows × n_l) to z = a_l·W_l + b_l (rows × n_{l+1}); hidden layers apply the
 * activation, the last layer's z are the logits that the output loss reads. W_l is an n_l × n_{l+1}
 * row-major param and b_l a param of n_{l+1}; `params` is [W_0, b_0, W_1, b_1, …].
 */
import type { Backend, BackendName, Float32Block } from '../backend.js';
import { backendNamed } from '../backends.js';
import { disposeSymbol, param, type Param } from '../param.js';
import { Random, randomFrom, type Seed } from '../model-selection/random.js';
import { describe } from '../validate.js';
import type { NamedParam } from '../checkpoints/torch.js';
import { gatherRows, tanhBackwardInPlace, tanhInPlace, type Activation } from './activations.js';
import type { Evaluation, Model } from './model.js';
import { SOFTMAX_STATS } from '../kernels.js';
import { outputLoss, sigmoid, type OutputLoss } from './output-losses.js';
import { initializeWeights, type WeightInit } from './weight-init.js';


/** Scratch matrices of a network, on its params' backend (wasm memory on 'wasm'), freed together. */
class Scratch {
  blocks: Float32Block[] = [];
  allocate(backend: Backend, length: number): Float32Block {
    const block = backend.allocate(length);
    this.blocks.push(block);
    return block;
  }
  free(): void {
    for (const block of this.blocks) block.free();
    this.blocks = [];
  }
}

// A backstop for networks dropped without dispose(): their scratch memory is returned when collected.
const scratchFinalizer = new FinalizationRegistry<Scratch>((scratch) => scratch.free());

/** Rows per forward pass in evaluate/predict, so that scratch memory stays bounded on large inputs. */
const CHUNK_ROWS = 1024;

/** How a model class configures its network (DenseNetwork's constructor argument). */
export interface DenseNetworkSpec {
  /** The model's name in error messages. */
  owner: string;
  /** [features, hidden widths …, outputs], integers ≥ 1. */
  layerSizes: readonly number[];
  activation: Activation;
  loss: OutputLoss;
  init: WeightInit;
  seed?: Seed;
  backend?: BackendName;
}

/**
 * A stack of dense layers with hand-written backpropagation, on its params' backend: the base class
 * of LinearRegression, LogisticRegression, SoftmaxRegression and MLP (construct those, not this).
 */
export class DenseNetwork implements Model {
  readonly kind: 'classifier' | 'regressor';
  /** Features per row of X. */
  readonly features: number;
  /** Values per row of the output (classes for softmax, 1 for logistic regression). */
  readonly outputs: number;
  /** [features, hidden widths …, outputs]. */
  readonly layerSizes: readonly number[];
  /** The hidden layers' nonlinearity (unused without hidden layers). */
  readonly activation: Activation;
  /** The output layer's loss, which also decides `kind` ('squared-error' makes a regressor). */
  readonly loss: OutputLoss;
  /** `[W_0, b_0, W_1, b_1, …]`: give them to an optimizer. */
  readonly params: readonly Param[];
  /** The weight matrices W_l (n_l × n_{l+1}, row-major), e.g. for a param group with weight decay. */
  readonly weights: readonly Param[];
  /** The bias vectors b_l. */
  readonly biases: readonly Param[];
  /**
   * The seed of the initial weights (to rebuild the same model), or undefined when a `Random` was
   * passed as seed or the weights start at zero.
   */
  readonly seed: number | undefined;
  /** The model's class name, in error messages (e.g. 'MLP'). */
  protected readonly owner: string;

  // The matrix products run on the params' backend (in wasm on 'wasm'), so their operands live there
  // too: the gathered input rows, each layer's outputs and the two gradient buffers. Views are taken
  // from them at each use (wasm memory may have grown since).
  private readonly backend: Backend;
  private readonly scratch = new Scratch();
  private capacity = 0;
  private gathered!: Float32Block;
  private targets!: Float32Block;
  private lossStats!: Float32Block;
  private layerOutputs: Float32Block[] = [];
  private gradientA!: Float32Block;
  private gradientB!: Float32Block;

  /** Not for direct use: the model classes (MLP, LinearRegression, …) configure their network. */
  constructor(spec: DenseNetworkSpec) {
    const { owner, layerSizes, activation, loss, init } = spec;
    this.owner = owner;
    this.layerSizes = Object.freeze([...layerSizes]);
    this.features = layerSizes[0];
    this.outputs = layerSizes[layerSizes.length - 1];
    this.activation = activation;
    this.loss = loss;
    this.kind = loss === 'squared-error' ? 'regressor' : 'classifier';
    let rng: Random | undefined;
    if (init !== 'zeros') {
      rng = randomFrom(spec.seed, `${owner}: seed`);
      this.seed = spec.seed instanceof Random ? undefined : rng.seed;
    }
    const backend = spec.backend === undefined ? {} : { backend: spec.backend };
    const weights: Param[] = [];
    const biases: Param[] = [];
    const layers = layerSizes.length - 1;
    try {
      for (let l = 0; l < layers; l++) {
        // torch's names: nn.Linear for one layer, else nn.Sequential(Linear, activation, Linear, …).
        const prefix = layers === 1 ? '' : `${2 * l}.`;
        weights.push(param(layerSizes[l] * layerSizes[l + 1], { ...backend, name: `${prefix}weight`, shape: [layerSizes[l], layerSizes[l + 1]] }));
        biases.push(param(layerSizes[l + 1], { ...backend, name: `${prefix}bias` }));
      }
    } catch (error) {
      for (const p of [...weights, ...biases]) p.dispose();
      throw error;
    }
    // Views are taken only now: creating a param may grow wasm memory and detach older views.
    for (let l = 0; l < weights.length; l++) initializeWeights(init, weights[l].value, layerSizes[l], layerSizes[l + 1], rng as Random);
    this.weights = Object.freeze(weights);
    this.biases = Object.freeze(biases);
    this.params = Object.freeze(weights.flatMap((w, l) => [w, biases[l]]));
    this.backend = backendNamed(weights[0].backend, `${owner}: backend`);
    scratchFinalizer.register(this, this.scratch, this);
  }

  /**
   * The params with the names, shapes and layout of the equivalent torch module: one layer is
   * `nn.Linear(features, outputs)` ('weight' [outputs, features], 'bias'); more are
   * `nn.Sequential(nn.Linear(n0, n1), activation, nn.Linear(n1, n2), …)` ('0.weight', '0.bias',
   * '2.weight', …). gradstep keeps each weight as its transpose (features × outputs, so that a
   * batch's product is X·W): checkpoints transpose it, and its optimizer state, on the way out and in.
   */
  namedParams(): NamedParam[] {
    return this.weights.flatMap((weight, l) => [
      { name: weight.name, param: weight, shape: [this.layerSizes[l + 1], this.layerSizes[l]], transposed: true },
      { name: this.biases[l].name, param: this.biases[l], shape: [this.layerSizes[l + 1]], transposed: false },
    ]);
  }

  /** Total number of trainable values. */
  get parameterCount(): number {
    return this.params.reduce((sum, p) => sum + p.length, 0);
  }

  lossAndGradient(X: Float32Array, y: ArrayLike<number>, rows?: ArrayLike<number>): number {
    const count = this.checkBatch(X, y, rows);
    const input = this.runForward(X, rows, 0, count);
    this.gatherTargets(y, rows, 0, count);
    const layers = this.weights.length;
    const sizes = this.layerSizes;
    let dOutput = this.gradientA;
    let dInput = this.gradientB;
    const blocks = { logits: this.layerOutputs[layers - 1], targets: this.targets, dLogits: dOutput, stats: this.lossStats };
    const { loss } = outputLoss(this.owner, this.loss, this.backend, count, this.outputs, blocks, (i) => this.rowOf(rows, i));
    for (let l = layers - 1; l >= 0; l--) {
      const layerInput = l === 0 ? input : this.layerOutputs[l - 1];
      const shape = { rows: count, inputs: sizes[l], outputs: sizes[l + 1] };
      const [weights, bias] = [this.weights[l].memory(), this.biases[l].memory()];
      // ReLU's derivative is fused into the kernel's dInput; tanh's runs here (HACKING.md: why).
      const relu = l > 0 && this.activation === 'relu';
      this.backend.denseBackward(shape, layerInput, weights.value, dOutput, weights.grad, bias.grad, l === 0 ? null : dInput, relu ? 'relu' : 'none');
      if (l > 0) {
        if (!relu) tanhBackwardInPlace(this.layerOutputs[l - 1].view(), dInput.view(), count * sizes[l]);
        const swap = dOutput;
        dOutput = dInput;
        dInput = swap;
      }
    }
    return loss;
  }

  evaluate(X: Float32Array, y: ArrayLike<number>, rows?: ArrayLike<number>): Evaluation {
    const count = this.checkBatch(X, y, rows);
    let total = 0;
    let correct = 0;
    for (let start = 0; start < count; start += CHUNK_ROWS) {
      const chunk = Math.min(CHUNK_ROWS, count - start);
      this.runForward(X, rows, start, chunk);
      this.gatherTargets(y, rows, start, chunk);
      const blocks = { logits: this.layerOutputs[this.weights.length - 1], targets: this.targets, dLogits: null, stats: this.lossStats };
      const result = outputLoss(this.owner, this.loss, this.backend, chunk, this.outputs, blocks, (i) => this.rowOf(rows, start + i));
      total += result.loss * chunk;
      correct += result.correct;
    }
    return { loss: total / count, accuracy: this.kind === 'classifier' ? correct / count : NaN };
  }

  /** The mean loss over the rows (no gradient). */
  lossOf(X: Float32Array, y: ArrayLike<number>, rows?: ArrayLike<number>): number {
    return this.evaluate(X, y, rows).loss;
  }

  /**
   * The network's raw outputs, rows × outputs in a new array: the logits for classifiers (before
   * softmax or sigmoid), the predictions for regressors.
   */
  forward(X: Float32Array, rows?: ArrayLike<number>): Float32Array {
    const count = this.checkInput(X, rows);
    const out = new Float32Array(count * this.outputs);
    for (let start = 0; start < count; start += CHUNK_ROWS) {
      const chunk = Math.min(CHUNK_ROWS, count - start);
      this.runForward(X, rows, start, chunk);
      out.set(this.layerOutputs[this.weights.length - 1].view().subarray(0, chunk * this.outputs), start * this.outputs);
    }
    return out;
  }

  /**
   * Class probabilities, rows × classes (softmax), or rows × 1 with P(y = 1) (logistic); for a
   * regressor, the predictions (as `forward`).
   */
  predictProba(X: Float32Array, rows?: ArrayLike<number>): Float32Array {
    const out = this.forward(X, rows);
    const k = this.outputs;
    if (this.loss === 'sigmoid-cross-entropy') {
      for (let i = 0; i < out.length; i++) out[i] = sigmoid(out[i]);
    } else if (this.loss === 'softmax-cross-entropy') {
      for (let row = 0; row < out.length; row += k) {
        let max = out[row];
        for (let c = 1; c < k; c++) max = Math.max(max, out[row + c]);
        let sum = 0;
        for (let c = 0; c < k; c++) sum += Math.exp(out[row + c] - max);
        for (let c = 0; c < k; c++) out[row + c] = Math.exp(out[row + c] - max) / sum;
      }
    }
    return out;
  }

  /**
   * Classifiers: the class index of each row (the largest logit, the first on a tie; for logistic
   * regression 1 when the logit is > 0). Regressors: the predictions (rows × outputs).
   */
  predict(X: Float32Array, rows?: ArrayLike<number>): Float32Array {
    const out = this.forward(X, rows);
    if (this.kind === 'regressor') return out;
    const k = this.outputs;
    const labels = new Float32Array(out.length / k);
    for (let i = 0; i < labels.length; i++) {
      if (k === 1) {
        labels[i] = out[i] > 0 ? 1 : 0;
        continue;
      }
      let best = 0;
      for (let c = 1; c < k; c++) if (out[i * k + c] > out[i * k + best]) best = c;
      labels[i] = best;
    }
    return labels;
  }

  /** Frees the params and scratch memory. Using the model afterwards throws; calling dispose() again does nothing. */
  dispose(): void {
    scratchFinalizer.unregister(this);
    this.scratch.free();
    this.capacity = 0;
    for (const p of this.params) p.dispose();
  }

  /** dispose(), for `using model = new MLP(…)`. */
  [disposeSymbol](): void {
    this.dispose();
  }

  /**
   * Fills the layer outputs for `count` rows from `start`; returns the input matrix layer 0 read (the
   * rows copied into backend memory, where the products run).
   */
  private runForward(X: Float32Array, rows: ArrayLike<number> | undefined, start: number, count: number): Float32Block {
    if (this.weights[0].disposed) throw new Error(`gradstep: this ${this.owner} model was disposed`);
    this.ensureCapacity(count);
    gatherRows(X, this.features, rows, start, count, this.gathered.view());
    const sizes = this.layerSizes;
    const layers = this.weights.length;
    let layerInput = this.gathered;
    for (let l = 0; l < layers; l++) {
      const out = this.layerOutputs[l];
      const shape = { rows: count, inputs: sizes[l], outputs: sizes[l + 1] };
      const hidden = l + 1 < layers;
      // ReLU is fused into the kernel's store; tanh runs here, after it (HACKING.md: why).
      const fused = hidden && this.activation === 'relu' ? 'relu' : 'none';
      this.backend.denseForward(shape, layerInput, this.weights[l].memory().value, this.biases[l].memory().value, out, fused);
      if (hidden && fused === 'none') tanhInPlace(out.view(), count * sizes[l + 1]);
      layerInput = out;
    }
    return this.gathered;
  }

  private gatherTargets(y: ArrayLike<number>, rows: ArrayLike<number> | undefined, start: number, count: number): void {
    const width = this.loss === 'squared-error' ? this.outputs : 1;
    const targets = this.targets.view();
    const checkTypes = Array.isArray(y);
    for (let i = 0; i < count; i++) {
      const row = rows === undefined ? start + i : rows[start + i];
      for (let o = 0; o < width; o++) {
        const value = y[row * width + o];
        if (checkTypes && typeof value !== 'number') {
          throw new TypeError(`${this.owner}: y[${row * width + o}] must be a number, got ${describe(value)}`);
        }
        targets[i * width + o] = value;
      }
    }
  }

  private rowOf(rows: ArrayLike<number> | undefined, i: number): number {
    return rows === undefined ? i : rows[i];
  }

  private ensureCapacity(count: number): void {
    if (count <= this.capacity) return;
    const capacity = Math.max(count, Math.min(2 * this.capacity, CHUNK_ROWS));
    const sizes = this.layerSizes;
    const widest = Math.max(...sizes);
    this.scratch.free();
    this.capacity = 0;
    this.gathered = this.scratch.allocate(this.backend, capacity * this.features);
    this.targets = this.scratch.allocate(this.backend, capacity * this.outputs);
    this.lossStats = this.scratch.allocate(this.backend, capacity * SOFTMAX_STATS);
    this.layerOutputs = sizes.slice(1).map((width) => this.scratch.allocate(this.backend, capacity * width));
    this.gradientA = this.scratch.allocate(this.backend, capacity * widest);
    this.gradientB = this.scratch.allocate(this.backend, capacity * widest);
    this.capacity = capacity;
  }

  /** Checks X and rows; returns the number of rows selected. */
  private checkInput(X: Float32Array, rows: ArrayLike<number> | undefined): number {
    const owner = this.owner;
    if (!(X instanceof Float32Array)) {
      throw new TypeError(`${owner}: X must be a Float32Array of rows × ${this.features} features (row-major), got ${describe(X)}`);
    }
    if (X.length % this.features !== 0) {
      throw new RangeError(`${owner}: X has ${X.length} values, not a whole number of rows of ${this.features} features`);
    }
    const n = X.length / this.features;
    if (rows === undefined) {
      if (n === 0) throw new RangeError(`${owner}: X has no rows`);
      return n;
    }
    if (rows === null || typeof rows !== 'object' || typeof rows.length !== 'number') {
      throw new TypeError(`${owner}: rows must be an array of row indices, got ${describe(rows)}`);
    }
    if (rows.length === 0) throw new RangeError(`${owner}: rows must select at least one row, got an empty array`);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      if (!Number.isInteger(r) || r < 0 || r >= n) {
        throw new RangeError(`${owner}: rows[${i}] must be a row index from 0 to ${n - 1}, got ${describe(r)}`);
      }
    }
    return rows.length;
  }

  private checkBatch(X: Float32Array, y: ArrayLike<number>, rows: ArrayLike<number> | undefined): number {
    const count = this.checkInput(X, rows);
    const n = X.length / this.features;
    const width = this.loss === 'squared-error' ? this.outputs : 1;
    if (y === null || typeof y !== 'object' || typeof y.length !== 'number') {
      throw new TypeError(`${this.owner}: y must be an array or typed array of targets, got ${describe(y)}`);
    }
    if (y.length !== n * width) {
      throw new RangeError(`${this.owner}: y has ${y.length} values but X has ${n} rows${width > 1 ? ` of ${width} outputs` : ''}; expected ${n * width}`);
    }
    return count;
  }
}

/** @internal Checks a layer size: an integer ≥ `min`. */
export function checkLayerSize(owner: string, name: string, value: unknown, min = 1): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > 2 ** 24) {
    throw new RangeError(`${owner}: ${name} must be an integer from ${min} to 2^24, got ${describe(value)}`);
  }
  return value;
}
