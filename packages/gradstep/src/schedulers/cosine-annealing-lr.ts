import { checkInteger, checkNumber, checkOptionNames } from '../validate.js';
import { LRScheduler } from './lr-scheduler.js';
import type { SchedulableOptimizer } from './schedulable-optimizer.js';
import { required } from './scheduler-arguments.js';

/** CosineAnnealingLR's options (PyTorch's T_max and eta_min). */
export interface CosineAnnealingLROptions {
  /** Half period: the epoch at which the lr reaches etaMin. An integer >= 1. Required. */
  tMax: number;
  /** The lowest lr, finite. Default 0. */
  etaMin: number;
}

/**
 * Cosine annealing from each group's base lr down to `etaMin` over `tMax` epochs
 * (`torch.optim.lr_scheduler.CosineAnnealingLR`), in PyTorch's recursive form:
 *
 *     lr_e = etaMin + (lr_{e−1} − etaMin) · (1 + cos(π·e/tMax)) / (1 + cos(π·(e−1)/tMax))
 *
 * and, where that denominator is 0 (e − 1 − tMax a multiple of 2·tMax),
 * lr_e = lr_{e−1} + (baseLr − etaMin)·(1 − cos(π/tMax))/2. Without outside changes to the lr this
 * follows the closed form etaMin + (baseLr − etaMin)·(1 + cos(π·e/tMax))/2 up to float64 rounding.
 *
 * **Past tMax the lr rises again**: the schedule is a cosine of period 2·tMax (down over tMax epochs,
 * back up to the base lr over the next tMax, and so on). It does not stop at etaMin, and it does not
 * restart at the base lr (for restarts PyTorch has CosineAnnealingWarmRestarts). To hold etaMin
 * afterwards, stop stepping it or follow it with another scheduler in a SequentialLR.
 *
 * Same arithmetic as PyTorch, in float64, so the lrs match PyTorch's to the last bits (the cosines of
 * V8 and of the C library may differ in the last bit).
 *
 * Stricter than PyTorch: tMax must be an integer >= 1 (PyTorch fails on the first step with 0).
 */
export class CosineAnnealingLR extends LRScheduler<CosineAnnealingLROptions> {
  constructor(optimizer: SchedulableOptimizer, options: Partial<CosineAnnealingLROptions> & { tMax: number }) {
    super('CosineAnnealingLR', optimizer, options);
    this.initialStep();
  }

  protected resolve(options: unknown): CosineAnnealingLROptions {
    const o = checkOptionNames('CosineAnnealingLR', options, ['tMax', 'etaMin']);
    return {
      tMax: checkInteger('CosineAnnealingLR', 'tMax', required('CosineAnnealingLR', o, 'tMax'), 1),
      etaMin: checkNumber('CosineAnnealingLR', 'etaMin', o.etaMin ?? 0),
    };
  }

  protected computeLr(epoch: number, lrs: readonly number[], isInitial: boolean): number[] {
    const { tMax, etaMin } = this.opts;
    if (isInitial) return [...lrs];
    // (PyTorch has one more branch, for the first step of a scheduler created with last_epoch > 0,
    // which gradstep does not offer.)
    if ((epoch - 1 - tMax) % (2 * tMax) === 0) {
      // The previous epoch was a minimum: the ratio below would divide by 1 + cos(π) = 0.
      return lrs.map((lr, i) => lr + ((this.base[i] - etaMin) * (1 - Math.cos(Math.PI / tMax))) / 2);
    }
    // Operations in PyTorch's order, so that rounding accumulates the same way.
    return lrs.map(
      (lr) => ((1 + Math.cos((Math.PI * epoch) / tMax)) / (1 + Math.cos((Math.PI * (epoch - 1)) / tMax))) * (lr - etaMin) + etaMin,
    );
  }

  protected override closedFormLr(epoch: number): number[] {
    const { tMax, etaMin } = this.opts;
    return this.base.map((baseLr) => etaMin + ((baseLr - etaMin) * (1 + Math.cos((Math.PI * epoch) / tMax))) / 2);
  }
}
