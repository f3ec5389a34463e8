/**
 * PyTorch checkpoints, both ways, as safetensors files:
 *
 * - a model's state_dict (`exportModelState` / `importModelState`): tensor names and layouts of the
 *   equivalent torch module, so that `module.load_state_dict(safetensors.torch.load_file(path))`
 *   takes it as it is;
 * - a training checkpoint (`saveTorchCheckpoint` / `loadTorchCheckpoint`): the model's tensors under
 *   `model.`, the optimizer's per-param state in torch.optim's layout under `optimizer.state.<i>.`
 *   (step, exp_avg, exp_avg_sq, momentum_buffer, …, with torch's names), and in the metadata the
 *   optimizer's class and its param_groups with torch's option names, and the lr scheduler's class
 *   and torch state_dict attributes (JSON). The Python module shipped in the package
 *   (`python/gradstep_torch.py`) turns such a file into torch's own state_dicts and back.
 *
 * Weights that gradstep stores transposed (the dense layers keep in × out; nn.Linear keeps out × in)
 * are transposed on the way out and in, and so is their optimizer state. Loading checks everything
 * before it writes anything: a refused file leaves the model and the optimizer as they were.
 */
import type { Optimizer, OptimizerStateDict } from '../optimizer.js';
import type { OneCycleLROptions } from '../schedulers/one-cycle-lr.js';
import type { SchedulerStateDict } from '../schedulers/scheduler-state-dict.js';
import { checkParam, type Param } from '../param.js';
import { decodeSafetensors, encodeSafetensors, tensorToFloat32, type Tensor } from '../safetensors.js';
import { checkInteger, checkOptionNames, describe } from '../validate.js';

/** A param with the name and shape it has in the equivalent torch module. */
export interface NamedParam {
  /** The state_dict key, e.g. '0.weight'. */
  readonly name: string;
  /** The param itself, holding the values in gradstep's layout. */
  readonly param: Param;
  /** The shape in torch (e.g. [out, in] for a linear layer's weight). */
  readonly shape: readonly number[];
  /** True when gradstep stores the values as the transpose of torch's 2-D layout. */
  readonly transposed: boolean;
}

/** A model with torch names for its params (the built-in models), or a list of named params. */
export type NamedParamSource =
  | {
      /** The params with their torch names, shapes and layouts (as the built-in models' namedParams()). */
      namedParams(): readonly NamedParam[];
    }
  | readonly Param[];

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
  /** The scheduler's state as plain data (as the schedulers' own stateDict()). */
  stateDict(): SchedulerStateDict;
  /** Restores a state from stateDict(). */
  loadStateDict(dict: SchedulerStateDict): void;
}

/** What a PyTorch-layout training checkpoint holds: the model, and optionally its optimizer and lr scheduler. */
export interface TorchCheckpointParts {
  /** The model (with namedParams()) or the named params the optimizer trains. */
  model: NamedParamSource;
  /** Its optimizer (optional): every param of it must be one of the model's. */
  optimizer?: Optimizer<object>;
  /**
   * Its lr scheduler (optional): StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR, LinearLR,
   * OneCycleLR (saved with its optimizer: torch keeps its max_lr, initial_lr, min_lr and momenta in
   * the param_groups), ReduceLROnPlateau, or a SequentialLR of the LRSchedulers among them: the ones
   * torch.optim.lr_scheduler has with the same state (others are refused).
   */
  scheduler?: CheckpointScheduler;
}

/** Most milestones (counted with repeats) a checkpoint's MultiStepLR may have. */
const MAX_MILESTONES = 10_000;

/**
 * gradstep's option names and torch's attributes, for the schedulers whose options torch keeps one for
 * one as attributes (besides last_epoch, _step_count, _last_lr and base_lrs).
 */
const TORCH_SCHEDULERS: Record<string, Record<string, string>> = {
  StepLR: { stepSize: 'step_size', gamma: 'gamma' },
  MultiStepLR: { milestones: 'milestones', gamma: 'gamma' },
  ExponentialLR: { gamma: 'gamma' },
  CosineAnnealingLR: { tMax: 'T_max', etaMin: 'eta_min' },
  LinearLR: { startFactor: 'start_factor', endFactor: 'end_factor', totalIters: 'total_iters' },
};

