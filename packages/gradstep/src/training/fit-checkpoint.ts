/**
 * fit()'s checkpoints: everything a run needs to continue bit-exactly, in one safetensors file. The
 * model's params (`param.<i>`), the best weights early stopping keeps (`best.<i>`) and the optimizer's
 * state buffers (`optimizer.<i>.<name>`) are tensors; the optimizer's other state (step count,
 * options, groups) and fit's own progress (epochs done, the seed of the batch order, early stopping's
 * counters, the history) are JSON in the metadata.
 */
import type { Optimizer, OptimizerStateDict } from '../optimizer.js';
import type { Param } from '../param.js';
import { decodeSafetensors, encodeSafetensors, tensorToFloat32, type Tensor } from '../safetensors.js';
import { describe } from '../validate.js';
import type { EpochRecord } from './fit.js';

const FORMAT = 'gradstep.fit-checkpoint';

/** fit()'s own progress after an epoch. */
export interface FitProgress {
  epoch: number;
  seed: number;
  steps: number;
  bestLoss: number;
  bestEpoch: number;
  stale: number;
  history: EpochRecord[];
}

/** JSON with NaN and ±Infinity kept (as strings), which the epoch records hold. */
const encodeNumbers = (_key: string, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? String(value) : value);
const decodeNumbers = (_key: string, value: unknown) => (value === 'NaN' || value === 'Infinity' || value === '-Infinity' ? Number(value) : value);

export function encodeFitCheckpoint(params: readonly Param[], best: readonly Float32Array[] | null, optimizer: Optimizer<object>, progress: FitProgress): Uint8Array {
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
    version: '1',
    optimizer: JSON.stringify({ ...dict, state }),
    fit: JSON.stringify(progress, encodeNumbers),
  };
  return encodeSafetensors(tensors, metadata);
}

export interface DecodedFitCheckpoint {
  values: Float32Array[];
  best: Float32Array[] | null;
  optimizer: OptimizerStateDict;
  progress: FitProgress;
}

/** Reads a checkpoint of fit() for `params`; throws (naming what does not fit) without changing anything. */
export function decodeFitCheckpoint(owner: string, bytes: unknown, params: readonly Param[]): DecodedFitCheckpoint {
  if (!(bytes instanceof Uint8Array || bytes instanceof ArrayBuffer)) throw new TypeError(`${owner}: resumeFrom must be the bytes of a checkpoint, got ${describe(bytes)}`);
  const { tensors, metadata } = decodeSafetensors(bytes);
  if (metadata.format !== FORMAT) throw new TypeError(`${owner}: resumeFrom is not a checkpoint of fit() (metadata format ${describe(metadata.format)})`);
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
  let progress: FitProgress;
  try {
    const saved = JSON.parse(metadata.optimizer ?? 'null') as Omit<OptimizerStateDict, 'state'> & { state: { length: number; buffers: string[] }[] };
    const state = saved.state.map((entry, i) => ({
      length: entry.length,
      buffers: Object.fromEntries(entry.buffers.map((name) => [name, read(`optimizer.${i}.${name}`, entry.length)])),
    }));
    optimizer = { ...saved, state };
    progress = JSON.parse(metadata.fit ?? 'null', decodeNumbers) as FitProgress;
  } catch (error) {
    if (error instanceof RangeError) throw error;
    throw new TypeError(`${owner}: the checkpoint's metadata is not fit()'s (${(error as Error).message})`);
  }
  const { epoch, seed, steps, bestEpoch, stale, history } = progress ?? ({} as FitProgress);
  const counts = [epoch, seed, steps, bestEpoch, stale];
  if (!counts.every((c) => Number.isSafeInteger(c) && c >= 0) || !Array.isArray(history) || history.length !== epoch || typeof progress.bestLoss !== 'number') {
    throw new TypeError(`${owner}: the checkpoint's fit progress is malformed`);
  }
  return { values, best, optimizer, progress };
}
