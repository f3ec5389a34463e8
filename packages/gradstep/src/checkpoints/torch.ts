/**
 * PyTorch checkpoints, both ways, as safetensors files:
 *
 * - a model's state_dict (`exportModelState` / `importModelState`): tensor names and layouts of the
 *   equivalent torch module, so that `module.load_state_dict(safetensors.torch.load_file(path))`
 *   takes it as it is;
 * - a training checkpoint (`saveTorchCheckpoint` / `loadTorchCheckpoint`): the model's tensors under
 *   `model.`, the optimizer's per-param state in torch.optim's layout under `optimizer.state.<i>.`
 *   (step, exp_avg, exp_avg_sq, momentum_buffer, …, with torch's names), and in the metadata the
 *   optimizer's class and its param_groups with torch's option names. The Python module shipped in
 *   the package (`python/gradstep_torch.py`) turns such a file into torch's own state_dicts and back.
 *
 * Weights that gradstep stores transposed (the dense layers keep in × out; nn.Linear keeps out × in)
 * are transposed on the way out and in, and so is their optimizer state. Loading checks everything
 * before it writes anything: a refused file leaves the model and the optimizer as they were.
 */
import type { Optimizer, OptimizerStateDict } from '../optimizer.js';
import type { SchedulerStateDict } from '../schedulers/scheduler-state-dict.js';
import { checkParam, type Param } from '../param.js';
import { decodeSafetensors, encodeSafetensors, tensorToFloat32, type Tensor } from '../safetensors.js';
import { checkOptionNames, describe } from '../validate.js';

/** A param with the name and shape it has in the equivalent torch module. */
export interface NamedParam {
  /** The state_dict key, e.g. '0.weight'. */
  readonly name: string;
  readonly param: Param;
  /** The shape in torch (e.g. [out, in] for a linear layer's weight). */
  readonly shape: readonly number[];
  /** True when gradstep stores the values as the transpose of torch's 2-D layout. */
  readonly transposed: boolean;
}

/** A model with torch names for its params (the built-in models), or a list of named params. */
export type NamedParamSource = { namedParams(): readonly NamedParam[] } | readonly Param[];

const FORMAT = 'gradstep.torch-checkpoint';

/**
 * The torch.optim class of each gradstep optimizer; Lion has none. gradstep's option names are
 * torch's in camelCase, and its state buffer names torch's state keys in camelCase.
 */
const TORCH_CLASSES: Record<string, string> = {
  SGD: 'SGD',
  Adagrad: 'Adagrad',
  Adadelta: 'Adadelta',
  RMSprop: 'RMSprop',
  Adam: 'Adam',
  AdamW: 'AdamW',
  Adamax: 'Adamax',
  NAdam: 'NAdam',
  RAdam: 'RAdam',
};

/** torch param_group options that a class implies (torch's AdamW is Adam with decoupled decay). */
const IMPLIED_TORCH_OPTIONS: Record<string, Record<string, unknown>> = { AdamW: { decoupled_weight_decay: true } };

/** torch param_group keys that do not change the arithmetic (implementation choices, bookkeeping). */
const TORCH_ONLY_KEYS = new Set(['params', 'param_names', 'foreach', 'capturable', 'differentiable', 'fused', 'initial_lr']);

const camelToSnake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const snakeToCamel = (name: string) => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** The named params of a model, or of a list of params (each named, names unique). */
export function namedParamsOf(owner: string, source: NamedParamSource): NamedParam[] {
  let named: readonly NamedParam[];
  if (Array.isArray(source)) {
    named = (source as readonly Param[]).map((param) => ({ name: param.name, param, shape: param.shape, transposed: false }));
  } else if (source !== null && typeof source === 'object' && typeof (source as { namedParams?: unknown }).namedParams === 'function') {
    named = (source as { namedParams(): readonly NamedParam[] }).namedParams();
  } else {
    throw new TypeError(`${owner}: model must be a model with namedParams() or an array of named params, got ${describe(source)}`);
  }
  const seen = new Set<string>();
  named.forEach((entry, i) => {
    const { name, shape, transposed } = (entry ?? {}) as Partial<NamedParam>;
    const param = checkParam(owner, `params[${i}]`, entry?.param);
    if (typeof name !== 'string' || name === '') throw new TypeError(`${owner}: param #${param.id} has no name; give params names with param(values, { name })`);
    if (seen.has(name)) throw new TypeError(`${owner}: two params are named ${JSON.stringify(name)}`);
    seen.add(name);
    const size = Array.isArray(shape) ? Array.from(shape).reduce((a: number, d) => (Number.isSafeInteger(d) && d >= 0 ? a * d : NaN), 1) : NaN;
    if (size !== param.length || (transposed && shape!.length !== 2)) {
      throw new RangeError(`${owner}: param ${JSON.stringify(name)} has ${param.length} values, which its shape ${describe(shape)}${transposed ? ' (2-D, transposed)' : ''} does not describe`);
    }
  });
  return [...named];
}

