/** A one-dimensional regression problem with a known truth: y = sin(2πx) + Gaussian noise. */
import { randomFrom, type Seed } from '../model-selection/random.js';
import { checkNumber, checkOptionNames, checkSampleCount } from '../validate.js';
import type { Dataset } from './dataset.js';
import { MAX_GENERATED_SAMPLES } from './generator-options.js';
import { standardNormal } from './normal-random.js';

/** Options of {@link makeNoisyRegression}: rows, noise and seed. */
export interface NoisyRegressionOptions {
  /** Rows: an integer ≥ 1. Default 100. */
  samples?: number;
  /** Standard deviation of the noise added to y. Default 0.3. */
  noise?: number;
  /** Seed of x and the noise; a Random is advanced. Default: a fresh random seed. */
  seed?: Seed;
}

/** What {@link makeNoisyRegression} gives: a Dataset with one feature x and, beside y, the noise-free truth. */
export interface NoisyRegressionDataset extends Dataset {
  /** The noise-free targets sin(2πx): the best any model can predict (the irreducible error is noise²). */
  readonly truth: Float32Array;
}

/**
 * Bishop's curve-fitting example ("Pattern Recognition and Machine Learning", §1.1): x uniform on
 * [0, 1), y = sin(2πx) + noise·N(0, 1). Per row one `nextFloat()` for x, then one normal draw.
 * Polynomials of growing degree on it go from underfitting (degree 1) to overfitting (degree ≥ 9
 * on a few points): see `polynomialFeatures`.
 */
export function makeNoisyRegression(options: NoisyRegressionOptions = {}): NoisyRegressionDataset {
  const owner = 'makeNoisyRegression';
  const given = checkOptionNames(owner, options, ['samples', 'noise', 'seed']);
  const samples = checkSampleCount(owner, 'samples', given.samples ?? 100, 1, MAX_GENERATED_SAMPLES);
  const noise = checkNumber(owner, 'noise', given.noise ?? 0.3, { min: 0 });
  const rng = randomFrom(given.seed as Seed | undefined, `${owner}: seed`);
  const X = new Float32Array(samples);
  const y = new Float32Array(samples);
  const truth = new Float32Array(samples);
  for (let i = 0; i < samples; i++) {
    const x = rng.nextFloat();
    X[i] = x;
    truth[i] = Math.sin(2 * Math.PI * x);
    y[i] = truth[i] + noise * standardNormal(rng);
  }
  return { X, y, truth, samples, features: 1, featureNames: ['x'], targetName: 'y' };
}
