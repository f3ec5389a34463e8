/**
 * The training loop: epochs of mini-batches from `batches`, one optimizer step per batch, train and
 * validation loss and accuracy after every epoch, the generalization gap, early stopping on the
 * validation loss, and where the time went (gradients vs optimizer steps).
 */
import type { Optimizer } from '../optimizer.js';
import type { Param } from '../param.js';
import { decodeFitCheckpoint, encodeFitCheckpoint } from './fit-checkpoint.js';
import { batches } from '../model-selection/batches.js';
import { Random, randomFrom, type Seed } from '../model-selection/random.js';
import { checkBoolean, checkInteger, checkNumber, checkOptionNames, describe } from '../validate.js';
import type { Model } from '../models/model.js';

/** Rows and targets: X row-major (rows × model.features), y one target per row; `rows` selects a subset (a fold) without copying. A Dataset fits. */
export interface TrainingData {
  X: Float32Array;
  y: ArrayLike<number>;
  /** Row indices into X and y; default every row. */
  rows?: ArrayLike<number>;
}

/** What fit() needs of an optimizer: gradstep's optimizers, or anything with the same two members. */
export interface SteppingOptimizer {
  readonly params: readonly Param[];
  step(): void;
}

export interface EarlyStoppingOptions {
  /** Epochs without an improvement of the validation loss before stopping: an integer ≥ 1. Required. */
  patience: number;
  /** The least decrease of the validation loss that counts as an improvement. Default 0. */
  minDelta?: number;
  /** Put back the weights of the epoch with the lowest validation loss when training ends. Default true. */
  restoreBestWeights?: boolean;
}

export interface EpochRecord {
  /** From 1. */
  readonly epoch: number;
  /** Mean loss over all training rows with the weights at the end of the epoch ('evaluate'), or the mean of the epoch's batch losses ('running'). */
  readonly trainLoss: number;
  /** Fraction of training rows classified correctly at the end of the epoch (NaN for regressors and with 'running'). */
  readonly trainAccuracy: number;
  /** NaN without validation data. */
  readonly validationLoss: number;
  readonly validationAccuracy: number;
  /** validationLoss − trainLoss: the generalization gap in loss (NaN without validation data). */
  readonly generalizationGap: number;
  /** Optimizer steps taken so far, in all epochs. */
  readonly steps: number;
  /** Wall time of the epoch in milliseconds, evaluation included. */
  readonly milliseconds: number;
}

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
   * Called after every epoch with its record and the records so far (progress output for long
   * runs); returning `false` stops training.
   */
  onEpoch?: (record: EpochRecord, history: readonly EpochRecord[]) => void | boolean;
  /**
   * How the train loss is measured: 'evaluate' (default) scores all training rows after the epoch,
   * with the same weights as the validation score, so that the gap compares like with like;
   * 'running' averages the batch losses seen during the epoch (Keras' number: no extra pass, but
   * measured on weights that kept changing, and no train accuracy).
   */
  trainMetrics?: 'evaluate' | 'running';
  /**
   * Called after every epoch with a checkpoint of the run (the model's params, the optimizer's state,
   * the batch order's seed and generator state, the number of training rows and the batch size,
   * early stopping's state and the history, as safetensors bytes): save it,
   * and pass it as `resumeFrom` to continue. Needs a gradstep optimizer (stateDict) and a seed that
   * is a number.
   */
  checkpoint?: (bytes: Uint8Array, record: EpochRecord) => void;
  /**
   * A checkpoint from `checkpoint`: loads it into the model and the optimizer and continues with the
   * epoch after it, up to `epochs`, with the same result bits as a run that was never interrupted.
   * The seed is the checkpoint's (a different `seed` is refused), and so must be the number of
   * training rows and the batch size (capped at the rows), or the batch order would differ: a
   * RangeError names both values. The whole file is checked before anything is written: a refused
   * checkpoint leaves the model and the optimizer as they were. A checkpoint of `epochs` or more
   * epochs runs none and returns its history. Resuming costs time in proportion to the file's size.
   */
  resumeFrom?: Uint8Array | ArrayBuffer;
}

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
  readonly steps: number;
  /** Time in lossAndGradient (forward and backward passes), in optimizer.step(), and in evaluation, in milliseconds. */
  readonly timing: { readonly gradientMs: number; readonly stepMs: number; readonly evaluationMs: number };
}

/**
 * Trains `model` on `data` with `optimizer`: for each epoch, the training rows in a new random order
 * cut into batches (`batches`), and for each batch `model.lossAndGradient` then `optimizer.step()`.
 * After each epoch it records the train and validation loss and accuracy and the generalization
 * gap (validation loss − train loss), and calls `onEpoch`.
 *
 * Early stopping watches the validation loss: after `patience` epochs in a row without a decrease
 * of more than `minDelta` below the best so far, training stops and (by default, unlike Keras'
 * `restore_best_weights=False`) the best epoch's weights are copied back into the params. The
 * optimizer's state is not rewound. Training also stops when the train loss becomes NaN or
 * infinite ('diverged'), as a too-large learning rate does.
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
 *   the model about mismatched X and y
 */
