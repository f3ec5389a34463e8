import { checkOptionNames, describe } from '../validate.js';
import { LRScheduler, sequencing } from './lr-scheduler.js';
import { checkNotDisposed, checkOptimizer, groupsOf, initialLrsOf, type SchedulableOptimizer } from './schedulable-optimizer.js';
import { bisectRight, checkMilestones, required } from './scheduler-arguments.js';
import { checkStateDict, makeStateDict, type SchedulerStateDict } from './scheduler-state-dict.js';

/** SequentialLR's options: the schedulers and when each takes over. */
export interface SequentialLROptions {
  /** The schedulers, in order, created on the same optimizer. Required. */
  schedulers: LRScheduler[];
  /** The epochs at which the next scheduler takes over: one fewer than schedulers, increasing integers >= 0. Required. */
  milestones: number[];
}

/**
 * Runs schedulers one after the other, switching at the milestone epochs
 * (`torch.optim.lr_scheduler.SequentialLR`), e.g. a LinearLR warmup then a CosineAnnealingLR:
 *
 *     const warmup = new LinearLR(opt, { startFactor: 0.1, totalIters: 5 });
 *     const cosine = new CosineAnnealingLR(opt, { tMax: 95 });
 *     const schedule = new SequentialLR(opt, { schedulers: [warmup, cosine], milestones: [5] });
 *
 * As in PyTorch: the constructor resets the groups' lrs to their initial lrs (those before the first
 * scheduler was created), undoes the constructor steps of all the schedulers and re-runs that of the
 * first. `step()` steps the scheduler whose turn it is; at a milestone, the next scheduler restarts at
 * its epoch 0 from its closed form, i.e. from its base lrs (the cosine above starts at the initial lr,
 * not where the warmup ended); OneCycleLR, which has no closed form, from its epoch-0 lr. So the lr a
 * scheduler leaves does not carry over to the next one.
 *
 * A PyTorch quirk kept: a OneCycleLR anywhere in the list sets the initial lr to maxLr/divFactor, and
 * a recursive first scheduler (e.g. a LinearLR warmup) then scales that lr, not its own base lrs.
 *
 * Unlike PyTorch, the schedulers must be distinct and must not be SequentialLRs themselves (nor
 * ReduceLROnPlateau, which PyTorch rejects too), and milestones must be increasing.
 */
export class SequentialLR {
  /** The optimizer whose group lrs the schedulers set. */
  readonly optimizer: SchedulableOptimizer;
  private readonly children: LRScheduler[];
  private milestoneList: number[];
  private epoch = 0;
  private lastLrs: number[];

  constructor(optimizer: SchedulableOptimizer, options: SequentialLROptions) {
    const name = 'SequentialLR';
    const groups = checkOptimizer(name, optimizer);
    this.optimizer = optimizer as SchedulableOptimizer;
    const o = checkOptionNames(name, options, ['schedulers', 'milestones']);
    const schedulers = required(name, o, 'schedulers');
    if (!Array.isArray(schedulers) || schedulers.length === 0) {
      throw new TypeError(`${name}: schedulers must be a non-empty array of schedulers, got ${describe(schedulers)}`);
    }
    schedulers.forEach((s: unknown, i) => {
      if (!(s instanceof LRScheduler)) {
        throw new TypeError(
          `${name}: schedulers[${i}] must be a StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR, LinearLR or OneCycleLR, got ${describe(s)}`,
        );
      }
      if (s.optimizer !== optimizer) throw new TypeError(`${name}: schedulers[${i}] belongs to another optimizer`);
      const first = schedulers.indexOf(s);
      if (first !== i) throw new RangeError(`${name}: schedulers[${i}] is the same scheduler as schedulers[${first}]`);
    });
    this.children = schedulers as LRScheduler[];
    this.milestoneList = this.checkMilestoneCount(checkMilestones(name, 'milestones', required(name, o, 'milestones'), true));

    const initial = initialLrsOf(this.optimizer);
    groups.forEach((group, i) => {
      group.lr = initial[i];
    });
    for (const child of this.children) child[sequencing]('undoInitialStep');
    const first = this.children[bisectRight(this.milestoneList, 0)];
    first[sequencing]('initialStep');
    this.lastLrs = first.getLastLr();
  }

  /** The epoch index: 0 after the constructor, +1 per `step()`. */
  get lastEpoch(): number {
    return this.epoch;
  }

  /** The milestone epochs (a copy). */
  get milestones(): number[] {
    return [...this.milestoneList];
  }

  /** The schedulers, in order (a copy of the list). */
  get schedulers(): LRScheduler[] {
    return [...this.children];
  }

  /** Steps the scheduler whose turn it is, or restarts the next one at a milestone; throws (changing nothing) if the optimizer was disposed. */
  step(): void {
    // Here too, not only in the scheduler stepped: the error names the SequentialLR the user called.
    checkNotDisposed('SequentialLR', this.optimizer);
    const epoch = this.epoch + 1;
    const index = bisectRight(this.milestoneList, epoch);
    const scheduler = this.children[index];
    if (index > 0 && this.milestoneList[index - 1] === epoch) scheduler[sequencing]('restartAtEpochZero');
    else scheduler.step();
    this.epoch = epoch;
    this.lastLrs = scheduler.getLastLr();
  }

  /** The learning rates last set, one per param group. */
  getLastLr(): number[] {
    return [...this.lastLrs];
  }

  /** Its own state and each scheduler's state dict, as plain data. */
  stateDict(): SchedulerStateDict {
    return makeStateDict('SequentialLR', this.epoch, this.lastLrs, { milestones: this.milestoneList }, {
      schedulers: this.children.map((child) => child.stateDict()),
    });
  }

  /** Restores a state dict saved by `stateDict()` of a SequentialLR over the same kinds of schedulers. */
  loadStateDict(dict: SchedulerStateDict): void {
    const where = 'SequentialLR.loadStateDict(dict)';
    const checked = checkStateDict(where, dict, 'SequentialLR', groupsOf('SequentialLR', this.optimizer, this.lastLrs.length).length);
    const o = checkOptionNames(where, checked.options, ['milestones']);
    const milestones = this.checkMilestoneCount(checkMilestones(where, 'dict.options.milestones', o.milestones, true));
    const saved = checked.state.schedulers;
    if (!Array.isArray(saved) || saved.length !== this.children.length) {
      throw new TypeError(`${where}: dict.state.schedulers must hold ${this.children.length} state dicts, got ${describe(saved)}`);
    }
    // All or nothing: if a scheduler rejects its dict, the ones already loaded go back.
    const before = this.children.map((child) => child.stateDict());
    try {
      this.children.forEach((child, i) => child.loadStateDict(saved[i] as SchedulerStateDict));
    } catch (error) {
      this.children.forEach((child, i) => child.loadStateDict(before[i]));
      throw error;
    }
    this.milestoneList = milestones;
    this.epoch = checked.lastEpoch;
    this.lastLrs = checked.lastLr;
  }

  private checkMilestoneCount(milestones: number[]): number[] {
    if (milestones.length !== this.children.length - 1) {
      throw new RangeError(
        `SequentialLR: milestones must have one fewer entry than schedulers (${this.children.length}), got ${milestones.length}`,
      );
    }
    return milestones;
  }
}
