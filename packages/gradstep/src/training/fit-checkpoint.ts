/**
 * fit()'s checkpoints: everything a run needs to continue bit-exactly, in one safetensors file. The
 * model's params (`param.<i>`), the best weights early stopping keeps (`best.<i>`) and the optimizer's
 * state buffers (`optimizer.<i>.<name>`) are tensors; the optimizer's other state (step count,
 * options, groups), fit's own progress (epochs done, the seed and the generator state of the batch
 * order, the rows and batch size it was drawn for, early stopping's counters, the history) and, when
 * fit drives a learning-rate scheduler, the scheduler's state dict are JSON in the metadata.
 *
 * The file is untrusted input: decodeFitCheckpoint checks all of it (shapes, types, and that the
 * progress is consistent with itself) before fit() writes anything, and nothing it reads drives
 * more work than the file's own size (the batch order is restored from the saved generator state,
 * not by drawing the past epochs again).
 */
import type { Optimizer, OptimizerStateDict } from '../optimizer.js';
import type { Param } from '../param.js';
import type { SchedulerStateDict } from '../schedulers/scheduler-state-dict.js';
import { Random } from '../model-selection/random.js';
import { decodeSafetensors, encodeSafetensors, tensorToFloat32, type Tensor } from '../safetensors.js';
import { describe } from '../validate.js';
import type { EpochRecord } from './fit.js';

const FORMAT = 'gradstep.fit-checkpoint';
/** 2: the batch order's generator state, n and batchSize saved (version 1 redrew the past epochs' orders). */
const VERSION = '2';

/** fit()'s own progress after an epoch. */
export interface FitProgress {
  /** Epochs done, ≥ 1: history.length. */
  epoch: number;
  /** The seed of the batch order. */
  seed: number;
  /** The batch order's generator after the epoch (Random.getState()). */
  random: string;
  /** Training rows. */
  n: number;
  /** Rows per batch as the order was cut: fit's batchSize capped at n. */
  batchSize: number;
  steps: number;
  bestLoss: number;
  bestEpoch: number;
  stale: number;
  history: EpochRecord[];
}

/** describe(), with long strings from the file cut short. */
const shown = (value: unknown) => (typeof value === 'string' && value.length > 40 ? `${describe(value.slice(0, 40))}…` : describe(value));

/** JSON with NaN and ±Infinity kept (as strings), which the epoch records hold. */
const encodeNumbers = (_key: string, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? String(value) : value);
const decodeNumbers = (_key: string, value: unknown) => (value === 'NaN' || value === 'Infinity' || value === '-Infinity' ? Number(value) : value);

/** The scheduler fit steps, as a checkpoint holds it: when it steps, and its state dict. */
export interface SavedScheduler {
  step: 'batch' | 'epoch';
  state: SchedulerStateDict;
}

/** `scheduler`: the scheduler fit steps, or null without one (the metadata then has no scheduler entry). */
export function encodeFitCheckpoint(
  params: readonly Param[],
  best: readonly Float32Array[] | null,
  optimizer: Optimizer<object>,
  progress: FitProgress,
  scheduler: SavedScheduler | null,
): Uint8Array {
  const tensors: Record<string, Tensor> = {};
  params.forEach((p, i) => (tensors[`param.${i}`] = { dtype: 'F32', shape: [p.length], data: p.value.slice() }));
  best?.forEach((values, i) => (tensors[`best.${i}`] = { dtype: 'F32', shape: [values.length], data: values }));
  const dict = optimizer.stateDict({ encoding: 'float32' });
  const state = dict.state.map((entry, i) => {
    for (const [name, buffer] of Object.entries(entry.buffers)) tensors[`optimizer.${i}.${name}`] = { dtype: 'F32', shape: [entry.length], data: buffer as Float32Array };
    return { length: entry.length, buffers: Object.keys(entry.buffers) };
  });
  const metadata = {
    format: FORMAT,
    version: VERSION,
    optimizer: JSON.stringify({ ...dict, state }),
    fit: JSON.stringify(progress, encodeNumbers),
    ...(scheduler === null ? {} : { scheduler: JSON.stringify(scheduler) }),
  };
  return encodeSafetensors(tensors, metadata);
}

export interface DecodedFitCheckpoint {
  values: Float32Array[];
  best: Float32Array[] | null;
  optimizer: OptimizerStateDict;
  progress: FitProgress;
  /** The batch order's generator, restored. */
  random: Random;
  /** The run's scheduler, or null when it had none; `state` unchecked (the scheduler's loadStateDict checks it whole). */
  scheduler: { step: 'batch' | 'epoch'; state: unknown } | null;
}

/** The number fields of an epoch record (all but epoch and steps, checked as counts). */
const RECORD_NUMBERS = ['trainLoss', 'trainAccuracy', 'validationLoss', 'validationAccuracy', 'generalizationGap', 'milliseconds'] as const;

/**
 * Reads a checkpoint of fit() for `params` and checks all of it, so that fit() can refuse it before
 * writing anything; throws (naming what does not fit) without changing anything. Work and memory are
 * bounded by the file's size.
 */
