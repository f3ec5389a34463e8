/**
 * The training loop: epochs of mini-batches from `batches`, one optimizer step per batch, train and
 * validation loss and accuracy after every epoch, the generalization gap, early stopping on the
 * validation loss, and where the time went (gradients vs optimizer steps); with tfjs-style
 * callbacks, a learning-rate scheduler stepped per batch or per epoch, gradient clipping before each
 * step, checkpoints, and an AbortSignal.
 *
 * One loop, two drivers: `trainingLoop` is a generator that does all the work and yields where the
 * caller has a say (a callback to call, the point between two batches). `fit` drives it
 * synchronously; `fitAsync` awaits the callbacks' Promises and gives the event loop a turn between
 * batches. Both run the same statements in the same order, so they train the same bits.
 */
import type { Optimizer } from '../optimizer.js';
import type { Param } from '../param.js';
import { checkClipGradNormArguments, clipGradNorm, clipGradValue } from '../clip-grad.js';
import { ReduceLROnPlateau } from '../schedulers/reduce-lr-on-plateau.js';
import type { SchedulerStateDict } from '../schedulers/scheduler-state-dict.js';
import { decodeFitCheckpoint, encodeFitCheckpoint } from './fit-checkpoint.js';
import { checkCallbacks, isThenable, type FitCallbacks, type Hook, type HookLists } from './fit-callbacks.js';
import { eventLoopYield } from './yield-to-event-loop.js';
import { batches } from '../model-selection/batches.js';
import { Random, randomFrom, type Seed } from '../model-selection/random.js';
import { checkBoolean, checkInteger, checkNumber, checkOptionNames, describe } from '../validate.js';
import type { Model } from '../models/model.js';

export type { FitCallbacks, TrainBeginLogs, BatchBeginLogs, BatchEndLogs } from './fit-callbacks.js';

/** Rows and targets: X row-major (rows × model.features), y one target per row; `rows` selects a subset (a fold) without copying. A Dataset fits. */
export interface TrainingData {
  /** The features, row-major: rows × model.features values. */
  X: Float32Array;
  /** One target per row (class indices for classifiers; rows × outputs values for multi-output regression). */
  y: ArrayLike<number>;
  /** Row indices into X and y; default every row. */
  rows?: ArrayLike<number>;
}

/** What fit() needs of an optimizer: gradstep's optimizers, or anything with the same two members. */
export interface SteppingOptimizer {
  /** The params it updates: at least one of the model's; clipping acts on these. */
  readonly params: readonly Param[];
  /** Updates the params from their gradients; called once per batch, after lossAndGradient (and clipping). */
  step(): void;
}

/** fit's `earlyStopping` option: stop when the validation loss stops improving (needs validation data). */
export interface EarlyStoppingOptions {
  /** Epochs without an improvement of the validation loss before stopping: an integer ≥ 1. Required. */
  patience: number;
  /** The least decrease of the validation loss that counts as an improvement. Default 0. */
  minDelta?: number;
  /** Put back the weights of the epoch with the lowest validation loss when training ends. Default true. */
  restoreBestWeights?: boolean;
}

/** One epoch's numbers in fit's history (FitResult.history), as onEpoch and onEpochEnd get them. */
export interface EpochRecord {
  /** From 1. */
  readonly epoch: number;
  /** Mean loss over all training rows with the weights at the end of the epoch ('evaluate'), or the mean of the epoch's batch losses ('running'). */
  readonly trainLoss: number;
  /** Fraction of training rows classified correctly at the end of the epoch (NaN for regressors and with 'running'). */
  readonly trainAccuracy: number;
  /** Mean loss over the validation rows at the end of the epoch; NaN without validation data. */
  readonly validationLoss: number;
  /** Fraction of validation rows classified correctly at the end of the epoch (NaN for regressors and without validation data). */
  readonly validationAccuracy: number;
  /** validationLoss − trainLoss: the generalization gap in loss (NaN without validation data). */
  readonly generalizationGap: number;
  /** Optimizer steps taken so far, in all epochs. */
  readonly steps: number;
  /** Wall time of the epoch in milliseconds: its batches, evaluation, batch callbacks and (fitAsync) the event loop's turns. */
  readonly milliseconds: number;
}

/**
 * A learning-rate scheduler fit() steps: gradstep's (StepLR, OneCycleLR, ReduceLROnPlateau, …) or
 * anything with the optimizer it schedules and a step(); stateDict and loadStateDict for checkpoints.
 */
export interface FitScheduler {
  /** The optimizer whose learning rate it sets: it must be options.optimizer itself. */
  readonly optimizer: unknown;
  /** Called with no argument per batch, and with the epoch's metric per epoch (which LRScheduler ignores). */
  step(metric?: number): void;
  /** Its state as plain data, saved in every checkpoint; required with `checkpoint` and `resumeFrom`. */
  stateDict?(): SchedulerStateDict;
  /** Restores a stateDict() from a checkpoint (resumeFrom); required with `checkpoint` and `resumeFrom`. */
  loadStateDict?(dict: SchedulerStateDict): void;
}

