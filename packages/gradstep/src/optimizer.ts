/**
 * What every optimizer shares: parameter checks, state allocation on the params' backend, the step
 * (scalars computed once per step here, then one backend call for all tensors), zeroGrad, state
 * dicts and disposal. Each optimizer file adds its options, flags and per-step scalars.
 */
import type { Backend, BackendName, Float32Block, StepProgram } from './backend.js';
import { backendNamed } from './backends.js';
import { SCALARS, usedState, type KernelId } from './kernels.js';
import { checkParamList, disposeSymbol, Param } from './param.js';
import { checkEncoding, decodeBufferInto, encodeBuffer, type EncodedBuffer, type StateEncoding } from './state-dict.js';
import { describe } from './validate.js';

/**
 * Plain data: survives structuredClone, and JSON.stringify/parse with the default base64 encoding.
 */
export interface OptimizerStateDict {
  /** Marks the object as a gradstep optimizer state dict; loading checks it. */
  format: 'gradstep.optimizer';
  /** The layout's version; loading refuses any other. */
  version: 1;
  /** The optimizer class, e.g. 'Adam'; loading into another class throws. */
  optimizer: string;
  /** Steps taken so far (t in the bias corrections). */
  step: number;
  /**
   * Each parameter group's options and the positions (in `optimizer.params`) of its params. Loading
   * restores the options, as PyTorch restores param_groups.
   */
  groups: {
    /** The group's resolved options (defaults filled in), as JSON-safe data. */
    options: Record<string, unknown>;
    /** Positions of the group's params in `optimizer.params` (and in `state`). */
    params: number[];
    /** The group's running scalars (NAdam's μ product); absent for optimizers without any. */
    state?: number[];
  }[];
  /**
   * Per param, in order: its length and each state buffer, as base64 of the little-endian float32
   * bytes (default) or as a Float32Array (`stateDict({ encoding: 'float32' })`). Either loads.
   */
  state: {
    /** The param's length (number of float32 values); loading checks it against the param. */
    length: number;
    /** Each state buffer the options use, by PyTorch's name in camelCase (e.g. expAvg, expAvgSq). */
    buffers: Record<string, EncodedBuffer>;
  }[];
}

/** A parameter group as given to an optimizer: its params and the options that differ from the defaults. */
export type ParamGroupInput<Options> = {
  /** The group's params (at least one); a param belongs to one group only. */
  params: Param[];
} & Partial<Options>;

/**
 * A parameter group of an optimizer: its params and its options, which may be assigned between steps
 * (`opt.paramGroups[0].lr = 1e-4`, as PyTorch's param_groups). An assignment is validated like the
 * constructor's options; options that decide which state buffers exist (SGD's and RMSprop's momentum
 * switching between zero and non-zero, RMSprop's centered, Adam's amsgrad) cannot change after
 * construction.
 */
export type ParamGroup<Options> = {
  /** The group's params, in order (frozen). */
  readonly params: readonly Param[];
} & Options;

/** How an optimizer class describes itself to the shared machinery. */
export interface OptimizerSpec<Options> {
  name: string;
  kernel: KernelId;
  /** Names of the three state slots in state dicts (PyTorch's names, camelCased). */
  stateNames: readonly [string, string, string];
  /** Validates user options (unknown names, types, ranges) and fills in the defaults. */
  resolve(options: unknown): Options;
  /** The flags that follow from the options alone. */
  flags(options: Options): number;
  /**
   * Writes the per-step scalars of step `t` (1-based) at `s[o …]` and returns the flags for this
   * step. `groupState` holds the group's running scalars (see `groupState`), which it may advance.
   */
  prepare(options: Options, t: number, s: Float32Array, o: number, groupState: Float64Array): number;
  /**
   * Running scalars kept per parameter group across steps (NAdam's μ product), and their value
   * after `t` steps of `options` (for a new optimizer, t = 0). Saved in state dicts.
   */
  groupState?: { size: number; range: readonly [number, number]; after(options: Options, t: number): number[] };
  /** The value a state slot starts at (Adagrad's initialAccumulatorValue); default 0. */
  initialState?(options: Options, slot: number): number;
}