/** `values` (rows × cols, row-major) transposed into a new array (cols × rows). */
function transpose(values: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c];
  return out;
}

/** gradstep's layout of a named param's values to torch's. */
function toTorchLayout(named: NamedParam, values: Float32Array): Float32Array {
  // shape is torch's [out, in]; gradstep stores [in, out].
  return named.transposed ? transpose(values, named.shape[1], named.shape[0]) : values.slice();
}

function fromTorchLayout(named: NamedParam, values: Float32Array): Float32Array {
  return named.transposed ? transpose(values, named.shape[0], named.shape[1]) : values;
}

function f32(named: NamedParam, values: Float32Array): Tensor {
  return { dtype: 'F32', shape: [...named.shape], data: values };
}

/**
 * A model's weights as a safetensors file in the layout of the equivalent torch module's
 * state_dict: `module.load_state_dict(safetensors.torch.load_file(path))` loads it.
 */
export function exportModelState(model: NamedParamSource): Uint8Array {
  const tensors: Record<string, Tensor> = {};
  for (const named of namedParamsOf('exportModelState', model)) tensors[named.name] = f32(named, toTorchLayout(named, named.param.value));
  return encodeSafetensors(tensors, { format: 'pt' });
}

/** The float32 values (gradstep layout) of every named param, read from `tensors` under `prefix`. */
function readModelTensors(owner: string, named: readonly NamedParam[], tensors: Record<string, Tensor>, prefix: string): Float32Array[] {
  const expected = new Set(named.map((n) => prefix + n.name));
  const extra = Object.keys(tensors).filter((key) => key.startsWith(prefix) && !expected.has(key));
  if (extra.length > 0) throw new RangeError(`${owner}: the file has tensors the model does not: ${extra.map((k) => JSON.stringify(k)).join(', ')}`);
  return named.map((n) => {
    const tensor = Object.hasOwn(tensors, prefix + n.name) ? tensors[prefix + n.name] : undefined;
    if (tensor === undefined) throw new RangeError(`${owner}: the file has no tensor ${JSON.stringify(prefix + n.name)}`);
    if (tensor.shape.length !== n.shape.length || tensor.shape.some((d, i) => d !== n.shape[i])) {
      throw new RangeError(`${owner}: tensor ${JSON.stringify(prefix + n.name)} has shape [${tensor.shape.join(', ')}], the model's is [${n.shape.join(', ')}]`);
    }
    return fromTorchLayout(n, tensorToFloat32(tensor, prefix + n.name));
  });
}

/** Loads a model state written by exportModelState or by `safetensors.torch.save_file(module.state_dict())`. */
export function importModelState(model: NamedParamSource, bytes: Uint8Array | ArrayBuffer): void {
  const owner = 'importModelState';
  const named = namedParamsOf(owner, model);
  const values = readModelTensors(owner, named, decodeSafetensors(bytes).tensors, '');
  named.forEach((n, i) => n.param.value.set(values[i]));
}

/** A scheduler as the checkpoint sees it: gradstep's (StepLR, MultiStepLR, …) have these. */
export interface CheckpointScheduler {
  stateDict(): SchedulerStateDict;
  loadStateDict(dict: SchedulerStateDict): void;
}

export interface TorchCheckpointParts {
  /** The model (with namedParams()) or the named params the optimizer trains. */
  model: NamedParamSource;
  /** Its optimizer (optional): every param of it must be one of the model's. */
  optimizer?: Optimizer<object>;
  /**
   * Its lr scheduler (optional): StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR or LinearLR,
   * the ones torch.optim.lr_scheduler has with the same state (others are refused).
   */
  scheduler?: CheckpointScheduler;
}

/** Most milestones (counted with repeats) a checkpoint's MultiStepLR may have. */
const MAX_MILESTONES = 10_000;

