/** Option parsing shared by the optimizer classes: defaults, then PyTorch's range checks. */
import { checkBoolean, checkNumber, checkOptionNames, describe, type NumberRule } from '../validate.js';

type Kind = { type: 'number'; rule: NumberRule } | { type: 'boolean' } | { type: 'betas' };

export type Schema = Record<string, { default: unknown } & Kind>;

export const num = (defaultValue: number, rule: NumberRule = {}) => ({ default: defaultValue, type: 'number' as const, rule });
export const bool = (defaultValue = false) => ({ default: defaultValue, type: 'boolean' as const });
export const betas = (defaultValue: [number, number]) => ({ default: defaultValue, type: 'betas' as const });

/** The learning rate and the other rates PyTorch requires to be >= 0. */
export const NON_NEGATIVE: NumberRule = { min: 0 };

export function parseOptions<T>(owner: string, schema: Schema, options: unknown, defaults: Partial<Record<string, unknown>> = {}): T {
  const given = checkOptionNames(owner, options, Object.keys(schema));
  const out: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(schema)) {
    const value = given[name] === undefined ? (defaults[name] ?? entry.default) : given[name];
    switch (entry.type) {
      case 'number':
        out[name] = checkNumber(owner, name, value, entry.rule);
        break;
      case 'boolean':
        out[name] = checkBoolean(owner, name, value);
        break;
      case 'betas': {
        if (!Array.isArray(value) || value.length !== 2) {
          throw new TypeError(`${owner}: ${name} must be an array of two numbers, got ${describe(value)}`);
        }
        out[name] = [0, 1].map((i) => checkNumber(owner, `${name}[${i}]`, value[i], { min: 0, max: 1, maxExclusive: true }));
        break;
      }
    }
  }
  return out as T;
}
