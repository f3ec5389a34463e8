import { checkInteger, checkNumber, checkOptionNames } from '../validate.js';
import { LRScheduler } from './lr-scheduler.js';
import type { SchedulableOptimizer } from './schedulable-optimizer.js';

/** LinearLR's options (PyTorch's start_factor, end_factor, total_iters). */
export interface LinearLROptions {
  /** Factor of the base lr at epoch 0, in (0, 1]. Default 1/3. */
  startFactor: number;
  /** Factor of the base lr from epoch totalIters on, in [0, 1]. Default 1. */
  endFactor: number;
  /** Epochs over which the factor moves from startFactor to endFactor: an integer >= 1. Default 5. */
  totalIters: number;
}

/**
 * Linear warmup (or decay): lr = baseLr · (startFactor + (endFactor − startFactor)·min(epoch, totalIters)/totalIters)
 * (`torch.optim.lr_scheduler.LinearLR`); constant from epoch totalIters on.
 *
 * Recursive, as in PyTorch: at epoch 0 the group's lr is multiplied by startFactor, then at epochs
 * 1..totalIters by 1 + (endFactor − startFactor) / (totalIters·startFactor + (epoch − 1)·(endFactor − startFactor)).
 *
 * Stricter than PyTorch: totalIters must be an integer >= 1 (with 0, PyTorch keeps startFactor for ever).
 */
export class LinearLR extends LRScheduler<LinearLROptions> {
  constructor(optimizer: SchedulableOptimizer, options?: Partial<LinearLROptions>) {
    super('LinearLR', optimizer, options);
    this.initialStep();
  }

  protected resolve(options: unknown): LinearLROptions {
    const o = checkOptionNames('LinearLR', options, ['startFactor', 'endFactor', 'totalIters']);
    return {
      startFactor: checkNumber('LinearLR', 'startFactor', o.startFactor ?? 1 / 3, { min: 0, minExclusive: true, max: 1 }),
      endFactor: checkNumber('LinearLR', 'endFactor', o.endFactor ?? 1, { min: 0, max: 1 }),
      totalIters: checkInteger('LinearLR', 'totalIters', o.totalIters ?? 5, 1),
    };
  }

  protected computeLr(epoch: number, lrs: readonly number[], isInitial: boolean): number[] {
    const { startFactor, endFactor, totalIters } = this.opts;
    if (epoch === 0) return lrs.map((lr) => lr * startFactor);
    if (isInitial || epoch > totalIters) return [...lrs];
    const ratio = 1 + (endFactor - startFactor) / (totalIters * startFactor + (epoch - 1) * (endFactor - startFactor));
    return lrs.map((lr) => lr * ratio);
  }

  protected override closedFormLr(epoch: number): number[] {
    const { startFactor, endFactor, totalIters } = this.opts;
    return this.base.map((baseLr) => baseLr * (startFactor + ((endFactor - startFactor) * Math.min(totalIters, epoch)) / totalIters));
  }
}
