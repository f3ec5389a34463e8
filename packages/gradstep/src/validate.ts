/**
 * The argument checks that every module shares: option objects (and the rule for null values), numbers,
 * booleans, integers, counts and lengths. Every error names the function, the argument and the value:
 * a TypeError for a value of the wrong type, a RangeError for one out of range.
 */

export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  if (typeof value === 'object') return `an object (${value.constructor?.name ?? 'null prototype'})`;
  return typeof value;
}

/**
 * Options as given by the user: a plain object (or undefined), with no names outside `known`.
 *
 * The one rule for a missing value: only `undefined` selects an option's default. An option whose
 * value is `null` is a TypeError naming it, wherever the options are read, so that `given.x ?? d`
 * is safe on every value this returns and `{ x: null }` never silently means the default in one
 * function and an error in another. (Python's `None` means "the default" in some scikit-learn and
 * PyTorch arguments and something else in others; no gradstep option gives `null` a meaning:
 * maxDepth's "no limit" is Infinity, a CSV without target column is `target: 'none'`.)
 */
export function checkOptionNames(owner: string, options: unknown, known: readonly string[]): Record<string, unknown> {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`${owner}: options must be an object, got ${describe(options)}`);
  }
  for (const [name, value] of Object.entries(options)) {
    if (!known.includes(name)) {
      throw new TypeError(`${owner}: unknown option ${JSON.stringify(name)} (known: ${known.join(', ')})`);
    }
    if (value === null) throw new TypeError(`${owner}: ${name} must not be null (leave it undefined for the default), got null`);
  }
  return options as Record<string, unknown>;
}

export interface NumberRule {
  /** Smallest allowed value (inclusive unless `minExclusive`). */
  min?: number;
  minExclusive?: boolean;
  /** Largest allowed value (inclusive unless `maxExclusive`). */
  max?: number;
  maxExclusive?: boolean;
}

export function checkNumber(owner: string, name: string, value: unknown, rule: NumberRule = {}): number {
  if (typeof value !== 'number') throw new TypeError(`${owner}: ${name} must be a number, got ${describe(value)}`);
  const { min, max, minExclusive = false, maxExclusive = false } = rule;
  const tooLow = min !== undefined && (minExclusive ? !(value > min) : !(value >= min));
  const tooHigh = max !== undefined && (maxExclusive ? !(value < max) : !(value <= max));
  if (!Number.isFinite(value) || tooLow || tooHigh) {
    const lower = min === undefined ? '' : `${minExclusive ? '>' : '>='} ${min}`;
    const upper = max === undefined ? '' : `${maxExclusive ? '<' : '<='} ${max}`;
    const range = [lower, upper].filter(Boolean).join(' and ');
    throw new RangeError(`${owner}: ${name} must be a finite number${range ? ` ${range}` : ''}, got ${describe(value)}`);
  }
  return value;
}

export function checkBoolean(owner: string, name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new TypeError(`${owner}: ${name} must be true or false, got ${describe(value)}`);
  return value;
}

/**
 * An integer from `min` to `max` (a safe integer when no `max` is given): TypeError for a value that
 * is not a number, RangeError otherwise. The message states the range, and `why` (for a RangeError)
 * says where the bound comes from.
 */
export function checkInteger(owner: string, name: string, value: unknown, min: number, max?: number, why?: string): number {
  const range = max === undefined ? `>= ${min}` : `from ${min} to ${writeBound(max)}`;
  if (typeof value !== 'number') throw new TypeError(`${owner}: ${name} must be an integer ${range}, got ${describe(value)}`);
  if (!Number.isSafeInteger(value) || value < min || (max !== undefined && value > max)) {
    throw new RangeError(`${owner}: ${name} must be an integer ${range}${why === undefined ? '' : ` (${why})`}, got ${describe(value)}`);
  }
  return value;
}

/** Indices are Uint32Array elements, so at most 2^32 − 1 samples. */
const MAX_SAMPLES = 4294967295;

/**
 * A number of samples, or a count sized like one (a batch, bootstrap rounds, repeats, splits): an
 * integer >= `min` (by default 1: an empty dataset cannot be split) and at most `max`. `max` is a
 * capacity (Uint32Array indices by default), not a choice, so the message states the lower bound,
 * and `max` only for a count above it.
 */
export function checkSampleCount(owner: string, name: string, value: unknown, min = 1, max = MAX_SAMPLES): number {
  const count = checkInteger(owner, name, value, min);
  if (count > max) throw new RangeError(`${owner}: ${name} must be at most ${writeBound(max)}, got ${describe(count)}`);
  return count;
}

/** A length of a param or block: an integer from 0 to 2^30. */
export function checkLength(owner: string, name: string, value: unknown): number {
  return checkInteger(owner, name, value, 0, 2 ** 30);
}

/** Bounds as people write them: 2^24, 2^32 - 1; others as digits. */
function writeBound(bound: number): string {
  for (const [offset, suffix] of [[0, ''], [1, ' - 1']] as const) {
    // Exactly a power of two: log2 alone rounds 2^53 − 1 up to 53 and would state the bound one too high.
    const exponent = Math.round(Math.log2(bound + offset));
    if (exponent >= 16 && 2 ** exponent === bound + offset) return `2^${exponent}${suffix}`;
  }
  return String(bound);
}