/** gradstep's scheduler option names and torch's attributes, for the schedulers both have. */
const TORCH_SCHEDULERS: Record<string, Record<string, string>> = {
  StepLR: { stepSize: 'step_size', gamma: 'gamma' },
  MultiStepLR: { milestones: 'milestones', gamma: 'gamma' },
  ExponentialLR: { gamma: 'gamma' },
  CosineAnnealingLR: { tMax: 'T_max', etaMin: 'eta_min' },
  LinearLR: { startFactor: 'start_factor', endFactor: 'end_factor', totalIters: 'total_iters' },
};

/** torch's `state_dict()` fields of a scheduler (those that differ from a fresh one's). */
function torchSchedulerState(owner: string, scheduler: CheckpointScheduler): { name: string; state: Record<string, unknown> } {
  const dict = scheduler.stateDict();
  const names = TORCH_SCHEDULERS[dict.scheduler];
  if (names === undefined) throw new TypeError(`${owner}: checkpoints for PyTorch hold the schedulers ${Object.keys(TORCH_SCHEDULERS).join(', ')}, not ${dict.scheduler}`);
  const state: Record<string, unknown> = {
    last_epoch: dict.lastEpoch,
    // torch counts the constructor's step too.
    _step_count: dict.lastEpoch + 1,
    _last_lr: dict.lastLr,
    base_lrs: dict.state.baseLrs,
  };
  for (const [ours, theirs] of Object.entries(names)) {
    const value = dict.options[ours];
    // torch keeps MultiStepLR's milestones as a Counter: {milestone: how many times it is listed}.
    state[theirs] = ours === 'milestones' ? (value as number[]).reduce<Record<string, number>>((c, m) => ((c[m] = (c[m] ?? 0) + 1), c), {}) : value;
  }
  return { name: dict.scheduler, state };
}

