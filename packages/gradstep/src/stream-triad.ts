import { backendNamed } from './backends.js';
import type { Param } from './param.js';

/**
 * STREAM's triad on three params' values, `a = b + scalar·c`, on their backend: a memory-bandwidth
 * probe (12 bytes per element) that the benchmarks use as the roofline of the optimizer kernels,
 * which run over memory the same way. The params must have one backend and one length.
 */
export function streamTriad(a: Param, b: Param, c: Param, scalar: number): void {
  if (b.backend !== a.backend || c.backend !== a.backend || b.length !== a.length || c.length !== a.length) {
    throw new RangeError(`streamTriad: a, b and c must share a backend and a length, got ${[a, b, c].map((p) => `${p.backend}[${p.length}]`).join(', ')}`);
  }
  if (typeof scalar !== 'number') throw new TypeError(`streamTriad: scalar must be a number, got ${typeof scalar}`);
  backendNamed(a.backend, 'streamTriad').streamTriad(a.memory().value, b.memory().value, c.memory().value, scalar);
}