/** Where fit() hands its checkpoints: the bytes (safetensors) and the record of the epoch they follow. */
export type CheckpointSave = (bytes: Uint8Array, record: EpochRecord) => unknown;

/** fit's `checkpoint` option in its object form: where to save, and how often. */
export interface CheckpointOptions {
  /** Required. fitAsync awaits a returned Promise before the next epoch (say, a file write). */
  save: CheckpointSave;
  /** Save after every `every`-th epoch (epoch numbers divisible by it) and after epoch `epochs`: an integer ≥ 1. Default 1. */
  every?: number;
}

/** fit's `clipGradNorm` option in its object form: clipGradNorm's arguments. */
export interface ClipGradNormFitOptions {
  /** Required: as clipGradNorm's maxNorm (≥ 0, Infinity allowed). */
  maxNorm: number;
  /** The p of the p-norm. Default 2. */
  normType?: number;
  /** Throw (fit rejects) when the norm is NaN or infinite. Default false. */
  errorIfNonfinite?: boolean;
}

/** The options of {@link fit}: the optimizer and the epochs are required, everything else optional. */
export interface FitOptions {
  /** An optimizer over the model's params (all of them, or some to freeze the others). Required. */
  optimizer: SteppingOptimizer;
  /** Passes over the training rows: an integer ≥ 1. Required. */
  epochs: number;
  /** Rows per step: 1 is stochastic gradient descent, 'full' (or any size ≥ n) full-batch gradient descent. Default 32. */
  batchSize?: number | 'full';
  /** Seed of the batch order; a Random is advanced (every epoch gets a new order). Default: a fresh random seed, reported as `seed`. */
  seed?: Seed;
  /** Validation rows, scored after every epoch; required by earlyStopping. */
  validation?: TrainingData;
  /** Stop when the validation loss has not improved for `patience` epochs. */
  earlyStopping?: EarlyStoppingOptions;
  /**
   * Called after every epoch (the one whose loss diverged too) with its record and the records so
   * far (progress output for long runs); returning `false` stops training. `callbacks.onEpochEnd`
   * is the same hook with tfjs' arguments; this one is called after it.
   */
  onEpoch?: (record: EpochRecord, history: readonly EpochRecord[]) => unknown;
  /** Callbacks with tfjs' names (onTrainBegin, onEpochBegin, onBatchBegin, onBatchEnd, onEpochEnd, onTrainEnd): one object or a list, called in order. */
  callbacks?: FitCallbacks | readonly FitCallbacks[];
  /**
   * How the train loss is measured: 'evaluate' (default) scores all training rows after the epoch,
   * with the same weights as the validation score, so that the gap compares like with like;
   * 'running' averages the batch losses seen during the epoch (Keras' number: no extra pass, but
   * measured on weights that kept changing, and no train accuracy).
   */
  trainMetrics?: 'evaluate' | 'running';
  /**
   * A learning-rate scheduler of `optimizer`, stepped by fit as a PyTorch loop steps it: after the
   * optimizer step of every batch (schedulerStep 'batch', as OneCycleLR is meant), or after every
   * epoch's evaluation ('epoch'). ReduceLROnPlateau is stepped per epoch with the validation loss,
   * or the train loss without validation data.
   */
  scheduler?: FitScheduler;
  /** When the scheduler steps: 'epoch' (default) or 'batch'. */
  schedulerStep?: 'epoch' | 'batch';
  /**
   * Clip the gradients of the optimizer's params before each step to this total norm (clipGradNorm,
   * PyTorch's clip_grad_norm_), or with `{ maxNorm, normType, errorIfNonfinite }`. The norm before
   * clipping is reported as onBatchEnd's `gradNorm`.
   */
  clipGradNorm?: number | ClipGradNormFitOptions;
  /** Clamp the gradients of the optimizer's params to [−value, value] before each step (clipGradValue); before clipGradNorm when both are given. */
  clipGradValue?: number;
  /**
   * Stops training between two batches once aborted: the call throws (fitAsync rejects with) the
   * signal's reason, a DOMException named 'AbortError' unless abort() was given another, as fetch
   * does. The model and the optimizer are left as the last finished batch left them, usable and
   * consistent; the best weights are not restored. To continue, resume from the last checkpoint.
   */
  signal?: AbortSignal;
  /**
   * Called after every epoch with a checkpoint of the run (the model's params, the optimizer's state,
   * the batch order's seed and generator state, the number of training rows and the batch size,
   * early stopping's state, the scheduler's state and the history, as safetensors bytes): save it,
   * and pass it as `resumeFrom` to continue. Or `{ save, every }` to save every few epochs. Needs a
   * gradstep optimizer (stateDict) and a seed that is a number.
   */
  checkpoint?: CheckpointSave | CheckpointOptions;
  /**
   * A checkpoint from `checkpoint`: loads it into the model and the optimizer and continues with the
   * epoch after it, up to `epochs`, with the same result bits as a run that was never interrupted.
   * The seed is the checkpoint's (a different `seed` is refused), and so must be the number of
   * training rows and the batch size (capped at the rows), or the batch order would differ: a
   * RangeError names both values. A run that stepped a scheduler needs one of the same class and
   * schedulerStep (its state is loaded too), and one without refuses a scheduler. The whole file is
   * checked before anything is written: a refused checkpoint leaves the model, the optimizer and the
   * scheduler as they were. A checkpoint of `epochs` or more epochs runs none and returns its
   * history. Resuming costs time in proportion to the file's size.
   */
  resumeFrom?: Uint8Array | ArrayBuffer;
}

