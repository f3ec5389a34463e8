import { checkNumber, checkOptionNames } from '../validate.js';
import { LRScheduler } from './lr-scheduler.js';
import type { SchedulableOptimizer } from './schedulable-optimizer.js';
import { bisectRight, checkMilestones, required } from './scheduler-arguments.js';

/** MultiStepLR's options. */
export interface MultiStepLROptions {
  /** Epoch indices at which the lr is multiplied by gamma: integers >= 0 in non-decreasing order. Required. */
  milestones: number[];
  /** Multiplicative factor of the decay, >= 0. Default 0.1. */
  gamma: number;
}

/**
 * Multiplies each group's lr by `gamma` at each milestone: lr = baseLr · gamma^(number of milestones
 * <= epoch) (`torch.optim.lr_scheduler.MultiStepLR`). A milestone listed n times multiplies by
 * gamma^n, as in PyTorch; a milestone 0 applies at the constructor's step.
 *
 * Recursive, as in PyTorch: at a milestone the group's current lr is multiplied.
 *
 * Stricter than PyTorch, which accepts milestones in any order: they must be sorted (PyTorch's
 * documentation asks for increasing ones), and gamma >= 0.
 */
export class MultiStepLR extends LRScheduler<MultiStepLROptions> {
  constructor(optimizer: SchedulableOptimizer, options: Partial<MultiStepLROptions> & { milestones: number[] }) {
    super('MultiStepLR', optimizer, options);
    this.initialStep();
  }

  protected resolve(options: unknown): MultiStepLROptions {
    const o = checkOptionNames('MultiStepLR', options, ['milestones', 'gamma']);
    return {
      milestones: checkMilestones('MultiStepLR', 'milestones', required('MultiStepLR', o, 'milestones'), false),
      gamma: checkNumber('MultiStepLR', 'gamma', o.gamma ?? 0.1, { min: 0 }),
    };
  }

  protected computeLr(epoch: number, lrs: readonly number[]): number[] {
    const times = this.opts.milestones.filter((m) => m === epoch).length;
    if (times === 0) return [...lrs];
    return lrs.map((lr) => lr * this.opts.gamma ** times);
  }

  protected override closedFormLr(epoch: number): number[] {
    return this.base.map((baseLr) => baseLr * this.opts.gamma ** bisectRight(this.opts.milestones, epoch));
  }
}
