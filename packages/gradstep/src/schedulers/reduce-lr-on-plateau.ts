import { checkInteger, checkNumber, checkOptionNames, describe } from '../validate.js';
import { checkNotDisposed, checkOptimizer, currentLrs, type SchedulableOptimizer } from './schedulable-optimizer.js';
import { checkChoice } from './scheduler-arguments.js';
import { checkStateDict, decodeExtended, encodeExtended, makeStateDict, type SchedulerStateDict } from './scheduler-state-dict.js';

/** ReduceLROnPlateau's options (PyTorch's names, in camelCase). */
export interface ReduceLROnPlateauOptions {
  /** 'min': the metric should fall (a loss); 'max': it should rise (an accuracy). Default 'min'. */
  mode: 'min' | 'max';
  /** new lr = lr · factor; in [0, 1). Default 0.1. */
  factor: number;
  /** Epochs without improvement tolerated before the lr is reduced: an integer >= 0. Default 10. */
  patience: number;
  /** How much better than the best a metric must be to count as an improvement; >= 0. Default 1e-4. */
  threshold: number;
  /**
   * 'rel': better than best·(1 − threshold) in 'min' mode, best·(1 + threshold) in 'max' mode;
   * 'abs': better than best − threshold, best + threshold. Default 'rel'.
   */
  thresholdMode: 'rel' | 'abs';
  /** Epochs after a reduction during which bad epochs are not counted: an integer >= 0. Default 0. */
  cooldown: number;
  /** Lower bound of the lr: one number for all groups or one per group; >= 0. Default 0. */
  minLr: number | number[];
  /** A reduction smaller than eps is skipped; >= 0. Default 1e-8. */
  eps: number;
}

const KNOWN = ['mode', 'factor', 'patience', 'threshold', 'thresholdMode', 'cooldown', 'minLr', 'eps'];

/**
 * Reduces each group's lr by `factor` when a metric has stopped improving
 * (`torch.optim.lr_scheduler.ReduceLROnPlateau`). Call `step(metric)` once per epoch with the
 * validation loss (mode 'min') or score (mode 'max').
 *
 * Each step: if the metric beats the best so far by the threshold it becomes the best and the count
 * of bad epochs is reset, else the count grows; during a cooldown the count stays 0; once the count
 * exceeds `patience`, every group's lr becomes max(lr·factor, minLr) (unless that changes it by no
 * more than eps), the count is reset and a cooldown of `cooldown` epochs starts. The first metric
 * always improves on the initial best (±Infinity). A NaN metric is a bad epoch, as in PyTorch.
 *
 * As in PyTorch the constructor does not change the lrs, lastEpoch starts at 0, and the reduction
 * multiplies the groups' current lrs. Stricter than PyTorch: factor and threshold >= 0, and counts
 * must be integers.
 */
export class ReduceLROnPlateau {
  /** The optimizer whose group lrs this scheduler sets. */
  readonly optimizer: SchedulableOptimizer;
  private opts: ReduceLROnPlateauOptions;
  private epoch = 0;
  private lastLrs: number[];
  private bestMetric: number;
  private bad = 0;
  private cooldownLeft = 0;

  constructor(optimizer: SchedulableOptimizer, options?: Partial<ReduceLROnPlateauOptions>) {
    checkOptimizer('ReduceLROnPlateau', optimizer);
    this.optimizer = optimizer as SchedulableOptimizer;
    this.opts = this.resolve(options);
    this.lastLrs = currentLrs(this.optimizer);
    this.bestMetric = this.worst();
  }

  /** The resolved options (defaults filled in). */
  get options(): Readonly<ReduceLROnPlateauOptions> {
    return JSON.parse(JSON.stringify(this.opts)) as ReduceLROnPlateauOptions;
  }

  /** The number of `step(metric)` calls so far. */
  get lastEpoch(): number {
    return this.epoch;
  }

  /** The best metric so far (Infinity in 'min' mode, −Infinity in 'max' mode before the first step). */
  get best(): number {
    return this.bestMetric;
  }

  /** Epochs since the last improvement, not counting cooldown epochs. */
  get numBadEpochs(): number {
    return this.bad;
  }

  /** Whether the scheduler is in the cooldown after a reduction (bad epochs are not counted then). */
  get inCooldown(): boolean {
    return this.cooldownLeft > 0;
  }

  /** The learning rates after the last step (at first, the groups' lrs at construction). */
  getLastLr(): number[] {
    return [...this.lastLrs];
  }

