/**
 * fit()'s callbacks with tfjs's names (`model.fit(x, y, { callbacks })`): one object or a list of
 * them, each with any of onTrainBegin, onEpochBegin, onBatchBegin, onBatchEnd, onEpochEnd and
 * onTrainEnd. Each is checked once, when fit() starts, and kept as a Hook: the function, the object it
 * is called on (so that class instances keep their `this`) and the name an error gives it.
 */
import { describe } from '../validate.js';
import type { EpochRecord, FitResult } from './fit.js';

/** What onTrainBegin is told: the shape of the run, for progress bars. */
export interface TrainBeginLogs {
  /** The epochs asked for (options.epochs). */
  readonly epochs: number;
  /** The first epoch this call runs, from 1: 1, or the epoch after a checkpoint's (resumeFrom). */
  readonly firstEpoch: number;
  /** Batches in each epoch: ⌈rows / batchSize⌉. */
  readonly batchesPerEpoch: number;
  /** Training rows. */
  readonly rows: number;
}

/** What onBatchBegin is told (tfjs' `{ batch, size }`, plus the epoch). */
export interface BatchBeginLogs {
  /** The batch's index within its epoch, from 0 (as in tfjs and Keras). */
  readonly batch: number;
  /** Rows in the batch (the last batch of an epoch may be smaller). */
  readonly size: number;
  /** The epoch, from 1 (as in EpochRecord). */
  readonly epoch: number;
}

/** What onBatchEnd is told: the batch's loss, measured before the optimizer step. */
export interface BatchEndLogs extends BatchBeginLogs {
  /** The mean loss over the batch's rows, as lossAndGradient returned it. */
  readonly loss: number;
  /** Optimizer steps taken so far, this batch's included. */
  readonly steps: number;
  /** With clipGradNorm: the total norm of the gradients before clipping (clipGradNorm's return value); else NaN. */
  readonly gradNorm: number;
}

/**
 * Functions fit() calls as it trains, named as tfjs names them. `epoch` counts from 1 (as
 * EpochRecord.epoch does), `batch` from 0 within its epoch (as tfjs does). fitAsync awaits each
 * one that returns a Promise before going on; fit, which cannot wait, refuses a returned Promise
 * with a TypeError naming the callback.
 */
export interface FitCallbacks {
  /** Before the first epoch (after a checkpoint given as resumeFrom was loaded). */
  onTrainBegin?: (logs: TrainBeginLogs) => unknown;
  /** At the start of each epoch, before its first batch, with the epoch's number (from 1). */
  onEpochBegin?: (epoch: number) => unknown;
  /** Before the batch's forward and backward pass. */
  onBatchBegin?: (batch: number, logs: BatchBeginLogs) => unknown;
  /** After the batch's optimizer step (and, with schedulerStep 'batch', the scheduler's step). */
  onBatchEnd?: (batch: number, logs: BatchEndLogs) => unknown;
  /**
   * After the epoch's evaluation, early stopping's bookkeeping, the scheduler's epoch step and the
   * checkpoint, with the epoch's record; returning (or resolving to) `false` stops training
   * (stopReason 'callback'), as `onEpoch` returning false does.
   */
  onEpochEnd?: (epoch: number, logs: EpochRecord) => unknown;
  /** When training ends for any reason but an abort or an error, after the best weights were restored, with the result. */
  onTrainEnd?: (logs: FitResult) => unknown;
}

export const CALLBACK_NAMES = ['onTrainBegin', 'onEpochBegin', 'onBatchBegin', 'onBatchEnd', 'onEpochEnd', 'onTrainEnd'] as const;
export type CallbackName = (typeof CALLBACK_NAMES)[number];

/** One function fit() will call: on `self`, and named in errors as `name` (say `callbacks[1].onBatchEnd`). */
export interface Hook {
  readonly name: string;
  readonly fn: (...args: never[]) => unknown;
  readonly self: unknown;
}

export type HookLists = Record<CallbackName, readonly Hook[]>;

/**
 * The callbacks option as lists of hooks per name, in the order given. An unknown name of a
 * callback's shape (`onEpochEnds`) is refused, since it would never be called; other properties are
 * a class instance's own business. Methods count wherever they are defined (own or inherited).
 */
export function checkCallbacks(owner: string, value: unknown): HookLists {
  const lists: Record<CallbackName, Hook[]> = { onTrainBegin: [], onEpochBegin: [], onBatchBegin: [], onBatchEnd: [], onEpochEnd: [], onTrainEnd: [] };
  if (value === undefined) return lists;
  const objects = Array.isArray(value) ? value : [value];
  objects.forEach((object: unknown, i) => {
    const where = Array.isArray(value) ? `callbacks[${i}]` : 'callbacks';
    if (object === null || typeof object !== 'object' || Array.isArray(object)) {
      throw new TypeError(`${owner}: ${where} must be an object of callbacks (${CALLBACK_NAMES.join(', ')}), got ${describe(object)}`);
    }
    // Other properties are allowed (a class instance's own state), but not a misspelled callback,
    // which would silently never be called.
    for (const key of Object.keys(object)) {
      if (/^on[A-Z]/.test(key) && !(CALLBACK_NAMES as readonly string[]).includes(key)) {
        throw new TypeError(`${owner}: ${where} has an unknown callback ${JSON.stringify(key)} (known: ${CALLBACK_NAMES.join(', ')})`);
      }
    }
    for (const name of CALLBACK_NAMES) {
      const fn = (object as Record<string, unknown>)[name];
      if (fn === undefined) continue;
      if (typeof fn !== 'function') throw new TypeError(`${owner}: ${where}.${name} must be a function, got ${describe(fn)}`);
      lists[name].push({ name: `${where}.${name}`, fn: fn as Hook['fn'], self: object });
    }
  });
  return lists;
}

/** True for a Promise or any other thenable: what fit() cannot wait for. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function';
}