const finalizer = new FinalizationRegistry<{ release(): void }>((held) => held.release());

interface Group<Options> {
  params: Param[];
  options: Options;
}

/**
 * The base class of every optimizer (SGD, Adam, …): parameter groups, step(), zeroGrad(), state
 * dicts and dispose(). Its state lives on the params' backend; dispose() frees it (or `using`).
 */
export abstract class Optimizer<Options extends object> {
  /** Every param this optimizer updates, in order (group by group). */
  readonly params: readonly Param[];
  /** The parameter groups; their options may be changed between steps (see ParamGroup). */
  readonly paramGroups: readonly ParamGroup<Options>[];
  /** The backend of the params (all on one), where the optimizer's state lives and its steps run. */
  readonly backend: BackendName;
  private readonly defaults: Options;
  private readonly groups: Group<Options>[];
  /** Group index of each param. */
  private readonly groupOf: Uint32Array;
  private taken = 0;
  private readonly scalars: Float32Array;
  private readonly flags: Uint32Array;
  private readonly groupStates: Float64Array[];
  private readonly owner: Backend;
  // Everything the optimizer allocated, in one object so that the finalizer can free it.
  private memory: { state: (Float32Block | null)[][]; program: StepProgram | null; release(): void } | null;

  /**
   * @param params an array of params, or an array of parameter groups `{ params, ...options }` whose
   *   options override `options` for their params (PyTorch's param groups).
   * @param options the defaults of every group.
   */
  protected constructor(
    private readonly spec: OptimizerSpec<Options>,
    params: unknown,
    options: unknown,
  ) {
    this.defaults = spec.resolve(options);
    this.groups = checkGroups(spec, params, options as Record<string, unknown> | undefined);
    this.params = this.groups.flatMap((g) => g.params);
    checkParamList(spec.name, this.params);
    this.groupOf = Uint32Array.from(this.groups.flatMap((g, i) => g.params.map(() => i)));
    this.backend = this.params[0].backend;
    this.owner = backendNamed(this.backend, `${spec.name}: params[0].backend`);
    this.scalars = new Float32Array(SCALARS * this.groups.length);
    this.flags = new Uint32Array(this.groups.length);
    this.paramGroups = this.groups.map((group, i) => groupView(spec, group, i));
    this.groupStates = this.groups.map((g) => Float64Array.from(spec.groupState?.after(g.options, 0) ?? []));
    this.memory = {
      state: [],
      program: null,
      release() {
        this.program?.free();
        for (const slots of this.state) for (const block of slots) block?.free();
        this.program = null;
        this.state = [];
      },
    };
    this.allocateState();
    finalizer.register(this, this.memory, this);
  }

  /** @internal The names of every state buffer this optimizer class can keep (checkpoints fill them in). */
  get stateBufferNames(): readonly string[] {
    return this.spec.stateNames.filter((name) => name !== '');
  }

  /** The default options (defaults filled in) that groups without their own values use. */
  get options(): Readonly<Options> {
    return { ...this.defaults };
  }

  /**
   * The learning rate of every group: reading it with groups of different rates throws (read
   * `paramGroups[i].lr`); assigning it sets every group's.
   */
  get lr(): number {
    const lr = (this.groups[0].options as { lr: number }).lr;
    if (this.groups.some((g) => (g.options as { lr: number }).lr !== lr)) {
      throw new RangeError(`${this.spec.name}.lr: the parameter groups have different learning rates; read paramGroups[i].lr`);
    }
    return lr;
  }

  /** Sets every group's learning rate, validated like the constructor's `lr`. */
  set lr(value: number) {
    const resolved = this.groups.map((g) => this.spec.resolve({ ...g.options, lr: value }));
    this.groups.forEach((g, i) => (g.options = resolved[i]));
  }

