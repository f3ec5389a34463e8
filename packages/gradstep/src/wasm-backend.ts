/**
 * The WebAssembly backend: values, gradients and optimizer state live in wasm linear memory, so a
 * step copies nothing; `prepareStep` writes a table of pointers once, and every step is one call.
 *
 * Two builds of the same crate ship: `gradstep_wasm_bg.wasm` (simd128, f32x4 kernels) and
 * `gradstep_wasm_scalar.wasm` (no SIMD) for runtimes without wasm SIMD. Both give the same bits.
 */
import initGlue, { initSync as initGlueSync } from '../wasm/simd/gradstep_wasm.js';
import * as glue from '../wasm/simd/gradstep_wasm.js';
import type { Allocation, Backend, Float32Block, StepProgram, TensorBlocks } from './backend.js';
import { abiDifferences, SCALARS, TABLE_WORDS, type AbiDescription, type KernelId } from './kernels.js';

/** Where the wasm module comes from when the default location does not suit (CDNs, workers, bundlers). */
export type WasmSource = URL | string | Request | Response | BufferSource | WebAssembly.Module;

export interface InitOptions {
  /**
   * The module to load: a URL (or a string URL; in Node also a file path), its bytes, a fetch
   * Response (or a promise of one) or a compiled `WebAssembly.Module`. Default: the entry's own
   * (the .wasm next to the bundle, or the inlined bytes of `gradstep/inline`).
   */
  wasm?: WasmSource | Promise<WasmSource>;
  /**
   * Force the SIMD (true) or the scalar (false) build; default: SIMD where the runtime supports it.
   * It picks the default .wasm only: a module given as `wasm` is used as it is.
   */
  simd?: boolean;
}

/**
 * How one entry point (Node, browser/bundler, inline) finds the module: each entry passes its own,
 * so that the browser entry never mentions node:fs and the inline one never fetches.
 */
export interface WasmLocator {
  /** The module to load when init() is given none, for the SIMD or the scalar build. */
  defaultSource(simd: boolean): WasmSource | Promise<WasmSource>;
  /** Turns a source the glue cannot load itself (a file: URL or a path in Node) into bytes. */
  resolve?(source: WasmSource): WasmSource | Promise<WasmSource>;
}

interface WasmState {
  memory: WebAssembly.Memory;
  simd: boolean;
  /** The module's messages for the nonzero codes its calls return. */
  errors: Record<string, string>;
}

let state: WasmState | null = null;
let loading: Promise<void> | null = null;

// The smallest module using a v128 instruction (from the wasm-feature-detect project's SIMD probe).
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

/** True when this runtime can compile wasm SIMD. */
export function runtimeHasWasmSimd(): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

const noDefault: WasmLocator = {
  defaultSource() {
    throw new Error('gradstep: this build has no default wasm location; pass init({ wasm: url | bytes | WebAssembly.Module })');
  },
};

function chooseSimd(options: InitOptions): boolean {
  const simd = options.simd ?? runtimeHasWasmSimd();
  if (simd && !runtimeHasWasmSimd()) throw new Error('gradstep: init({ simd: true }) but this runtime has no wasm SIMD');
  return simd;
}

/** Compiles whatever init() was given (a URL, a Request, a Response, bytes or a Module) to a Module. */
async function compileSource(given: WasmSource): Promise<WebAssembly.Module> {
  let source: WasmSource = given;
  if (source instanceof WebAssembly.Module) return source;
  if (typeof source === 'string' || source instanceof URL || (typeof Request === 'function' && source instanceof Request)) {
    source = await fetch(source);
  }
  if (typeof Response === 'function' && source instanceof Response) {
    if (!source.ok) throw new Error(`gradstep: fetching the wasm failed: ${source.status} ${source.statusText} (${source.url})`);
    const streamable = typeof WebAssembly.compileStreaming === 'function' && source.headers.get('Content-Type') === 'application/wasm';
    return streamable ? WebAssembly.compileStreaming(source) : WebAssembly.compile(await source.arrayBuffer());
  }
  return WebAssembly.compile(source as BufferSource);
}

