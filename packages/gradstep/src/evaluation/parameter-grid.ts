/**
 * Candidate hyperparameters for the searches, after scikit-learn's `ParameterGrid` and
 * `ParameterSampler` (`sklearn/model_selection/_search.py`): every combination of a grid in
 * scikit-learn's order, or `nIter` combinations drawn from lists and distributions.
 *
 * What matches scikit-learn exactly: the order of the candidates of a grid (keys sorted, the last key
 * varying fastest, the dicts of a list one after another), the order of the keys inside each
 * candidate, the validation (empty lists and non-list values are errors), and the sampler's structure:
 * without replacement from the grid when every value is a list (with nIter clipped to the grid's size
 * and a warning), with replacement once a distribution is present, and the whole grid in grid order
 * when nIter reaches its size. What does not: the random numbers. The sampler draws from gradstep's
 * PCG32 {@link Random}, not NumPy's MT19937, so the same seed does not give scikit-learn's candidates.
 *
 * Deliberate differences:
 * - a list of values is an array, or a typed array (as NumPy arrays there); a string is never a list
 *   (scikit-learn's sampler takes a string as a list of characters once a distribution is present),
 *   and an empty list is an error up front in the sampler too (there, an error at the first draw);
 * - `uniform(low, high)` takes both ends (scipy: `uniform(loc, scale)`); distributions are objects with
 *   `sample(random)` (scipy: `rvs(random_state)`);
 * - bounds: `parameterGrid` expands at most 2^24 candidates, the sampler's grid spans at most 2^53
 *   candidates (never expanded) and nIter is at most 2^24;
 * - JavaScript orders integer-like keys ("1", "2") first in every object, so such parameter names
 *   cannot keep Python's key order (the candidate order is unaffected).
 */
import { randomFrom, type Random, type Seed } from '../model-selection/random.js';
import { warn } from '../model-selection/warnings.js';
import { checkInteger, checkNumber, checkOptionNames, describe } from '../validate.js';
// Python's `sorted` order of strings is by code point, as NumPy's (JavaScript's sort compares UTF-16 units).
import { compareCodePoints } from '../model-selection/label-encoding.js';

/** The values one parameter takes: an array (of anything), or a typed array of numbers. */
export type ParameterValues = readonly unknown[] | ArrayLike<number>;

/**
 * One grid: parameter names mapped to their values (`{}` is one candidate with no parameters).
 * `undefined` is in the type only so that TypeScript infers a list of different dicts (it gives the
 * dicts each other's missing keys as `key?: undefined`); an undefined value is a TypeError.
 */
export type ParameterGridSpec = Readonly<Record<string, ParameterValues | undefined>>;

/** The value type of a list of values. */
type ValueOf<V> = V extends readonly (infer T)[] ? T : V extends ArrayLike<infer T> ? T : never;

/** The keys of `D` whose values are not only `undefined` (the keys TypeScript adds to a union of dicts). */
type DefinedKeys<D> = { [K in keyof D]-?: [Exclude<D[K], undefined>] extends [never] ? never : K }[keyof D];

/** A candidate of one grid dict `D`: each name with one of its values. Distributes over unions. */
export type CandidateOf<D> = D extends unknown ? { -readonly [K in DefinedKeys<D>]-?: ValueOf<Exclude<D[K], undefined>> } : never;

/** The candidates of a grid given as one dict or a list of dicts (a union for a list of different dicts). */
export type GridCandidate<G> = G extends readonly (infer D)[] ? CandidateOf<D> : CandidateOf<G>;

/**
 * The most candidates `parameterGrid` expands (2^24). A grid this large is not a search anyone can
 * fit; sample from it with {@link parameterSampler}, which never expands the grid.
 */
export const MAX_GRID_CANDIDATES = 2 ** 24;

/** One dict of a grid, normalized: its keys in Python's sorted order and their values. */
interface SubGrid {
  readonly keys: readonly string[];
  readonly values: readonly (readonly unknown[])[];
  /** The product of the value counts (1 for `{}`). */
  readonly size: number;
}