  /** Steps taken so far. */
  get stepCount(): number {
    return this.taken;
  }

  /** Updates every param from its current gradient: one backend call for all of them, whatever the groups. */
  step(): void {
    const memory = this.alive();
    for (const p of this.params) if (p.disposed) throw new Error(`${this.spec.name}.step(): param #${p.id} was disposed`);
    const t = this.taken + 1;
    // Past 2^53 − 1 the count would stop advancing (and its state dict could not be loaded back).
    if (!Number.isSafeInteger(t)) throw new RangeError(`${this.spec.name}.step(): the step count is at its limit (${this.taken})`);
    for (let g = 0; g < this.groups.length; g++) {
      this.flags[g] = this.spec.prepare(this.groups[g].options, t, this.scalars, g * SCALARS, this.groupStates[g]);
    }
    memory.program!.run(this.flags, this.scalars);
    this.taken = t;
  }

  /** Sets every param's gradient to zero. */
  zeroGrad(): void {
    this.alive();
    for (const p of this.params) p.grad.fill(0);
  }

  /**
   * The optimizer's state as plain data (see OptimizerStateDict), every buffer copied. `encoding`:
   * 'base64' (default; JSON-safe, buffers up to 2^26 values) or 'float32' (Float32Array copies: no
   * encoding, any size, for structuredClone, postMessage or binary files).
   */
  stateDict(options?: { encoding?: StateEncoding }): OptimizerStateDict {
    const memory = this.alive();
    const encoding = checkEncoding(`${this.spec.name}.stateDict`, options);
    let position = 0;
    return {
      format: 'gradstep.optimizer',
      version: 1,
      optimizer: this.spec.name,
      step: this.taken,
      groups: this.groups.map((g, i) => ({
        options: JSON.parse(JSON.stringify(g.options)) as Record<string, unknown>,
        params: g.params.map(() => position++),
        ...(this.groupStates[i].length > 0 ? { state: Array.from(this.groupStates[i]) } : {}),
      })),
      state: this.params.map((p, i) => {
        const buffers: Record<string, EncodedBuffer> = {};
        memory.state[i].forEach((block, slot) => {
          const name = this.spec.stateNames[slot];
          if (block !== null) buffers[name] = encodeBuffer(block.view(), encoding, `${this.spec.name}.stateDict(): state[${i}].buffers.${name}`);
        });
        return { length: p.length, buffers };
      }),
    };
  }

