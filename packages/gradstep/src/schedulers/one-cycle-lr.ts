import { checkBoolean, checkInteger, checkNumber, checkOptionNames, describe } from '../validate.js';
import { LRScheduler } from './lr-scheduler.js';
import { setInitialLrs, type SchedulableGroup, type SchedulableOptimizer } from './schedulable-optimizer.js';
import { checkChoice, checkPerGroup, required } from './scheduler-arguments.js';

/** OneCycleLR's options as given; numbers marked "per group" may be one number or one per group. */
export interface OneCycleLRInput {
  /** The peak lr, per group; finite >= 0. Required. */
  maxLr: number | number[];
  /** Steps in the cycle, an integer >= 1. Give this, or epochs and stepsPerEpoch (totalSteps wins if both). */
  totalSteps?: number;
  /** With stepsPerEpoch: totalSteps = epochs · stepsPerEpoch. */
  epochs?: number;
  /** With epochs: the steps (batches) per epoch, an integer >= 1. */
  stepsPerEpoch?: number;
  /** Fraction of the cycle spent raising the lr, in [0, 1]. Default 0.3. */
  pctStart?: number;
  /** 'cos' or 'linear' interpolation within each phase. Default 'cos'. */
  annealStrategy?: 'cos' | 'linear';
  /** Cycle each group's momentum (or betas[0]) inversely to the lr. Default true. */
  cycleMomentum?: boolean;
  /** Momentum at the lr's peak, per group; finite >= 0. Default 0.85. */
  baseMomentum?: number | number[];
  /** Momentum at the start and end of the cycle, per group; finite >= 0. Default 0.95. */
  maxMomentum?: number | number[];
  /** Initial lr = maxLr / divFactor; > 0. Default 25. */
  divFactor?: number;
  /** Final lr = initial lr / finalDivFactor; > 0. Default 1e4. */
  finalDivFactor?: number;
  /** Three phases (up, down to the initial lr, then down to the final lr) instead of two. Default false. */
  threePhase?: boolean;
}

/** OneCycleLR's resolved options (what `options` and state dicts hold). */
export interface OneCycleLROptions {
  /** The peak lr of each group. */
  maxLr: number[];
  /** Steps in the cycle (from totalSteps, or epochs · stepsPerEpoch). */
  totalSteps: number;
  /** Fraction of the cycle spent raising the lr. */
  pctStart: number;
  /** The interpolation within each phase. */
  annealStrategy: 'cos' | 'linear';
  /** Whether each group's momentum (or betas[0]) cycles inversely to the lr. */
  cycleMomentum: boolean;
  /** Momentum at the lr's peak, per group. */
  baseMomentum: number[];
  /** Momentum at the start and end of the cycle, per group. */
  maxMomentum: number[];
  /** Initial lr = maxLr / divFactor. */
  divFactor: number;
  /** Final lr = initial lr / finalDivFactor. */
  finalDivFactor: number;
  /** Three phases instead of two. */
  threePhase: boolean;
}

const KNOWN = [
  'maxLr',
  'totalSteps',
  'epochs',
  'stepsPerEpoch',
  'pctStart',
  'annealStrategy',
  'cycleMomentum',
  'baseMomentum',
  'maxMomentum',
  'divFactor',
  'finalDivFactor',
  'threePhase',
];

type Level = 'initial' | 'max' | 'min';
type MomentumLevel = 'base' | 'max';
interface Phase {
  /** Last step of the phase (may be fractional: PyTorch's `float(pct_start * total_steps) - 1`). */
  end: number;
  lr: [Level, Level];
  momentum: [MomentumLevel, MomentumLevel];
}

