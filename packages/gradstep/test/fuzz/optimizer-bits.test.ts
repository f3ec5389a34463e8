// Fuzz: every optimizer configuration over arbitrary float32 values and gradients (NaN with any
// payload and sign, ±Infinity, ±0, subnormals, the float32 extremes), 1 to 3 params of length 0..40
// (every SIMD body/tail split), 1 to 3 steps with a different gradient each step:
// - the wasm and js backends give the same bits for every value and state buffer, and leave the
//   gradients as written;
// - nothing throws;
// - a wasm step writes nowhere but its own params and state: sentinel params allocated before the
//   params, between the params and the optimizer state, and after the optimizer keep their bits.
import fc from 'fast-check';
import { init, param, type Optimizer, type OptimizerStateDict, type Param } from 'gradstep';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONFIGS, firstBitDifference } from '../helpers.js';

beforeAll(() => init());

// FUZZ_RUNS and FUZZ_SEED (an offset) allow longer or other local runs; CI uses the defaults.
const NUM_RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const SEED = Number(process.env.FUZZ_SEED ?? 0);
const MAX_LENGTH = 40;

/** Edge values of float32, as numbers (written with Math.fround semantics into a Float32Array). */
const EDGES = [
  0, -0, NaN, Infinity, -Infinity, 1e-45, -1.4e-45, 2 ** -149, -(2 ** -149), 2 ** -126, -(2 ** -126), 2 ** -127,
  3.4028234663852886e38, -3.4028234663852886e38, 1.7e38, 1e-30, -1e-30, 1e30, -1e30, 1, -1, 0.5, 1e-8, 1e19, -1e19,
];
const bitsOf = (x: number) => new Uint32Array(Float32Array.of(x).buffer)[0];

/**
 * A float32 as its bit pattern, heavily weighted towards edge cases: arbitrary floats (fast-check
 * biases towards its own edge cases too), the constants above, small ordinary values, and raw bit
 * patterns (NaNs of every payload and sign, subnormals).
 */
const f32Bits: fc.Arbitrary<number> = fc.oneof(
  { arbitrary: fc.float({ noNaN: false }).map(bitsOf), weight: 4 },
  { arbitrary: fc.constantFrom(...EDGES).map(bitsOf), weight: 4 },
  { arbitrary: fc.float({ min: -4, max: 4, noNaN: true }).map(bitsOf), weight: 3 },
  { arbitrary: fc.integer({ min: 0, max: 0xffffffff }), weight: 1 },
  {
    // NaNs with arbitrary payloads and signs, and subnormals with arbitrary mantissas
    arbitrary: fc.tuple(fc.boolean(), fc.boolean(), fc.integer({ min: 1, max: 0x7fffff })).map(([sign, nan, m]) => ((sign ? 0x80000000 : 0) | (nan ? 0x7f800000 : 0) | m) >>> 0),
    weight: 1,
  },
);

interface Case {
  /** Per param: its initial value bits and one gradient (bits) per step. */
  params: { value: number[]; grads: number[][] }[];
  steps: number;
}

const caseArbitrary: fc.Arbitrary<Case> = fc
  .tuple(fc.array(fc.integer({ min: 0, max: MAX_LENGTH }), { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 3 }))
  .chain(([lengths, steps]) =>
    fc
      .tuple(
        ...lengths.map((n) => {
          const vector = fc.array(f32Bits, { minLength: n, maxLength: n });
          return fc.record({ value: vector, grads: fc.array(vector, { minLength: steps, maxLength: steps }) });
        }),
      )
      .map((params) => ({ params, steps })),
  );

const u32 = (view: Float32Array) => new Uint32Array(view.buffer, view.byteOffset, view.length);

function writeBits(view: Float32Array, bits: readonly number[]) {
  u32(view).set(bits);
}

interface Run {
  values: Float32Array[];
  grads: Float32Array[];
  dict: OptimizerStateDict;
}

/** The sentinel's pattern: distinct words including NaN payloads that a float copy could canonicalize. */
const SENTINEL_LENGTH = 9;
const pattern = (salt: number) => Array.from({ length: SENTINEL_LENGTH }, (_, i) => (((0xdeadbeef ^ Math.imul(salt, 0x01000193) ^ Math.imul(i, 0x9e3779b9)) | (i % 3 === 0 ? 0x7f800001 : 0)) >>> 0));

function makeSentinel(salt: number): Param {
  const s = param(SENTINEL_LENGTH, { backend: 'wasm' });
  writeBits(s.value, pattern(salt));
  writeBits(s.grad, pattern(salt + 1000));
  return s;
}

