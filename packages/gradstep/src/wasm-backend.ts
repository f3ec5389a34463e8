/**
 * The WebAssembly backend: values, gradients and optimizer state live in wasm linear memory, so a
 * step copies nothing; `prepareStep` writes a table of pointers once, and every step is one call.
 *
 * Two builds of the same crate ship: `gradstep_wasm_bg.wasm` (simd128, f32x4 kernels) and
 * `gradstep_wasm_scalar.wasm` (no SIMD) for runtimes without wasm SIMD. Both give the same bits.
 */
import initGlue, * as glue from '../wasm/simd/gradstep_wasm.js';
import type { Backend, Float32Block, StepProgram, TensorBlocks } from './backend.js';
import { SCALARS, type KernelId } from './kernels.js';

/** Where the wasm module comes from when the default location does not suit (CDNs, workers, bundlers). */
export type WasmSource = URL | string | Request | Response | BufferSource | WebAssembly.Module;

export interface InitOptions {
  /** The module to load (a URL, its bytes, a fetch Response or a compiled Module). Default: the .wasm next to this file. */
  wasm?: WasmSource;
  /** Force the SIMD (true) or the scalar (false) build; default: SIMD where the runtime supports it. */
  simd?: boolean;
}

interface WasmState {
  memory: WebAssembly.Memory;
  simd: boolean;
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

const isNode = typeof process === 'object' && typeof process.versions?.node === 'string';

async function defaultSource(simd: boolean): Promise<WasmSource> {
  const url = simd
    ? new URL('./gradstep_wasm_bg.wasm', import.meta.url)
    : new URL('./gradstep_wasm_scalar.wasm', import.meta.url);
  return isNode && url.protocol === 'file:' ? readNodeFile(url) : url;
}

async function readNodeFile(url: URL): Promise<Uint8Array> {
  const { readFile } = await import('node:fs/promises');
  return readFile(url);
}

async function load(options: InitOptions): Promise<void> {
  const simd = options.simd ?? runtimeHasWasmSimd();
  if (simd && !runtimeHasWasmSimd()) throw new Error('gradstep: init({ simd: true }) but this runtime has no wasm SIMD');
  let source = options.wasm ?? (await defaultSource(simd));
  if (isNode && (source instanceof URL || (typeof source === 'string' && source.startsWith('file:')))) {
    const url = new URL(source);
    if (url.protocol === 'file:') source = await readNodeFile(url);
  }
  const exports = await initGlue({ module_or_path: source as never });
  state = { memory: exports.memory, simd: glue.simdEnabled() };
}

/**
 * Loads the wasm backend once. Safe to call again and concurrently: later calls return the first
 * call's promise (and ignore their options). After it resolves, new params default to 'wasm'.
 */
export function initWasm(options: InitOptions = {}): Promise<void> {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`gradstep: init(options) takes an object, got ${String(options)}`);
  }
  if (loading === null) {
    loading = load(options).catch((error: unknown) => {
      loading = null;
      throw error;
    });
  }
  return loading;
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

class WasmBlock implements Float32Block {
  private cached: Float32Array;
  private ptr: number;
  constructor(readonly length: number) {
    const memory = loaded().memory;
    this.ptr = allocateBytes(length);
    this.cached = new Float32Array(memory.buffer, this.ptr, length);
  }
  get address(): number {
    return this.ptr;
  }
  view(): Float32Array {
    if (this.ptr === 0) throw new Error('gradstep: this memory block was freed');
    const buffer = state!.memory.buffer;
    // Memory growth detaches every view of the old buffer (wasm-bindgen#1668): re-create lazily.
    if (this.cached.buffer !== buffer) this.cached = new Float32Array(buffer, this.ptr, this.length);
    return this.cached;
  }
  free(): void {
    if (this.ptr === 0) return;
    glue.freeF32(this.ptr, this.length);
    liveBlocks--;
    this.ptr = 0;
  }
}

const TABLE_WORDS = 7;
const STEP_ERRORS: Record<number, string> = {
  1: 'unknown kernel',
  2: 'a state buffer has the wrong length',
  3: 'a block is null or outside wasm memory, or a group is out of range',
  4: 'two blocks of one tensor overlap',
};

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
    this.table = new WasmBlock(count * TABLE_WORDS);
    this.scalars = new WasmBlock(groups * SCALARS);
    this.flags = new WasmBlock(groups);
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
    if (code !== 0) throw new Error(`gradstep: wasm step rejected its table (${STEP_ERRORS[code] ?? code}); this is a gradstep bug`);
  }
  free(): void {
    this.table.free();
    this.scalars.free();
    this.flags.free();
  }
}

function addressOf(block: Float32Block): number {
  if (!(block instanceof WasmBlock)) throw new TypeError('gradstep: a js block was given to the wasm backend');
  return block.address;
}

export const wasmBackend: Backend = {
  name: 'wasm',
  allocate: (length) => new WasmBlock(length),
  prepareStep: (kernel, tensors, groups) => new WasmStepProgram(kernel, tensors.length, groups, tensors),
  bandwidthProbe(a, b, scalar) {
    if (glue.bandwidthProbe(addressOf(a), addressOf(b), a.length, scalar) !== 0) {
      throw new Error('gradstep: wasm bandwidthProbe rejected its blocks; this is a gradstep bug');
    }
  },
};
