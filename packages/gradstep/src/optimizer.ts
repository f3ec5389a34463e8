/**
 * What every optimizer shares: parameter checks, state allocation on the params' backend, the step
 * (scalars computed once per step here, then one backend call for all tensors), zeroGrad, state
 * dicts and disposal. Each optimizer file adds its options, flags and per-step scalars.
 */
import type { Backend, BackendName, Float32Block, StepProgram } from './backend.js';
import { backendNamed } from './backends.js';
import { SCALARS, usedState, type KernelId } from './kernels.js';
import { Param } from './param.js';
import { decodeFloat32Into, encodeFloat32 } from './state-dict.js';
import { describe } from './validate.js';

/** Plain data: survives JSON.stringify/parse and structuredClone. */
export interface OptimizerStateDict {
  format: 'gradstep.optimizer';
  version: 1;
  /** The optimizer class, e.g. 'Adam'; loading into another class throws. */
  optimizer: string;
  /** Steps taken so far (t in the bias corrections). */
  step: number;
  /** The optimizer's options when saved; loading restores them, as PyTorch restores param_groups. */
  options: Record<string, unknown>;
  /** Per param, in order: its length and each state buffer (base64 of little-endian float32). */
  state: { length: number; buffers: Record<string, string> }[];
}

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
  /** Writes the per-step scalars of step `t` (1-based) and returns the flags for this step. */
  prepare(options: Options, t: number, scalars: Float32Array): number;
  /** The value a state slot starts at (Adagrad's initialAccumulatorValue); default 0. */
  initialState?(options: Options, slot: number): number;
}

const disposeSymbol: typeof Symbol.dispose = Symbol.dispose ?? Symbol.for('Symbol.dispose');

const finalizer = new FinalizationRegistry<{ release(): void }>((held) => held.release());

export abstract class Optimizer<Options extends object> {
  /** The params this optimizer updates, in order. */
  readonly params: readonly Param[];
  readonly backend: BackendName;
  private opts: Options;
  private taken = 0;
  private readonly scalars = new Float32Array(SCALARS);
  private readonly owner: Backend;
  // Everything the optimizer allocated, in one object so that the finalizer can free it.
  private memory: { state: (Float32Block | null)[][]; program: StepProgram | null; release(): void } | null;