/** The options of {@link fitAsync}: fit's, plus how often to give the event loop a turn. */
export interface FitAsyncOptions extends FitOptions {
  /**
   * Give the event loop a turn (a macrotask: setImmediate, else a MessageChannel message, else
   * setTimeout(0)) before a batch once this many milliseconds have passed since the last turn: ≥ 0,
   * 0 for a turn before every batch. Default 16 (a frame at 60 Hz): a page keeps drawing and
   * answering input, and the turns cost little next to the batches.
   */
  yieldEveryMs?: number;
}

/** What fit and fitAsync return (and onTrainEnd gets): the history, why and where training ended, and the time spent. */
export interface FitResult {
  /** One record per epoch run. */
  readonly history: readonly EpochRecord[];
  /** Why training ended. 'diverged': the loss became NaN or infinite. */
  readonly stopReason: 'completed' | 'early-stopping' | 'callback' | 'diverged';
  /** The epoch (from 1) with the lowest validation loss, or the last epoch without validation data. */
  readonly bestEpoch: number;
  /** True when early stopping put back the weights of bestEpoch. */
  readonly restoredBestWeights: boolean;
  /** The seed of the batch order, or undefined when a Random was given. */
  readonly seed: number | undefined;
  /** Optimizer steps taken in all, one per batch (a resumed run counts the checkpoint's too). */
  readonly steps: number;
  /** Time in lossAndGradient (forward and backward passes), in clipping and optimizer.step(), and in evaluation, in milliseconds. */
  readonly timing: {
    /** Milliseconds (performance.now()) in model.lossAndGradient, summed over this call's batches. */
    readonly gradientMs: number;
    /** Milliseconds in gradient clipping and optimizer.step(), summed over this call's batches (scheduler steps not included). */
    readonly stepMs: number;
    /** Milliseconds in the end-of-epoch scoring (train rows with 'evaluate', and validation rows), summed over this call's epochs. */
    readonly evaluationMs: number;
  };
}

/**
 * Trains `model` on `data` with `optimizer`: for each epoch, the training rows in a new random order
 * cut into batches (`batches`), and for each batch `model.lossAndGradient`, the clipping asked for,
 * then `optimizer.step()` (and a per-batch scheduler step). After each epoch it records the train
 * and validation loss and accuracy and the generalization gap (validation loss − train loss), steps
 * a per-epoch scheduler, saves a checkpoint, and calls `onEpochEnd` and `onEpoch`.
 *
 * Early stopping watches the validation loss: after `patience` epochs in a row without a decrease
 * of more than `minDelta` below the best so far, training stops and (by default, unlike Keras'
 * `restore_best_weights=False`) the best epoch's weights are copied back into the params. The
 * optimizer's state is not rewound. Training also stops when the train loss becomes NaN or
 * infinite ('diverged'), as a too-large learning rate does.
 *
 * The callbacks run synchronously: one that returns a Promise is a TypeError naming it (use
 * fitAsync, which awaits them and keeps a page responsive, and trains the same bits).
 *
 * ```ts
 * const result = fit(mlp, { X, y, rows: fold.train }, {
 *   optimizer: new Adam(mlp.params, { lr: 1e-3 }), epochs: 50, batchSize: 32, seed: 0,
 *   validation: { X, y, rows: fold.test }, earlyStopping: { patience: 5 },
 *   onEpoch: (r) => console.log(r.epoch, r.trainLoss, r.validationLoss),
 * });
 * ```
 *
 * @throws TypeError/RangeError for bad options (naming the option and the value), or errors from
 *   the model about mismatched X and y; the signal's reason once it is aborted
 */
export function fit(model: Model, data: TrainingData, options: FitOptions): FitResult {
  const owner = 'fit';
  const { loop, signal } = startTraining(owner, model, data, options, false);
  let reply: unknown;
  for (;;) {
    const next = loop.next(reply);
    if (next.done) return next.value;
    const event = next.value;
    reply = undefined;
    if (event === BETWEEN_BATCHES) {
      if (signal?.aborted) throw abortReason(signal);
      continue;
    }
    reply = event.hook.fn.apply(event.hook.self, event.args as never[]);
    if (isThenable(reply)) {
      // Never awaited: its rejection would be reported as unhandled on top of this error.
      Promise.resolve(reply).catch(() => undefined);
      throw new TypeError(`${owner}: ${event.hook.name} returned a Promise, which fit() cannot wait for; use fitAsync() with async callbacks`);
    }
  }
}