/** The gradstep state dict of `scheduler` that torch's fields describe. */
function schedulerDictFrom(owner: string, metadata: Record<string, string>, scheduler: CheckpointScheduler): SchedulerStateDict {
  const current = scheduler.stateDict();
  const names = TORCH_SCHEDULERS[current.scheduler];
  if (names === undefined) throw new TypeError(`${owner}: checkpoints for PyTorch hold the schedulers ${Object.keys(TORCH_SCHEDULERS).join(', ')}, not ${current.scheduler}`);
  if (metadata['scheduler.class'] !== current.scheduler) {
    throw new TypeError(`${owner}: the checkpoint holds the state of ${metadata['scheduler.class'] === undefined ? 'no scheduler' : `torch's ${metadata['scheduler.class']}`}, not of ${current.scheduler}`);
  }
  let state: Record<string, unknown>;
  try {
    state = JSON.parse(metadata['scheduler.state_dict'] ?? 'null');
  } catch {
    throw new TypeError(`${owner}: metadata scheduler.state_dict is not JSON`);
  }
  if (state === null || typeof state !== 'object') throw new TypeError(`${owner}: metadata scheduler.state_dict must be an object`);
  const options: Record<string, unknown> = { ...current.options };
  for (const [ours, theirs] of Object.entries(names)) {
    if (!(theirs in state)) continue;
    const value = state[theirs];
    if (ours === 'milestones') {
      if (value === null || typeof value !== 'object') throw new TypeError(`${owner}: scheduler milestones must be torch's Counter (an object), got ${describe(value)}`);
      // Bounded by what a schedule needs: MultiStepLR steps through its whole list every step.
      const counts = Object.entries(value as Record<string, unknown>);
      const total = counts.reduce((sum, [m, c]) => (/^(0|[1-9]\d{0,15})$/.test(m) && Number.isSafeInteger(c) && (c as number) >= 1 ? sum + (c as number) : Infinity), 0);
      if (!(total <= MAX_MILESTONES)) {
        throw new RangeError(`${owner}: scheduler milestones must be epochs (integers >= 0) counted at least once, ${MAX_MILESTONES} in all at most`);
      }
      options.milestones = counts.flatMap(([m, c]) => Array<number>(c as number).fill(Number(m))).sort((a, b) => a - b);
    } else {
      options[ours] = value;
    }
  }
  // Checked by the scheduler's loadStateDict, which changes nothing when it refuses.
  return { ...current, lastEpoch: state.last_epoch as number, lastLr: state._last_lr as number[], options, state: { ...current.state, baseLrs: state.base_lrs } };
}

/** For each of the optimizer's params, its named param in the model. */
function optimizerParams(owner: string, named: readonly NamedParam[], optimizer: Optimizer<object>): NamedParam[] {
  return optimizer.params.map((p, i) => {
    const found = named.find((n) => n.param === p);
    if (found === undefined) throw new RangeError(`${owner}: the optimizer's params[${i}] (param #${p.id}) is not one of the model's params`);
    return found;
  });
}

/** The torch.optim class of a gradstep optimizer (named as its state dict records it). */
function torchClassOf(owner: string, name: string): string {
  const torchClass = TORCH_CLASSES[name];
  if (torchClass === undefined) throw new TypeError(`${owner}: torch.optim has no ${name}; checkpoints for PyTorch hold ${Object.keys(TORCH_CLASSES).join(', ')}`);
  return torchClass;
}

/**
 * A training checkpoint for PyTorch: the model's state_dict and the optimizer's state in
 * torch.optim's layout, in one safetensors file (see the module comment). In Python,
 * `gradstep_torch.load(path, model, optimizer)` resumes training where gradstep stopped.
 */
export function saveTorchCheckpoint(parts: TorchCheckpointParts): Uint8Array {
  const owner = 'saveTorchCheckpoint';
  checkOptionNames(owner, parts, ['model', 'optimizer', 'scheduler']);
  const named = namedParamsOf(owner, parts.model);
  const tensors: Record<string, Tensor> = {};
  const metadata: Record<string, string> = { format: FORMAT, version: '1' };
  for (const n of named) tensors[`model.${n.name}`] = f32(n, toTorchLayout(n, n.param.value));
  const { optimizer } = parts;
  if (optimizer !== undefined) {
    const dict = optimizer.stateDict({ encoding: 'float32' });
    const torchClass = torchClassOf(owner, dict.optimizer);
    const order = optimizerParams(owner, named, optimizer);
    const groups = dict.groups.map((group) => {
      const torchGroup: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(group.options)) {
        if (key === 'epsHat') {
          if (value === true) throw new RangeError(`${owner}: Adam's epsHat form (Keras') has no torch.optim equivalent`);
          continue;
        }
        torchGroup[camelToSnake(key)] = value;
      }
      torchGroup.params = group.params;
      return torchGroup;
    });
    metadata['optimizer.class'] = torchClass;
    metadata['optimizer.param_groups'] = JSON.stringify(groups);
    // torch keeps no SGD state until the first step creates the momentum buffer (its "first step").
    const hasState = dict.step > 0 || torchClass !== 'SGD';
    if (hasState) dict.state.forEach((entry, i) => {
      const n = order[i];
      // torch's SGD counts no steps and ignores this one; it keeps gradstep's count across a round trip.
      // F64: a float32 step would round counts past 2^24 (torch keeps the dtype of a CPU step).
      tensors[`optimizer.state.${i}.step`] = { dtype: 'F64', shape: [], data: Float64Array.of(dict.step) };
      const group = dict.groups.findIndex((g) => g.params.includes(i));
      if (torchClass === 'NAdam') tensors[`optimizer.state.${i}.mu_product`] = { dtype: 'F32', shape: [], data: Float32Array.of(dict.groups[group].state![0]) };
      for (const [name, buffer] of Object.entries(entry.buffers)) {
        tensors[`optimizer.state.${i}.${camelToSnake(name)}`] = f32(n, toTorchLayout(n, buffer as Float32Array));
      }
    });
  }
  if (parts.scheduler !== undefined) {
    const { name, state } = torchSchedulerState(owner, parts.scheduler);
    metadata['scheduler.class'] = name;
    metadata['scheduler.state_dict'] = JSON.stringify(state);
  }
  return encodeSafetensors(tensors, metadata);
}

/**
 * Loads a checkpoint written by saveTorchCheckpoint or by `gradstep_torch.save(path, model,
 * optimizer, scheduler)` in Python into the model and (when given) the optimizer, which must be of
 * the checkpoint's optimizer class over the same params in the same order, and the scheduler.
 * Options the file sets (param_groups) replace the optimizer's, as torch's load_state_dict does.
 * Nothing changes when the file is refused.
 */
