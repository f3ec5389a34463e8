// The wasm build's glue loaded directly (as the benchmarks do), for the tests that compare a kernel
// with its TypeScript twin on blocks they fill themselves.
import { readFileSync } from 'node:fs';
import * as glue from '../../wasm/simd/gradstep_wasm.js';

let memory: WebAssembly.Memory | undefined;

/** Instantiates the SIMD build once per test file and returns its glue. */
export function loadGlue(): typeof glue {
  memory ??= glue.initSync({ module: readFileSync(new URL('../../wasm/simd/gradstep_wasm_bg.wasm', import.meta.url)) }).memory;
  return glue;
}

/**
 * Runs `fn` with wasm blocks holding copies of `arrays` (an empty array gets pointer 0), then frees
 * them; `view(k)` copies block k back out.
 */
export function withBlocks<T>(arrays: Float32Array[], fn: (ptrs: number[], view: (k: number) => Float32Array) => T): T {
  if (memory === undefined) throw new Error('wasm-glue: call loadGlue() first');
  const buffer = () => memory!.buffer;
  const ptrs = arrays.map((a) => {
    const ptr = a.length === 0 ? 0 : glue.allocF32(a.length);
    if (a.length > 0) new Float32Array(buffer(), ptr, a.length).set(a);
    return ptr;
  });
  try {
    return fn(ptrs, (k) => new Float32Array(buffer(), ptrs[k], arrays[k].length).slice());
  } finally {
    ptrs.forEach((ptr, k) => ptr !== 0 && glue.freeF32(ptr, arrays[k].length));
  }
}