/**
 * The 1cycle policy (Smith & Topin, "Super-Convergence"; `torch.optim.lr_scheduler.OneCycleLR`):
 * the lr rises from maxLr/divFactor to maxLr over the first pctStart of totalSteps, then falls to
 * maxLr/(divFactor·finalDivFactor) by step totalSteps − 1 (with threePhase: back down to the initial
 * lr symmetrically, then to the final lr). Meant to be stepped after every batch.
 *
 * Within a phase running from step s0 to s1, with pct = (step − s0)/(s1 − s0):
 * 'cos' gives end + (start − end)/2·(1 + cos(π·pct)), 'linear' gives start + (end − start)·pct.
 * With cycleMomentum, each group's `momentum` (or `betas[0]`, if the groups have betas, as for Adam)
 * moves inversely to the lr between maxMomentum and baseMomentum.
 *
 * Not recursive: the lr depends on the step only, and the constructor sets each group's lr (and
 * momentum) whatever it was. Like PyTorch, the constructor records maxLr/divFactor as the groups'
 * initial lr, which later schedulers on the same optimizer (in a SequentialLR) start from.
 *
 * As in PyTorch, step totalSteps is still allowed (it extrapolates the last phase) and a step past
 * it throws a RangeError; unlike PyTorch, the failed step leaves lastEpoch unchanged. Where PyTorch
 * divides by zero (a phase of zero length, e.g. pctStart·totalSteps = 1, which fails in the
 * constructor), this throws a RangeError at the same step.
 */
export class OneCycleLR extends LRScheduler<OneCycleLROptions> {
  constructor(optimizer: SchedulableOptimizer, options: OneCycleLRInput) {
    super('OneCycleLR', optimizer, options);
    this.initialStep();
    // Recorded once the constructor can no longer fail (PyTorch records it first, even when it then raises).
    setInitialLrs(this.optimizer, this.base);
  }

  protected resolve(options: unknown): OneCycleLROptions {
    const name = 'OneCycleLR';
    const o = checkOptionNames(name, options, KNOWN);
    const groups = this.optimizer.paramGroups.length;
    let totalSteps: number;
    if (o.totalSteps !== undefined) {
      totalSteps = checkInteger(name, 'totalSteps', o.totalSteps, 1);
    } else if (o.epochs !== undefined && o.stepsPerEpoch !== undefined) {
      const epochs = checkInteger(name, 'epochs', o.epochs, 1);
      const stepsPerEpoch = checkInteger(name, 'stepsPerEpoch', o.stepsPerEpoch, 1);
      totalSteps = epochs * stepsPerEpoch;
      // Past 2^53 − 1 the product is rounded: the cycle would end at a step nobody asked for.
      if (!Number.isSafeInteger(totalSteps)) {
        throw new RangeError(`${name}: epochs · stepsPerEpoch must be at most 2^53 − 1, got ${epochs} · ${stepsPerEpoch}`);
      }
    } else {
      throw new TypeError(
        `${name}: give totalSteps, or epochs and stepsPerEpoch (got totalSteps ${describe(o.totalSteps)}, epochs ${describe(o.epochs)}, stepsPerEpoch ${describe(o.stepsPerEpoch)})`,
      );
    }
    const resolved: OneCycleLROptions = {
      maxLr: checkPerGroup(name, 'maxLr', required(name, o, 'maxLr'), groups, { min: 0 }),
      totalSteps,
      pctStart: checkNumber(name, 'pctStart', o.pctStart ?? 0.3, { min: 0, max: 1 }),
      annealStrategy: checkChoice(name, 'annealStrategy', o.annealStrategy ?? 'cos', ['cos', 'linear'] as const),
      cycleMomentum: checkBoolean(name, 'cycleMomentum', o.cycleMomentum ?? true),
      baseMomentum: checkPerGroup(name, 'baseMomentum', o.baseMomentum ?? 0.85, groups, { min: 0 }),
      maxMomentum: checkPerGroup(name, 'maxMomentum', o.maxMomentum ?? 0.95, groups, { min: 0 }),
      divFactor: checkNumber(name, 'divFactor', o.divFactor ?? 25, { min: 0, minExclusive: true }),
      finalDivFactor: checkNumber(name, 'finalDivFactor', o.finalDivFactor ?? 1e4, { min: 0, minExclusive: true }),
      threePhase: checkBoolean(name, 'threePhase', o.threePhase ?? false),
    };
    if (resolved.cycleMomentum) this.momentumKey();
    return resolved;
  }

  /** maxLr / divFactor per group, which the constructor records as the groups' initial lr (PyTorch's `initial_lr`). */
  protected override initialLrs(): number[] {
    return this.opts.maxLr.map((maxLr) => maxLr / this.opts.divFactor);
  }

