/**
 * How sharp a minimum is: the largest relative loss increase within a small box around the
 * weights, after Keskar et al. 2017, "On Large-Batch Training for Deep Learning: Generalization Gap
 * and Sharp Minima" (§2.2.2, metric (4)).
 */
import { randomFrom, type Seed } from '../model-selection/random.js';
import { checkInteger, checkNumber, checkOptionNames } from '../validate.js';
import type { Model } from '../models/model.js';
import type { TrainingData } from './fit.js';

/** Options of {@link sharpness}: the box's size, how many random corners, and their seed. */
export interface SharpnessOptions {
  /** Half-width of the box, relative: each weight w may move by ε·(|w| + 1). Default 1e-3 (Keskar's smaller ε is 5e-4). */
  epsilon?: number;
  /** Random corners of the box to try besides the gradient-sign corner: an integer ≥ 0. Default 10. */
  samples?: number;
  /** Seed of the random corners; a Random is advanced. Default: a fresh random seed. */
  seed?: Seed;
}

/** What {@link sharpness} gives: Keskar's sharpness and the losses it comes from. */
export interface SharpnessResult {
  /** 100 · (maxLoss − loss) / (1 + loss): Keskar's sharpness, as a percentage (a lower bound, see `sharpness`). */
  readonly sharpness: number;
  /** The loss at the weights themselves. */
  readonly loss: number;
  /** The largest loss found in the box. */
  readonly maxLoss: number;
  /** The loss at the corner ε·(|w| + 1)·sign(∇loss): a first-order maximizer over the box. */
  readonly gradientCornerLoss: number;
  /** The largest loss over the random corners (NaN with samples = 0). */
  readonly randomCornerLoss: number;
}

/**
 * Estimates the sharpness of the model's current weights w on the rows of `data`:
 * max over the box |δᵢ| ≤ ε(|wᵢ| + 1) of f(w + δ), compared with f(w). Keskar et al. maximize with
 * L-BFGS-B; here the candidates are the box corner along the gradient's signs (where a linear model
 * of f is largest) and `samples` random corners (independent signs), so the result is a lower
 * bound of their metric that is cheap (one gradient and samples + 2 loss evaluations) and, for a
 * fixed seed, deterministic. Flat minima (small values) tend to generalize better than sharp ones.
 *
 * The weights are restored exactly afterwards; the params' `.grad` is overwritten (by the gradient at w).
 */
export function sharpness(model: Model, data: TrainingData, options: SharpnessOptions = {}): SharpnessResult {
  const owner = 'sharpness';
  const given = checkOptionNames(owner, options, ['epsilon', 'samples', 'seed']);
  const epsilon = checkNumber(owner, 'epsilon', given.epsilon ?? 1e-3, { min: 0, minExclusive: true });
  const samples = checkInteger(owner, 'samples', given.samples ?? 10, 0);
  const rng = randomFrom(given.seed as Seed | undefined, `${owner}: seed`);
  const params = model.params;
  const saved = params.map((p) => p.value.slice());
  const loss = model.lossAndGradient(data.X, data.y, data.rows);
  const directions = params.map((p) => {
    const g = p.grad;
    return Float32Array.from(g, (v) => (v > 0 ? 1 : v < 0 ? -1 : 0));
  });
  const lossAtCorner = (): number => {
    params.forEach((p, k) => {
      const w = p.value;
      const w0 = saved[k];
      const d = directions[k];
      for (let i = 0; i < w.length; i++) w[i] = w0[i] + d[i] * epsilon * (Math.abs(w0[i]) + 1);
    });
    return model.evaluate(data.X, data.y, data.rows).loss;
  };
  try {
    const gradientCornerLoss = lossAtCorner();
    let randomCornerLoss = NaN;
    for (let s = 0; s < samples; s++) {
      for (const d of directions) for (let i = 0; i < d.length; i++) d[i] = rng.nextUint32() & 1 ? 1 : -1;
      const value = lossAtCorner();
      if (!(value <= randomCornerLoss)) randomCornerLoss = value;
    }
    const maxLoss = Math.max(gradientCornerLoss, Number.isNaN(randomCornerLoss) ? -Infinity : randomCornerLoss, loss);
    return { sharpness: (100 * (maxLoss - loss)) / (1 + loss), loss, maxLoss, gradientCornerLoss, randomCornerLoss };
  } finally {
    params.forEach((p, k) => p.value.set(saved[k]));
  }
}
