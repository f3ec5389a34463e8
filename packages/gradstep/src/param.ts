/** A trainable tensor: a float32 value and its gradient, both owned by one backend. */
import type { Allocation, BackendName, Float32Block } from './backend.js';
import { backendNamed, getBackend } from './backends.js';
import { checkLength, checkOptionNames, describe } from './validate.js';

/** Options of param(): where the param's memory lives, its checkpoint name and its shape. */
export interface ParamOptions {
  /** The backend that owns this param's memory; default: getBackend(). */
  backend?: BackendName;
  /**
   * A name: the key it has in checkpoints (safetensors, PyTorch state_dicts), such as '0.weight'.
   * Default ''. The built-in models name theirs after the equivalent torch module.
   */
  name?: string;
  /**
   * The tensor's shape (row-major), whose product is the length; default [length]. It describes the
   * values as gradstep stores them; checkpoints write it.
   */
  shape?: readonly number[];
}

// A backstop for params that are dropped without dispose(): their wasm memory is returned when they
// are garbage collected. dispose() remains the way to free memory promptly and predictably. It holds
// the allocations only: the blocks cache views, and views reference their param (below).
const finalizer = new FinalizationRegistry<Allocation[]>((allocations) => {
  for (const allocation of allocations) allocation.free();
});

/**
 * Each view handed out references its param, so a param is never collected (and its wasm memory never
 * freed for another param to reuse) while a view of it is reachable: `const w = param(x).value` stays
 * valid. Only dispose() frees memory under a live view.
 */
const OWNER = Symbol('gradstep.param');

function ownedBy(view: Float32Array, owner: Param): Float32Array {
  if ((view as { [OWNER]?: Param })[OWNER] !== owner) Object.defineProperty(view, OWNER, { value: owner });
  return view;
}

/** Symbol.dispose where the runtime has it (Node 20.4+, current browsers), for `using`. */
export const disposeSymbol: typeof Symbol.dispose = Symbol.dispose ?? Symbol.for('Symbol.dispose');

let nextId = 1;

/**
 * A mark every copy of gradstep puts on its params (a registered symbol is the same in every copy):
 * a Param from another copy (the CommonJS build beside the ES module one, or a second installed
 * version) fails `instanceof Param` and is named as such in the error.
 */
const PARAM_BRAND = Symbol.for('gradstep.Param');

/**
 * A trainable tensor: its float32 values and gradient, owned by one backend. Create one with
 * param(); free it with dispose() (or `using`), since wasm memory is not garbage collected promptly.
 */
export class Param {
  /** Number of float32 elements. */
  readonly length: number;
  /** The backend that owns the param's memory ('wasm' or 'js'); its optimizers run there. */
  readonly backend: BackendName;
  /** A process-unique id; optimizers use it to reject a param given twice. */
  readonly id = nextId++;
  /** The param's name (ParamOptions.name); '' when it has none. */
  readonly name: string;
  /** The param's shape (ParamOptions.shape), frozen; its product is `length`. */
  readonly shape: readonly number[];
  private blocks: { value: Float32Block; grad: Float32Block } | null;

  /** Not for direct use: call param(), which checks its arguments. */
  constructor(length: number, backend: BackendName, name = '', shape: readonly number[] = [length]) {
    const owner = backendNamed(backend, 'param(..., { backend })');
    this.length = length;
    this.backend = backend;
    this.name = name;
    this.shape = Object.freeze([...shape]);
    const value = owner.allocate(length);
    let grad: Float32Block;
    try {
      grad = owner.allocate(length);
    } catch (error) {
      value.free();
      throw error;
    }
    this.blocks = { value, grad };
    finalizer.register(this, [value.allocation, grad.allocation], this);
  }

  /**
   * The values, as a live Float32Array view: read and write it in place. With the wasm backend the
   * view is over wasm memory; memory growth (creating big params) detaches older views (they read as
   * empty), so take it again from `.value` rather than keeping it across param creation. A view keeps
   * its param alive; after dispose() it must not be used (its memory may belong to another param).
   */
  get value(): Float32Array {
    return ownedBy(this.alive().value.view(), this);
  }

  /** The gradient, a live view like `.value`: write the gradient here before `optimizer.step()`. */
  get grad(): Float32Array {
    return ownedBy(this.alive().grad.view(), this);
  }

  /** Whether dispose() was called (the memory is freed and the param unusable). */
  get disposed(): boolean {
    return this.blocks === null;
  }

  /** Frees this param's memory. Using it afterwards throws; calling dispose() again does nothing. */
  dispose(): void {
    if (this.blocks === null) return;
    finalizer.unregister(this);
    this.blocks.value.free();
    this.blocks.grad.free();
    this.blocks = null;
  }