  protected computeLr(epoch: number): number[] {
    const o = this.opts;
    if (epoch > o.totalSteps) {
      throw new RangeError(`OneCycleLR: tried to step ${epoch} times; totalSteps is ${o.totalSteps}`);
    }
    const phases = this.phases();
    let start = 0;
    let phase = phases[phases.length - 1];
    for (let i = 0; i < phases.length; i++) {
      if (epoch <= phases[i].end || i === phases.length - 1) {
        phase = phases[i];
        break;
      }
      start = phases[i].end;
    }
    if (phase.end === start) {
      throw new RangeError(
        `OneCycleLR: step ${epoch} falls in a phase of no length (from step ${start} to ${phase.end}), given pctStart ${o.pctStart} and totalSteps ${o.totalSteps}; PyTorch divides by zero here`,
      );
    }
    const pct = (epoch - start) / (phase.end - start);
    const lrs = o.maxLr.map((maxLr, i) => {
      const initial = maxLr / o.divFactor;
      const level = { initial, max: maxLr, min: initial / o.finalDivFactor };
      // The linear strategy extrapolates past the last phase at step totalSteps (the scheduler.step()
      // after the last optimizer step) to a negative lr, which PyTorch stores but no optimizer here
      // accepts: clamp at 0 (that lr is never used for a step).
      return Math.max(0, this.anneal(level[phase.lr[0]], level[phase.lr[1]], pct));
    });
    if (o.cycleMomentum) {
      const key = this.momentumKey();
      const momenta = this.optimizer.paramGroups.map((_, i) => {
        const level = { base: o.baseMomentum[i], max: o.maxMomentum[i] };
        return this.anneal(level[phase.momentum[0]], level[phase.momentum[1]], pct);
      });
      // Written once every value is known to be valid, so that a failing step changes nothing.
      this.optimizer.paramGroups.forEach((group, i) => {
        if (key === 'betas') group.betas = [momenta[i], group.betas![1]];
        else group.momentum = momenta[i];
      });
    }
    return lrs;
  }

  private phases(): Phase[] {
    const { pctStart, totalSteps, threePhase } = this.opts;
    if (threePhase) {
      return [
        { end: pctStart * totalSteps - 1, lr: ['initial', 'max'], momentum: ['max', 'base'] },
        { end: 2 * pctStart * totalSteps - 2, lr: ['max', 'initial'], momentum: ['base', 'max'] },
        { end: totalSteps - 1, lr: ['initial', 'min'], momentum: ['max', 'max'] },
      ];
    }
    return [
      { end: pctStart * totalSteps - 1, lr: ['initial', 'max'], momentum: ['max', 'base'] },
      { end: totalSteps - 1, lr: ['max', 'min'], momentum: ['base', 'max'] },
    ];
  }

  private anneal(start: number, end: number, pct: number): number {
    if (this.opts.annealStrategy === 'linear') return (end - start) * pct + start;
    const cosOut = Math.cos(Math.PI * pct) + 1;
    return end + ((start - end) / 2) * cosOut;
  }

  /**
   * Which option of the groups is the momentum: betas[0] if they have betas (Adam, AdamW), else
   * momentum (SGD, RMSprop). PyTorch looks at the optimizer's defaults; this looks at the groups.
   */
  private momentumKey(): 'betas' | 'momentum' {
    const groups: readonly SchedulableGroup[] = this.optimizer.paramGroups;
    const key = Array.isArray(groups[0].betas) ? 'betas' : 'momentum';
    groups.forEach((group, i) => {
      const ok = key === 'betas' ? Array.isArray(group.betas) && group.betas.length === 2 : typeof group.momentum === 'number';
      if (ok && key === 'momentum' && group.momentum === 0) {
        // gradstep allocates the momentum buffer at construction, so momentum cannot become non-zero later.
        throw new TypeError(
          `OneCycleLR: cycleMomentum needs a momentum buffer, but paramGroups[${i}] has momentum 0; create the optimizer with a momentum (e.g. 0.9) or pass cycleMomentum: false`,
        );
      }
      if (!ok) {
        throw new TypeError(
          `OneCycleLR: cycleMomentum needs every param group to have a momentum or betas, paramGroups[${i}] has ${key === 'betas' ? `betas ${describe(group.betas)}` : `momentum ${describe(group.momentum)}`} (pass cycleMomentum: false)`,
        );
      }
    });
    return key;
  }
}
