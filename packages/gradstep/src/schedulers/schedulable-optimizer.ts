/**
 * What a learning-rate scheduler needs from an optimizer: its parameter groups, each with a learning
 * rate the scheduler may assign between steps (and a momentum or betas that OneCycleLR cycles).
 */
import { describe } from '../validate.js';

/** One parameter group as a scheduler sees it (PyTorch's `param_group` dict, reduced to the keys schedulers use). */
export interface SchedulableGroup {
  /** The group's learning rate, which the scheduler reads and assigns. */
  lr: number;
  /** The group's momentum, when it has one (SGD, RMSprop): OneCycleLR cycles it. */
  momentum?: number;
  /** The group's betas, when it has them (Adam and kin): OneCycleLR cycles betas[0]. */
  betas?: [number, number];
}

/**
 * The optimizer a scheduler drives: anything with PyTorch-style parameter groups. An optimizer with
 * one learning rate can be adapted with a getter/setter pair:
 * `{ paramGroups: [{ get lr() { return opt.lr }, set lr(v) { opt.lr = v } }] }`.
 * The group objects must stay the same objects for the scheduler's lifetime.
 */
export interface SchedulableOptimizer {
  // Readonly: schedulers never add or remove groups, and optimizers may expose a readonly array.
  /** The parameter groups, whose lr (and momentum or betas) the scheduler sets. */
  readonly paramGroups: readonly SchedulableGroup[];
  /** True once the optimizer was disposed (gradstep's optimizers have this getter); schedulers then refuse to write to it. */
  readonly disposed?: boolean;
}

/** Checks the shape a scheduler relies on; returns the optimizer's groups. */
export function checkOptimizer(owner: string, optimizer: unknown): readonly SchedulableGroup[] {
  if (optimizer === null || typeof optimizer !== 'object') {
    throw new TypeError(`${owner}: optimizer must be an object with paramGroups, got ${describe(optimizer)}`);
  }
  const groups = (optimizer as { paramGroups?: unknown }).paramGroups;
  if (!Array.isArray(groups) || groups.length === 0) {
    throw new TypeError(`${owner}: optimizer.paramGroups must be a non-empty array, got ${describe(groups)}`);
  }
  groups.forEach((group: unknown, i) => {
    if (group === null || typeof group !== 'object') {
      throw new TypeError(`${owner}: optimizer.paramGroups[${i}] must be an object, got ${describe(group)}`);
    }
    const lr = (group as { lr?: unknown }).lr;
    if (typeof lr !== 'number' || !Number.isFinite(lr)) {
      throw new TypeError(`${owner}: optimizer.paramGroups[${i}].lr must be a finite number, got ${describe(lr)}`);
    }
  });
  checkNotDisposed(owner, optimizer as SchedulableOptimizer);
  return groups as readonly SchedulableGroup[];
}

/**
 * Called before a scheduler writes to the optimizer (and by its constructor). A disposed optimizer's
 * groups still accept a new lr without complaint, so a scheduler would go on scheduling an optimizer
 * that can no longer step, and the mistake would surface far from where it was made (or never).
 */
export function checkNotDisposed(owner: string, optimizer: SchedulableOptimizer): void {
  if (optimizer.disposed === true) {
    throw new Error(`${owner}: the optimizer was disposed; a scheduler cannot set the learning rate of a disposed optimizer`);
  }
}

/**
 * The groups of an optimizer a scheduler was created for, checking that no group was added or removed
 * since (PyTorch's `zip(..., strict=True)` raises there too).
 */
export function groupsOf(owner: string, optimizer: SchedulableOptimizer, expected: number): readonly SchedulableGroup[] {
  const groups = optimizer.paramGroups;
  if (groups.length !== expected) {
    throw new RangeError(`${owner}: the optimizer has ${groups.length} param groups, the scheduler was created for ${expected}`);
  }
  return groups;
}

export function currentLrs(optimizer: SchedulableOptimizer): number[] {
  return optimizer.paramGroups.map((group) => group.lr);
}

// PyTorch keeps each group's learning rate at the time the first scheduler was attached as
// `group["initial_lr"]` (setdefault: later schedulers reuse it; OneCycleLR overwrites it). SequentialLR
// depends on this: its schedulers are created one after the other, each changing the lr, yet all of
// them must start from the original lr. Kept here, per optimizer and group index, rather than as an
// extra key on the user's group objects, which an optimizer may validate or serialize.
const initialLrs = new WeakMap<SchedulableOptimizer, number[]>();

/** Each group's initial lr, recording the current lr of groups that have none yet (PyTorch's setdefault). */
export function initialLrsOf(optimizer: SchedulableOptimizer): number[] {
  const known = initialLrs.get(optimizer) ?? [];
  optimizer.paramGroups.forEach((group, i) => {
    if (known[i] === undefined) known[i] = group.lr;
  });
  initialLrs.set(optimizer, known);
  return known.slice(0, optimizer.paramGroups.length);
}

/** Replaces the initial lrs (OneCycleLR sets them to maxLr / divFactor, as PyTorch does). */
export function setInitialLrs(optimizer: SchedulableOptimizer, lrs: readonly number[]): void {
  initialLrs.set(optimizer, [...lrs]);
}
