/**
 * Argument checks of the schedulers, beyond the number and integer checks every module shares
 * (validate.ts): required options, choices, per-group values and milestone lists. Every error names the
 * argument and the value.
 */
import { checkInteger, checkNumber, describe, type NumberRule } from '../validate.js';

export function required(owner: string, options: Record<string, unknown>, name: string): unknown {
  if (options[name] === undefined) throw new TypeError(`${owner}: option ${name} is required`);
  return options[name];
}

export function checkChoice<T extends string>(owner: string, name: string, value: unknown, choices: readonly T[]): T {
  if (!choices.includes(value as T)) {
    const message = `${owner}: ${name} must be ${choices.map((c) => JSON.stringify(c)).join(' or ')}, got ${describe(value)}`;
    throw typeof value === 'string' ? new RangeError(message) : new TypeError(message);
  }
  return value as T;
}

/**
 * A number for every group, or one number for all of them (PyTorch's `_format_param`: a list must
 * have one entry per param group).
 */
export function checkPerGroup(owner: string, name: string, value: unknown, groups: number, rule: NumberRule): number[] {
  if (Array.isArray(value)) {
    if (value.length !== groups) {
      throw new RangeError(`${owner}: ${name} must have one value per param group (${groups}), got ${value.length} values`);
    }
    return value.map((v, i) => checkNumber(owner, `${name}[${i}]`, v, rule));
  }
  const single = checkNumber(owner, name, value, rule);
  return new Array<number>(groups).fill(single);
}

/**
 * Epoch indices in order: integers >= 0, increasing (`strictly`) or non-decreasing (repeats allowed,
 * as in MultiStepLR where a repeated milestone multiplies by gamma once per occurrence).
 */
export function checkMilestones(owner: string, name: string, value: unknown, strictly: boolean): number[] {
  if (!Array.isArray(value)) throw new TypeError(`${owner}: ${name} must be an array of integers, got ${describe(value)}`);
  const milestones = value.map((m, i) => checkInteger(owner, `${name}[${i}]`, m, 0));
  for (let i = 1; i < milestones.length; i++) {
    if (strictly ? milestones[i] <= milestones[i - 1] : milestones[i] < milestones[i - 1]) {
      throw new RangeError(
        `${owner}: ${name} must be ${strictly ? 'increasing' : 'in non-decreasing order'}, got ${name}[${i - 1}] = ${milestones[i - 1]} and ${name}[${i}] = ${milestones[i]}`,
      );
    }
  }
  return milestones;
}

/** How many of the sorted `milestones` are <= x (Python's bisect.bisect_right). */
export function bisectRight(milestones: readonly number[], x: number): number {
  let lo = 0;
  let hi = milestones.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x < milestones[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