/** The exports gradstep calls; a module without them is another module (or another version). */
const REQUIRED_EXPORTS = ['memory', 'allocF32', 'freeF32', 'optimizerStep', 'simdEnabled', 'abiDescription', 'usedStateMask', '__wbindgen_start'];

function checkModule(module: WebAssembly.Module): WebAssembly.Module {
  const names = new Set(WebAssembly.Module.exports(module).map((e) => e.name));
  const missing = REQUIRED_EXPORTS.filter((name) => !names.has(name));
  if (missing.length > 0) {
    throw new TypeError(`gradstep: the wasm module given to init() is not gradstep's (or not this version's): it lacks ${missing.join(', ')}`);
  }
  return module;
}

async function load(options: InitOptions, locator: WasmLocator): Promise<void> {
  const simd = chooseSimd(options);
  let source = await (options.wasm ?? locator.defaultSource(simd));
  if (locator.resolve) source = await locator.resolve(source);
  // Checked before the glue sees it: the glue keeps the first instance it makes, even a wrong one,
  // and a failed init() must be retryable.
  const module = checkModule(await compileSource(source));
  const exports = await initGlue({ module_or_path: module as never });
  state = loadedState(exports.memory);
}

/**
 * The state of a freshly instantiated module, once its kernel ABI is checked against the package's
 * (kernels.ts): a module built from other sources would otherwise run the wrong kernel or read
 * scalars from the wrong places, silently.
 */
function loadedState(memory: WebAssembly.Memory): WasmState {
  const abi = JSON.parse(glue.abiDescription()) as AbiDescription;
  const differences = abiDifferences(abi, glue.usedStateMask);
  if (differences.length > 0) {
    throw new Error(`gradstep: the wasm module's kernel ABI differs from this package's (built from other sources?): ${differences.join('; ')}`);
  }
  return { memory, simd: glue.simdEnabled(), errors: abi.errors };
}

function checkOptions(options: InitOptions, name: string): void {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`gradstep: ${name}(options) takes an object, got ${String(options)}`);
  }
  const unknown = Object.keys(options).filter((key) => key !== 'wasm' && key !== 'simd');
  if (unknown.length > 0) throw new TypeError(`gradstep: ${name}() has no option ${unknown.map((k) => JSON.stringify(k)).join(', ')} (options: wasm, simd)`);
  if (options.simd !== undefined && typeof options.simd !== 'boolean') {
    throw new TypeError(`gradstep: ${name}({ simd }) must be true, false or undefined, got ${String(options.simd)}`);
  }
}

/**
 * Loads the wasm backend once. Safe to call again and concurrently: later calls return the first
 * call's promise (and ignore their options). After it resolves, new params default to 'wasm'.
 * A failed load can be retried.
 */
export function initWasm(options: InitOptions = {}, locator: WasmLocator = noDefault): Promise<void> {
  // Only the first call awaits its `wasm`; a promise given to a later (or refused) call would
  // otherwise reject unobserved, and Node ends the process on an unhandled rejection.
  const wasm = (options as { wasm?: unknown } | null)?.wasm;
  if (wasm instanceof Promise) wasm.catch(() => {});
  try {
    checkOptions(options, 'init');
  } catch (error) {
    return Promise.reject(error);
  }
  if (loading === null) {
    loading = load(options, locator).catch((error: unknown) => {
      loading = null;
      throw error;
    });
  }
  return loading;
}

/**
 * Loads the wasm backend synchronously from bytes or a compiled module (no default: the inline entry
 * passes its own bytes). Browsers refuse to compile modules over 8 MB on the main thread this way;
 * ours is far smaller. Throws while an asynchronous init() is still loading.
 */
export function initWasmSync(options: InitOptions = {}, defaultBytes?: (simd: boolean) => BufferSource): void {
  checkOptions(options, 'initSync');
  if (state !== null) return;
  if (loading !== null) throw new Error('gradstep: initSync() called while init() is loading; await init() instead');
  const simd = chooseSimd(options);
  const source = options.wasm ?? defaultBytes?.(simd);
  const isModule = typeof WebAssembly === 'object' && source instanceof WebAssembly.Module;
  if (!(isModule || ArrayBuffer.isView(source) || source instanceof ArrayBuffer)) {
    throw new TypeError('gradstep: initSync({ wasm }) takes bytes or a WebAssembly.Module (use await init() for URLs and Responses)');
  }
  const module = checkModule(isModule ? (source as WebAssembly.Module) : new WebAssembly.Module(source as BufferSource));
  const exports = initGlueSync({ module: module as never });
  state = loadedState(exports.memory);
  loading = Promise.resolve();
}