  /**
   * Records one epoch's metric and reduces the lrs if it has not improved for more than `patience`
   * epochs; throws (changing nothing) if the optimizer was disposed.
   */
  step(metric: number): void {
    if (typeof metric !== 'number') throw new TypeError(`ReduceLROnPlateau.step(metric): metric must be a number, got ${describe(metric)}`);
    // Before any counter moves, so that the failed step changes nothing.
    checkNotDisposed('ReduceLROnPlateau', this.optimizer);
    this.epoch += 1;
    if (this.isBetter(metric, this.bestMetric)) {
      this.bestMetric = metric;
      this.bad = 0;
    } else {
      this.bad += 1;
    }
    if (this.cooldownLeft > 0) {
      this.cooldownLeft -= 1;
      this.bad = 0; // bad epochs during a cooldown do not count
    }
    if (this.bad > this.opts.patience) {
      this.reduceLr();
      this.cooldownLeft = this.opts.cooldown;
      this.bad = 0;
    }
    this.lastLrs = currentLrs(this.optimizer);
  }

  /** The scheduler's state as plain data (options included); see SchedulerStateDict. */
  stateDict(): SchedulerStateDict {
    return makeStateDict('ReduceLROnPlateau', this.epoch, this.lastLrs, this.opts, {
      best: encodeExtended(this.bestMetric),
      numBadEpochs: this.bad,
      cooldownCounter: this.cooldownLeft,
    });
  }

  /** Restores a state dict saved by `stateDict()` (options and counters); the optimizer is not touched. */
  loadStateDict(dict: SchedulerStateDict): void {
    const where = 'ReduceLROnPlateau.loadStateDict(dict)';
    const checked = checkStateDict(where, dict, 'ReduceLROnPlateau', this.optimizer.paramGroups.length);
    const options = this.resolve(checked.options);
    const best = decodeExtended(where, 'dict.state.best', checked.state.best);
    const bad = checkInteger(where, 'dict.state.numBadEpochs', checked.state.numBadEpochs, 0);
    const cooldown = checkInteger(where, 'dict.state.cooldownCounter', checked.state.cooldownCounter, 0);
    this.opts = options;
    this.epoch = checked.lastEpoch;
    this.lastLrs = checked.lastLr;
    this.bestMetric = best;
    this.bad = bad;
    this.cooldownLeft = cooldown;
  }

  private resolve(options: unknown): ReduceLROnPlateauOptions {
    const name = 'ReduceLROnPlateau';
    const o = checkOptionNames(name, options, KNOWN);
    const groups = this.optimizer.paramGroups.length;
    let minLr: number | number[] = 0;
    if (Array.isArray(o.minLr)) {
      if (o.minLr.length !== groups) {
        throw new RangeError(`${name}: minLr must have one value per param group (${groups}), got ${o.minLr.length} values`);
      }
      minLr = o.minLr.map((v, i) => checkNumber(name, `minLr[${i}]`, v, { min: 0 }));
    } else if (o.minLr !== undefined) {
      minLr = checkNumber(name, 'minLr', o.minLr, { min: 0 });
    }
    return {
      mode: checkChoice(name, 'mode', o.mode ?? 'min', ['min', 'max'] as const),
      factor: checkNumber(name, 'factor', o.factor ?? 0.1, { min: 0, max: 1, maxExclusive: true }),
      patience: checkInteger(name, 'patience', o.patience ?? 10, 0),
      threshold: checkNumber(name, 'threshold', o.threshold ?? 1e-4, { min: 0 }),
      thresholdMode: checkChoice(name, 'thresholdMode', o.thresholdMode ?? 'rel', ['rel', 'abs'] as const),
      cooldown: checkInteger(name, 'cooldown', o.cooldown ?? 0, 0),
      minLr,
      eps: checkNumber(name, 'eps', o.eps ?? 1e-8, { min: 0 }),
    };
  }

  private worst(): number {
    return this.opts.mode === 'min' ? Infinity : -Infinity;
  }

  // PyTorch's _is_better, with its arithmetic (best·(1 − threshold), not best − best·threshold).
  private isBetter(a: number, best: number): boolean {
    const { mode, thresholdMode, threshold } = this.opts;
    if (mode === 'min') return thresholdMode === 'rel' ? a < best * (1 - threshold) : a < best - threshold;
    return thresholdMode === 'rel' ? a > best * (threshold + 1) : a > best + threshold;
  }

  private reduceLr(): void {
    const groups = this.optimizer.paramGroups;
    const { minLr, factor, eps } = this.opts;
    // A single minLr applies to groups added later too; a list must match them (PyTorch raises too).
    if (Array.isArray(minLr) && minLr.length !== groups.length) {
      throw new RangeError(
        `ReduceLROnPlateau: the optimizer has ${groups.length} param groups, minLr has ${minLr.length} values (a group was added after the scheduler was created)`,
      );
    }
    groups.forEach((group, i) => {
      const oldLr = group.lr;
      const newLr = Math.max(oldLr * factor, Array.isArray(minLr) ? minLr[i] : minLr);
      if (oldLr - newLr > eps) group.lr = newLr;
    });
  }
}