/**
 * fit() that gives the event loop a turn between batches (every `yieldEveryMs`, default 16 ms) and
 * awaits callbacks that return Promises (say, a checkpoint written to a file or IndexedDB), for a
 * page that keeps drawing while it trains and a Node process that keeps serving. It runs the same
 * loop as fit (the same statements in the same order) and trains the same bits; bad options reject
 * as fit throws. While it runs, read the model as you like (predict for a live plot) but do not
 * step its optimizer or train it elsewhere.
 *
 * ```ts
 * const controller = new AbortController();
 * const result = await fitAsync(mlp, { X, y }, {
 *   optimizer, epochs: 50, seed: 0, signal: controller.signal,
 *   callbacks: { onBatchEnd: (batch, logs) => progress.update(logs.loss) },
 *   checkpoint: { every: 5, save: (bytes) => writeFile('run.safetensors', bytes) },
 * });
 * ```
 */
export async function fitAsync(model: Model, data: TrainingData, options: FitAsyncOptions): Promise<FitResult> {
  const { loop, signal, yieldEveryMs } = startTraining('fitAsync', model, data, options, true);
  const turn = eventLoopYield();
  let lastTurn = performance.now();
  try {
    let reply: unknown;
    for (;;) {
      const next = loop.next(reply);
      if (next.done) return next.value;
      const event = next.value;
      reply = undefined;
      if (event === BETWEEN_BATCHES) {
        if (performance.now() - lastTurn >= yieldEveryMs) {
          await turn();
          lastTurn = performance.now();
        }
        // After the turn: that is when an abort() from an event handler or a timer comes in.
        if (signal?.aborted) throw abortReason(signal);
        continue;
      }
      reply = event.hook.fn.apply(event.hook.self, event.args as never[]);
      // Only a thenable is awaited: awaiting every plain return value would cost a microtask per callback.
      if (isThenable(reply)) reply = await reply;
    }
  } finally {
    turn.close();
  }
}

/** What the loop yields to its driver: a callback to call (the reply is its result), or the point between two batches. */
type LoopEvent = typeof BETWEEN_BATCHES | { readonly hook: Hook; readonly args: readonly unknown[] };
/** Where an abort stops training and fitAsync may give the event loop a turn: before each batch. */
const BETWEEN_BATCHES = Symbol('between batches');

function abortReason(signal: AbortSignal): unknown {
  return signal.reason !== undefined ? signal.reason : new DOMException('fit was aborted', 'AbortError');
}

/** Calls each hook through the driver; true when one of them returned false (a request to stop). */
function* callHooks(hooks: readonly Hook[], args: readonly unknown[]): Generator<LoopEvent, boolean, unknown> {
  let stop = false;
  for (const hook of hooks) if ((yield { hook, args }) === false) stop = true;
  return stop;
}

/**
 * Checks the options, loads a checkpoint (everything checked first, then written), and returns the
 * loop ready to run. Throws, changing nothing, for bad options, a refused checkpoint or a signal
 * already aborted.
 */