export function wasmReady(): boolean {
  return state !== null;
}

/** Whether the loaded wasm runs the f32x4 kernels; null before init(). */
export function wasmSimd(): boolean | null {
  return state?.simd ?? null;
}

/** Bytes of wasm linear memory (it only grows); 0 before init(). */
export function wasmMemoryBytes(): number {
  return state?.memory.buffer.byteLength ?? 0;
}

function loaded(): WasmState {
  if (state === null) {
    throw new Error("gradstep: the wasm backend is not loaded; await init() first (or use the 'js' backend)");
  }
  return state;
}

let liveBlocks = 0;
let stepCalls = 0;

/** Calls into wasm made by optimizer steps so far (one per step, whatever the number of tensors). */
export function wasmStepCalls(): number {
  return stepCalls;
}

/** Number of wasm blocks allocated and not yet freed (params, optimizer state, step tables). */
export function wasmLiveBlocks(): number {
  return liveBlocks;
}

function allocateBytes(words: number): number {
  const ptr = glue.allocF32(words);
  if (ptr === 0) throw new RangeError(`gradstep: wasm memory cannot grow to hold ${words} more float32 values`);
  liveBlocks++;
  return ptr;
}

/** One block of wasm memory (no view of it, see Float32Block.allocation); freed at most once. */
class WasmAllocation implements Allocation {
  constructor(
    public ptr: number,
    readonly length: number,
  ) {}
  free(): void {
    if (this.ptr === 0) return;
    const code = glue.freeF32(this.ptr, this.length);
    this.ptr = 0;
    if (code !== 0) throw new Error(`gradstep: wasm freeF32 refused a block (${describeCode(code)}); this is a gradstep bug`);
    liveBlocks--;
  }
}

class WasmBlock implements Float32Block {
  readonly allocation: WasmAllocation;
  private cached: Float32Array;
  constructor(readonly length: number) {
    const memory = loaded().memory;
    // allocF32 takes a u32 count: anything larger would wrap into a small block.
    if (!(Number.isInteger(length) && length >= 0 && length <= 2 ** 30)) {
      throw new RangeError(`gradstep: a wasm block of ${length} float32 values is out of range (at most 2^30)`);
    }
    this.allocation = new WasmAllocation(allocateBytes(length), length);
    this.cached = new Float32Array(memory.buffer, this.allocation.ptr, length);
  }
  get address(): number {
    return this.allocation.ptr;
  }
  view(): Float32Array {
    const ptr = this.allocation.ptr;
    if (ptr === 0) throw new Error('gradstep: this memory block was freed');
    const buffer = state!.memory.buffer;
    // Memory growth detaches every view of the old buffer (wasm-bindgen#1668): re-create lazily.
    if (this.cached.buffer !== buffer) this.cached = new Float32Array(buffer, ptr, this.length);
    return this.cached;
  }
  free(): void {
    this.allocation.free();
  }
}

function describeCode(code: number): string {
  return state?.errors[code] ?? `code ${code}`;
}

