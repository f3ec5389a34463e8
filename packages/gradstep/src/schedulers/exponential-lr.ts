import { checkNumber, checkOptionNames } from '../validate.js';
import { LRScheduler } from './lr-scheduler.js';
import type { SchedulableOptimizer } from './schedulable-optimizer.js';
import { required } from './scheduler-arguments.js';

/** ExponentialLR's options. */
export interface ExponentialLROptions {
  /** Multiplicative factor per epoch, >= 0. Required. */
  gamma: number;
}

/**
 * Multiplies each group's lr by `gamma` every epoch: lr = baseLr · gamma^epoch
 * (`torch.optim.lr_scheduler.ExponentialLR`), recursively (lr ← lr · gamma), as PyTorch does.
 *
 * Stricter than PyTorch: gamma >= 0.
 */
export class ExponentialLR extends LRScheduler<ExponentialLROptions> {
  constructor(optimizer: SchedulableOptimizer, options: ExponentialLROptions) {
    super('ExponentialLR', optimizer, options);
    this.initialStep();
  }

  protected resolve(options: unknown): ExponentialLROptions {
    const o = checkOptionNames('ExponentialLR', options, ['gamma']);
    return { gamma: checkNumber('ExponentialLR', 'gamma', required('ExponentialLR', o, 'gamma'), { min: 0 }) };
  }

  protected computeLr(_epoch: number, lrs: readonly number[], isInitial: boolean): number[] {
    // The constructor's step keeps the lr (PyTorch: so that a resumed scheduler does not decay twice).
    if (isInitial) return [...lrs];
    return lrs.map((lr) => lr * this.opts.gamma);
  }

  protected override closedFormLr(epoch: number): number[] {
    return this.base.map((baseLr) => baseLr * this.opts.gamma ** epoch);
  }
}
