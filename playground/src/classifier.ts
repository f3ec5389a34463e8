// The training panel's model: seeded 2D datasets (two moons, two spirals) and a one-hidden-layer
// tanh network with a sigmoid output, written out by hand (forward pass, binary cross-entropy,
// backpropagation) as a gradstep Model, trained by fit (or fitAsync, which keeps the page responsive)
// with a gradstep optimizer.
import { fit, fitAsync, param, Random, type BackendName, type FitOptions, type Model, type Param } from 'gradstep';
import type { OptimizerSpec } from './optimizer-catalog.js';

export interface Dataset {
  /** Rows [x, y]. */
  X: [number, number][];
  /** Class 0 or 1 per row. */
  y: number[];
}

function normal(random: Random): number {
  // Box–Muller; 1 − u keeps the logarithm finite.
  const u = 1 - random.nextFloat(), v = random.nextFloat();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** scikit-learn's make_moons (evenly spaced along each half circle), centred, with Gaussian noise. */
export function moons(n: number, noise: number, seed: number): Dataset {
  const random = new Random(seed);
  const X: [number, number][] = [], y: number[] = [];
  const outer = Math.ceil(n / 2), inner = n - outer;
  for (let i = 0; i < outer; i++) {
    const t = (Math.PI * i) / (outer - 1);
    X.push([Math.cos(t) - 0.5 + noise * normal(random), Math.sin(t) - 0.25 + noise * normal(random)]);
    y.push(0);
  }
  for (let i = 0; i < inner; i++) {
    const t = (Math.PI * i) / (inner - 1);
    X.push([0.5 - Math.cos(t) + noise * normal(random), 0.25 - Math.sin(t) + noise * normal(random)]);
    y.push(1);
  }
  return { X, y };
}

/** Two interleaved spirals of 1.25 turns, radius up to 1.6 (hard for a small network). */
export function spirals(n: number, noise: number, seed: number): Dataset {
  const random = new Random(seed);
  const X: [number, number][] = [], y: number[] = [];
  const half = Math.ceil(n / 2);
  for (let i = 0; i < n; i++) {
    const label = i < half ? 0 : 1;
    const k = label === 0 ? i : i - half;
    const s = 0.15 + (0.85 * k) / (label === 0 ? half : n - half);
    const angle = 1.25 * 2 * Math.PI * s + label * Math.PI;
    X.push([1.6 * s * Math.cos(angle) + noise * normal(random), 1.6 * s * Math.sin(angle) + noise * normal(random)]);
    y.push(label);
  }
  return { X, y };
}

export const DATASETS: Record<string, (n: number, noise: number, seed: number) => Dataset> = { moons, spirals };

/** A fitted network as plain numbers: hidden weights W1 (hidden × 2, row-major), b1, W2, b2. */
export interface Network {
  hidden: number;
  W1: Float32Array;
  b1: Float32Array;
  W2: Float32Array;
  b2: Float32Array;
}

export interface TrainSettings {
  spec: OptimizerSpec;
  lr: number;
  hidden: number;
  epochs: number;
  batchSize: number;
  seed: number;
  backend: BackendName;
}

/** Mean binary cross-entropy (natural log) and accuracy of `net` on the rows `indices`. */
export function evaluate(net: Network, data: Dataset, indices: ArrayLike<number>): { loss: number; accuracy: number } {
  let loss = 0, correct = 0;
  for (let j = 0; j < indices.length; j++) {
    const i = indices[j];
    const z = logit(net, data.X[i][0], data.X[i][1]);
    // log(1 + e^z) − y·z, computed without overflow.
    loss += Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - data.y[i] * z;
    if ((z > 0 ? 1 : 0) === data.y[i]) correct++;
  }
  return { loss: loss / indices.length, accuracy: correct / indices.length };
}

export function logit(net: Network, x0: number, x1: number): number {
  let z = net.b2[0];
  for (let k = 0; k < net.hidden; k++) z += net.W2[k] * Math.tanh(net.W1[2 * k] * x0 + net.W1[2 * k + 1] * x1 + net.b1[k]);
  return z;
}

export function probability(net: Network, x0: number, x1: number): number {
  return 1 / (1 + Math.exp(-logit(net, x0, x1)));
}

/**
 * The network as a gradstep Model (X: rows × 2 features, row-major; y: 0 or 1), so that fit and
 * fitAsync train it: the forward pass, binary cross-entropy and backpropagation, by hand.
 */
class TanhNetworkModel implements Model {
  readonly kind = 'classifier';
  readonly features = 2;
  readonly params: Param[];
  private readonly h: Float64Array;
  private readonly gW1: Float64Array;
  private readonly gb1: Float64Array;
  private readonly gW2: Float64Array;

  constructor(readonly hidden: number, readonly W1: Param, readonly b1: Param, readonly W2: Param, readonly b2: Param) {
    this.params = [W1, b1, W2, b2];
    this.h = new Float64Array(hidden);
    this.gW1 = new Float64Array(2 * hidden);
    this.gb1 = new Float64Array(hidden);
    this.gW2 = new Float64Array(hidden);
  }

  /** The current weights as a Network (views: copy them to keep them). */
  network(): Network {
    return { hidden: this.hidden, W1: this.W1.value, b1: this.b1.value, W2: this.W2.value, b2: this.b2.value };
  }

  lossAndGradient(X: Float32Array, y: ArrayLike<number>, rows?: ArrayLike<number>): number {
    const { hidden, h, gW1, gb1, gW2 } = this;
    const w1 = this.W1.value, c1 = this.b1.value, w2 = this.W2.value, c2 = this.b2.value;
    gW1.fill(0); gb1.fill(0); gW2.fill(0);
    let gb2 = 0, loss = 0;
    const count = rows === undefined ? y.length : rows.length;
    for (let j = 0; j < count; j++) {
      const i = rows === undefined ? j : rows[j];
      const x0 = X[2 * i], x1 = X[2 * i + 1];
      let z = c2[0];
      for (let k = 0; k < hidden; k++) {
        h[k] = Math.tanh(w1[2 * k] * x0 + w1[2 * k + 1] * x1 + c1[k]);
        z += w2[k] * h[k];
      }
      loss += Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - y[i] * z;
      // d(BCE)/dz = sigmoid(z) − y; then back through W2 and tanh.
      const dz = 1 / (1 + Math.exp(-z)) - y[i];
      gb2 += dz;
      for (let k = 0; k < hidden; k++) {
        gW2[k] += dz * h[k];
        const da = dz * w2[k] * (1 - h[k] * h[k]);
        gW1[2 * k] += da * x0;
        gW1[2 * k + 1] += da * x1;
        gb1[k] += da;
      }
    }
    const scale = 1 / count;
    const set = (p: Param, g: ArrayLike<number>) => {
      const grad = p.grad;
      for (let k = 0; k < grad.length; k++) grad[k] = g[k] * scale;
    };
    set(this.W1, gW1); set(this.b1, gb1); set(this.W2, gW2); set(this.b2, [gb2]);
    return loss * scale;
  }

  evaluate(X: Float32Array, y: ArrayLike<number>, rows?: ArrayLike<number>): { loss: number; accuracy: number } {
    const count = rows === undefined ? y.length : rows.length;
    const net = this.network();
    let loss = 0, correct = 0;
    for (let j = 0; j < count; j++) {
      const i = rows === undefined ? j : rows[j];
      const z = logit(net, X[2 * i], X[2 * i + 1]);
      loss += Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - y[i] * z;
      if ((z > 0 ? 1 : 0) === y[i]) correct++;
    }
    return { loss: loss / count, accuracy: correct / count };
  }

  predict(X: Float32Array, rows?: ArrayLike<number>): Float32Array {
    const count = rows === undefined ? X.length / 2 : rows.length;
    const net = this.network();
    return Float32Array.from({ length: count }, (_, j) => {
      const i = rows === undefined ? j : rows[j];
      return logit(net, X[2 * i], X[2 * i + 1]) > 0 ? 1 : 0;
    });
  }

  dispose(): void {
    for (const p of this.params) p.dispose();
  }
}

/**
 * A fresh network for `settings`, with what fit needs to train it on the rows `train`: the data as a
 * Float32Array, the optimizer, and the options shared by the synchronous and the async run. After
 * each epoch `onEpoch(net, epoch)` may record losses.
 */
function prepareTraining(data: Dataset, rows: ArrayLike<number>, settings: TrainSettings, onEpoch?: (net: Network, epoch: number) => void) {
  const { hidden, backend } = settings;
  const random = new Random(settings.seed);
  // Glorot-like initialisation: W1 ~ N(0, 1/2), W2 ~ N(0, 1/hidden), biases 0.
  const init = (length: number, scale: number) => Float32Array.from({ length }, () => scale * normal(random));
  const model = new TanhNetworkModel(hidden, param(init(2 * hidden, Math.SQRT1_2), { backend }), param(hidden, { backend }), param(init(hidden, 1 / Math.sqrt(hidden)), { backend }), param(1, { backend }));
  const optimizer = settings.spec.create(model.params, settings.lr, settings.spec.option?.value);
  const X = Float32Array.from(data.X.flat());
  const options: FitOptions = {
    optimizer,
    epochs: settings.epochs,
    batchSize: Math.min(settings.batchSize, rows.length),
    // The Random that drew the weights goes on to draw the batch order.
    seed: random,
    // The running mean of the batch losses: the panel scores the epochs itself (onEpoch).
    trainMetrics: 'running',
    callbacks: onEpoch === undefined ? undefined : { onEpochEnd: (epoch) => onEpoch(model.network(), epoch - 1) },
  };
  /** The fitted network as plain arrays (copies, which outlive the params). */
  const fitted = (): Network => {
    const net = model.network();
    return { hidden, W1: net.W1.slice(), b1: net.b1.slice(), W2: net.W2.slice(), b2: net.b2.slice() };
  };
  const dispose = () => {
    optimizer.dispose();
    model.dispose();
  };
  return { model, data: { X, y: data.y, rows }, options, fitted, dispose };
}

/**
 * Trains a fresh network on the rows `train` for `epochs` epochs of mini-batches (batch size 1 is
 * SGD, the row count is full batch) with fit. After each epoch `onEpoch(net, epoch)` may record
 * losses. The gradstep params are disposed before returning; the network is returned as plain arrays.
 */
export function train(data: Dataset, rows: ArrayLike<number>, settings: TrainSettings, onEpoch?: (net: Network, epoch: number) => void): Network {
  const run = prepareTraining(data, rows, settings, onEpoch);
  try {
    fit(run.model, run.data, run.options);
    return run.fitted();
  } finally {
    run.dispose();
  }
}

/** train() with fitAsync: the same network, bit for bit, while the page keeps drawing and answering input. */
export async function trainAsync(data: Dataset, rows: ArrayLike<number>, settings: TrainSettings, onEpoch?: (net: Network, epoch: number) => void): Promise<Network> {
  const run = prepareTraining(data, rows, settings, onEpoch);
  try {
    await fitAsync(run.model, run.data, run.options);
    return run.fitted();
  } finally {
    run.dispose();
  }
}
