// Before init(): the js backend works, the wasm backend throws a clear error. (A file of its own: vitest
// gives each file fresh modules, so nothing here has been initialised.)
import { SGD, getBackend, init, memoryStats, param, setBackend, wasmSimd } from 'gradstep';
import { describe, expect, it } from 'vitest';

describe('before init()', () => {
  it('defaults to the js backend, which trains without init()', () => {
    expect(getBackend()).toBe('js');
    expect(wasmSimd()).toBe(null);
    const p = param([1, 2]);
    const opt = new SGD([p], { lr: 0.5 });
    p.grad.set([1, -1]);
    opt.step();
    expect(Array.from(p.value)).toEqual([0.5, 2.5]);
    expect(p.backend).toBe('js');
    expect(memoryStats().wasmBytes).toBe(0);
  });

  it('refuses the wasm backend with an error that says what to do', () => {
    const message = "gradstep: the wasm backend is not loaded; await init() first (or use the 'js' backend)";
    expect(() => param(3, { backend: 'wasm' })).toThrow(message);
    expect(() => setBackend('wasm')).toThrow(message);
  });

  it('init() rejects a non-object argument and bad bytes, and can then still succeed', async () => {
    await expect(init(3 as never)).rejects.toThrow(new TypeError('gradstep: init(options) takes an object, got 3'));
    await expect(init({ simd: 'no' } as never)).rejects.toThrow(/init\(\{ simd \}\) must be true, false or undefined, got no/);
    // A valid module that is not gradstep's is refused before it is instantiated, so init() can be retried.
    const notGradstep = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
    await expect(init({ wasm: notGradstep })).rejects.toThrow(/is not gradstep's \(or not this version's\): it lacks memory/);
    await expect(init({ wasm: new Uint8Array([1, 2, 3]) })).rejects.toThrow();
    const first = init();
    const second = init();
    expect(second).toBe(first);
    await first;
    expect(getBackend()).toBe('wasm');
  });
});