class WasmStepProgram implements StepProgram {
  private readonly table: WasmBlock;
  private readonly scalars: WasmBlock;
  // Group flags are u32s; a WasmBlock of that many 4-byte words holds them.
  private readonly flags: WasmBlock;
  private flagsView: Uint32Array;
  constructor(
    private readonly kernel: KernelId,
    private readonly count: number,
    private readonly groups: number,
    tensors: readonly TensorBlocks[],
  ) {
    const blocks: WasmBlock[] = [];
    try {
      for (const length of [count * TABLE_WORDS, groups * SCALARS, groups]) blocks.push(new WasmBlock(length));
    } catch (error) {
      // A block allocated before the one that failed has no other owner.
      for (const block of blocks) block.free();
      throw error;
    }
    [this.table, this.scalars, this.flags] = blocks;
    const buffer = loaded().memory.buffer;
    this.flagsView = new Uint32Array(buffer, this.flags.address, groups);
    const words = new Uint32Array(buffer, this.table.address, count * TABLE_WORDS);
    tensors.forEach((t, i) => {
      const row = i * TABLE_WORDS;
      words[row] = addressOf(t.value);
      words[row + 1] = addressOf(t.grad);
      for (let k = 0; k < 3; k++) words[row + 2 + k] = t.state[k] === null ? 0 : addressOf(t.state[k]!);
      words[row + 5] = t.value.length;
      words[row + 6] = t.group;
    });
  }
  run(flags: Uint32Array, scalars: Float32Array): void {
    this.scalars.view().set(scalars);
    if (this.flagsView.buffer !== state!.memory.buffer) {
      this.flagsView = new Uint32Array(state!.memory.buffer, this.flags.address, this.groups);
    }
    this.flagsView.set(flags);
    stepCalls++;
    const code = glue.optimizerStep(this.kernel, this.scalars.address, this.flags.address, this.groups, this.table.address, this.count);
    if (code !== 0) throw new Error(`gradstep: wasm step rejected its table (${describeCode(code)}); this is a gradstep bug`);
  }
  free(): void {
    this.table.free();
    this.scalars.free();
    this.flags.free();
  }
}

/** Writes the list `[grad_ptr, len]…` of `grads` into a temporary wasm block for the duration of `call`. */
function withGradList(grads: readonly Float32Block[], call: (listAddress: number) => void): void {
  if (grads.length === 0) return;
  const list = new WasmBlock(2 * grads.length);
  try {
    const words = new Uint32Array(state!.memory.buffer, list.address, 2 * grads.length);
    grads.forEach((g, i) => {
      words[2 * i] = addressOf(g);
      words[2 * i + 1] = g.length;
    });
    call(list.address);
  } finally {
    list.free();
  }
}

function checkWasmCall(code: number, name: string): void {
  if (code !== 0) throw new Error(`gradstep: wasm ${name} rejected its operands (${describeCode(code)}); this is a gradstep bug`);
}

function addressOf(block: Float32Block): number {
  if (!(block instanceof WasmBlock)) throw new TypeError('gradstep: a js block was given to the wasm backend');
  return block.address;
}

export const wasmBackend: Backend = {
  name: 'wasm',
  allocate: (length) => new WasmBlock(length),
  prepareStep: (kernel, tensors, groups) => new WasmStepProgram(kernel, tensors.length, groups, tensors),
  gradNorms(norm, grads, out) {
    withGradList(grads, (list) => {
      const results = new WasmBlock(2 * grads.length); // f64s: 16-byte aligned like every block
      try {
        checkWasmCall(glue.gradNorms(norm, list, grads.length, results.address), 'gradNorms');
        out.set(new Float64Array(state!.memory.buffer, results.address, grads.length));
      } finally {
        results.free();
      }
    });
  },
  scaleGrads(grads, coefficient) {
    withGradList(grads, (list) => checkWasmCall(glue.scaleGrads(list, grads.length, coefficient), 'scaleGrads'));
  },
  clampGrads(grads, clip) {
    withGradList(grads, (list) => checkWasmCall(glue.clampGrads(list, grads.length, clip), 'clampGrads'));
  },
  denseForward({ rows, inputs, outputs }, input, weights, bias, output) {
    const code = glue.denseForward(addressOf(input), rows, inputs, addressOf(weights), addressOf(bias), outputs, addressOf(output));
    checkWasmCall(code, 'denseForward');
  },
  denseBackward({ rows, inputs, outputs }, input, weights, dOutput, gradWeights, gradBias, dInput) {
    const code = glue.denseBackward(
      addressOf(input), rows, inputs, addressOf(weights), outputs, addressOf(dOutput),
      addressOf(gradWeights), addressOf(gradBias), dInput === null ? 0 : addressOf(dInput),
    );
    checkWasmCall(code, 'denseBackward');
  },
  bandwidthProbe(a, b, scalar) {
    checkWasmCall(glue.bandwidthProbe(addressOf(a), addressOf(b), a.length, scalar), 'bandwidthProbe');
  },
};
