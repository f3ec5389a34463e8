// What loadStateDict puts in the optimizer is the values of the dict, bit for bit: NaN, ±Infinity,
// −0, subnormals and the largest float32, from either encoding (base64 written here by Node's own
// Buffer, not by gradstep; or Float32Array), on either backend, into either backend. Read back as
// floats through stateDict({ encoding: 'float32' }) (no base64 on the way back, so an encoder and a
// decoder that are wrong in the same way cannot hide each other), and used as those values by the
// next step. (state-dict.test.ts compares a reloaded dict only by serialising it again.)
import { Adam, init, param, SGD, type OptimizerStateDict } from 'gradstep';
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from './helpers.js';

beforeAll(() => init());

const f = Math.fround;
const bitsOf = (values: Float32Array) => Array.from(new Uint32Array(values.buffer, values.byteOffset, values.length));
/** The bits a state dict holds for a value: NaN as 0x7fc00000 (state dicts write one NaN), everything else as is. */
const dictBits = (values: readonly number[]) => values.map((x) => (Number.isNaN(x) ? 0x7fc00000 : new Uint32Array(Float32Array.of(x).buffer)[0]));

// Nine values: the SIMD body (8) and a tail element on the wasm backend.
const SPECIAL = [NaN, Infinity, -Infinity, -0, 0, 1.5, -2.5e-42, 3.4028234663852886e38, -(2 ** -149)];

type Encoding = 'base64' | 'float32';
const encode = (values: readonly number[], encoding: Encoding) => {
  const floats = Float32Array.from(values);
  return encoding === 'float32' ? floats : Buffer.from(floats.buffer).toString('base64');
};

const pairs = BACKENDS.flatMap((from) => BACKENDS.flatMap((to) => (['base64', 'float32'] as const).map((encoding) => [from, to, encoding] as const)));

describe.each(pairs)('a dict from %s loaded on %s (%s)', (from, to, encoding) => {
  it("holds NaN, ±Infinity, −0, subnormals and the largest float as SGD's momentum buffer, and steps with them", () => {
    const source = new SGD([param(SPECIAL.length, { backend: from })], { lr: 1, momentum: 0.5 });
    source.step();
    const dict = source.stateDict();
    dict.state[0].buffers.momentumBuffer = encode(SPECIAL, encoding);
    const p = param(SPECIAL.length, { backend: to });
    p.value.fill(1);
    const target = new SGD([p], { lr: 0.5, momentum: 0.25 });
    target.loadStateDict(encoding === 'base64' ? (JSON.parse(JSON.stringify(dict)) as OptimizerStateDict) : structuredClone(dict));
    expect(target.paramGroups[0].momentum).toBe(0.5); // the dict's options, restored
    const loaded = target.stateDict({ encoding: 'float32' }).state[0].buffers.momentumBuffer as Float32Array;
    expect(bitsOf(loaded)).toEqual(dictBits(SPECIAL));
    expect(Object.is(loaded[3], -0)).toBe(true);

    // The next step uses exactly these values: buf = 0.5·buf + g (g = −0, so −0 stays −0), p = 1 − 1·buf.
    p.grad.fill(-0);
    target.step();
    const buffer = SPECIAL.map((b) => f(f(b * 0.5) + f(1 * -0)));
    const after = target.stateDict({ encoding: 'float32' }).state[0].buffers.momentumBuffer as Float32Array;
    expect(bitsOf(after)).toEqual(dictBits(buffer));
    expect(bitsOf(p.value.slice())).toEqual(dictBits(buffer.map((b) => f(1 - f(1 * b)))));
    expect(Array.from(p.value.slice(0, 4))).toEqual([NaN, -Infinity, Infinity, 1]);
  });

  it("puts each of Adam's three buffers in its own slot, values intact", () => {
    const source = new Adam([param(SPECIAL.length, { backend: from })], { amsgrad: true });
    source.step();
    const dict = source.stateDict();
    const buffers: Record<string, number[]> = {
      expAvg: SPECIAL,
      expAvgSq: SPECIAL.map((x) => Math.abs(x)).reverse(),
      maxExpAvgSq: [1, 2, 3, Infinity, 0, -0, NaN, 1e-40, 7],
    };
    for (const [name, values] of Object.entries(buffers)) dict.state[0].buffers[name] = encode(values, encoding);
    const target = new Adam([param(SPECIAL.length, { backend: to })], { amsgrad: true });
    target.loadStateDict(encoding === 'base64' ? (JSON.parse(JSON.stringify(dict)) as OptimizerStateDict) : structuredClone(dict));
    const loaded = target.stateDict({ encoding: 'float32' }).state[0].buffers as Record<string, Float32Array>;
    expect(Object.keys(loaded)).toEqual(['expAvg', 'expAvgSq', 'maxExpAvgSq']);
    for (const [name, values] of Object.entries(buffers)) expect(bitsOf(loaded[name]), name).toEqual(dictBits(values));
    expect(target.stepCount).toBe(1);
  });
});
