/** Bootstrap resampling and percentile confidence intervals. */
import { checkOptionNames, checkSampleCount, describe } from '../validate.js';
import { checkLabelArray } from './label-encoding.js';
import { randomFrom, type Random, type Seed } from './random.js';

/** Options of {@link bootstrap}: how many draws and their seed. */
export interface BootstrapOptions {
  /** Number of draws, at least 1. Default n. */
  size?: number;
  /** Seed of the draws; a `Random` is advanced. Default: a fresh random seed. */
  seed?: Seed;
}

/** One bootstrap sample: the drawn indices and the ones left out. */
export interface BootstrapSample {
  /** The drawn indices, with repetitions, in draw order (not sorted). */
  readonly sample: Uint32Array;
  /** The indices never drawn, ascending: the out-of-bag samples. */
  readonly outOfBag: Uint32Array;
}

/**
 * A bootstrap sample of n samples: `size` indices drawn uniformly with replacement (each one
 * `Random.integer(n)`), and the out-of-bag indices, those never drawn. As scikit-learn's
 * `resample(replace=True)` and the bootstrap of its bagging and forests, with other draws (PCG32).
 * Linear time and memory.
 *
 * @throws RangeError if n < 1 or size < 1
 */
export function bootstrap(n: number, options?: BootstrapOptions): BootstrapSample {
  const owner = 'bootstrap';
  const given = checkOptionNames(owner, options, ['size', 'seed']);
  checkSampleCount(owner, 'n', n);
  const size = checkSampleCount(owner, 'size', given.size ?? n);
  const rng = randomFrom(given.seed as Seed | undefined, `${owner}: seed`);
  const sample = new Uint32Array(size);
  const drawn = new Uint8Array(n);
  let distinct = 0;
  for (let j = 0; j < size; j++) {
    const index = rng.integer(n);
    sample[j] = index;
    if (drawn[index] === 0) {
      drawn[index] = 1;
      distinct++;
    }
  }
  const outOfBag = new Uint32Array(n - distinct);
  for (let i = 0, o = 0; i < n; i++) if (drawn[i] === 0) outOfBag[o++] = i;
  return { sample, outOfBag };
}

/** Options of {@link bootstrapInterval}: replicates, confidence level and seed. */
export interface BootstrapIntervalOptions {
  /** Number of bootstrap replicates, at least 1. Default 1000. */
  rounds?: number;
  /** Confidence level in (0, 1). Default 0.95. */
  confidence?: number;
  /** Seed of the resampling; a `Random` is advanced. Default: a fresh random seed. */
  seed?: Seed;
}

/** A percentile bootstrap confidence interval of a statistic, with its replicates. */
export interface BootstrapInterval {
  /** The statistic of the original data. */
  readonly estimate: number;
  /** The (1 − confidence)/2 quantile of the replicates. */
  readonly lower: number;
  /** The (1 + confidence)/2 quantile of the replicates. */
  readonly upper: number;
  /** The statistic of each resample, in draw order. */
  readonly replicates: Float64Array;
}

/**
 * A percentile bootstrap confidence interval of a statistic (Efron's percentile method, as
 * `scipy.stats.bootstrap(method="percentile")`): `rounds` times, resample the data with replacement
 * (n draws of `Random.integer(n)`) and compute the statistic; the interval is the (1 − confidence)/2
 * and (1 + confidence)/2 quantiles of these replicates, interpolated linearly as NumPy's default
 * `np.quantile` (Hyndman–Fan type 7). A NaN replicate makes both bounds NaN, as in NumPy.
 *
 * Two forms:
 * - `bootstrapInterval(values, statistic)`: `statistic` gets a Float64Array of resampled values;
 * - `bootstrapInterval(n, statistic)`: `statistic` gets a Uint32Array of resampled indices of 0 … n − 1,
 *   for statistics of several arrays (say accuracy of predictions against labels).
 *
 * The array passed to `statistic` is reused from round to round: it may be modified (sorted, say)
 * but must not be kept. `estimate` is the statistic of a copy of the data (of 0 … n − 1 in the
 * index form); `values` is never modified.
 *
 * ```ts
 * const mean = (x: Float64Array) => x.reduce((s, v) => s + v, 0) / x.length;
 * const { estimate, lower, upper } = bootstrapInterval(scores, mean, { seed: 1 });
 * ```
 *
 * @throws RangeError for empty data, non-finite values, rounds < 1 or confidence outside (0, 1);
 *   TypeError if `statistic` is not a function or does not return a number
 */