export function fit(model: Model, data: TrainingData, options: FitOptions): FitResult {
  const owner = 'fit';
  const given = checkOptionNames(owner, options, ['optimizer', 'epochs', 'batchSize', 'seed', 'validation', 'earlyStopping', 'onEpoch', 'trainMetrics', 'checkpoint', 'resumeFrom']);
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
  const trainMetrics = given.trainMetrics ?? 'evaluate';
  if (trainMetrics !== 'evaluate' && trainMetrics !== 'running') throw new RangeError(`${owner}: trainMetrics must be 'evaluate' or 'running', got ${describe(trainMetrics)}`);
  const checkpoint = given.checkpoint as FitOptions['checkpoint'];
  if (checkpoint !== undefined && typeof checkpoint !== 'function') throw new TypeError(`${owner}: checkpoint must be a function, got ${describe(checkpoint)}`);
  const checkpointing = checkpoint !== undefined || given.resumeFrom !== undefined;
  const stateful = optimizer as unknown as Optimizer<object>;
  if (checkpointing && (typeof stateful.stateDict !== 'function' || typeof stateful.loadStateDict !== 'function')) {
    throw new TypeError(`${owner}: checkpoint and resumeFrom need a gradstep optimizer (with stateDict and loadStateDict)`);
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
  }
  // Resuming restores the generator as it was after the last epoch done, in O(1): the next epoch's order follows from it.
  const rng = resumed?.random ?? randomFrom(given.seed as Seed | undefined, `${owner}: seed`);

  const history: EpochRecord[] = [];
  const mapped = new Uint32Array(cut);
  let steps = 0;
  let gradientMs = 0;
  let stepMs = 0;
  let evaluationMs = 0;
  let bestLoss = Infinity;
  let bestEpoch = 0;
  let best: Float32Array[] | null = null;
  let stale = 0;
  let stopReason: FitResult['stopReason'] = 'completed';
  let firstEpoch = 1;
  if (resumed !== null) {
    // Everything is checked: commit. The optimizer first: loadStateDict checks the dict whole, so a
    // refusal changes nothing; then the params, which cannot fail (their lengths were checked).
    stateful.loadStateDict(resumed.optimizer);
    model.params.forEach((p, i) => p.value.set(resumed.values[i]));
    ({ steps, bestLoss, bestEpoch, stale } = resumed.progress);
    // A loop, not push(...): the records come from the file (checked and copied by decodeFitCheckpoint).
    for (const record of resumed.progress.history) history.push(record);
    best = resumed.best;
    // Past `epochs` when the checkpoint holds as many epochs or more: nothing runs, its history is the result.
    firstEpoch = resumed.progress.epoch + 1;
    // A run that early stopping ended stays ended.
    if (stopping !== undefined && stale >= stopping.patience) {
      firstEpoch = epochs + 1;
      stopReason = 'early-stopping';
    }
  }

  for (let epoch = firstEpoch; epoch <= epochs; epoch++) {
    const started = performance.now();
    let runningLoss = 0;
    for (const batch of batches(n, { batchSize: cut, seed: rng })) {
      let rows: ArrayLike<number> = batch;
      if (train.rows !== undefined) {
        const view = mapped.subarray(0, batch.length);
        for (let i = 0; i < batch.length; i++) view[i] = train.rows[batch[i]];
        rows = view;
      }
      const t0 = performance.now();
      const loss = model.lossAndGradient(train.X, train.y, rows);
      const t1 = performance.now();
      optimizer.step();
      const t2 = performance.now();
      gradientMs += t1 - t0;
      stepMs += t2 - t1;
      runningLoss += loss * batch.length;
      steps++;
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

    if (!Number.isFinite(record.trainLoss)) {
      stopReason = 'diverged';
      break;
    }
    let stop = false;
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
    if (checkpoint !== undefined) {
      const progress = { epoch, seed: rng.seed, random: rng.getState(), n, batchSize: cut, steps, bestLoss, bestEpoch, stale, history };
      checkpoint(encodeFitCheckpoint(model.params, best, stateful, progress), record);
    }
    if (onEpoch !== undefined && (onEpoch as FitOptions['onEpoch'])!(record, history) === false && !stop) {
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
  return {
    history,
    stopReason,
    bestEpoch,
    restoredBestWeights,
    seed: given.seed instanceof Random ? undefined : rng.seed,
    steps,
    timing: { gradientMs, stepMs, evaluationMs },
  };
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
