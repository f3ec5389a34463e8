// wasm memory filled to its 4 GiB limit and emptied: the kernels work again. (At 65,536 pages the
// memory size in bytes wrapped to 0 in 32-bit arithmetic and every later step was refused.) In a
// child process, so that 4 GiB of wasm memory does not stay with this test worker.
import { describe, expect, it } from 'vitest';
import { runNodeScript } from './helpers.js';

describe('wasm memory at its 4 GiB limit', () => {
  it('refuses the allocation that does not fit, and steps again once memory is freed', () => {
    const script = `
      import { init, memoryStats, param, SGD } from 'gradstep';
      await init();
      const held = [];
      // Halving sizes down to one page fill memory up to its very last page.
      for (let size = 2 ** 27; size >= 1024; ) {
        try {
          held.push(param(size));
        } catch (error) {
          if (!(error instanceof RangeError)) throw error;
          size /= 2;
        }
      }
      const reached = memoryStats().wasmBytes;
      for (const p of held) p.dispose();
      const p = param([1, 2, 3]);
      const opt = new SGD([p], { lr: 0.5, momentum: 0.9 });
      p.grad.set([1, -1, 2]);
      opt.step();
      console.log(JSON.stringify({ reached, blocks: memoryStats().wasmBlocks, value: Array.from(p.value) }));
    `;
    const { status, stdout, stderr } = runNodeScript(script);
    expect(status, stderr).toBe(0);
    // 2 param blocks, 1 momentum buffer, the step table, scalars and flags.
    expect(JSON.parse(stdout)).toEqual({ reached: 2 ** 32, blocks: 6, value: [0.5, 2.5, 2] });
  });
});