  protected constructor(
    private readonly spec: OptimizerSpec<Options>,
    params: unknown,
    options: unknown,
  ) {
    this.params = checkParams(spec.name, params);
    this.backend = this.params[0].backend;
    this.owner = backendNamed(this.backend, `${spec.name}: params[0].backend`);
    this.opts = spec.resolve(options);
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

  /** The resolved options (defaults filled in). Read-only: use the setters of the options that may change. */
  get options(): Readonly<Options> {
    return { ...this.opts };
  }

  /** The learning rate; may be changed between steps (e.g. by a schedule). */
  get lr(): number {
    return (this.opts as { lr: number }).lr;
  }

  set lr(value: number) {
    this.opts = this.spec.resolve({ ...this.opts, lr: value });
  }

  /** Steps taken so far. */
  get stepCount(): number {
    return this.taken;
  }

  /** Updates every param from its current gradient: one backend call for all of them. */
  step(): void {
    const memory = this.alive();
    for (const p of this.params) if (p.disposed) throw new Error(`${this.spec.name}.step(): param #${p.id} was disposed`);
    const t = this.taken + 1;
    const flags = this.spec.prepare(this.opts, t, this.scalars);
    memory.program!.run(flags, this.scalars);
    this.taken = t;
  }

  /** Sets every param's gradient to zero. */
  zeroGrad(): void {
    this.alive();
    for (const p of this.params) p.grad.fill(0);
  }

  /** The optimizer's state as plain data (see OptimizerStateDict). */
  stateDict(): OptimizerStateDict {
    const memory = this.alive();
    const options = JSON.parse(JSON.stringify(this.opts)) as Record<string, unknown>;
    return {
      format: 'gradstep.optimizer',
      version: 1,
      optimizer: this.spec.name,
      step: this.taken,
      options,
      state: this.params.map((p, i) => {
        const buffers: Record<string, string> = {};
        memory.state[i].forEach((block, slot) => {
          if (block !== null) buffers[this.spec.stateNames[slot]] = encodeFloat32(block.view());
        });
        return { length: p.length, buffers };
      }),
    };
  }

  /**
   * Restores a state dict saved by stateDict() of the same optimizer class over params of the same
   * lengths, on either backend; training then continues bit-identically. Restores the saved options.
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
    const options = this.spec.resolve(dict.options);
    const used = usedState(this.spec.kernel, this.spec.flags(options));
    // Decode everything before touching the optimizer, so that a bad dict leaves it unchanged.
    const decoded = dict.state.map((entry, i) => {
      const length = this.params[i].length;
      if (entry === null || typeof entry !== 'object' || entry.length !== length) {
        throw new RangeError(`${where}: dict.state[${i}] is for a param of length ${describe(entry?.length)}, params[${i}] has length ${length}`);
      }
      return used.map((isUsed, slot) => {
        if (!isUsed) return null;
        const name = this.spec.stateNames[slot];
        const values = new Float32Array(length);
        if (!decodeFloat32Into(entry.buffers?.[name], values)) {
          throw new TypeError(`${where}: dict.state[${i}].buffers.${name} is missing or not ${length} float32 values in base64`);
        }
        return values;
      });
    });
    this.opts = options;
    this.allocateState();
    const memory = this.memory!;
    decoded.forEach((slots, i) => slots.forEach((values, slot) => values && memory.state[i][slot]!.view().set(values)));
    this.taken = dict.step;
  }

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

  [disposeSymbol](): void {
    this.dispose();
  }

  private alive() {
    if (this.memory === null) throw new Error(`gradstep: this ${this.spec.name} optimizer was disposed`);
    return this.memory;
  }

  /** (Re)allocates the state slots the current options use, at their initial values, and the step program. */
  private allocateState(): void {
    const memory = this.memory!;
    memory.release();
    const used = usedState(this.spec.kernel, this.spec.flags(this.opts));
    try {
      for (const p of this.params) {
        const slots: (Float32Block | null)[] = [null, null, null];
        memory.state.push(slots);
        used.forEach((isUsed, slot) => {
          if (!isUsed) return;
          const block = this.owner.allocate(p.length);
          slots[slot] = block;
          const initial = this.spec.initialState?.(this.opts, slot) ?? 0;
          if (initial !== 0) block.view().fill(initial);
        });
      }
      memory.program = this.owner.prepareStep(
        this.spec.kernel,
        this.params.map((p, i) => {
          const { value, grad } = p.memory();
          const [s0, s1, s2] = memory.state[i];
          return { value, grad, state: [s0, s1, s2] as const };
        }),
      );
    } catch (error) {
      memory.release();
      throw error;
    }
    this.taken = 0;
  }
}

function checkParams(owner: string, params: unknown): Param[] {
  if (!Array.isArray(params)) throw new TypeError(`${owner}: params must be an array of params, got ${describe(params)}`);
  if (params.length === 0) throw new RangeError(`${owner}: params is an empty array (an optimizer needs at least one param)`);
  const seen = new Set<number>();
  params.forEach((p: unknown, i) => {
    if (!(p instanceof Param)) throw new TypeError(`${owner}: params[${i}] must be a Param (from param()), got ${describe(p)}`);
    if (p.disposed) throw new Error(`${owner}: params[${i}] (param #${p.id}) was disposed`);
    if (seen.has(p.id)) throw new TypeError(`${owner}: params[${i}] (param #${p.id}) is given twice`);
    seen.add(p.id);
    if (p.backend !== params[0].backend) {
      throw new TypeError(`${owner}: params[${i}] is on the ${describe(p.backend)} backend but params[0] is on ${describe(params[0].backend)}; one optimizer updates params of one backend`);
    }
  });
  return [...params] as Param[];
}
