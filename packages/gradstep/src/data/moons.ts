/** Two interleaving half circles: a small classification problem that no straight line separates. */
import { randomFrom, type Seed } from '../model-selection/random.js';
import { checkNumber, checkOptionNames, checkSampleCount } from '../validate.js';
import type { Dataset } from './dataset.js';
import { MAX_GENERATED_SAMPLES, shuffleRows } from './generator-options.js';
import { standardNormal } from './normal-random.js';

/** Options of {@link makeMoons}: rows, noise, order and seed. */
export interface MoonsOptions {
  /** Rows: an integer ≥ 2. Default 100. floor(samples / 2) on the outer moon (class 0), the rest on the inner (class 1). */
  samples?: number;
  /** Standard deviation of Gaussian noise added to both coordinates. Default 0. */
  noise?: number;
  /** Shuffle the rows. Default true. */
  shuffle?: boolean;
  /** Seed of the noise and the order; a Random is advanced. Default: a fresh random seed. */
  seed?: Seed;
}

/**
 * scikit-learn's `make_moons`: class 0 at (cos t, sin t) and class 1 at (1 − cos t, 1 − sin t − 0.5)
 * for t evenly spaced over [0, π] (endpoints included), then noise (one standard normal per
 * coordinate, row by row) and a shuffle. Same geometry as scikit-learn; other random numbers.
 */
export function makeMoons(options: MoonsOptions = {}): Dataset {
  const owner = 'makeMoons';
  const given = checkOptionNames(owner, options, ['samples', 'noise', 'shuffle', 'seed']);
  const samples = checkSampleCount(owner, 'samples', given.samples ?? 100, 2, MAX_GENERATED_SAMPLES);
  const noise = checkNumber(owner, 'noise', given.noise ?? 0, { min: 0 });
  const rng = randomFrom(given.seed as Seed | undefined, `${owner}: seed`);
  const outer = Math.floor(samples / 2);
  const inner = samples - outer;
  const X = new Float32Array(samples * 2);
  const y = new Float32Array(samples);
  for (let i = 0; i < samples; i++) {
    const isOuter = i < outer;
    const m = isOuter ? outer : inner;
    const k = isOuter ? i : i - outer;
    const t = m === 1 ? 0 : (Math.PI * k) / (m - 1);
    let a = isOuter ? Math.cos(t) : 1 - Math.cos(t);
    let b = isOuter ? Math.sin(t) : 1 - Math.sin(t) - 0.5;
    if (noise > 0) {
      a += noise * standardNormal(rng);
      b += noise * standardNormal(rng);
    }
    X[2 * i] = a;
    X[2 * i + 1] = b;
    y[i] = isOuter ? 0 : 1;
  }
  if (given.shuffle ?? true) shuffleRows(X, y, 2, rng);
  return { X, y, samples, features: 2, featureNames: ['x0', 'x1'], targetName: 'y' };
}