/**
 * Every combination of a parameter grid, in the order of scikit-learn's `list(ParameterGrid(grid))`.
 *
 * - A dict is expanded as `itertools.product` over its keys sorted by code point (Python's string
 *   order: `'A' < 'C' < 'aB' < 'a_b' < 'b'`, uppercase before `_` before lowercase), so the last key
 *   in sorted order varies fastest; each candidate lists its keys in sorted order.
 * - A list of dicts gives the candidates of each dict in turn (`[]` gives no candidate, `{}` one
 *   empty candidate), which avoids meaningless combinations:
 *   `[{ kernel: ['linear'] }, { kernel: ['rbf'], gamma: [1, 10] }]`.
 *
 * Values are any JavaScript values, used as given (not copied); a typed array of values is read as
 * a list of numbers. JavaScript puts integer-like keys (`"1"`, `"2"`) first in every object whatever
 * the insertion order, so for such parameter names the key order of the candidates differs from
 * Python's (the candidate order does not).
 *
 * ```ts
 * parameterGrid({ b: [true, false], a: [1, 2] });
 * // [{ a: 1, b: true }, { a: 1, b: false }, { a: 2, b: true }, { a: 2, b: false }]
 * ```
 *
 * @param grid a plain object mapping names to non-empty arrays of values, or an array of such objects
 * @returns a new array of new plain objects
 * @throws TypeError for a grid that is not a plain object or an array of plain objects, or a value
 *   that is not an array (a single value must be wrapped: `[0.1]`, as scikit-learn requires);
 *   RangeError for an empty array of values or more than {@link MAX_GRID_CANDIDATES} candidates
 */
export function parameterGrid<G extends ParameterGridSpec | readonly ParameterGridSpec[]>(grid: G): GridCandidate<G>[] {
  return expandGrid('parameterGrid', grid) as GridCandidate<G>[];
}

/** `parameterGrid` for the functions that take a grid as an option (errors name `owner` and `name`). @internal */
export function expandGrid(owner: string, grid: unknown, name = 'grid'): Record<string, unknown>[] {
  const subGrids = normalizeGrid(owner, grid, name);
  const total = subGrids.reduce((sum, sub) => sum + sub.size, 0);
  if (total > MAX_GRID_CANDIDATES) {
    throw new RangeError(
      `${owner}: ${name} has ${total} candidates, more than ${MAX_GRID_CANDIDATES} (2^24); sample from it with parameterSampler instead`,
    );
  }
  const candidates: Record<string, unknown>[] = [];
  for (const sub of subGrids) {
    const counters = new Array<number>(sub.keys.length).fill(0);
    for (let c = 0; c < sub.size; c++) {
      const candidate: Record<string, unknown> = {};
      sub.keys.forEach((key, k) => defineValue(candidate, key, sub.values[k][counters[k]]));
      candidates.push(candidate);
      // Odometer: the last key turns fastest, as itertools.product.
      for (let k = sub.keys.length - 1; k >= 0; k--) {
        if (++counters[k] < sub.values[k].length) break;
        counters[k] = 0;
      }
    }
  }
  return candidates;
}

/** The number of candidates of a grid (`len(ParameterGrid(grid))`), without expanding it. */
export function parameterGridSize(grid: ParameterGridSpec | readonly ParameterGridSpec[]): number {
  return normalizeGrid('parameterGridSize', grid, 'grid').reduce((sum, sub) => sum + sub.size, 0);
}

/**
 * The candidate at `index` of a grid, as scikit-learn's `ParameterGrid.__getitem__`: the same
 * candidate as `parameterGrid(grid)[index]`, but with its keys in reverse sorted order (scikit-learn
 * decomposes the index from the fastest-varying key up, and the sampler's candidates keep that order).
 */
function candidateAt(subGrids: readonly SubGrid[], index: number): Record<string, unknown> {
  let rest = index;
  for (const sub of subGrids) {
    if (rest >= sub.size) {
      rest -= sub.size;
      continue;
    }
    const candidate: Record<string, unknown> = {};
    for (let k = sub.keys.length - 1; k >= 0; k--) {
      const count = sub.values[k].length;
      defineValue(candidate, sub.keys[k], sub.values[k][rest % count]);
      rest = Math.floor(rest / count);
    }
    return candidate;
  }
  throw new RangeError(`parameter grid index ${index} out of range`);
}