/** The schedulers a SequentialLR may run in a checkpoint (torch's LRSchedulers that gradstep has). */
const SEQUENCED = [...Object.keys(TORCH_SCHEDULERS), 'OneCycleLR'];

/** Every scheduler a checkpoint for PyTorch holds. */
const CHECKPOINT_SCHEDULERS = [...SEQUENCED, 'ReduceLROnPlateau', 'SequentialLR'];

/**
 * What torch's OneCycleLR keeps in each param group rather than in its own state (`initial_lr` too,
 * which every torch scheduler sets): bookkeeping of the scheduler, which the optimizer ignores.
 */
const ONE_CYCLE_GROUP_KEYS = new Set(['max_lr', 'min_lr', 'max_momentum', 'base_momentum']);

/** ReduceLROnPlateau's options that torch keeps as attributes of the same meaning. */
const PLATEAU_OPTIONS: Record<string, string> = {
  mode: 'mode',
  factor: 'factor',
  patience: 'patience',
  threshold: 'threshold',
  thresholdMode: 'threshold_mode',
  cooldown: 'cooldown',
  eps: 'eps',
};

function unsupportedScheduler(owner: string, name: string): TypeError {
  return new TypeError(`${owner}: checkpoints for PyTorch hold the schedulers ${CHECKPOINT_SCHEDULERS.join(', ')}, not ${name}`);
}


/**
 * torch's OneCycleLR._schedule_phases for these options, computed as torch computes them
 * (`float(pct_start * total_steps) - 1`, …), which is also how gradstep's OneCycleLR computes its phases.
 */
function oneCyclePhases(pctStart: number, totalSteps: number, threePhase: boolean): Record<string, number | string>[] {
  const phase = (end: number, lr: [string, string], momentum: [string, string]) => ({
    end_step: end,
    start_lr: `${lr[0]}_lr`,
    end_lr: `${lr[1]}_lr`,
    start_momentum: `${momentum[0]}_momentum`,
    end_momentum: `${momentum[1]}_momentum`,
  });
  if (threePhase) {
    return [
      phase(pctStart * totalSteps - 1, ['initial', 'max'], ['max', 'base']),
      phase(2 * pctStart * totalSteps - 2, ['max', 'initial'], ['base', 'max']),
      phase(totalSteps - 1, ['initial', 'min'], ['max', 'max']),
    ];
  }
  return [phase(pctStart * totalSteps - 1, ['initial', 'max'], ['max', 'base']), phase(totalSteps - 1, ['max', 'min'], ['base', 'max'])];
}

/** What the torch state of a scheduler needs besides its own attributes. */
interface SaveContext {
  owner: string;
  /** Whether the optimizer's groups have betas (torch's OneCycleLR `use_beta1`); undefined without an optimizer. */
  usesBetas: boolean | undefined;
  /** Per param group: the keys torch's OneCycleLR keeps there (initial_lr, max_lr, …), once a OneCycleLR has set them. */
  groupKeys: Record<string, number>[] | undefined;
  /** A SequentialLR's schedulers, by class. */
  sequence: string[] | undefined;
}

/** The fields every torch LRScheduler keeps (StepLR, …, OneCycleLR). */
function lrSchedulerFields(dict: SchedulerStateDict): Record<string, unknown> {
  return {
    last_epoch: dict.lastEpoch,
    // torch counts the constructor's step too (a SequentialLR's scheduler whose turn has not come has
    // taken it, then been set back to epoch -1).
    _step_count: Math.max(1, dict.lastEpoch + 1),
    _last_lr: dict.lastLr,
    base_lrs: dict.state.baseLrs,
  };
}