function startTraining(owner: string, model: Model, data: TrainingData, options: FitOptions | FitAsyncOptions, isAsync: boolean) {
  const names = ['optimizer', 'epochs', 'batchSize', 'seed', 'validation', 'earlyStopping', 'onEpoch', 'callbacks', 'trainMetrics', 'scheduler', 'schedulerStep', 'clipGradNorm', 'clipGradValue', 'signal', 'checkpoint', 'resumeFrom'];
  const given = checkOptionNames(owner, options, isAsync ? [...names, 'yieldEveryMs'] : names);
  checkModel(owner, model);
  const train = checkData(owner, 'data', data);
  const optimizer = checkOptimizer(owner, given.optimizer, model);
  const epochs = checkInteger(owner, 'epochs', given.epochs, 1);
  const n = train.rows === undefined ? train.X.length / model.features : train.rows.length;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${owner}: data must hold at least one row of ${model.features} features`);
  const batchSize = given.batchSize === undefined ? 32 : given.batchSize === 'full' ? n : checkInteger(owner, 'batchSize', given.batchSize, 1);
  const validation = given.validation === undefined ? undefined : checkData(owner, 'validation', given.validation);
  const stopping = checkEarlyStopping(owner, given.earlyStopping, validation !== undefined);
  const onEpoch = given.onEpoch;
  if (onEpoch !== undefined && typeof onEpoch !== 'function') throw new TypeError(`${owner}: onEpoch must be a function, got ${describe(onEpoch)}`);
  const hooks = checkCallbacks(owner, given.callbacks);
  const trainMetrics = given.trainMetrics ?? 'evaluate';
  if (trainMetrics !== 'evaluate' && trainMetrics !== 'running') throw new RangeError(`${owner}: trainMetrics must be 'evaluate' or 'running', got ${describe(trainMetrics)}`);
  const { scheduler, schedulerStep } = checkScheduler(owner, given.scheduler, given.schedulerStep, optimizer);
  const clipping = checkClipping(owner, given.clipGradNorm, given.clipGradValue, optimizer);
  const signal = checkSignal(owner, given.signal);
  const yieldEveryMs = checkNumber(owner, 'yieldEveryMs', given.yieldEveryMs ?? 16, { min: 0 });
  const checkpoint = checkCheckpoint(owner, given.checkpoint);
  const checkpointing = checkpoint !== undefined || given.resumeFrom !== undefined;
  const stateful = optimizer as unknown as Optimizer<object>;
  if (checkpointing && (typeof stateful.stateDict !== 'function' || typeof stateful.loadStateDict !== 'function')) {
    throw new TypeError(`${owner}: checkpoint and resumeFrom need a gradstep optimizer (with stateDict and loadStateDict)`);
  }
  if (checkpointing && scheduler !== undefined && (typeof scheduler.stateDict !== 'function' || typeof scheduler.loadStateDict !== 'function')) {
    throw new TypeError(`${owner}: checkpoint and resumeFrom need a scheduler with stateDict and loadStateDict (a gradstep scheduler)`);
  }
  if (checkpointing && given.seed instanceof Random) throw new TypeError(`${owner}: checkpoint and resumeFrom need a seed that is a number (the checkpoint records it), not a Random`);
  // Clamped to n: any batchSize >= n is one full batch (batches() accepts at most 2^32 − 1).
  const cut = Math.min(batchSize, n);
  // A checkpoint is decoded and checked whole, against these options too, before anything is written.
  const resumed = given.resumeFrom === undefined ? null : decodeFitCheckpoint(owner, given.resumeFrom, model.params);
  if (resumed !== null) {
    const saved = resumed.progress;
    if (given.seed !== undefined && given.seed !== saved.seed) {
      throw new RangeError(`${owner}: seed ${describe(given.seed)} differs from the checkpoint's seed ${saved.seed}`);
    }
    if (n !== saved.n) throw new RangeError(`${owner}: the data has ${n} training rows, the checkpoint's run had ${saved.n}: its batch order cannot be continued`);
    if (cut !== saved.batchSize) {
      throw new RangeError(`${owner}: batchSize ${cut} differs from the checkpoint's batchSize ${saved.batchSize}: the batch order would differ`);
    }
    if (resumed.scheduler === null && scheduler !== undefined) {
      throw new RangeError(`${owner}: the checkpoint's run had no scheduler: resume it without one (a scheduler would change its learning rates)`);
    }
    if (resumed.scheduler !== null && scheduler === undefined) {
      throw new RangeError(`${owner}: the checkpoint's run stepped a scheduler; pass it as scheduler (with schedulerStep '${resumed.scheduler.step}') to continue its schedule`);
    }
    if (resumed.scheduler !== null && resumed.scheduler.step !== schedulerStep) {
      throw new RangeError(`${owner}: schedulerStep '${schedulerStep}' differs from the checkpoint's '${resumed.scheduler.step}': the schedule would differ`);
    }
  }
  // Before anything is written: a call with an aborted signal changes nothing.
  if (signal?.aborted) throw abortReason(signal);
  // Resuming restores the generator as it was after the last epoch done, in O(1): the next epoch's order follows from it.
  const rng = resumed?.random ?? randomFrom(given.seed as Seed | undefined, `${owner}: seed`);

  const progress: LoopStart = { steps: 0, bestLoss: Infinity, bestEpoch: 0, stale: 0, best: null, history: [], firstEpoch: 1, stopReason: 'completed' };
  if (resumed !== null) {
    // Everything is checked: commit. The scheduler first, then the optimizer: each loadStateDict
    // checks its dict whole, so a refusal changes nothing, and a refused optimizer dict puts the
    // scheduler's state back. Then the params, which cannot fail (their lengths were checked).
    let schedulerBefore: SchedulerStateDict | null = null;
    if (scheduler !== undefined && resumed.scheduler !== null) {
      schedulerBefore = scheduler.stateDict!();
      scheduler.loadStateDict!(resumed.scheduler.state as SchedulerStateDict);
    }
    try {
      stateful.loadStateDict(resumed.optimizer);
    } catch (error) {
      if (schedulerBefore !== null) scheduler!.loadStateDict!(schedulerBefore);
      throw error;
    }
    model.params.forEach((p, i) => p.value.set(resumed.values[i]));
    ({ steps: progress.steps, bestLoss: progress.bestLoss, bestEpoch: progress.bestEpoch, stale: progress.stale } = resumed.progress);
    // A loop, not push(...): the records come from the file (checked and copied by decodeFitCheckpoint).
    for (const record of resumed.progress.history) progress.history.push(record);
    progress.best = resumed.best;
    // Past `epochs` when the checkpoint holds as many epochs or more: nothing runs, its history is the result.
    progress.firstEpoch = resumed.progress.epoch + 1;
    // A run that early stopping ended stays ended.
    if (stopping !== undefined && progress.stale >= stopping.patience) {
      progress.firstEpoch = epochs + 1;
      progress.stopReason = 'early-stopping';
    }
  }
  const plan: LoopPlan = {
    model, train, optimizer, stateful, epochs, n, cut, validation, stopping, trainMetrics, rng, hooks,
    onEpoch: onEpoch === undefined ? [] : [{ name: 'onEpoch', fn: onEpoch as Hook['fn'], self: undefined }],
    scheduler, schedulerStep, clipping, checkpoint,
    reportedSeed: given.seed instanceof Random ? undefined : rng.seed,
  };
  return { loop: trainingLoop(plan, progress), signal, yieldEveryMs };
}

