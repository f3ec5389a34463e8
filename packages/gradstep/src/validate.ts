/** Argument checks shared by params and optimizers; every error names the argument and the value. */

export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  if (typeof value === 'object') return `an object (${value.constructor?.name ?? 'null prototype'})`;
  return typeof value;
}

/** Options as given by the user: a plain object (or undefined), with no names outside `known`. */
export function checkOptionNames(owner: string, options: unknown, known: readonly string[]): Record<string, unknown> {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`${owner}: options must be an object, got ${describe(options)}`);
  }
  for (const name of Object.keys(options)) {
    if (!known.includes(name)) {
      throw new TypeError(`${owner}: unknown option ${JSON.stringify(name)} (known: ${known.join(', ')})`);
    }
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

export function checkLength(owner: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 2 ** 30) {
    throw new RangeError(`${owner}: ${name} must be an integer from 0 to 2^30, got ${describe(value)}`);
  }
  return value;
}