/** torch's `state_dict()` fields of a scheduler (those its load_state_dict needs to continue). */
function torchSchedulerState(context: SaveContext, dict: SchedulerStateDict): Record<string, unknown> {
  const { owner } = context;
  const groups = dict.lastLr.length;
  switch (dict.scheduler) {
    case 'SequentialLR': {
      const children = dict.state.schedulers as SchedulerStateDict[];
      const names = children.map((child) => child.scheduler);
      const other = names.find((name) => !SEQUENCED.includes(name));
      if (other !== undefined) throw new TypeError(`${owner}: a SequentialLR in a checkpoint for PyTorch runs ${SEQUENCED.join(', ')}, not ${other}`);
      context.sequence = names;
      return {
        last_epoch: dict.lastEpoch,
        _last_lr: dict.lastLr,
        _milestones: dict.options.milestones,
        _schedulers: children.map((child) => torchSchedulerState(context, child)),
      };
    }
    case 'ReduceLROnPlateau': {
      const o = dict.options;
      const state: Record<string, unknown> = { last_epoch: dict.lastEpoch, _last_lr: dict.lastLr };
      for (const [ours, theirs] of Object.entries(PLATEAU_OPTIONS)) state[theirs] = o[ours];
      // torch keeps a single min_lr as default_min_lr (for groups added later) and one per group.
      state.default_min_lr = Array.isArray(o.minLr) ? null : o.minLr;
      state.min_lrs = Array.isArray(o.minLr) ? o.minLr : new Array<unknown>(groups).fill(o.minLr);
      // JSON has no Infinity: ±Infinity as the strings gradstep's state dicts use (gradstep_torch.py reads them).
      state.mode_worse = o.mode === 'min' ? 'Infinity' : '-Infinity';
      state.best = dict.state.best;
      state.num_bad_epochs = dict.state.numBadEpochs;
      state.cooldown_counter = dict.state.cooldownCounter;
      return state;
    }
    case 'OneCycleLR': {
      const o = dict.options as unknown as OneCycleLROptions;
      if (context.usesBetas === undefined) {
        throw new TypeError(`${owner}: torch's OneCycleLR keeps max_lr, initial_lr, min_lr and the momenta in the optimizer's param_groups; save its optimizer with it`);
      }
      const state: Record<string, unknown> = {
        ...lrSchedulerFields(dict),
        total_steps: o.totalSteps,
        _schedule_phases: oneCyclePhases(o.pctStart, o.totalSteps, o.threePhase),
        _anneal_func_type: o.annealStrategy,
        cycle_momentum: o.cycleMomentum,
      };
      if (o.cycleMomentum) state.use_beta1 = context.usesBetas;
      const keys = o.maxLr.map((maxLr, g) => {
        const initial = maxLr / o.divFactor;
        const group: Record<string, number> = { initial_lr: initial, max_lr: maxLr, min_lr: initial / o.finalDivFactor };
        if (o.cycleMomentum) Object.assign(group, { max_momentum: o.maxMomentum[g], base_momentum: o.baseMomentum[g] });
        return group;
      });
      // torch's OneCycleLRs read these from the groups: two of them in a SequentialLR share one value.
      const known = context.groupKeys;
      if (known !== undefined) {
        keys.forEach((group, g) => {
          for (const [key, value] of Object.entries(group)) {
            if (Object.hasOwn(known[g], key) && known[g][key] !== value) {
              throw new RangeError(`${owner}: two OneCycleLRs set param group ${g}'s ${key} to ${known[g][key]} and ${value}; torch keeps one ${key} per param group`);
            }
          }
        });
      }
      context.groupKeys = keys.map((group, g) => ({ ...known?.[g], ...group }));
      return state;
    }
    default: {
      const names = TORCH_SCHEDULERS[dict.scheduler];
      if (names === undefined) throw unsupportedScheduler(owner, dict.scheduler);
      const state = lrSchedulerFields(dict);
      for (const [ours, theirs] of Object.entries(names)) {
        const value = dict.options[ours];
        // torch keeps MultiStepLR's milestones as a Counter: {milestone: how many times it is listed}.
        state[theirs] = ours === 'milestones' ? (value as number[]).reduce<Record<string, number>>((c, m) => ((c[m] = (c[m] ?? 0) + 1), c), {}) : value;
      }
      return state;
    }
  }
}

/** What reading a scheduler's torch state needs besides the state itself. */
interface LoadContext {
  owner: string;
  metadata: Record<string, string>;
  /** Whether the optimizer's groups have betas (for OneCycleLR's use_beta1); undefined if unknown. */
  usesBetas: boolean | undefined;
}

/**
 * Whether an optimizer's param groups have betas: torch's OneCycleLR then cycles betas[0] (its
 * use_beta1), else momentum. Undefined without an optimizer.
 */