interface LoopStart {
  steps: number;
  bestLoss: number;
  bestEpoch: number;
  stale: number;
  best: Float32Array[] | null;
  history: EpochRecord[];
  firstEpoch: number;
  stopReason: FitResult['stopReason'];
}

interface LoopPlan {
  model: Model;
  train: TrainingData;
  optimizer: SteppingOptimizer;
  stateful: Optimizer<object>;
  epochs: number;
  /** Training rows, and the batch size capped at them. */
  n: number;
  cut: number;
  validation: TrainingData | undefined;
  stopping: Required<EarlyStoppingOptions> | undefined;
  trainMetrics: 'evaluate' | 'running';
  rng: Random;
  hooks: HookLists;
  onEpoch: readonly Hook[];
  scheduler: FitScheduler | undefined;
  schedulerStep: 'epoch' | 'batch';
  clipping: Clipping;
  checkpoint: { hook: Hook; every: number } | undefined;
  reportedSeed: number | undefined;
}

/** The training itself, for both drivers: see the module comment. */
function* trainingLoop(plan: LoopPlan, start: LoopStart): Generator<LoopEvent, FitResult, unknown> {
  const { model, train, optimizer, epochs, n, cut, validation, stopping, trainMetrics, rng, hooks, scheduler, clipping, checkpoint } = plan;
  let { steps, bestLoss, bestEpoch, stale, best, stopReason } = start;
  const history = start.history;
  const mapped = new Uint32Array(cut);
  const batchHooks = hooks.onBatchBegin.length > 0 || hooks.onBatchEnd.length > 0;
  let gradientMs = 0;
  let stepMs = 0;
  let evaluationMs = 0;

  yield* callHooks(hooks.onTrainBegin, [{ epochs, firstEpoch: start.firstEpoch, batchesPerEpoch: Math.ceil(n / cut), rows: n }]);
  for (let epoch = start.firstEpoch; epoch <= epochs; epoch++) {
    const started = performance.now();
    yield* callHooks(hooks.onEpochBegin, [epoch]);
    let runningLoss = 0;
    let index = 0;
    for (const batch of batches(n, { batchSize: cut, seed: rng })) {
      yield BETWEEN_BATCHES;
      let rows: ArrayLike<number> = batch;
      if (train.rows !== undefined) {
        const view = mapped.subarray(0, batch.length);
        for (let i = 0; i < batch.length; i++) view[i] = train.rows[batch[i]];
        rows = view;
      }
      if (batchHooks) yield* callHooks(hooks.onBatchBegin, [index, { batch: index, size: batch.length, epoch }]);
      const t0 = performance.now();
      const loss = model.lossAndGradient(train.X, train.y, rows);
      const t1 = performance.now();
      let gradNorm = NaN;
      if (clipping.value !== undefined) clipGradValue(clipping.params, clipping.value);
      if (clipping.norm !== undefined) gradNorm = clipGradNorm(clipping.params, clipping.norm.maxNorm, clipping.norm.options);
      optimizer.step();
      const t2 = performance.now();
      if (scheduler !== undefined && plan.schedulerStep === 'batch') scheduler.step();
      gradientMs += t1 - t0;
      stepMs += t2 - t1;
      runningLoss += loss * batch.length;
      steps++;
      if (batchHooks) yield* callHooks(hooks.onBatchEnd, [index, { batch: index, size: batch.length, epoch, loss, steps, gradNorm }]);
      index++;
    }
    const t3 = performance.now();
    const trainScore = trainMetrics === 'evaluate' ? model.evaluate(train.X, train.y, train.rows) : { loss: runningLoss / n, accuracy: NaN };
    const validationScore = validation === undefined ? { loss: NaN, accuracy: NaN } : model.evaluate(validation.X, validation.y, validation.rows);
    const ended = performance.now();
    evaluationMs += ended - t3;
    const record: EpochRecord = {
      epoch,
      trainLoss: trainScore.loss,
      trainAccuracy: trainScore.accuracy,
      validationLoss: validationScore.loss,
      validationAccuracy: validationScore.accuracy,
      generalizationGap: validationScore.loss - trainScore.loss,
      steps,
      milliseconds: ended - started,
    };
    history.push(record);

    let stop = false;
    if (!Number.isFinite(record.trainLoss)) {
      // Nothing more to learn from NaN weights: no scheduler step, no checkpoint; the callbacks still see the epoch.
      stopReason = 'diverged';
      stop = true;
    } else {
      if (validation !== undefined) {
        if (record.validationLoss < bestLoss - (stopping?.minDelta ?? 0) || bestEpoch === 0) {
          if (record.validationLoss < bestLoss) bestLoss = record.validationLoss;
          bestEpoch = epoch;
          stale = 0;
          if (stopping?.restoreBestWeights) best = snapshot(model.params, best);
        } else if (stopping !== undefined && ++stale >= stopping.patience) {
          stopReason = 'early-stopping';
          stop = true;
        }
      } else {
        bestEpoch = epoch;
      }
      // PyTorch's loop: scheduler.step() after the epoch, ReduceLROnPlateau's with the validation loss.
      if (scheduler !== undefined && plan.schedulerStep === 'epoch') scheduler.step(validation === undefined ? record.trainLoss : record.validationLoss);
      if (checkpoint !== undefined && (epoch % checkpoint.every === 0 || epoch === epochs)) {
        const progress = { epoch, seed: rng.seed, random: rng.getState(), n, batchSize: cut, steps, bestLoss, bestEpoch, stale, history };
        const savedScheduler = scheduler === undefined ? null : { step: plan.schedulerStep, state: scheduler.stateDict!() };
        yield* callHooks([checkpoint.hook], [encodeFitCheckpoint(model.params, best, plan.stateful, progress, savedScheduler), record]);
      }
    }
    const stopAskedByOnEpochEnd = yield* callHooks(hooks.onEpochEnd, [epoch, record]);
    const stopAskedByOnEpoch = yield* callHooks(plan.onEpoch, [record, history]);
    if ((stopAskedByOnEpochEnd || stopAskedByOnEpoch) && !stop) {
      stopReason = 'callback';
      stop = true;
    }
    if (stop) break;
  }

  let restoredBestWeights = false;
  const last = history[history.length - 1];
  if (stopping?.restoreBestWeights && best !== null && bestEpoch !== last.epoch) {
    model.params.forEach((p, i) => p.value.set(best![i]));
    restoredBestWeights = true;
  }
  const result: FitResult = {
    history,
    stopReason,
    bestEpoch,
    restoredBestWeights,
    seed: plan.reportedSeed,
    steps,
    timing: { gradientMs, stepMs, evaluationMs },
  };
  yield* callHooks(hooks.onTrainEnd, [result]);
  return result;
}