export function loadTorchCheckpoint(bytes: Uint8Array | ArrayBuffer, parts: TorchCheckpointParts): void {
  const owner = 'loadTorchCheckpoint';
  checkOptionNames(owner, parts, ['model', 'optimizer', 'scheduler']);
  const named = namedParamsOf(owner, parts.model);
  const { tensors, metadata } = decodeSafetensors(bytes);
  if (metadata.format !== FORMAT) throw new TypeError(`${owner}: not a gradstep/PyTorch training checkpoint (metadata format ${describe(metadata.format)})`);
  if (metadata.version !== '1') throw new RangeError(`${owner}: checkpoint version ${describe(metadata.version)} is not one this gradstep reads (1)`);
  const values = readModelTensors(owner, named, tensors, 'model.');
  // Without an optimizer, only the weights are loaded (the optimizer's tensors are left alone).
  const { optimizer } = parts;
  const optimizerDict = optimizer === undefined ? null : optimizerDictFrom(owner, tensors, metadata, named, optimizer);
  const { scheduler } = parts;
  const schedulerDict = scheduler === undefined ? null : schedulerDictFrom(owner, metadata, scheduler);
  // Everything is read and checked: commit. The scheduler first (loadStateDict refuses a bad dict
  // without changing anything, so a refusal there leaves the optimizer untouched too); the
  // optimizer's loadStateDict checks its dict again before it writes.
  const schedulerBefore = scheduler?.stateDict();
  if (scheduler !== undefined && schedulerDict !== null) scheduler.loadStateDict(schedulerDict);
  try {
    if (optimizer !== undefined && optimizerDict !== null) optimizer.loadStateDict(optimizerDict);
  } catch (error) {
    if (scheduler !== undefined && schedulerBefore !== undefined) scheduler.loadStateDict(schedulerBefore);
    // The optimizer refused the state the file describes (a buffer its options need is missing, an
    // option out of range): say so as the loader.
    if (error instanceof TypeError || error instanceof RangeError) throw new (error.constructor as ErrorConstructor)(`${owner}: ${error.message}`, { cause: error });
    throw error;
  }
  named.forEach((n, i) => n.param.value.set(values[i]));
}