function usesBetasOf(optimizer: unknown): boolean | undefined {
  const groups = (optimizer as { paramGroups?: unknown } | undefined)?.paramGroups;
  const first: unknown = Array.isArray(groups) ? groups[0] : undefined;
  return first !== null && typeof first === 'object' ? Array.isArray((first as { betas?: unknown }).betas) : undefined;
}

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

function parseMetadata(owner: string, metadata: Record<string, string>, key: string): unknown {
  try {
    return JSON.parse(metadata[key] ?? 'null');
  } catch {
    throw new TypeError(`${owner}: metadata ${key} is not JSON`);
  }
}

/** A field of a torch state that gradstep needs (a TypeError naming it when the file has none). */
function field(owner: string, where: string, state: Record<string, unknown>, key: string): unknown {
  if (!Object.hasOwn(state, key)) throw new TypeError(`${owner}: ${where} has no ${key}`);
  return state[key];
}

function finite(owner: string, where: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new TypeError(`${owner}: ${where} must be a finite number, got ${describe(value)}`);
  return value;
}

/**
 * The first candidate (finite, > 0) for which `fits` holds: a factor gradstep keeps once that torch
 * has multiplied out per group (OneCycleLR's divFactor in each group's initial_lr, …).
 */
function factorThatFits(candidates: readonly number[], fits: (factor: number) => boolean): number | undefined {
  return candidates.find((f) => Number.isFinite(f) && f > 0 && fits(f));
}