  /**
   * Restores a state dict saved by stateDict() of the same optimizer class over params of the same
   * lengths in the same groups, on either backend; training then continues bit-identically. Restores
   * the saved options of every group.
   */
  loadStateDict(dict: OptimizerStateDict): void {
    this.alive();
    const where = `${this.spec.name}.loadStateDict(dict)`;
    if (dict === null || typeof dict !== 'object') throw new TypeError(`${where}: dict must be a state dict, got ${describe(dict)}`);
    if (dict.format !== 'gradstep.optimizer' || dict.version !== 1) {
      throw new TypeError(`${where}: not a gradstep optimizer state dict (format ${describe(dict.format)}, version ${describe(dict.version)})`);
    }
    if (dict.optimizer !== this.spec.name) {
      throw new TypeError(`${where}: the dict holds the state of ${describe(dict.optimizer)}, not of ${this.spec.name}`);
    }
    if (!Number.isSafeInteger(dict.step) || dict.step < 0) throw new RangeError(`${where}: dict.step must be an integer >= 0, got ${describe(dict.step)}`);
    if (!Array.isArray(dict.state) || dict.state.length !== this.params.length) {
      throw new RangeError(`${where}: the dict has state for ${describe(Array.isArray(dict.state) ? dict.state.length : dict.state)} params, this optimizer has ${this.params.length}`);
    }
    if (!Array.isArray(dict.groups) || dict.groups.length !== this.groups.length) {
      throw new RangeError(`${where}: the dict has ${describe(Array.isArray(dict.groups) ? dict.groups.length : dict.groups)} parameter groups, this optimizer has ${this.groups.length}`);
    }
    // Array.from, not map: map skips the holes of a sparse array (which structuredClone keeps).
    let position = 0;
    const options = Array.from(dict.groups, (saved, g) => {
      const expected = this.groups[g].params.map(() => position++);
      if (saved === null || typeof saved !== 'object' || !sameIndices(saved.params, expected)) {
        throw new RangeError(`${where}: dict.groups[${g}] holds params ${describe(saved?.params)}, this optimizer's group ${g} has params [${expected.join(', ')}]`);
      }
      if (!isPlainObject(saved.options)) throw new TypeError(`${where}: dict.groups[${g}].options must be an object of options, got ${describe(saved.options)}`);
      return this.spec.resolve(saved.options);
    });
    const groupStates = Array.from(dict.groups, (saved, g) => {
      const groupState = this.spec.groupState;
      if (groupState === undefined) return new Float64Array(0);
      if (saved.state === undefined) return Float64Array.from(groupState.after(options[g], dict.step));
      const [min, max] = groupState.range;
      const valid = Array.isArray(saved.state) && saved.state.length === groupState.size && Array.from(saved.state).every((x) => typeof x === 'number' && x >= min && x <= max);
      if (!valid) throw new TypeError(`${where}: dict.groups[${g}].state must be ${groupState.size} numbers from ${min} to ${max}, got ${describe(saved.state)}`);
      return Float64Array.from(saved.state);
    });
    // Decode everything before touching the optimizer, so that a bad dict leaves it unchanged.
    const decoded = Array.from(dict.state, (entry, i) => {
      const length = this.params[i].length;
      if (entry === null || typeof entry !== 'object' || entry.length !== length) {
        throw new RangeError(`${where}: dict.state[${i}] is for a param of length ${describe(entry?.length)}, params[${i}] has length ${length}`);
      }
      const used = usedState(this.spec.kernel, this.spec.flags(options[this.groupOf[i]]));
      return used.map((isUsed, slot) => {
        if (!isUsed) return null;
        const name = this.spec.stateNames[slot];
        const values = new Float32Array(length);
        if (!decodeBufferInto(entry.buffers?.[name], values)) {
          throw new TypeError(`${where}: dict.state[${i}].buffers.${name} is missing or not ${length} float32 values (base64 or a Float32Array)`);
        }
        return values;
      });
    });
    // Allocate for the restored options before committing anything: if memory runs out, the
    // optimizer keeps its options and state.
    this.allocateState(options);
    this.groups.forEach((g, i) => (g.options = options[i]));
    const memory = this.memory!;
    decoded.forEach((slots, i) => slots.forEach((values, slot) => values && memory.state[i][slot]!.view().set(values)));
    groupStates.forEach((state, g) => this.groupStates[g].set(state));
    this.taken = dict.step;
  }

  /** Whether dispose() was called (the state is freed and the optimizer unusable). */
  get disposed(): boolean {
    return this.memory === null;
  }

  /** Frees the optimizer's state (not the params). Using it afterwards throws; a second call does nothing. */
  dispose(): void {
    if (this.memory === null) return;
    finalizer.unregister(this);
    this.memory.release();
    this.memory = null;
  }

  /** dispose(), for `using opt = new Adam(…)`. */
  [disposeSymbol](): void {
    this.dispose();
  }

  private alive() {
    if (this.memory === null) throw new Error(`gradstep: this ${this.spec.name} optimizer was disposed`);
    return this.memory;
  }

