/**
 * gradstep: optimizers with PyTorch's semantics as fused WebAssembly SIMD kernels, and a pure
 * TypeScript backend that produces the same bits.
 */
import { initWasm, type InitOptions } from './wasm-backend.js';

export type { BackendName } from './backend.js';
export { getBackend, setBackend } from './backends.js';
export { Param, param, type ParamOptions } from './param.js';
export { Optimizer, type OptimizerStateDict } from './optimizer.js';
export { SGD, type SgdOptions } from './optimizers/sgd.js';
export { Adagrad, type AdagradOptions } from './optimizers/adagrad.js';
export { Adadelta, type AdadeltaOptions } from './optimizers/adadelta.js';
export { RMSprop, type RmspropOptions } from './optimizers/rmsprop.js';
export { Adam, AdamW, type AdamOptions } from './optimizers/adam.js';
export { runtimeHasWasmSimd, wasmSimd, type InitOptions, type WasmSource } from './wasm-backend.js';
export { memoryStats, type MemoryStats } from './memory-stats.js';
export { bandwidthProbe } from './bandwidth-probe.js';
export * from './model-selection/index.js';

/**
 * Loads the wasm backend (once: safe to call again and concurrently). Until it resolves, only the
 * 'js' backend is available; afterwards new params default to 'wasm'.
 */
export function init(options?: InitOptions): Promise<void> {
  return initWasm(options);
}
