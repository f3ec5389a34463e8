/** Interleaved spiral arms, one per class: a classic toy problem that needs a nonlinear model. */
import { randomFrom, type Seed } from '../model-selection/random.js';
import { checkInteger, checkNumber, checkOptionNames, checkSampleCount } from '../validate.js';
import type { Dataset } from './dataset.js';
import { MAX_GENERATED_SAMPLES, shuffleRows } from './generator-options.js';
import { standardNormal } from './normal-random.js';

/** Options of {@link makeSpirals}: rows, arms, turns, noise, order and seed. */
export interface SpiralsOptions {
  /** Rows: an integer ≥ classes, spread as evenly as possible over the classes. Default 300. */
  samples?: number;
  /** Arms (classes): an integer from 2 to 32. Default 3. */
  classes?: number;
  /** How many full turns each arm makes. Default 1. */
  turns?: number;
  /** Standard deviation of Gaussian noise on the angle, in radians. Default 0.2. */
  noise?: number;
  /** Shuffle the rows. Default true. */
  shuffle?: boolean;
  /** Seed of the noise and the order; a Random is advanced. Default: a fresh random seed. */
  seed?: Seed;
}

/**
 * The spiral data of Stanford's CS231n notes: point k of arm c (of m) has radius r = k/(m − 1) and
 * angle θ = 2π·c/K + 2π·turns·r + noise·N(0, 1); its features are (r·sin θ, r·cos θ), its class c.
 */
export function makeSpirals(options: SpiralsOptions = {}): Dataset {
  const owner = 'makeSpirals';
  const given = checkOptionNames(owner, options, ['samples', 'classes', 'turns', 'noise', 'shuffle', 'seed']);
  const classes = checkInteger(owner, 'classes', given.classes ?? 3, 2, 32);
  const samples = checkSampleCount(owner, 'samples', given.samples ?? 300, classes, MAX_GENERATED_SAMPLES);
  const turns = checkNumber(owner, 'turns', given.turns ?? 1, { min: 0 });
  const noise = checkNumber(owner, 'noise', given.noise ?? 0.2, { min: 0 });
  const rng = randomFrom(given.seed as Seed | undefined, `${owner}: seed`);
  const X = new Float32Array(samples * 2);
  const y = new Float32Array(samples);
  let i = 0;
  for (let c = 0; c < classes; c++) {
    const m = Math.floor(samples / classes) + (c < samples % classes ? 1 : 0);
    for (let k = 0; k < m; k++, i++) {
      const r = m === 1 ? 0 : k / (m - 1);
      const theta = (2 * Math.PI * c) / classes + 2 * Math.PI * turns * r + (noise > 0 ? noise * standardNormal(rng) : 0);
      X[2 * i] = r * Math.sin(theta);
      X[2 * i + 1] = r * Math.cos(theta);
      y[i] = c;
    }
  }
  if (given.shuffle ?? true) shuffleRows(X, y, 2, rng);
  return { X, y, samples, features: 2, featureNames: ['x0', 'x1'], targetName: 'y' };
}