/** The gradstep state dict that the torch state in `tensors` and `metadata` describes. */
function optimizerDictFrom(owner: string, tensors: Record<string, Tensor>, metadata: Record<string, string>, named: readonly NamedParam[], optimizer: Optimizer<object>): OptimizerStateDict {
  const current = optimizer.stateDict({ encoding: 'float32' });
  const torchClass = torchClassOf(owner, current.optimizer);
  if (metadata['optimizer.class'] !== torchClass) {
    throw new TypeError(`${owner}: the checkpoint holds the state of torch.optim.${metadata['optimizer.class'] ?? '(none)'}, not of ${torchClass}`);
  }
  const order = optimizerParams(owner, named, optimizer);
  let torchGroups: unknown;
  try {
    torchGroups = JSON.parse(metadata['optimizer.param_groups'] ?? 'null');
  } catch {
    throw new TypeError(`${owner}: metadata optimizer.param_groups is not JSON`);
  }
  if (!Array.isArray(torchGroups) || torchGroups.length !== current.groups.length) {
    throw new RangeError(`${owner}: the checkpoint has ${Array.isArray(torchGroups) ? torchGroups.length : 'no'} param groups, the optimizer has ${current.groups.length}`);
  }
  const groups = current.groups.map((group, g) => {
    const torchGroup = torchGroups[g] as Record<string, unknown>;
    if (torchGroup === null || typeof torchGroup !== 'object' || JSON.stringify(torchGroup.params) !== JSON.stringify(group.params)) {
      throw new RangeError(`${owner}: param_groups[${g}] holds params ${describe(torchGroup?.params)}, the optimizer's group ${g} has [${group.params.join(', ')}]`);
    }
    if (group.options.epsHat === true) throw new RangeError(`${owner}: the optimizer's group ${g} uses Adam's epsHat form (Keras'), which torch.optim's state does not describe`);
    const options: Record<string, unknown> = { ...group.options };
    for (const [key, value] of Object.entries(torchGroup)) {
      if (TORCH_ONLY_KEYS.has(key) || IMPLIED_TORCH_OPTIONS[torchClass]?.[key] === value) continue;
      const camel = snakeToCamel(key);
      if (Object.hasOwn(options, camel) && camel !== 'epsHat') options[camel] = value;
      else if (value !== false && value !== null && value !== 0) {
        throw new RangeError(`${owner}: param_groups[${g}].${key} = ${describe(value)} has no equivalent in gradstep's ${current.optimizer}`);
      }
    }
    return { options, params: group.params };
  });
  // Every optimizer tensor, by param: `optimizer.state.<i>.<key>` with a key torch.optim uses for
  // this class; anything else in the file is refused, not ignored.
  const bufferNames = new Map(optimizer.stateBufferNames.map((name) => [camelToSnake(name), name]));
  const byParam = order.map(() => new Map<string, Tensor>());
  for (const [key, tensor] of Object.entries(tensors)) {
    if (key.startsWith('model.')) continue;
    const match = /^optimizer\.state\.(0|[1-9]\d{0,8})\.([a-z_]+)$/.exec(key);
    const index = match === null ? -1 : Number(match[1]);
    const known = match !== null && (match[2] === 'step' || (match[2] === 'mu_product' && torchClass === 'NAdam') || bufferNames.has(match[2]));
    if (index < 0 || index >= order.length || !known) {
      throw new RangeError(`${owner}: the checkpoint's tensor ${JSON.stringify(key)} is not model state or ${torchClass} state of one of the optimizer's ${order.length} params`);
    }
    byParam[index].set(match![2], tensor);
  }
  /** A one-value tensor read exactly (F64 and I64 too: a step count may exceed float32's 2^24). */
  const scalar = (i: number, name: string): number | undefined => {
    const tensor = byParam[i].get(name);
    if (tensor === undefined) return undefined;
    const where = `optimizer.state.${i}.${name}`;
    if (tensor.data.length !== 1) throw new RangeError(`${owner}: tensor ${JSON.stringify(where)} must hold one value, got ${tensor.data.length}`);
    const value = tensor.dtype === 'F64' || tensor.dtype === 'F32' ? (tensor.data[0] as number) : tensor.dtype === 'I64' ? Number(tensor.data[0] as bigint) : tensorToFloat32(tensor, where)[0];
    return value;
  };
  const steps = order.map((_, i) => scalar(i, 'step'));
  const hasState = byParam.map((entries) => entries.size > 0);
  const known = steps.filter((s): s is number => s !== undefined);
  // torch's own SGD files have no step: a momentum buffer means the first step is behind it.
  const step = known.length > 0 ? known[0] : torchClass === 'SGD' && hasState.some(Boolean) ? 1 : 0;
  if (known.some((s) => s !== step) || (known.length > 0 && known.length !== steps.length)) {
    throw new RangeError(`${owner}: the params' step counts differ (${steps.map((s) => s ?? 'none').join(', ')}); gradstep keeps one step count per optimizer`);
  }
  if (!hasState.every((h) => h === hasState[0])) {
    // torch's SGD starts a missing momentum buffer at the gradient; gradstep's one step count cannot
    // say "first step" for some params only. Equal only without dampening.
    const dampened = groups.some((g) => Number(g.options.dampening ?? 0) !== 0);
    if (torchClass !== 'SGD' || dampened) throw new RangeError(`${owner}: some params have optimizer state and others none; gradstep keeps one step count for all`);
  }
  if (!Number.isSafeInteger(step) || step < 0) throw new RangeError(`${owner}: step must be an integer >= 0, got ${step}`);
  const state = current.state.map((entry, i) => {
    const n = order[i];
    const buffers: Record<string, Float32Array> = {};
    for (const [torchName, name] of bufferNames) {
      const key = `optimizer.state.${i}.${torchName}`;
      const tensor = byParam[i].get(torchName);
      if (tensor === undefined) {
        // A param torch has not stepped yet: the state gradstep starts from (loadStateDict takes the
        // buffers the file's options use, and says which one is missing if a stepped param lacks it).
        if (!hasState[i]) buffers[name] = new Float32Array(entry.length).fill(name === 'sum' ? Number(groups.find((g) => g.params.includes(i))!.options.initialAccumulatorValue) : 0);
        continue;
      }
      if (tensor.shape.join() !== n.shape.join()) {
        throw new RangeError(`${owner}: tensor ${JSON.stringify(key)} has shape [${tensor.shape.join(', ')}], its param's is [${n.shape.join(', ')}]`);
      }
      buffers[name] = fromTorchLayout(n, tensorToFloat32(tensor, key));
    }
    return { length: entry.length, buffers };
  });
  return {
    format: 'gradstep.optimizer',
    version: 1,
    optimizer: current.optimizer,
    step,
    groups: groups.map(({ options, params }) => {
      const product = torchClass === 'NAdam' ? scalar(params[0], 'mu_product') : undefined;
      return product === undefined ? { options, params } : { options, params, state: [product] };
    }),
    state,
  };
}
