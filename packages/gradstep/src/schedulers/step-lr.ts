import { checkInteger, checkNumber, checkOptionNames } from '../validate.js';
import { LRScheduler } from './lr-scheduler.js';
import type { SchedulableOptimizer } from './schedulable-optimizer.js';
import { required } from './scheduler-arguments.js';

/** StepLR's options (PyTorch's step_size and gamma). */
export interface StepLROptions {
  /** Period of the decay, in epochs: an integer >= 1. Required. */
  stepSize: number;
  /** Multiplicative factor of the decay, >= 0. Default 0.1. */
  gamma: number;
}

/**
 * Multiplies each group's lr by `gamma` every `stepSize` epochs: lr = baseLr · gamma^⌊epoch / stepSize⌋
 * (`torch.optim.lr_scheduler.StepLR`).
 *
 * Recursive, as in PyTorch: at each non-zero multiple of stepSize the group's current lr is
 * multiplied by gamma, so changes made to the lr from outside carry on.
 *
 * Stricter than PyTorch: stepSize must be an integer >= 1 (PyTorch fails on the first step with
 * stepSize 0) and gamma >= 0 (a negative gamma would give negative lrs).
 */
export class StepLR extends LRScheduler<StepLROptions> {
  constructor(optimizer: SchedulableOptimizer, options: Partial<StepLROptions> & { stepSize: number }) {
    super('StepLR', optimizer, options);
    this.initialStep();
  }

  protected resolve(options: unknown): StepLROptions {
    const o = checkOptionNames('StepLR', options, ['stepSize', 'gamma']);
    return {
      stepSize: checkInteger('StepLR', 'stepSize', required('StepLR', o, 'stepSize'), 1),
      gamma: checkNumber('StepLR', 'gamma', o.gamma ?? 0.1, { min: 0 }),
    };
  }

  protected computeLr(epoch: number, lrs: readonly number[]): number[] {
    if (epoch === 0 || epoch % this.opts.stepSize !== 0) return [...lrs];
    return lrs.map((lr) => lr * this.opts.gamma);
  }

  protected override closedFormLr(epoch: number): number[] {
    return this.base.map((baseLr) => baseLr * this.opts.gamma ** Math.floor(epoch / this.opts.stepSize));
  }
}