function checkSentinel(s: Param, salt: number, label: string) {
  // Re-read the views: creating params or optimizers may have grown (and detached) wasm memory.
  expect(Array.from(u32(s.value)), `${label} sentinel value`).toEqual(pattern(salt));
  expect(Array.from(u32(s.grad)), `${label} sentinel grad`).toEqual(pattern(salt + 1000));
}

function run(make: (p: Param[]) => Optimizer<object>, c: Case, backend: 'wasm' | 'js'): Run {
  const sentinels: Param[] = [];
  const params: Param[] = [];
  let opt: Optimizer<object> | null = null;
  try {
    if (backend === 'wasm') sentinels.push(makeSentinel(1));
    for (const p of c.params) {
      const created = param(p.value.length, { backend });
      params.push(created);
      writeBits(created.value, p.value);
    }
    if (backend === 'wasm') sentinels.push(makeSentinel(2));
    opt = make(params);
    if (backend === 'wasm') sentinels.push(makeSentinel(3));
    for (let t = 0; t < c.steps; t++) {
      params.forEach((p, i) => writeBits(p.grad, c.params[i].grads[t]));
      opt.step();
      sentinels.forEach((s, k) => checkSentinel(s, k + 1, `step ${t + 1}: #${k + 1}`));
    }
    expect(opt.stepCount).toBe(c.steps);
    return {
      values: params.map((p) => p.value.slice()),
      grads: params.map((p) => p.grad.slice()),
      dict: opt.stateDict({ encoding: 'float32' }),
    };
  } finally {
    opt?.dispose();
    for (const p of params) p.dispose();
    for (const s of sentinels) s.dispose();
  }
}

describe.each(CONFIGS.map(([name, make], index) => [name, make, index] as const))('%s', (_name, make, index) => {
  it('wasm and js give the same bits for values, gradients and every state buffer; a step writes nowhere else', () => {
    fc.assert(
      fc.property(caseArbitrary, (c) => {
        const wasm = run(make, c, 'wasm');
        const js = run(make, c, 'js');
        c.params.forEach((p, i) => {
          const at = firstBitDifference(wasm.values[i], js.values[i]);
          expect(at, `params[${i}].value differs at ${at}: wasm ${wasm.values[i][at]}, js ${js.values[i][at]}`).toBe(-1);
          // A step reads the gradient and leaves it as written (every bit, NaN payloads included).
          expect(Array.from(u32(wasm.grads[i])), `params[${i}].grad on wasm`).toEqual(p.grads[c.steps - 1]);
          expect(Array.from(u32(js.grads[i])), `params[${i}].grad on js`).toEqual(p.grads[c.steps - 1]);
        });
        const { state: wasmState, ...wasmRest } = wasm.dict;
        const { state: jsState, ...jsRest } = js.dict;
        expect(wasmRest).toEqual(jsRest); // step, options, NAdam's μ product
        expect(wasmState.map((s) => Object.keys(s.buffers))).toEqual(jsState.map((s) => Object.keys(s.buffers)));
        wasmState.forEach((entry, i) => {
          expect(entry.length).toBe(c.params[i].value.length);
          for (const [name, buffer] of Object.entries(entry.buffers)) {
            const other = jsState[i].buffers[name];
            expect(buffer).toBeInstanceOf(Float32Array);
            const at = firstBitDifference(buffer as Float32Array, other as Float32Array);
            expect(at, `state[${i}].buffers.${name} differs at ${at}: wasm ${(buffer as Float32Array)[at]}, js ${(other as Float32Array)[at]}`).toBe(-1);
          }
        });
      }),
      { seed: SEED + 0x6a5d + index, numRuns: NUM_RUNS },
    );
  });
});

describe('the fuzzed inputs reach the edge cases', () => {
  it('draws NaNs with payloads, infinities, subnormals, ±0 and the float32 extremes', () => {
    const drawn = new Set(fc.sample(f32Bits, { seed: 1, numRuns: 2000 }));
    const has = (test: (bits: number) => boolean) => [...drawn].some(test);
    expect(has((b) => b === 0x80000000)).toBe(true); // -0
    expect(has((b) => (b & 0x7f800000) === 0x7f800000 && (b & 0x7fffff) !== 0 && (b & 0x7fffff) !== 0x400000)).toBe(true); // NaN payload
    expect(has((b) => b === 0x7f800000) && has((b) => b === 0xff800000)).toBe(true);
    expect(has((b) => (b & 0x7f800000) === 0 && (b & 0x7fffff) !== 0)).toBe(true); // subnormal
    expect(has((b) => b === 0x7f7fffff) && has((b) => b === 0xff7fffff)).toBe(true);
  });
});