/** The gradstep state dict of `scheduler` that the checkpoint's torch state describes. */
function schedulerDictFrom(context: LoadContext, scheduler: CheckpointScheduler): SchedulerStateDict {
  const { owner, metadata } = context;
  const current = scheduler.stateDict();
  if (!CHECKPOINT_SCHEDULERS.includes(current.scheduler)) throw unsupportedScheduler(owner, current.scheduler);
  if (metadata['scheduler.class'] !== current.scheduler) {
    throw new TypeError(`${owner}: the checkpoint holds the state of ${metadata['scheduler.class'] === undefined ? 'no scheduler' : `torch's ${metadata['scheduler.class']}`}, not of ${current.scheduler}`);
  }
  const state = parseMetadata(owner, metadata, 'scheduler.state_dict');
  if (!isRecord(state)) throw new TypeError(`${owner}: metadata scheduler.state_dict must be an object`);
  // Checked by the scheduler's loadStateDict too, which changes nothing when it refuses.
  return schedulerFromTorch(context, current, state, 'scheduler.state_dict');
}

function schedulerFromTorch(context: LoadContext, current: SchedulerStateDict, state: Record<string, unknown>, where: string): SchedulerStateDict {
  const { owner } = context;
  const lastEpoch = field(owner, where, state, 'last_epoch') as number;
  const lastLr = field(owner, where, state, '_last_lr') as number[];
  const options: Record<string, unknown> = { ...current.options };
  const groups = current.lastLr.length;
  switch (current.scheduler) {
    case 'SequentialLR': {
      const children = current.state.schedulers as SchedulerStateDict[];
      const names = children.map((child) => child.scheduler);
      const listed = parseMetadata(owner, context.metadata, 'scheduler.schedulers');
      if (!Array.isArray(listed) || listed.length !== names.length || listed.some((name, i) => name !== names[i])) {
        const theirs = !Array.isArray(listed)
          ? `schedulers it does not name (metadata scheduler.schedulers ${describe(listed)})`
          : listed.length === names.length
            ? `[${listed.map(describe).join(', ')}]`
            : `${listed.length} schedulers`;
        throw new TypeError(`${owner}: the checkpoint's SequentialLR runs ${theirs}, this one [${names.join(', ')}]`);
      }
      const saved = field(owner, where, state, '_schedulers');
      if (!Array.isArray(saved) || saved.length !== children.length) {
        throw new TypeError(`${owner}: ${where}._schedulers must hold ${children.length} state dicts, got ${describe(saved)}`);
      }
      const dicts = children.map((child, i) => {
        const childState: unknown = saved[i];
        if (!isRecord(childState)) throw new TypeError(`${owner}: ${where}._schedulers[${i}] must be an object, got ${describe(childState)}`);
        if (!SEQUENCED.includes(child.scheduler)) throw unsupportedScheduler(owner, child.scheduler);
        return schedulerFromTorch(context, child, childState, `${where}._schedulers[${i}]`);
      });
      if (Object.hasOwn(state, '_milestones')) {
        const milestones = state._milestones;
        // Counted before SequentialLR's loadStateDict reads each one.
        if (Array.isArray(milestones) && milestones.length !== children.length - 1) {
          throw new RangeError(`${owner}: ${where}._milestones must hold ${children.length - 1} epochs (one fewer than the schedulers), got ${milestones.length}`);
        }
        options.milestones = milestones;
      }
      return { ...current, lastEpoch, lastLr, options, state: { ...current.state, schedulers: dicts } };
    }
    case 'ReduceLROnPlateau': {
      for (const [ours, theirs] of Object.entries(PLATEAU_OPTIONS)) if (Object.hasOwn(state, theirs)) options[ours] = state[theirs];
      const list = Object.hasOwn(state, 'min_lrs') ? state.min_lrs : undefined;
      if (list !== undefined && (!Array.isArray(list) || list.length !== groups)) {
        throw new RangeError(`${owner}: ${where}.min_lrs must hold one lr per param group (${groups}), got ${describe(list)}`);
      }
      const single = Object.hasOwn(state, 'default_min_lr') ? state.default_min_lr : undefined;
      if (single !== undefined && single !== null) {
        // torch reduces with min_lrs; default_min_lr only refills them for groups added later.
        if (list?.some((v) => v !== single)) {
          throw new RangeError(`${owner}: ${where}.min_lrs [${list.map(describe).join(', ')}] differ from its default_min_lr ${describe(single)}; gradstep's ReduceLROnPlateau has one minLr for every group or one per group, not both`);
        }
        options.minLr = single;
      } else if (list !== undefined) {
        options.minLr = [...list];
      } else if (single === null) {
        throw new TypeError(`${owner}: ${where} has default_min_lr None and no min_lrs`);
      }
      return {
        ...current,
        lastEpoch,
        lastLr,
        options,
        state: {
          ...current.state,
          // A number, or "Infinity"/"-Infinity" (no improvement yet), as gradstep's state dict keeps it.
          best: field(owner, where, state, 'best'),
          numBadEpochs: field(owner, where, state, 'num_bad_epochs'),
          cooldownCounter: field(owner, where, state, 'cooldown_counter'),
        },
      };
    }
    case 'OneCycleLR':
      return { ...current, lastEpoch, lastLr, options: oneCycleOptionsFrom(context, current, state, where), state: { ...current.state, baseLrs: field(owner, where, state, 'base_lrs') } };
    default: {
      const names = TORCH_SCHEDULERS[current.scheduler];
      if (names === undefined) throw unsupportedScheduler(owner, current.scheduler);
      for (const [ours, theirs] of Object.entries(names)) {
        if (!Object.hasOwn(state, theirs)) continue;
        const value = state[theirs];
        if (ours === 'milestones') {
          if (!isRecord(value)) throw new TypeError(`${owner}: scheduler milestones must be torch's Counter (an object), got ${describe(value)}`);
          // Bounded by what a schedule needs: MultiStepLR steps through its whole list every step.
          const counts = Object.entries(value);
          const total = counts.reduce((sum, [m, c]) => (/^(0|[1-9]\d{0,15})$/.test(m) && Number.isSafeInteger(c) && (c as number) >= 1 ? sum + (c as number) : Infinity), 0);
          if (!(total <= MAX_MILESTONES)) {
            throw new RangeError(`${owner}: scheduler milestones must be epochs (integers >= 0) counted at least once, ${MAX_MILESTONES} in all at most`);
          }
          options.milestones = counts.flatMap(([m, c]) => Array<number>(c as number).fill(Number(m))).sort((a, b) => a - b);
        } else {
          options[ours] = value;
        }
      }
      return { ...current, lastEpoch, lastLr, options, state: { ...current.state, baseLrs: field(owner, where, state, 'base_lrs') } };
    }
  }
}

/**
 * OneCycleLR's options from torch's state and the param_groups, where torch keeps each group's
 * max_lr, initial_lr (max_lr / div_factor), min_lr (initial_lr / final_div_factor) and momenta.
 * gradstep keeps one pctStart, divFactor and finalDivFactor: a file whose phases or groups no single
 * value reproduces exactly is refused.
 */
function oneCycleOptionsFrom(context: LoadContext, current: SchedulerStateDict, state: Record<string, unknown>, where: string): Record<string, unknown> {
  const { owner } = context;
  const o = current.options as unknown as OneCycleLROptions;
  const groups = current.lastLr.length;
  const totalSteps = Object.hasOwn(state, 'total_steps') ? checkInteger(owner, `${where}.total_steps`, state.total_steps, 1) : o.totalSteps;
  let { pctStart, threePhase } = o;
  if (Object.hasOwn(state, '_schedule_phases')) {
    const phases = state._schedule_phases;
    if (!Array.isArray(phases) || (phases.length !== 2 && phases.length !== 3)) {
      throw new TypeError(`${owner}: ${where}._schedule_phases must be torch's two or three phases, got ${describe(phases)}`);
    }
    threePhase = phases.length === 3;
    const standard = oneCyclePhases(o.pctStart, totalSteps, threePhase);
    const ends = phases.map((phase: unknown, i) => {
      const at = `${where}._schedule_phases[${i}]`;
      if (!isRecord(phase)) throw new TypeError(`${owner}: ${at} must be an object, got ${describe(phase)}`);
      for (const key of ['start_lr', 'end_lr', 'start_momentum', 'end_momentum']) {
        if (phase[key] !== standard[i][key]) {
          throw new RangeError(`${owner}: ${at}.${key} is ${describe(phase[key])}, where OneCycleLR has ${JSON.stringify(standard[i][key])}; gradstep cannot represent other phases`);
        }
      }
      return finite(owner, `${at}.end_step`, phase.end_step);
    });
    const fits = (p: number) => p >= 0 && p <= 1 && oneCyclePhases(p, totalSteps, threePhase).every((phase, i) => phase.end_step === ends[i]);
    const found = [o.pctStart, (ends[0] + 1) / totalSteps].find(fits);
    if (found === undefined) {
      throw new RangeError(`${owner}: ${where}._schedule_phases end at steps [${ends.join(', ')}], which no pctStart in [0, 1] gives for total_steps ${totalSteps}; gradstep computes the phases from pctStart`);
    }
    pctStart = found;
  }
  const cycleMomentum = Object.hasOwn(state, 'cycle_momentum') ? state.cycle_momentum : o.cycleMomentum;
  if (cycleMomentum === true && Object.hasOwn(state, 'use_beta1')) {
    const useBeta1 = state.use_beta1;
    if (typeof useBeta1 !== 'boolean') throw new TypeError(`${owner}: ${where}.use_beta1 must be true or false, got ${describe(useBeta1)}`);
    if (context.usesBetas !== undefined && useBeta1 !== context.usesBetas) {
      throw new RangeError(`${owner}: torch's OneCycleLR cycles ${useBeta1 ? 'betas[0]' : 'momentum'}, and the optimizer's groups have ${context.usesBetas ? 'betas' : 'a momentum'}`);
    }
  }

  // The per-group values torch keeps in the param groups.
  const torchGroups = parseMetadata(owner, context.metadata, 'optimizer.param_groups');
  if (!Array.isArray(torchGroups) || torchGroups.length !== groups) {
    throw new RangeError(`${owner}: torch's OneCycleLR keeps max_lr, initial_lr and min_lr in the optimizer's param_groups: the checkpoint must have ${groups} param groups, it has ${Array.isArray(torchGroups) ? torchGroups.length : 'none'}`);
  }
  const perGroup = (key: string) =>
    torchGroups.map((group: unknown, g) => finite(owner, `param_groups[${g}].${key}`, isRecord(group) ? field(owner, `param_groups[${g}]`, group, key) : undefined));
  const maxLr = perGroup('max_lr');
  const initial = perGroup('initial_lr');
  const min = perGroup('min_lr');
  const k = maxLr.findIndex((m, g) => m > 0 && initial[g] > 0);
  const divFactor = factorThatFits([o.divFactor, maxLr[k] / initial[k]], (d) => maxLr.every((m, g) => m / d === initial[g]));
  if (divFactor === undefined) {
    throw new RangeError(`${owner}: param_groups' initial_lr [${initial.join(', ')}] are not their max_lr [${maxLr.join(', ')}] divided by one divFactor; gradstep's OneCycleLR has one divFactor for all groups`);
  }
  const j = initial.findIndex((i, g) => i > 0 && min[g] > 0);
  const finalDivFactor = factorThatFits([o.finalDivFactor, initial[j] / min[j]], (f) => maxLr.every((m, g) => m / divFactor / f === min[g]));
  if (finalDivFactor === undefined) {
    throw new RangeError(`${owner}: param_groups' min_lr [${min.join(', ')}] are not their initial_lr [${initial.join(', ')}] divided by one finalDivFactor; gradstep's OneCycleLR has one finalDivFactor for all groups`);
  }
  return {
    ...o,
    maxLr,
    totalSteps,
    pctStart,
    threePhase,
    annealStrategy: Object.hasOwn(state, '_anneal_func_type') ? state._anneal_func_type : o.annealStrategy,
    cycleMomentum,
    divFactor,
    finalDivFactor,
    ...(cycleMomentum === true ? { maxMomentum: perGroup('max_momentum'), baseMomentum: perGroup('base_momentum') } : {}),
  };
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
  // The scheduler first: torch's OneCycleLR keeps part of its state in the optimizer's param groups.
  const context: SaveContext = { owner, usesBetas: undefined, groupKeys: undefined, sequence: undefined };
  if (parts.scheduler !== undefined) {
    const dict = parts.scheduler.stateDict();
    if (!CHECKPOINT_SCHEDULERS.includes(dict.scheduler)) throw unsupportedScheduler(owner, dict.scheduler);
    if (optimizer !== undefined && dict.lastLr.length !== optimizer.paramGroups.length) {
      throw new RangeError(`${owner}: the scheduler sets the lr of ${dict.lastLr.length} param groups, the optimizer has ${optimizer.paramGroups.length}`);
    }
    context.usesBetas = usesBetasOf(optimizer);
    const state = torchSchedulerState(context, dict);
    metadata['scheduler.class'] = dict.scheduler;
    metadata['scheduler.state_dict'] = JSON.stringify(state);
    if (context.sequence !== undefined) metadata['scheduler.schedulers'] = JSON.stringify(context.sequence);
  }
  if (optimizer !== undefined) {
    const dict = optimizer.stateDict({ encoding: 'float32' });
    const torchClass = torchClassOf(owner, dict.optimizer);
    const order = optimizerParams(owner, named, optimizer);
    const groups = dict.groups.map((group, g) => {
      const torchGroup: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(group.options)) {
        if (key === 'epsHat') {
          if (value === true) throw new RangeError(`${owner}: Adam's epsHat form (Keras') has no torch.optim equivalent`);
          continue;
        }
        torchGroup[camelToSnake(key)] = value;
      }
      Object.assign(torchGroup, context.groupKeys?.[g]);
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
  const usesBetas = usesBetasOf(optimizer ?? (scheduler as { optimizer?: unknown } | undefined)?.optimizer);
  const schedulerDict = scheduler === undefined ? null : schedulerDictFrom({ owner, metadata, usesBetas }, scheduler);
  // Everything is read and checked: commit. The scheduler first (loadStateDict refuses a bad dict
  // without changing anything, so a refusal there leaves the optimizer untouched too); the
  // optimizer's loadStateDict checks its dict again before it writes.
  const schedulerBefore = scheduler?.stateDict();
  // The scheduler or the optimizer refused the state the file describes (an option out of range, a
  // buffer its options need is missing): say so as the loader.
  const asLoader = (error: unknown) =>
    error instanceof TypeError || error instanceof RangeError ? new (error.constructor as ErrorConstructor)(`${owner}: ${error.message}`, { cause: error }) : error;
  try {
    if (scheduler !== undefined && schedulerDict !== null) scheduler.loadStateDict(schedulerDict);
  } catch (error) {
    throw asLoader(error);
  }
  try {
    if (optimizer !== undefined && optimizerDict !== null) optimizer.loadStateDict(optimizerDict);
  } catch (error) {
    if (scheduler !== undefined && schedulerBefore !== undefined) scheduler.loadStateDict(schedulerBefore);
    throw asLoader(error);
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
      if (TORCH_ONLY_KEYS.has(key) || ONE_CYCLE_GROUP_KEYS.has(key) || IMPLIED_TORCH_OPTIONS[torchClass]?.[key] === value) continue;
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
