import { wasmLiveBlocks, wasmStepCalls } from './wasm-backend.js';
import { wasmMemoryBytes } from './wasm-loader.js';

/** What {@link memoryStats} reports: the wasm memory in use and the step calls made, to check that dispose() frees what it should. */
export interface MemoryStats {
  /** Size of wasm linear memory in bytes (it grows, never shrinks; freed blocks are reused). */
  wasmBytes: number;
  /** wasm blocks (param values and grads, optimizer state, step tables) allocated and not freed. */
  wasmBlocks: number;
  /** Calls into wasm made by optimizer steps so far: one per step(), however many params. */
  wasmStepCalls: number;
}

/** What the wasm backend currently holds: to check that dispose() returns memory. */
export function memoryStats(): MemoryStats {
  return { wasmBytes: wasmMemoryBytes(), wasmBlocks: wasmLiveBlocks(), wasmStepCalls: wasmStepCalls() };
}
