/**
 * Loading the wasm module: finding it (each entry point passes its locator), compiling it, checking
 * that it is gradstep's and that its kernel ABI is this package's, and instantiating it once through
 * the wasm-bindgen glue. wasm-backend.ts runs the kernels of the loaded module.
 *
 * Two builds of the same crate ship: `gradstep_wasm_bg.wasm` (simd128, f32x4 kernels) and
 * `gradstep_wasm_scalar.wasm` (no SIMD) for runtimes without wasm SIMD. Both give the same bits.
 */
import initGlue, { initSync as initGlueSync } from '../wasm/simd/gradstep_wasm.js';
import * as glue from '../wasm/simd/gradstep_wasm.js';
import { abiDifferences, type AbiDescription } from './kernels.js';

/** Where the wasm module comes from when the default location does not suit (CDNs, workers, bundlers). */
export type WasmSource = URL | string | Request | Response | BufferSource | WebAssembly.Module;

/** Options of init() and initSync(): which wasm module to load and whether to use its SIMD build. */
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

export interface WasmState {
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

/** The loaded module's state; throws a clear error before init(). */
export function loaded(): WasmState {
  if (state === null) {
    throw new Error("gradstep: the wasm backend is not loaded; await init() first (or use the 'js' backend)");
  }
  return state;
}

/** The loaded module's state, or null before init(). */
export function loadedOrNull(): WasmState | null {
  return state;
}