  /** dispose(), for `using p = param(…)`. */
  [disposeSymbol](): void {
    this.dispose();
  }

  /** @internal */
  memory(): { value: Float32Block; grad: Float32Block } {
    return this.alive();
  }

  private alive(): { value: Float32Block; grad: Float32Block } {
    if (this.blocks === null) throw new Error(`gradstep: param #${this.id} (length ${this.length}) was disposed`);
    return this.blocks;
  }
}

Object.defineProperty(Param.prototype, PARAM_BRAND, { value: true });

/**
 * Creates a param. `param(n)` gives n zeros; `param(values)` copies the values (any array-like of
 * numbers, such as a Float32Array or a plain array), rounded to float32. The gradient starts at zero.
 */
export function param(init: number | ArrayLike<number>, options?: ParamOptions): Param {
  const given = checkOptionNames('param', options, ['backend', 'name', 'shape']) as ParamOptions;
  const { backend = getBackend(), name = '' } = given;
  if (typeof name !== 'string') throw new TypeError(`param: name must be a string, got ${describe(name)}`);
  if (typeof init === 'number') {
    const length = checkLength('param', 'size', init);
    return new Param(length, backend, name, checkShape(given.shape, length));
  }
  if (init === null || typeof init !== 'object' || typeof (init as ArrayLike<number>).length !== 'number') {
    throw new TypeError(`param: init must be a size or an array of numbers, got ${describe(init)}`);
  }
  const length = checkLength('param', 'init.length', init.length);
  if (!ArrayBuffer.isView(init)) {
    for (let i = 0; i < length; i++) {
      if (typeof init[i] !== 'number') throw new TypeError(`param: init[${i}] must be a number, got ${describe(init[i])}`);
    }
  } else if ((init as unknown as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT === undefined || init instanceof BigInt64Array || init instanceof BigUint64Array) {
    throw new TypeError(`param: init must be an array of numbers, got ${describe(init)}`);
  }
  // Copy first: `init` may itself be a view of wasm memory (param(other.value)), which the
  // allocation below can grow and so detach.
  const shape = checkShape(given.shape, length);
  const values = ArrayBuffer.isView(init) ? new Float32Array(init) : init;
  const p = new Param(length, backend, name, shape);
  p.value.set(values);
  return p;
}

/** `shape` (default [length]): non-negative integers whose product is `length`. */
function checkShape(shape: unknown, length: number): readonly number[] {
  if (shape === undefined) return [length];
  // Array.from reads holes as undefined (every and reduce would skip them).
  const dims = Array.isArray(shape) ? (Array.from(shape) as unknown[]) : null;
  if (dims === null || !dims.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) {
    throw new TypeError(`param: shape must be an array of integers >= 0, got ${describe(shape)}`);
  }
  const product = (dims as number[]).reduce((a, d) => a * d, 1);
  if (product !== length) throw new RangeError(`param: shape [${dims.join(', ')}] holds ${product} values, but the param has ${length}`);
  return dims as number[];
}

/**
 * @internal Checks that `value` (the argument `name` of `owner`) is a live Param of this copy of
 * gradstep; errors name the argument and what was given.
 */
export function checkParam(owner: string, name: string, value: unknown): Param {
  if (!(value instanceof Param)) {
    if (value !== null && typeof value === 'object' && (value as Record<symbol, unknown>)[PARAM_BRAND] === true) {
      throw new TypeError(
        `${owner}: ${name} is a Param from another copy of gradstep (such as the CommonJS build loaded beside the ES module build, or a second installed version); create params and the objects that use them with one copy`,
      );
    }
    throw new TypeError(`${owner}: ${name} must be a Param (from param()), got ${describe(value)}`);
  }
  if (value.disposed) throw new Error(`${owner}: ${name} (param #${value.id}) was disposed`);
  return value;
}

/**
 * @internal Checks a list of params that one operation updates together (an optimizer, clipping):
 * each a live Param, none given twice, all on one backend. Errors name the position and the param.
 */
export function checkParamList(owner: string, params: readonly unknown[]): Param[] {
  const seen = new Set<number>();
  params.forEach((value: unknown, i) => {
    const p = checkParam(owner, `params[${i}]`, value);
    if (seen.has(p.id)) throw new TypeError(`${owner}: params[${i}] (param #${p.id}) is given twice`);
    seen.add(p.id);
    const first = params[0] as Param;
    if (p.backend !== first.backend) {
      throw new TypeError(`${owner}: params[${i}] is on the ${describe(p.backend)} backend but params[0] is on ${describe(first.backend)}; they must share one backend`);
    }
  });
  return params as Param[];
}