export function decodeFitCheckpoint(owner: string, bytes: unknown, params: readonly Param[]): DecodedFitCheckpoint {
  if (!(bytes instanceof Uint8Array || bytes instanceof ArrayBuffer)) throw new TypeError(`${owner}: resumeFrom must be the bytes of a checkpoint, got ${describe(bytes)}`);
  const { tensors, metadata } = decodeSafetensors(bytes);
  if (metadata.format !== FORMAT) throw new TypeError(`${owner}: resumeFrom is not a checkpoint of fit() (metadata format ${shown(metadata.format)})`);
  if (metadata.version !== VERSION) {
    throw new TypeError(`${owner}: the checkpoint is version ${shown(metadata.version)} of fit()'s format; this gradstep reads version ${VERSION}`);
  }
  const read = (key: string, length: number) => {
    const tensor = tensors[key];
    if (tensor === undefined) throw new RangeError(`${owner}: the checkpoint has no tensor ${JSON.stringify(key)}`);
    const values = tensorToFloat32(tensor, key);
    if (values.length !== length) throw new RangeError(`${owner}: tensor ${JSON.stringify(key)} holds ${values.length} values, the model's param has ${length}`);
    return values;
  };
  const count = Object.keys(tensors).filter((k) => k.startsWith('param.')).length;
  if (count !== params.length) throw new RangeError(`${owner}: the checkpoint has ${count} params, the model ${params.length}`);
  const values = params.map((p, i) => read(`param.${i}`, p.length));
  const best = tensors['best.0'] === undefined ? null : params.map((p, i) => read(`best.${i}`, p.length));
  let optimizer: OptimizerStateDict;
  let parsed: unknown;
  let scheduler: DecodedFitCheckpoint['scheduler'] = null;
  try {
    const saved = JSON.parse(metadata.optimizer ?? 'null') as Omit<OptimizerStateDict, 'state'> & { state: { length: number; buffers: string[] }[] };
    const state = saved.state.map((entry, i) => ({
      length: entry.length,
      buffers: Object.fromEntries(entry.buffers.map((name) => [name, read(`optimizer.${i}.${name}`, entry.length)])),
    }));
    optimizer = { ...saved, state };
    parsed = JSON.parse(metadata.fit ?? 'null', decodeNumbers);
    if (metadata.scheduler !== undefined) {
      const saved = JSON.parse(metadata.scheduler) as Partial<SavedScheduler> | null;
      if (saved?.step !== 'batch' && saved?.step !== 'epoch') throw new TypeError(`scheduler.step must be 'batch' or 'epoch', got ${shown(saved?.step)}`);
      scheduler = { step: saved.step, state: saved.state };
    }
  } catch (error) {
    if (error instanceof RangeError) throw error;
    throw new TypeError(`${owner}: the checkpoint's metadata is not fit()'s (${(error as Error).message})`);
  }
  const { progress, random } = checkProgress(owner, parsed);
  return { values, best, optimizer, progress, random, scheduler };
}

/** fit's progress from the file, checked whole and copied (history records rebuilt from their known fields). */
function checkProgress(owner: string, parsed: unknown): { progress: FitProgress; random: Random } {
  const malformed = (what: string) => new TypeError(`${owner}: the checkpoint's fit progress is malformed: ${what}`);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw malformed(`not an object (${shown(parsed)})`);
  const p = parsed as Record<string, unknown>;
  const count = (name: string, min: number, max = Number.MAX_SAFE_INTEGER): number => {
    const value = p[name];
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
      throw malformed(`${name} must be an integer from ${min} to ${max}, got ${shown(value)}`);
    }
    return value;
  };
  const epoch = count('epoch', 1);
  const seed = count('seed', 0, 4294967295);
  const n = count('n', 1, 4294967295);
  const batchSize = count('batchSize', 1, n);
  const bestEpoch = count('bestEpoch', 1, epoch);
  // stale counts the epochs since bestEpoch without an improvement (0 without early stopping).
  const stale = count('stale', 0, epoch - bestEpoch);
  const perEpoch = Math.ceil(n / batchSize);
  const steps = count('steps', 0);
  if (steps !== epoch * perEpoch) throw malformed(`steps ${steps} is not ${epoch} epochs × ${perEpoch} batches of ${batchSize} of ${n} rows`);
  const bestLoss = p.bestLoss;
  if (typeof bestLoss !== 'number' || Number.isNaN(bestLoss)) throw malformed(`bestLoss must be a number, got ${shown(bestLoss)}`);
  let random: Random;
  try {
    random = Random.fromState(p.random as string);
  } catch (error) {
    throw malformed(`random: ${(error as Error).message}`);
  }
  if (random.seed !== seed) throw malformed(`the batch order's generator has seed ${random.seed}, the progress seed ${seed}`);
  const saved = p.history;
  if (!Array.isArray(saved) || saved.length !== epoch) {
    throw malformed(`history must be an array of ${epoch} epoch records, got ${Array.isArray(saved) ? `${saved.length} records` : shown(saved)}`);
  }
  // A loop (never a spread: the array comes from the file) that copies each record's known fields.
  const history: EpochRecord[] = [];
  for (let i = 0; i < epoch; i++) {
    const record = saved[i] as Record<string, unknown> | null;
    if (record === null || typeof record !== 'object' || Array.isArray(record)) throw malformed(`history[${i}] must be an epoch record, got ${shown(record)}`);
    if (record.epoch !== i + 1) throw malformed(`history[${i}].epoch must be ${i + 1}, got ${shown(record.epoch)}`);
    if (record.steps !== (i + 1) * perEpoch) throw malformed(`history[${i}].steps must be ${(i + 1) * perEpoch}, got ${shown(record.steps)}`);
    for (const name of RECORD_NUMBERS) {
      if (typeof record[name] !== 'number') throw malformed(`history[${i}].${name} must be a number, got ${shown(record[name])}`);
    }
    history.push({
      epoch: i + 1,
      trainLoss: record.trainLoss as number,
      trainAccuracy: record.trainAccuracy as number,
      validationLoss: record.validationLoss as number,
      validationAccuracy: record.validationAccuracy as number,
      generalizationGap: record.generalizationGap as number,
      steps: (i + 1) * perEpoch,
      milliseconds: record.milliseconds as number,
    });
  }
  return { progress: { epoch, seed, random: random.getState(), n, batchSize, steps, bestLoss, bestEpoch, stale, history }, random };
}