/** Sets an own data property (a key named "__proto__" stays a key, as in a Python dict). */
function defineValue(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function normalizeGrid(owner: string, grid: unknown, name: string): SubGrid[] {
  const dicts = gridDicts(owner, grid, name, 'a parameter grid');
  return dicts.map(({ dict, where }) => {
    const keys = Object.keys(dict).sort(compareCodePoints);
    const values = keys.map((key) => listOfValues(owner, `${where}.${key}`, dict[key]));
    let size = 1;
    for (const list of values) size *= list.length;
    if (!Number.isSafeInteger(size)) throw new RangeError(`${owner}: ${where} has more than 2^53 candidates`);
    return { keys, values, size };
  });
}

/** The dicts of a grid or of distributions: one plain object, or an array of them. */
function gridDicts(owner: string, given: unknown, name: string, what: string): { dict: Record<string, unknown>; where: string }[] {
  if (isPlainObject(given)) return [{ dict: given, where: name }];
  if (!Array.isArray(given)) {
    throw new TypeError(`${owner}: ${name} must be ${what} (an object of arrays of values) or an array of them, got ${describe(given)}`);
  }
  return given.map((dict: unknown, i) => {
    if (!isPlainObject(dict)) throw new TypeError(`${owner}: ${name}[${i}] must be a plain object of arrays of values, got ${describe(dict)}`);
    return { dict, where: `${name}[${i}]` };
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** An array (used as is) or a typed array (read as numbers), non-empty. */
function listOfValues(owner: string, where: string, value: unknown): readonly unknown[] {
  let list: readonly unknown[];
  if (Array.isArray(value)) list = value;
  else if (ArrayBuffer.isView(value) && !(value instanceof DataView)) list = Array.from(value as unknown as ArrayLike<number>);
  else {
    throw new TypeError(
      `${owner}: ${where} must be an array of values, got ${describe(value)} (a single value must be wrapped in an array: [value])`,
    );
  }
  if (list.length === 0) throw new RangeError(`${owner}: ${where} must be a non-empty array of values, got an empty array`);
  return list;
}

// ---------------------------------------------------------------------------------------------------
// Distributions

/**
 * A distribution to sample a parameter from: any object with a `sample(random)` method (as
 * scikit-learn accepts any object with an `rvs(random_state)` method), which must draw its random
 * numbers from `random` for the search to be reproducible from its seed.
 */
export interface Distribution<T = unknown> {
  /** Draws one value, taking every random number from `random` (the search's seeded PCG32). */
  sample(random: Random): T;
}

/** `uniform(low, high)`: a float uniform in [low, high). */
export interface UniformDistribution extends Distribution<number> {
  /** Which distribution this is: 'uniform'. */
  readonly kind: 'uniform';
  /** The lower end, included. */
  readonly low: number;
  /** The upper end, excluded. */
  readonly high: number;
}

/** `logUniform(low, high)`: a float whose logarithm is uniform in [log low, log high). */
export interface LogUniformDistribution extends Distribution<number> {
  /** Which distribution this is: 'logUniform'. */
  readonly kind: 'logUniform';
  /** The lower end (> 0), included. */
  readonly low: number;
  /** The upper end, excluded. */
  readonly high: number;
}

/** `integers(low, high)`: an integer uniform in low, low + 1, …, high − 1. */
export interface IntegersDistribution extends Distribution<number> {
  /** Which distribution this is: 'integers'. */
  readonly kind: 'integers';
  /** The smallest integer drawn. */
  readonly low: number;
  /** One past the largest integer drawn (excluded, as scipy's randint). */
  readonly high: number;
}

/**
 * The uniform distribution on [low, high): `low + (high − low)·u` with u = `random.nextFloat()`
 * (two PCG32 draws). scipy's `uniform(loc, scale)` takes the start and the width; this takes both ends.
 *
 * @throws TypeError/RangeError unless low and high are finite numbers with low < high and a finite width
 */
export function uniform(low: number, high: number): UniformDistribution {
  const owner = 'uniform';
  checkNumber(owner, 'low', low);
  checkNumber(owner, 'high', high, { min: low, minExclusive: true });
  const width = high - low;
  if (!Number.isFinite(width)) throw new RangeError(`${owner}: high - low must be finite, got ${high} - ${low}`);
  return Object.freeze({ kind: 'uniform' as const, low, high, sample: (random: Random) => low + width * random.nextFloat() });
}

/**
 * The log-uniform (reciprocal) distribution on [low, high), as scipy's `loguniform(low, high)`:
 * `exp(log low + u·(log high − log low))` with u = `random.nextFloat()` (two PCG32 draws), the
 * formula of scipy's `ppf`. The usual choice for learning rates and regularization strengths.
 *
 * @throws TypeError/RangeError unless 0 < low < high, both finite
 */
export function logUniform(low: number, high: number): LogUniformDistribution {
  const owner = 'logUniform';
  checkNumber(owner, 'low', low, { min: 0, minExclusive: true });
  checkNumber(owner, 'high', high, { min: low, minExclusive: true });
  const logLow = Math.log(low);
  const logWidth = Math.log(high) - logLow;
  return Object.freeze({ kind: 'logUniform' as const, low, high, sample: (random: Random) => Math.exp(logLow + logWidth * random.nextFloat()) });
}

/**
 * The integers low, …, high − 1, each equally likely: scipy's `randint(low, high)` (high
 * excluded). One PCG32 draw (more on a rejection) when high − low ≤ 2^32, two per try beyond.
 *
 * @throws TypeError/RangeError unless low and high are safe integers with low < high and high − low ≤ 2^53
 */
export function integers(low: number, high: number): IntegersDistribution {
  const owner = 'integers';
  checkInteger(owner, 'low', low, Number.MIN_SAFE_INTEGER);
  checkInteger(owner, 'high', high, low + 1, Number.MAX_SAFE_INTEGER);
  // Counted exactly: past 2^53 a float difference rounds (high − low = 2^53 + 1 would pass as 2^53).
  const exactCount = BigInt(high) - BigInt(low);
  if (exactCount > 2n ** 53n) throw new RangeError(`${owner}: high - low must be at most 2^53, got ${exactCount}`);
  const count = Number(exactCount);
  return Object.freeze({ kind: 'integers' as const, low, high, sample: (random: Random) => low + boundedInteger(random, count) });
}

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

/** An integer uniform in [0, n) for n up to 2^53, without modulo bias. @internal */
export function boundedInteger(random: Random, n: number): number {
  if (n <= TWO_POW_32) return random.integer(n);
  // 53 random bits per try (as nextFloat), rejecting the top remainder of 2^53 mod n.
  const limit = TWO_POW_53 - (TWO_POW_53 % n);
  for (;;) {
    const a = random.nextUint32() >>> 5;
    const b = random.nextUint32() >>> 6;
    const x = a * 67108864 + b;
    if (x < limit) return x % n;
  }
}

// ---------------------------------------------------------------------------------------------------
// ParameterSampler

/**
 * One dict of what to sample: names mapped to a list of values (drawn uniformly) or a
 * {@link Distribution}. (`undefined` only for TypeScript's inference, as in {@link ParameterGridSpec}.)
 */
export type ParameterDistributionsSpec = Readonly<Record<string, ParameterValues | Distribution | undefined>>;

type SampledOf<V> = V extends Distribution<infer T> ? T : ValueOf<V>;
/** A sampled candidate of one dict `D`. Distributes over unions. */
export type SampledCandidateOf<D> = D extends unknown ? { -readonly [K in DefinedKeys<D>]-?: SampledOf<Exclude<D[K], undefined>> } : never;
/** The candidates drawn from distributions given as one dict or a list of dicts. */
export type SampledCandidate<G> = G extends readonly (infer D)[] ? SampledCandidateOf<D> : SampledCandidateOf<G>;

/** Options of {@link parameterSampler}: how many candidates and the seed. */
export interface ParameterSamplerOptions {
  /** How many candidates to draw: an integer from 0 to 2^24 (clipped to the grid's size when every value is a list). */
  nIter: number;
  /** A 32-bit integer, or a {@link Random} whose state advances; default a fresh seed (different every call). */
  seed?: Seed;
}

/**
 * `nIter` candidates drawn from lists and distributions, with the structure of scikit-learn's
 * `ParameterSampler`:
 *
 * - **Every value a list** (no distribution): the candidates are drawn **without replacement** from
 *   the grid the lists span (`parameterGrid(distributions)`, not expanded), so none repeats. When
 *   nIter exceeds the grid's size, it is clipped to that size with a warning (scikit-learn's
 *   UserWarning, through the handler of `setWarningHandler`) and the result is the whole grid. The
 *   grid indices are drawn as scikit-learn's `sample_without_replacement` chooses its method: when
 *   nIter ≥ 0.99 × size, reservoir sampling (so nIter = size gives the grid in grid order, exactly
 *   as scikit-learn), otherwise a uniformly random ordered sample (a partial Fisher–Yates shuffle
 *   with O(nIter) memory, where scikit-learn uses a permutation or tracking selection: the same
 *   distribution). Each candidate has its keys in reverse sorted order, as `ParameterGrid[i]`.
 * - **A distribution present**: each candidate is drawn independently (**with replacement**): a dict
 *   of the list is picked uniformly (no draw when there is one), then its keys in sorted order each
 *   take `distribution.sample(random)` or a uniformly drawn element of their list. Keys in sorted order.
 *
 * The random numbers come from gradstep's PCG32, so a seed does not reproduce scikit-learn's
 * candidates (NumPy's MT19937), only their structure; the same seed gives the same candidates here on
 * every platform.
 *
 * @param distributions a plain object of names mapped to non-empty arrays of values or distributions
 *   ({@link uniform}, {@link logUniform}, {@link integers} or any object with `sample(random)`), or an
 *   array of such objects
 * @throws TypeError for a value that is neither an array nor a distribution, or malformed options;
 *   RangeError for an empty array of values or an nIter out of range
 */
export function parameterSampler<G extends ParameterDistributionsSpec | readonly ParameterDistributionsSpec[]>(
  distributions: G,
  options: ParameterSamplerOptions,
): SampledCandidate<G>[] {
  const owner = 'parameterSampler';
  const given = checkOptionNames(owner, options, ['nIter', 'seed']);
  const nIter = checkInteger(owner, 'nIter', given.nIter, 0, MAX_GRID_CANDIDATES);
  return sampleCandidates(owner, distributions, 'distributions', nIter, given.seed) as SampledCandidate<G>[];
}

/** The sampler for the functions that take distributions as an option. @internal */
export function sampleCandidates(owner: string, distributions: unknown, name: string, nIter: number, seed: unknown): Record<string, unknown>[] {
  const dicts = gridDicts(owner, distributions, name, 'parameter distributions');
  const entries = dicts.map(({ dict, where }) => {
    const keys = Object.keys(dict).sort(compareCodePoints);
    const values = keys.map((key): readonly unknown[] | Distribution => {
      const value = dict[key];
      if (isDistribution(value)) return value;
      if (Array.isArray(value) || ArrayBuffer.isView(value)) return listOfValues(owner, `${where}.${key}`, value);
      throw new TypeError(
        `${owner}: ${where}.${key} must be an array of values or a distribution (uniform, logUniform, integers, or an object with a sample(random) method), got ${describe(value)}`,
      );
    });
    return { keys, values };
  });
  const random = randomFrom(seed as Seed | undefined, `${owner}: seed`);
  const allLists = entries.every(({ values }) => values.every((value) => !isDistribution(value)));

  if (allLists) {
    const subGrids = normalizeGrid(owner, distributions, name);
    const size = subGrids.reduce((sum, sub) => sum + sub.size, 0);
    if (!Number.isSafeInteger(size)) throw new RangeError(`${owner}: ${name} spans more than 2^53 candidates`);
    let count = nIter;
    if (size < nIter) {
      warn(`${owner}: the total space of parameters ${size} is smaller than nIter=${nIter}. Running ${size} iterations. For exhaustive searches, use gridSearch.`);
      count = size;
    }
    return sampleWithoutReplacement(size, count, random).map((index) => candidateAt(subGrids, index));
  }

  const candidates: Record<string, unknown>[] = [];
  for (let i = 0; i < nIter; i++) {
    const { keys, values } = entries.length === 1 ? entries[0] : entries[random.integer(entries.length)];
    const candidate: Record<string, unknown> = {};
    keys.forEach((key, k) => {
      const value = values[k];
      defineValue(candidate, key, isDistribution(value) ? value.sample(random) : value[random.integer(value.length)]);
    });
    candidates.push(candidate);
  }
  return candidates;
}

function isDistribution(value: unknown): value is Distribution {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !ArrayBuffer.isView(value)
    && typeof (value as Distribution).sample === 'function';
}

/**
 * `count` distinct integers of [0, n), chosen as scikit-learn's `sample_without_replacement`
 * (method "auto") chooses its algorithm by the ratio count / n: reservoir sampling for a ratio ≥ 0.99
 * (its output order is the structure scikit-learn gives: index j stays j unless replaced by a later
 * one), a uniformly random ordered sample otherwise (a partial Fisher–Yates shuffle over a sparse map).
 */
function sampleWithoutReplacement(n: number, count: number, random: Random): number[] {
  const ratio = n === 0 ? 1 : count / n;
  if (ratio >= 0.99) {
    const out = Array.from({ length: count }, (_, i) => i);
    for (let i = count; i < n; i++) {
      const j = boundedInteger(random, i + 1);
      if (j < count) out[j] = i;
    }
    return out;
  }
  const moved = new Map<number, number>();
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const j = i + boundedInteger(random, n - i);
    const atJ = moved.get(j) ?? j;
    moved.set(j, moved.get(i) ?? i);
    out.push(atJ);
  }
  return out;
}