/** Copies every param's values, reusing the arrays of the previous snapshot. */
function snapshot(params: readonly Param[], previous: Float32Array[] | null): Float32Array[] {
  if (previous === null) return params.map((p) => p.value.slice());
  params.forEach((p, i) => previous[i].set(p.value));
  return previous;
}

function checkModel(owner: string, model: unknown): void {
  const m = model as Partial<Model> | null;
  if (m === null || typeof m !== 'object' || typeof m.lossAndGradient !== 'function' || typeof m.evaluate !== 'function' || !Array.isArray(m.params)) {
    throw new TypeError(`${owner}: model must have params, lossAndGradient() and evaluate() (a gradstep model), got ${describe(model)}`);
  }
}

/** `{ X, y, rows? }`; other properties are ignored, so that a Dataset can be passed as it is. */
function checkData(owner: string, name: string, data: unknown): TrainingData {
  if (data === null || typeof data !== 'object') throw new TypeError(`${owner}: ${name} must be { X, y, rows? }, got ${describe(data)}`);
  const { X, y, rows } = data as Partial<TrainingData>;
  if (!(X instanceof Float32Array)) throw new TypeError(`${owner}: ${name}.X must be a Float32Array (row-major rows × features), got ${describe(X)}`);
  if (y === null || typeof y !== 'object' || typeof y.length !== 'number') throw new TypeError(`${owner}: ${name}.y must be an array or typed array of targets, got ${describe(y)}`);
  if (rows !== undefined) {
    if (rows === null || typeof rows !== 'object' || typeof rows.length !== 'number') throw new TypeError(`${owner}: ${name}.rows must be an array of row indices, got ${describe(rows)}`);
    // Checked here, once: the batches copy rows into a Uint32Array, which would turn 2.5 into 2 and NaN into 0.
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      if (!Number.isInteger(row) || row < 0 || row >= y.length) {
        throw new RangeError(`${owner}: ${name}.rows[${i}] must be a row index, an integer in [0, ${y.length}), got ${describe(row)}`);
      }
    }
  }
  return { X, y, rows };
}

function checkOptimizer(owner: string, optimizer: unknown, model: Model): SteppingOptimizer {
  const o = optimizer as Partial<SteppingOptimizer> | null;
  if (o === null || typeof o !== 'object' || typeof o.step !== 'function' || !Array.isArray(o.params)) {
    throw new TypeError(`${owner}: optimizer must be an optimizer over the model's params (e.g. new Adam(model.params)), got ${describe(optimizer)}`);
  }
  if (!model.params.some((p) => o.params!.includes(p))) {
    throw new RangeError(`${owner}: the optimizer updates none of the model's params; create it with model.params`);
  }
  return o as SteppingOptimizer;
}

