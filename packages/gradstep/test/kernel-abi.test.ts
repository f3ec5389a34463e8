// The kernel ABI has one source, crates/gradstep-kernels/src/abi.rs: the wasm module exports it and
// packages/gradstep/src/kernels.ts is checked against it here (and when init() loads the module), over
// every kernel × flag combination. The bindings' allocator refuses blocks it did not hand out.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as glue from '../wasm/simd/gradstep_wasm.js';
import { abiDifferences, Flags, Kernel, SCALAR_LAYOUTS, type AbiDescription } from '../src/kernels.js';

let abi: AbiDescription;

beforeAll(() => {
  // A raw instance of the built module, separate from the package's: the tests call its exports directly.
  glue.initSync({ module: readFileSync(new URL('../wasm/simd/gradstep_wasm_bg.wasm', import.meta.url)) });
  abi = JSON.parse(glue.abiDescription());
});

describe('the kernel ABI', () => {
  it('is the same in the wasm module and in the package, for every kernel, flag combination and scalar slot', () => {
    expect(abiDifferences(abi, glue.usedStateMask)).toEqual([]);
    expect(abi.kernels.map((k) => k.name)).toEqual(Object.keys(SCALAR_LAYOUTS));
  });

  it('fails when one side gains a kernel, moves a flag, reorders scalars or uses another state slot', () => {
    const tampered = (change: (copy: AbiDescription) => void) => {
      const copy = structuredClone(abi);
      change(copy);
      return abiDifferences(copy, glue.usedStateMask);
    };
    expect(tampered((a) => a.kernels.push({ name: 'Adafactor', id: 9, scalars: ['Lr'] }))).toEqual([
      expect.stringMatching(/^kernels: the module has \[.*"Lion=8","Adafactor=9"\], the package \[.*"Lion=8"\]$/),
    ]);
    expect(tampered((a) => (a.flags.Rectify = 1 << 9))).toEqual([expect.stringMatching(/^flags: /)]);
    expect(tampered((a) => a.kernels[Kernel.Adam].scalars.reverse())).toEqual([expect.stringMatching(/^Adam scalars: /)]);
    expect(tampered((a) => (a.tableWords = 8))).toEqual(['step table words: the module has 8, the package 7']);
    expect(tampered((a) => (a.activations = { none: 1, relu: 0 }))).toEqual(['fused activations: the module has {"none":1,"relu":0}, the package {"none":0,"relu":1}']);
    expect(tampered((a) => (a.softmaxStats = 4))).toEqual(['softmax stats per row: the module has 4, the package 3']);
    expect(tampered((a) => (a.scalars += 1))).toEqual([`scalars per group: the module has ${abi.scalars + 1}, the package ${abi.scalars}`]);
    // A module without one of the package's kernels: the kernel list differs, and nothing throws.
    expect(tampered((a) => a.kernels.pop())).toEqual([expect.stringMatching(/^kernels: the module has \[.*"Radam=7"\], the package \[.*"Radam=7","Lion=8"\]$/)]);
    const otherSlots = abiDifferences(abi, (kernel, flags) => glue.usedStateMask(kernel, flags) ^ (kernel === Kernel.Rmsprop && flags & Flags.Centered ? 2 : 0));
    expect(otherSlots).toEqual([`Rmsprop state slots with flags ${Flags.Centered}: the module uses mask 1, the package 3`]);
  });

  it('names the error codes the module returns', () => {
    expect(Object.keys(abi.errors)).toEqual(['1', '2', '3', '4', '5']);
  });
});

describe('the bindings allocator', () => {
  it('refuses a double free, a wrong length and a pointer it never handed out (code 5), and stays usable', () => {
    const ptr = glue.allocF32(10);
    expect(ptr % 16).toBe(0);
    expect(glue.freeF32(ptr, 9)).toBe(5);
    expect(glue.freeF32(ptr + 16, 10)).toBe(5);
    expect(glue.freeF32(ptr, 10)).toBe(0);
    expect(glue.freeF32(ptr, 10)).toBe(5);
    expect(glue.freeF32(0, 0)).toBe(5);
    expect(abi.errors['5']).toMatch(/not handed out by allocF32 with this length, or was freed already/);
    const again = glue.allocF32(10);
    expect(again).not.toBe(0);
    expect(glue.freeF32(again, 10)).toBe(0);
  });
});