export function bootstrapInterval(
  values: ArrayLike<number>,
  statistic: (sample: Float64Array) => number,
  options?: BootstrapIntervalOptions,
): BootstrapInterval;
export function bootstrapInterval(
  n: number,
  statistic: (sampleIndices: Uint32Array) => number,
  options?: BootstrapIntervalOptions,
): BootstrapInterval;
export function bootstrapInterval(
  data: ArrayLike<number> | number,
  statistic: ((sample: Float64Array) => number) | ((sampleIndices: Uint32Array) => number),
  options?: BootstrapIntervalOptions,
): BootstrapInterval {
  const owner = 'bootstrapInterval';
  const given = checkOptionNames(owner, options, ['rounds', 'confidence', 'seed']);
  if (typeof statistic !== 'function') {
    throw new TypeError(`${owner}: statistic must be a function, got ${describe(statistic)}`);
  }
  const rounds = checkSampleCount(owner, 'rounds', given.rounds ?? 1000);
  const confidence = given.confidence ?? 0.95;
  if (typeof confidence !== 'number' || !(confidence > 0 && confidence < 1)) {
    const error = typeof confidence === 'number' ? RangeError : TypeError;
    throw new error(`${owner}: confidence must be a number in (0, 1), got ${describe(confidence)}`);
  }

  let resampleOnce: (rng: Random) => number;
  let estimate: number;
  if (typeof data === 'number') {
    const n = checkSampleCount(owner, 'n', data);
    const indexStatistic = statistic as (sampleIndices: Uint32Array) => number;
    const indices = new Uint32Array(n);
    for (let i = 0; i < n; i++) indices[i] = i;
    estimate = checkStatistic(owner, indexStatistic(indices));
    resampleOnce = (rng) => {
      for (let j = 0; j < n; j++) indices[j] = rng.integer(n);
      return checkStatistic(owner, indexStatistic(indices));
    };
  } else {
    const n = checkLabelArray(owner, 'values', data);
    const copy = Float64Array.from(data, (value, i) => {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new RangeError(`${owner}: values must be finite numbers, got ${describe(value)} at index ${i}`);
      }
      return value;
    });
    const valueStatistic = statistic as (sample: Float64Array) => number;
    estimate = checkStatistic(owner, valueStatistic(copy.slice()));
    const sample = new Float64Array(n);
    resampleOnce = (rng) => {
      for (let j = 0; j < n; j++) sample[j] = copy[rng.integer(n)];
      return checkStatistic(owner, valueStatistic(sample));
    };
  }

  const rng = randomFrom(given.seed as Seed | undefined, `${owner}: seed`);
  const replicates = new Float64Array(rounds);
  for (let r = 0; r < rounds; r++) replicates[r] = resampleOnce(rng);
  const tail = (1 - confidence) / 2;
  const sorted = replicates.slice().sort();
  return { estimate, lower: sortedQuantile(sorted, tail), upper: sortedQuantile(sorted, 1 - tail), replicates };
}

function checkStatistic(owner: string, value: unknown): number {
  if (typeof value !== 'number') throw new TypeError(`${owner}: statistic must return a number, got ${describe(value)}`);
  return value;
}

/**
 * The q-quantile of ascending `sorted` (NaNs last, as Float64Array.sort leaves them), computed as
 * NumPy's `np.quantile(method="linear")`, operation for operation: virtual index (m − 1)·q, then
 * NumPy's `_lerp`, which interpolates from the upper neighbour when the weight is >= 0.5. NaN if any
 * element is NaN.
 */
export function sortedQuantile(sorted: Float64Array, q: number): number {
  const m = sorted.length;
  if (m === 0 || Number.isNaN(sorted[m - 1])) return NaN;
  const virtualIndex = (m - 1) * q;
  if (virtualIndex >= m - 1) return sorted[m - 1];
  if (virtualIndex < 0) return sorted[0];
  const below = Math.floor(virtualIndex);
  const gamma = virtualIndex - below;
  const a = sorted[below];
  const b = sorted[below + 1];
  const difference = b - a;
  return gamma >= 0.5 ? b - difference * (1 - gamma) : a + difference * gamma;
}