  /**
   * Allocates the state slots that each group's options (by default the current ones) use, at their
   * initial values, and the step program, then frees the previous ones: on failure nothing changes.
   */
  private allocateState(options: readonly Options[] = this.groups.map((g) => g.options)): void {
    const memory = this.memory!;
    const state: (Float32Block | null)[][] = [];
    let program: StepProgram | null = null;
    try {
      this.params.forEach((p, i) => {
        const groupOptions = options[this.groupOf[i]];
        const used = usedState(this.spec.kernel, this.spec.flags(groupOptions));
        const slots: (Float32Block | null)[] = [null, null, null];
        state.push(slots);
        used.forEach((isUsed, slot) => {
          if (!isUsed) return;
          const block = this.owner.allocate(p.length);
          slots[slot] = block;
          const initial = this.spec.initialState?.(groupOptions, slot) ?? 0;
          if (initial !== 0) block.view().fill(initial);
        });
      });
      program = this.owner.prepareStep(
        this.spec.kernel,
        this.params.map((p, i) => {
          const { value, grad } = p.memory();
          const [s0, s1, s2] = state[i];
          return { value, grad, state: [s0, s1, s2] as const, group: this.groupOf[i] };
        }),
        this.groups.length,
      );
    } catch (error) {
      for (const slots of state) for (const block of slots) block?.free();
      throw error;
    }
    memory.release();
    memory.state = state;
    memory.program = program;
    this.taken = 0;
  }
}

/** `value` is an array holding exactly `expected` (holes and non-numbers are not). */
function sameIndices(value: unknown, expected: readonly number[]): boolean {
  if (!Array.isArray(value) || value.length !== expected.length) return false;
  for (let i = 0; i < expected.length; i++) if (value[i] !== expected[i]) return false;
  return true;
}

/** A plain object (not null, an array, a Map, a Date…): what option objects and dicts are. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Reads `params` as a list of params or of parameter groups, each group's options resolved over the defaults. */
function checkGroups<Options>(spec: OptimizerSpec<Options>, params: unknown, defaults: Record<string, unknown> | undefined): Group<Options>[] {
  const owner = spec.name;
  if (!Array.isArray(params)) throw new TypeError(`${owner}: params must be an array of params or of parameter groups, got ${describe(params)}`);
  if (params.length === 0) throw new RangeError(`${owner}: params is an empty array (an optimizer needs at least one param)`);
  const isGroup = (x: unknown) => x !== null && typeof x === 'object' && !(x instanceof Param) && 'params' in (x as object);
  if (!params.some(isGroup)) return [{ params: params as Param[], options: spec.resolve(defaults) }];
  return params.map((group: unknown, g) => {
    if (!isGroup(group)) throw new TypeError(`${owner}: params[${g}] must be a parameter group { params, ...options } like the others, got ${describe(group)}`);
    const { params: groupParams, ...overrides } = group as { params: unknown };
    if (!Array.isArray(groupParams) || groupParams.length === 0) {
      throw new TypeError(`${owner}: params[${g}].params must be a non-empty array of params, got ${describe(groupParams)}`);
    }
    return { params: groupParams as Param[], options: spec.resolve({ ...defaults, ...overrides }) };
  });
}

/** The public view of a group: `params` and one validated accessor per option. */
function groupView<Options extends object>(spec: OptimizerSpec<Options>, group: Group<Options>, index: number): ParamGroup<Options> {
  const view = {} as ParamGroup<Options>;
  Object.defineProperty(view, 'params', { value: Object.freeze([...group.params]), enumerable: true });
  for (const key of Object.keys(group.options)) {
    Object.defineProperty(view, key, {
      enumerable: true,
      get: () => {
        const value = (group.options as Record<string, unknown>)[key];
        // A frozen copy: `group.betas[0] = x` then throws instead of changing nothing (assign the array).
        return Array.isArray(value) ? Object.freeze([...value]) : value;
      },
      set: (value: unknown) => {
        const next = spec.resolve({ ...group.options, [key]: value });
        const before = usedState(spec.kernel, spec.flags(group.options));
        const after = usedState(spec.kernel, spec.flags(next));
        if (before.some((used, slot) => used !== after[slot])) {
          throw new TypeError(`${spec.name}: paramGroups[${index}].${key} = ${describe(value)} would change which state buffers exist; create a new optimizer instead`);
        }
        group.options = next;
      },
    });
  }
  return Object.seal(view);
}
