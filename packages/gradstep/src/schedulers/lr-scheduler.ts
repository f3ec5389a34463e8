/**
 * What the epoch-driven schedulers share, after `torch.optim.lr_scheduler.LRScheduler`: base lrs,
 * the epoch counter, the initial step the constructor takes, writing the new lrs into the optimizer's
 * groups, state dicts, and the hooks SequentialLR drives.
 */
import { checkNotDisposed, checkOptimizer, currentLrs, groupsOf, initialLrsOf, type SchedulableOptimizer } from './schedulable-optimizer.js';
import { checkStateDict, checkNumberList, makeStateDict, type SchedulerStateDict } from './scheduler-state-dict.js';

/**
 * SequentialLR steps its schedulers through PyTorch's private methods (`_initial_step`,
 * `_update_lr(0)`, and `last_epoch -= 1`). Keyed by a symbol that the package does not export, so
 * that they stay off the public API.
 */
export const sequencing = Symbol('gradstep.scheduler.sequencing');
export type SequencingAction = 'undoInitialStep' | 'initialStep' | 'restartAtEpochZero';

/**
 * Base class of the schedulers that advance once per `step()`: StepLR, MultiStepLR, ExponentialLR,
 * CosineAnnealingLR, LinearLR and OneCycleLR (PyTorch's `LRScheduler`).
 *
 * The constructor records each group's initial lr (the first scheduler attached to an optimizer
 * records it; later ones reuse it, like PyTorch's `group["initial_lr"]`) as the base lr, then takes
 * the step to epoch 0, which sets the epoch-0 learning rate. Call `step()` after each optimizer step
 * (per epoch or per batch, as the schedule is meant).
 *
 * Most schedules are recursive, as in PyTorch: the new lr is computed from the group's current lr,
 * so a change made to the lr from outside carries on through the schedule.
 *
 * Not supported from PyTorch: `step(epoch)` (deprecated there) and the `last_epoch` constructor
 * argument; resume from a checkpoint with `loadStateDict` instead.
 */
export abstract class LRScheduler<Options extends object = object> {
  /** The optimizer whose group lrs this scheduler sets. */
  readonly optimizer: SchedulableOptimizer;
  /** The class name, used in error messages and state dicts. */
  protected readonly name: string;
  /** The resolved options (defaults filled in); loadStateDict replaces them. */
  protected opts: Options;
  /** Per group: the lr the schedule is relative to (PyTorch's `base_lrs`). */
  protected base: number[];
  private epoch = -1;
  // PyTorch's `_is_initial`: true only during the constructor's step (or SequentialLR's re-run of it).
  private initial = false;
  private lastLrs: number[] = [];

  /** Subclass constructors finish with `this.initialStep()`. */
  protected constructor(name: string, optimizer: unknown, options: unknown) {
    checkOptimizer(name, optimizer);
    this.name = name;
    this.optimizer = optimizer as SchedulableOptimizer;
    this.opts = this.resolve(options);
    this.base = this.initialLrs();
  }

  /** Validates user options (unknown names, types, ranges) and fills in the defaults. */
  protected abstract resolve(options: unknown): Options;

  /**
   * The lrs at `epoch` (PyTorch's `get_lr`), from the groups' current `lrs`; `isInitial` during the
   * constructor's step.
   */
  protected abstract computeLr(epoch: number, lrs: readonly number[], isInitial: boolean): number[];

  /**
   * The closed form (PyTorch's `_get_closed_form_lr`), which SequentialLR uses when it restarts a
   * scheduler at epoch 0; undefined where PyTorch has none (computeLr is used then).
   */
  protected closedFormLr(_epoch: number): number[] | undefined {
    return undefined;
  }

  /** The base lrs at construction; OneCycleLR overrides this. */
  protected initialLrs(): number[] {
    return initialLrsOf(this.optimizer);
  }

  /** The resolved options (defaults filled in). */
  get options(): Readonly<Options> {
    return JSON.parse(JSON.stringify(this.opts)) as Options;
  }

  /** The epoch (step) index: 0 after the constructor, +1 per `step()`. */
  get lastEpoch(): number {
    return this.epoch;
  }

  /** Per group: the lr the schedule is relative to (PyTorch's `base_lrs`). */
  get baseLrs(): number[] {
    return [...this.base];
  }

  /** Advances the schedule by one epoch (or batch) and sets each group's lr; throws (changing nothing) if the optimizer was disposed. */
  step(): void {
    this.update(this.epoch + 1, false);
  }

  /** The learning rates last set, one per param group. */
  getLastLr(): number[] {
    return [...this.lastLrs];
  }

  /** The scheduler's state as plain data (options included); see SchedulerStateDict. */
  stateDict(): SchedulerStateDict {
    return makeStateDict(this.name, this.epoch, this.lastLrs, this.opts, { baseLrs: [...this.base] });
  }

  /**
   * Restores a state dict saved by `stateDict()` of the same class (its options included). Like
   * PyTorch's, it does not touch the optimizer: restore the optimizer's own state dict (which holds
   * the lr) too, since the recursive schedules continue from the groups' current lrs.
   */
  loadStateDict(dict: SchedulerStateDict): void {
    const where = `${this.name}.loadStateDict(dict)`;
    const groups = this.base.length;
    const checked = checkStateDict(where, dict, this.name, groups);
    const options = this.resolve(checked.options);
    const baseLrs = checkNumberList(where, 'dict.state.baseLrs', checked.state.baseLrs, groups);
    this.opts = options;
    this.base = baseLrs;
    this.epoch = checked.lastEpoch;
    this.lastLrs = checked.lastLr;
  }

  /** PyTorch's `_initial_step`: the step to epoch 0 that the constructor takes. */
  protected initialStep(): void {
    this.initial = true;
    try {
      this.update(this.epoch + 1, false);
    } finally {
      this.initial = false;
    }
  }

  /** @internal SequentialLR's access to PyTorch's private steps. */
  [sequencing](action: SequencingAction): void {
    if (action === 'undoInitialStep') this.epoch -= 1;
    else if (action === 'initialStep') this.initialStep();
    // PyTorch's `_update_lr(0)`: the closed form at epoch 0 where there is one, else get_lr.
    else this.update(0, true);
  }

  // PyTorch's `_update_lr`. The lrs are computed before anything changes, so a step that throws
  // (OneCycleLR past totalSteps) leaves the scheduler as it was; PyTorch has advanced last_epoch then.
  // The disposal check comes first: OneCycleLR's computeLr writes the groups' momenta.
  private update(epoch: number, closedForm: boolean): void {
    checkNotDisposed(this.name, this.optimizer);
    const groups = groupsOf(this.name, this.optimizer, this.base.length);
    const lrs = currentLrs(this.optimizer);
    const values = (closedForm ? this.closedFormLr(epoch) : undefined) ?? this.computeLr(epoch, lrs, this.initial && !closedForm);
    groups.forEach((group, i) => {
      group.lr = values[i];
    });
    this.epoch = epoch;
    // Read back, as PyTorch does: the optimizer may store the value it was given differently.
    this.lastLrs = currentLrs(this.optimizer);
  }
}
