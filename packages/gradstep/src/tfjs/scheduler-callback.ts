/**
 * Steps a gradstep learning-rate scheduler from tfjs's training loop (`model.fit` callbacks), per
 * batch or per epoch, as a PyTorch loop calls `scheduler.step()` after `optimizer.step()`.
 */
import { checkOptionNames, describe } from '../validate.js';

/** Anything with `step()`: gradstep's schedulers (ReduceLROnPlateau's `step(metric)` with `monitor`). */
export interface SteppableScheduler {
  /** Advances the schedule: called with the `monitor` log's value when `monitor` is given, else with no argument. */
  step(metric?: number): void;
}

/** The options of {@link schedulerCallback}: when to step the scheduler, and with which log. */
export interface SchedulerCallbackOptions {
  /** When to step: after each batch (OneCycleLR, warmups counted in steps) or each epoch (default). */
  every?: 'batch' | 'epoch';
  /**
   * A log to pass to `step(metric)`, e.g. 'val_loss' for ReduceLROnPlateau (the names tfjs gives in
   * `logs`; 'val_' ones exist at epoch ends only when fit has validation data).
   */
  monitor?: string;
}

type Logs = Record<string, number | unknown> | undefined;

/** The shape of tfjs's CustomCallbackArgs that this callback fills in (model.fit's `callbacks` accepts it). */
export interface SchedulerCallback {
  /** With `every: 'batch'`: steps the scheduler after each batch; rejects when `monitor` is not in the batch's logs. */
  onBatchEnd?: (batch: number, logs?: Logs) => Promise<void>;
  /** With `every: 'epoch'` (the default): steps the scheduler after each epoch; rejects when `monitor` is not in the epoch's logs. */
  onEpochEnd?: (epoch: number, logs?: Logs) => Promise<void>;
}

/**
 * A tfjs callback (`model.fit(x, y, { callbacks: [schedulerCallback(scheduler, { every: 'batch' })] })`)
 * that calls `scheduler.step()` after every batch or every epoch; with `monitor`, `step(logs[monitor])`.
 * Create the scheduler on the GradstepOptimizer itself: `new OneCycleLR(optimizer, { … })`.
 */
export function schedulerCallback(scheduler: SteppableScheduler, options?: SchedulerCallbackOptions): SchedulerCallback {
  const owner = 'schedulerCallback';
  if (scheduler === null || typeof scheduler !== 'object' || typeof scheduler.step !== 'function') {
    throw new TypeError(`${owner}: scheduler must be a gradstep scheduler (an object with step()), got ${describe(scheduler)}`);
  }
  const given = checkOptionNames(owner, options, ['every', 'monitor']) as SchedulerCallbackOptions;
  const every = given.every ?? 'epoch';
  if (every !== 'batch' && every !== 'epoch') throw new TypeError(`${owner}: every must be 'batch' or 'epoch', got ${describe(every)}`);
  const monitor = given.monitor;
  if (monitor !== undefined && typeof monitor !== 'string') throw new TypeError(`${owner}: monitor must be the name of a log, got ${describe(monitor)}`);
  const step = async (logs: Logs) => {
    if (monitor === undefined) return scheduler.step();
    const metric = logs?.[monitor];
    if (typeof metric !== 'number') {
      throw new RangeError(`${owner}: monitor ${JSON.stringify(monitor)} is not in the ${every}'s logs (${Object.keys(logs ?? {}).join(', ') || 'none'})`);
    }
    scheduler.step(metric);
  };
  return every === 'batch' ? { onBatchEnd: (_batch, logs) => step(logs) } : { onEpochEnd: (_epoch, logs) => step(logs) };
}
