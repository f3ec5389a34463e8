// wasm memory: live views across memory growth, no allocation in step(), one wasm call per step, and
// memory that stays flat over many create/step/dispose cycles.
import { Adam, init, memoryStats, param, SGD } from 'gradstep';
import { getHeapSpaceStatistics } from 'node:v8';
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, CONFIGS, firstBitDifference, seeded } from './helpers.js';

beforeAll(() => init());

declare const gc: () => void;

const newSpaceBytes = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_used_size;

describe('wasm memory', () => {
  it('hands out live views after memory growth; a view taken before growth is detached', () => {
    const small = param([1, 2, 3], { backend: 'wasm' });
    const before = small.value;
    const bytes = memoryStats().wasmBytes;
    const big = param(8 * 1024 * 1024, { backend: 'wasm' }); // 32 MiB: forces growth
    expect(memoryStats().wasmBytes).toBeGreaterThan(bytes);
    expect(before.length).toBe(0); // detached by the growth
    expect(Array.from(small.value)).toEqual([1, 2, 3]);
    small.value[1] = 7;
    expect(small.value[1]).toBe(7);
    big.dispose();
    small.dispose();
  });

  it('param(other.value) copies a view of wasm memory even when the allocation grows memory', () => {
    const source = param(seeded(5, 1000), { backend: 'wasm' });
    const copies = [];
    for (let i = 0; i < 40; i++) copies.push(param(source.value, { backend: 'wasm' })); // grows memory on the way
    copies.forEach((c) => expect(firstBitDifference(c.value, source.value)).toBe(-1));
    const big = param(source.value.length * 0 + 4 * 1024 * 1024, { backend: 'wasm' });
    expect(Array.from(param(source.value).value.subarray(0, 3))).toEqual(Array.from(source.value.subarray(0, 3)));
    [source, big, ...copies].forEach((p) => p.dispose());
  });

  it('makes one wasm call per step, whatever the number of tensors', () => {
    const params = Array.from({ length: 8 }, (_, i) => param(10 + i, { backend: 'wasm' }));
    const opt = new Adam(params);
    const calls = memoryStats().wasmStepCalls;
    for (let i = 0; i < 3; i++) opt.step();
    expect(memoryStats().wasmStepCalls - calls).toBe(3);
    opt.dispose();
    params.forEach((p) => p.dispose());
  });

  it.each(BACKENDS.flatMap((backend) => CONFIGS.map(([name, make]) => [name, backend, make] as const)))('%s allocates nothing in step() on %s: wasm memory and the JS heap stay flat', async (_name, backend, make) => {
    const params = [param(256, { backend }), param(7, { backend })];
    const opt = make(params);
    params[0].grad.fill(0.01);
    // Warm up: V8 optimises on a background thread, and unoptimised code boxes every float it computes.
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 5000; i++) opt.step();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const wasmBytes = memoryStats().wasmBytes;
    for (let i = 0; i < 2000; i++) opt.step();
    expect(memoryStats().wasmBytes).toBe(wasmBytes);
    // Right after gc() the young generation is empty and 1,000 steps are far from filling it, so any
    // object a step allocates shows in its size (16 bytes a step would be 16 kB); code V8 compiles
    // goes to other spaces. Until V8 has optimised step() (on a background thread), the interpreter
    // boxes every float it computes, so the best of several trials, spaced out in time, is taken.
    const growth: number[] = [];
    for (let trial = 0; trial < 8 && Math.min(...growth) >= 8 * 1024; trial++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      for (let i = 0; i < 2000; i++) opt.step();
      gc();
      const before = newSpaceBytes();
      for (let i = 0; i < 1000; i++) opt.step();
      growth.push(newSpaceBytes() - before);
    }
    expect(Math.min(...growth)).toBeLessThan(8 * 1024);
    opt.dispose();
    params.forEach((p) => p.dispose());
  });

  it('returns every block on dispose: 10,000 create/step/dispose cycles leave memory flat', () => {
    const blocks = memoryStats().wasmBlocks;
    const cycle = () => {
      const w = param(4096, { backend: 'wasm' });
      const b = param(16, { backend: 'wasm' });
      const opt = new Adam([w, b], { amsgrad: true });
      w.grad.fill(0.5);
      opt.step();
      opt.dispose();
      w.dispose();
      b.dispose();
    };
    for (let i = 0; i < 100; i++) cycle();
    gc();
    const bytes = memoryStats().wasmBytes;
    const heap = process.memoryUsage().heapUsed;
    for (let i = 0; i < 10_000; i++) cycle();
    gc();
    expect(memoryStats().wasmBlocks).toBe(blocks);
    expect(memoryStats().wasmBytes).toBe(bytes);
    expect(process.memoryUsage().heapUsed - heap).toBeLessThan(1024 * 1024);
  });

  it('frees the wasm memory of params and optimizers that were dropped without dispose() (FinalizationRegistry backstop)', async () => {
    const blocks = memoryStats().wasmBlocks;
    (() => {
      const dropped = [param(100, { backend: 'wasm' }), param(3, { backend: 'wasm' })];
      new Adam(dropped, { amsgrad: true }).step();
    })();
    expect(memoryStats().wasmBlocks).toBe(blocks + 4 + 6 + 3); // 2 params × (value, grad), 2 × 3 state, table, scalars, flags
    for (let i = 0; i < 20 && memoryStats().wasmBlocks > blocks; i++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(memoryStats().wasmBlocks).toBe(blocks);
  });

  it('never frees a dropped param while a view of it is kept: the view does not end up over another param', async () => {
    const collect = async () => {
      for (let i = 0; i < 10; i++) {
        gc();
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    const blocks = memoryStats().wasmBlocks;
    let value: Float32Array | null = param(seeded(5, 64), { backend: 'wasm' }).value; // the Param itself is dropped
    let grad: Float32Array | null = param(64, { backend: 'wasm' }).grad;
    await collect();
    expect(memoryStats().wasmBlocks).toBe(blocks + 4);
    const others = Array.from({ length: 8 }, () => param(new Float32Array(64).fill(7), { backend: 'wasm' }));
    value.fill(-1);
    grad.fill(-2);
    for (const p of others) expect(p.value.every((x) => x === 7) && p.grad.every((x) => x === 0)).toBe(true);
    // Once the views are dropped too, the backstop frees the param as before.
    value = grad = null;
    await collect();
    expect(memoryStats().wasmBlocks).toBe(blocks + 2 * others.length);
    for (const p of others) p.dispose();
  });

  it('refuses a size that wasm memory cannot hold, with a RangeError, and stays usable', () => {
    const blocks = memoryStats().wasmBlocks;
    expect(() => param(2 ** 30, { backend: 'wasm' })).toThrow(RangeError);
    expect(memoryStats().wasmBlocks).toBe(blocks);
    const p = param([1], { backend: 'wasm' });
    p.grad.set([1]);
    new SGD([p], { lr: 1 }).step();
    expect(p.value[0]).toBe(0);
  });
});
