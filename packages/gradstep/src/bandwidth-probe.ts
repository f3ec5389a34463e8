import { backendNamed } from './backends.js';
import { checkParam, type Param } from './param.js';

/**
 * `a.value += scalar·b.value` on the params' backend: the benchmarks' memory-bandwidth probe. It
 * moves memory the way the optimizer kernels do (read-modify-write of one array, read of another:
 * 12 bytes per element), so its GB/s is the roofline each optimizer is compared with.
 * The params must be two different params of one backend and one length.
 */
export function bandwidthProbe(a: Param, b: Param, scalar: number): void {
  checkParam('bandwidthProbe', 'a', a);
  checkParam('bandwidthProbe', 'b', b);
  // The kernel writes a while it reads b (as an optimizer writes the value and reads the gradient).
  if (a === b) throw new RangeError(`bandwidthProbe: a and b must be two different params, got param #${a.id} for both`);
  if (b.backend !== a.backend || b.length !== a.length) {
    throw new RangeError(`bandwidthProbe: a and b must share a backend and a length, got ${a.backend}[${a.length}] and ${b.backend}[${b.length}]`);
  }
  if (typeof scalar !== 'number') throw new TypeError(`bandwidthProbe: scalar must be a number, got ${typeof scalar}`);
  backendNamed(a.backend, 'bandwidthProbe').bandwidthProbe(a.memory().value, b.memory().value, scalar);
}
