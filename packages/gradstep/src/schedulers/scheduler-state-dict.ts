/**
 * The checkpoint format of every scheduler: plain JSON-safe data, checked field by field on loading
 * so that a bad dict throws before the scheduler changes.
 */
import { checkInteger, describe } from '../validate.js';

/** Plain data: survives JSON.stringify/parse and structuredClone. */
export interface SchedulerStateDict {
  /** Marks the object as a gradstep scheduler state dict; loading checks it. */
  format: 'gradstep.scheduler';
  /** The layout's version; loading refuses any other. */
  version: 1;
  /** The scheduler class, e.g. 'StepLR'; loading into another class throws. */
  scheduler: string;
  /** The epoch (step) index the scheduler is at; 0 after the constructor. */
  lastEpoch: number;
  /** The learning rates the scheduler last set, one per param group. */
  lastLr: number[];
  /** The resolved options; loading restores them, as PyTorch's load_state_dict restores every attribute. */
  options: Record<string, unknown>;
  /** What else the class keeps: base lrs, ReduceLROnPlateau's counters, SequentialLR's schedulers. */
  state: Record<string, unknown>;
}

export function makeStateDict(
  scheduler: string,
  lastEpoch: number,
  lastLr: readonly number[],
  options: object,
  state: Record<string, unknown>,
): SchedulerStateDict {
  return {
    format: 'gradstep.scheduler',
    version: 1,
    scheduler,
    lastEpoch,
    lastLr: [...lastLr],
    // Deep copy, so that the dict shares no arrays with the scheduler.
    options: JSON.parse(JSON.stringify(options)) as Record<string, unknown>,
    state,
  };
}

/** Checks the fields every scheduler's dict has; returns the validated lastEpoch and lastLr. */
export function checkStateDict(
  where: string,
  dict: unknown,
  scheduler: string,
  groups: number,
): { lastEpoch: number; lastLr: number[]; options: unknown; state: Record<string, unknown> } {
  if (dict === null || typeof dict !== 'object') throw new TypeError(`${where}: dict must be a state dict, got ${describe(dict)}`);
  const d = dict as Partial<SchedulerStateDict>;
  if (d.format !== 'gradstep.scheduler' || d.version !== 1) {
    throw new TypeError(`${where}: not a gradstep scheduler state dict (format ${describe(d.format)}, version ${describe(d.version)})`);
  }
  if (d.scheduler !== scheduler) {
    throw new TypeError(`${where}: the dict holds the state of ${describe(d.scheduler)}, not of ${scheduler}`);
  }
  const lastEpoch = checkInteger(where, 'dict.lastEpoch', d.lastEpoch, -1);
  if (d.state === null || typeof d.state !== 'object' || Array.isArray(d.state)) {
    throw new TypeError(`${where}: dict.state must be an object, got ${describe(d.state)}`);
  }
  return {
    lastEpoch,
    lastLr: checkNumberList(where, 'dict.lastLr', d.lastLr, groups),
    options: d.options,
    state: d.state,
  };
}

/** One finite number per param group. */
export function checkNumberList(where: string, name: string, value: unknown, groups: number): number[] {
  if (!Array.isArray(value) || value.length !== groups) {
    throw new TypeError(`${where}: ${name} must be an array of ${groups} numbers (one per param group), got ${describe(value)}`);
  }
  return value.map((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`${where}: ${name}[${i}] must be a finite number, got ${describe(v)}`);
    return v;
  });
}

/** JSON has no Infinity: ReduceLROnPlateau's "no best yet" (±Infinity) is stored as a string. */
export function encodeExtended(value: number): number | string {
  return Number.isFinite(value) ? value : String(value);
}

export function decodeExtended(where: string, name: string, value: unknown): number {
  if (typeof value === 'number' && !Number.isNaN(value)) return value;
  if (value === 'Infinity') return Infinity;
  if (value === '-Infinity') return -Infinity;
  throw new TypeError(`${where}: ${name} must be a number, "Infinity" or "-Infinity", got ${describe(value)}`);
}