function checkEarlyStopping(owner: string, value: unknown, hasValidation: boolean): Required<EarlyStoppingOptions> | undefined {
  if (value === undefined) return undefined;
  const given = checkOptionNames(`${owner}: earlyStopping`, value, ['patience', 'minDelta', 'restoreBestWeights']);
  if (!hasValidation) throw new TypeError(`${owner}: earlyStopping watches the validation loss; pass validation data too`);
  const patience = checkInteger(owner, 'earlyStopping.patience', given.patience, 1);
  const minDelta = checkNumber(owner, 'earlyStopping.minDelta', given.minDelta ?? 0, { min: 0 });
  const restoreBestWeights = checkBoolean(owner, 'earlyStopping.restoreBestWeights', given.restoreBestWeights ?? true);
  return { patience, minDelta, restoreBestWeights };
}

function checkScheduler(owner: string, value: unknown, step: unknown, optimizer: SteppingOptimizer): { scheduler: FitScheduler | undefined; schedulerStep: 'epoch' | 'batch' } {
  if (step !== undefined && step !== 'epoch' && step !== 'batch') throw new RangeError(`${owner}: schedulerStep must be 'epoch' or 'batch', got ${describe(step)}`);
  if (value === undefined) {
    if (step !== undefined) throw new TypeError(`${owner}: schedulerStep ${describe(step)} needs a scheduler`);
    return { scheduler: undefined, schedulerStep: 'epoch' };
  }
  const s = value as Partial<FitScheduler> | null;
  if (s === null || typeof s !== 'object' || typeof s.step !== 'function') {
    throw new TypeError(`${owner}: scheduler must be a learning-rate scheduler (e.g. new StepLR(optimizer, …)), got ${describe(value)}`);
  }
  if (s.optimizer !== optimizer) throw new RangeError(`${owner}: the scheduler sets the learning rate of another optimizer than options.optimizer; create it with that optimizer`);
  if (value instanceof ReduceLROnPlateau && step === 'batch') {
    throw new RangeError(`${owner}: schedulerStep must be 'epoch' for ReduceLROnPlateau (it is stepped with each epoch's loss), got 'batch'`);
  }
  return { scheduler: s as FitScheduler, schedulerStep: (step ?? 'epoch') as 'epoch' | 'batch' };
}

interface Clipping {
  /** The optimizer's params, whose gradients are clipped (the ones the step uses). */
  params: Param[];
  norm: { maxNorm: number; options: { normType: number; errorIfNonfinite: boolean } } | undefined;
  value: number | undefined;
}

function checkClipping(owner: string, norm: unknown, value: unknown, optimizer: SteppingOptimizer): Clipping {
  let checkedNorm: Clipping['norm'];
  if (typeof norm === 'number') {
    if (!(norm >= 0)) throw new RangeError(`${owner}: clipGradNorm must be a number >= 0 (Infinity allowed) or { maxNorm, normType?, errorIfNonfinite? }, got ${describe(norm)}`);
    checkedNorm = { maxNorm: norm, options: checkClipGradNormArguments(owner, 'clipGradNorm.', norm, undefined) };
  } else if (norm !== undefined) {
    if (norm === null || typeof norm !== 'object') throw new TypeError(`${owner}: clipGradNorm must be a number (maxNorm) or { maxNorm, normType?, errorIfNonfinite? }, got ${describe(norm)}`);
    const given = checkOptionNames(`${owner}: clipGradNorm`, norm, ['maxNorm', 'normType', 'errorIfNonfinite']);
    const options = checkClipGradNormArguments(owner, 'clipGradNorm.', given.maxNorm, { normType: given.normType, errorIfNonfinite: given.errorIfNonfinite });
    checkedNorm = { maxNorm: given.maxNorm as number, options };
  }
  const checkedValue = value === undefined ? undefined : checkNumber(owner, 'clipGradValue', value, { min: 0 });
  // Copied once: the clip functions take an array, and the optimizer's list is readonly.
  return { params: checkedNorm === undefined && checkedValue === undefined ? [] : [...optimizer.params], norm: checkedNorm, value: checkedValue };
}

function checkSignal(owner: string, value: unknown): AbortSignal | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || typeof (value as Partial<AbortSignal>).aborted !== 'boolean') {
    throw new TypeError(`${owner}: signal must be an AbortSignal (new AbortController().signal), got ${describe(value)}`);
  }
  return value as AbortSignal;
}

function checkCheckpoint(owner: string, value: unknown): LoopPlan['checkpoint'] {
  if (value === undefined) return undefined;
  if (typeof value === 'function') return { hook: { name: 'checkpoint', fn: value as Hook['fn'], self: undefined }, every: 1 };
  if (value === null || typeof value !== 'object') throw new TypeError(`${owner}: checkpoint must be a function or { save, every? }, got ${describe(value)}`);
  const given = checkOptionNames(`${owner}: checkpoint`, value, ['save', 'every']);
  if (typeof given.save !== 'function') throw new TypeError(`${owner}: checkpoint.save must be a function, got ${describe(given.save)}`);
  const every = checkInteger(owner, 'checkpoint.every', given.every ?? 1, 1);
  return { hook: { name: 'checkpoint.save', fn: given.save as Hook['fn'], self: value }, every };
}
