// The PCG32 generator: known answers, unbiased bounded integers, permutations, seed validation.
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Random, randomFrom, resolveSeed } from '../../src/model-selection/random.js';

describe('known answers', () => {
  it("seed 42 gives pcg-c-basic's published demo output (pcg32_srandom_r(42, 54))", () => {
    const rng = new Random(42);
    expect(Array.from({ length: 6 }, () => rng.nextUint32())).toEqual([0xa15c02b7, 0x7b47f409, 0xba1d3330, 0x83d2f293, 0xbfa4784b, 0xcbed606e]);
  });

  it('seed 0 and 2^32 − 1 give the sequences of the Python twin in test/fixtures/gen_sklearn_splits.py', () => {
    // From Pcg32(0) and Pcg32(2**32 - 1) of the generator (Python big integers, no 32-bit tricks).
    const zero = new Random(0);
    expect(Array.from({ length: 5 }, () => zero.nextUint32())).toEqual([1203932051, 3113183783, 2101201694, 4034269462, 2630041435]);
    // The largest seed exercises the carry of `state += seed` into the high half.
    const top = new Random(4294967295);
    expect(top.seed).toBe(4294967295);
    expect(Array.from({ length: 3 }, () => top.nextUint32())).toEqual([406254218, 1097992594, 1728288565]);
    expect(new Random(4294967294).nextUint32()).not.toBe(406254218);
  });

  it('the 64-bit carries: every state and seed whose low halves sum to 2^32 exactly or just past it', () => {
    // pcg32 with BigInt, as pcg-c-basic writes it, against the generator's 32-bit halves. The carry out
    // of the low half happens only when state·M + 109 or state + seed crosses 2^32 in the low bits:
    // rare for random states, so the states are made to land on it.
    const INCREMENT = 109n;
    const seeded = (seed: number) => referenceStep(referenceStep(0n) + BigInt(seed));
    // 2^32 − 109 is the seed whose `state += seed` sums to 2^32 exactly (the first step leaves 109).
    for (const seed of [2 ** 32 - 110, 2 ** 32 - 109, 2 ** 32 - 108, 2 ** 32 - 1]) {
      expect(new Random(seed).getState()).toBe(stateString(seeded(seed), seed));
      expect(draws(new Random(seed), 8)).toEqual(referenceDraws(seeded(seed), 8));
    }
    // Low halves whose product with M's low half ends 2^32 − 109 (sum exactly 2^32), one below and one above.
    const inverse = inverseModPow2(6364136223846793005n & 0xffffffffn);
    for (const target of [2n ** 32n - INCREMENT - 1n, 2n ** 32n - INCREMENT, 2n ** 32n - INCREMENT + 1n]) {
      const lo = (target * inverse) & 0xffffffffn;
      for (const hi of [0n, 0x5851f42dn, 0xffffffffn]) {
        const state = (hi << 32n) | lo;
        expect(draws(Random.fromState(stateString(state, 7)), 8)).toEqual(referenceDraws(state, 8));
      }
    }
  });

  it('integer(n) returns a draw equal to the rejection threshold; only draws below it are redrawn', () => {
    // State 0 draws 0, the threshold (2^32 − n) mod n of every power of two: kept, so integer(n) is 0.
    for (const n of [1, 2, 1024, 2 ** 31]) {
      const rng = Random.fromState(stateString(0n, 1));
      expect(rng.integer(n)).toBe(0);
      expect(rng.getState()).toBe(stateString(referenceStep(0n), 1));
    }
  });

  it('nextFloat combines two draws into 53 bits', () => {
    const a = new Random(9);
    const b = new Random(9);
    const hi = b.nextUint32() >>> 5;
    const lo = b.nextUint32() >>> 6;
    expect(a.nextFloat()).toBe((hi * 2 ** 26 + lo) / 2 ** 53);
  });
});

describe('distribution', () => {
  it('nextUint32 and nextFloat cover their ranges with the right mean', () => {
    const rng = new Random(1);
    let sum = 0;
    let min = 1;
    let max = 0;
    let highBitSet = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = rng.nextFloat();
      sum += x;
      min = Math.min(min, x);
      max = Math.max(max, x);
      if (rng.nextUint32() >= 2 ** 31) highBitSet++;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(Math.abs(sum / 100_000 - 0.5)).toBeLessThan(0.01);
    expect(Math.abs(highBitSet / 100_000 - 0.5)).toBeLessThan(0.01);
  });

  it('integer(n) is uniform: chi-square over 200,000 draws within a loose bound', () => {
    for (const n of [2, 7, 10, 33]) {
      const rng = new Random(n);
      const draws = 200_000;
      const counts = new Float64Array(n);
      for (let i = 0; i < draws; i++) {
        counts[rng.integer(n)]++;
      }
      // A typed array ignores writes at out-of-range or fractional indices: such draws would be lost.
      expect(counts.reduce((s, c) => s + c, 0)).toBe(draws);
      const expected = draws / n;
      const chiSquare = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
      // The 0.999999 quantile of chi-square with n − 1 <= 32 degrees of freedom is below 90.
      expect(chiSquare).toBeLessThan(n + 6 * Math.sqrt(2 * n) + 30);
    }
  });

  it('integer(n) has no modulo bias even where it would be large (n = 3·2^30)', () => {
    // Plain draw % n would give values below 2^30 with probability 1/2 instead of 1/3.
    const rng = new Random(5);
    let low = 0;
    for (let i = 0; i < 60_000; i++) if (rng.integer(3 * 2 ** 30) < 2 ** 30) low++;
    expect(Math.abs(low / 60_000 - 1 / 3)).toBeLessThan(0.01);
  });

  it('integer accepts 1 to 2^32 and rejects anything else', () => {
    const rng = new Random(0);
    expect(rng.integer(1)).toBe(0);
    expect(rng.integer(2 ** 32)).toBeLessThan(2 ** 32);
    for (const bad of [0, -1, 1.5, 2 ** 32 + 1, NaN, Infinity]) expect(() => rng.integer(bad)).toThrow(RangeError);
    expect(() => rng.integer('3' as unknown as number)).toThrow(/n must be an integer from 1 to 2\^32, got "3"/);
  });

  it('every permutation of 3 elements is about equally likely', () => {
    const rng = new Random(3);
    const seen = new Map<string, number>();
    for (let i = 0; i < 60_000; i++) {
      const key = Array.from(rng.permutation(3)).join('');
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    expect(seen.size).toBe(6);
    for (const count of seen.values()) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });
});

describe('shuffle and permutation', () => {
  it('shuffle permutes in place and returns the same array; permutation(n) is a permutation of 0..n-1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }), (n, seed) => {
        const perm = new Random(seed).permutation(n);
        expect(perm).toBeInstanceOf(Uint32Array);
        expect(Array.from(perm).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
        const values = Uint32Array.from({ length: n }, (_, i) => i * 3 + 1);
        const result = new Random(seed).shuffle(values);
        expect(result).toBe(values);
        // The same draws as permutation: element i of the shuffle came from position perm[i].
        expect(Array.from(values)).toEqual(Array.from(perm, (p) => p * 3 + 1));
      }),
    );
  });

  it('shuffle of a subarray touches only that part', () => {
    const buffer = Uint32Array.from({ length: 10 }, (_, i) => i);
    new Random(4).shuffle(buffer.subarray(3, 7));
    expect(Array.from(buffer.subarray(0, 3))).toEqual([0, 1, 2]);
    expect(Array.from(buffer.subarray(7))).toEqual([7, 8, 9]);
    expect(Array.from(buffer.subarray(3, 7)).sort()).toEqual([3, 4, 5, 6]);
  });

  it('shuffle and permutation refuse bad arguments by name', () => {
    expect(() => new Random(0).shuffle([1, 2, 3] as unknown as Uint32Array)).toThrow(new TypeError('Random.shuffle: array must be a Uint32Array, got an array of length 3'));
    expect(() => new Random(0).permutation(-1)).toThrow(/^Random\.permutation: n must be an integer from 0 to/);
    expect(() => new Random(0).integer(0)).toThrow(/^Random\.integer: n must be an integer from 1 to 2\^32, got 0$/);
  });

  it('different seeds give different permutations', () => {
    const perms = new Set(Array.from({ length: 50 }, (_, seed) => Array.from(new Random(seed).permutation(20)).join(',')));
    expect(perms.size).toBe(50);
  });
});

describe('seeds', () => {
  it('resolveSeed keeps integers in [0, 2^32 − 1] and names the argument otherwise', () => {
    expect(resolveSeed(0, 'x')).toBe(0);
    expect(resolveSeed(4294967295, 'x')).toBe(4294967295);
    expect(() => resolveSeed(-1, 'kFold: seed')).toThrow(new RangeError('kFold: seed must be an integer from 0 to 4294967295 (2^32 - 1), got -1'));
    for (const bad of [1.5, 2 ** 32, NaN, Infinity]) expect(() => resolveSeed(bad, 'seed')).toThrow(RangeError);
    expect(() => resolveSeed('7' as unknown as number, 'seed')).toThrow(TypeError);
    expect(() => new Random(0.5)).toThrow(/^Random: seed must be an integer/);
  });

  it('without a seed a fresh one is drawn each time, and kept as .seed', () => {
    const seeds = new Set(Array.from({ length: 20 }, () => resolveSeed(undefined)));
    expect(seeds.size).toBeGreaterThan(18);
    const rng = new Random();
    expect(Number.isInteger(rng.seed)).toBe(true);
    const replay = new Random(rng.seed);
    expect(replay.nextUint32()).toBe(rng.nextUint32());
  });

  it("resolveSeed's messages name 'seed' when no name is given", () => {
    expect(() => resolveSeed(-1)).toThrow(new RangeError('seed must be an integer from 0 to 4294967295 (2^32 - 1), got -1'));
  });

  describe('fresh seeds', () => {
    afterEach(() => {
      vi.unstubAllGlobals();
      vi.restoreAllMocks();
    });

    it('come from crypto.getRandomValues where there is one', () => {
      const getRandomValues = vi.fn((array: Uint32Array) => array.fill(123456789));
      vi.stubGlobal('crypto', { getRandomValues });
      const random = vi.spyOn(Math, 'random');
      expect(resolveSeed(undefined)).toBe(123456789);
      expect(getRandomValues).toHaveBeenCalledTimes(1);
      expect(random).not.toHaveBeenCalled();
    });

    it('come from Math.random where there is no crypto (or no getRandomValues)', () => {
      const random = vi.spyOn(Math, 'random').mockReturnValue(0.75);
      for (const crypto of [undefined, {}]) {
        vi.stubGlobal('crypto', crypto);
        expect(resolveSeed(undefined)).toBe(0.75 * 2 ** 32);
        expect(new Random().seed).toBe(0.75 * 2 ** 32);
      }
      expect(random).toHaveBeenCalledTimes(4);
    });
  });

  it('randomFrom gives a new generator for a number and the same, advancing generator for a Random', () => {
    const shared = new Random(8);
    expect(randomFrom(shared, 'seed')).toBe(shared);
    expect(randomFrom(8, 'seed').nextUint32()).toBe(new Random(8).nextUint32());
  });
});

describe('saved state', () => {
  it("getState is pcg-c-basic's state and increment and the seed in hex; fromState continues the sequence with the same seed", () => {
    // pcg32_srandom_r(42, 54): state = (0 · M + 109 + 42) · M + 109 mod 2^64, inc = 54 · 2 + 1 = 0x6d.
    expect(new Random(42).getState()).toBe('185706b82c2e03f8:000000000000006d:0000002a');
    for (const seed of [0, 42, 4294967295]) {
      const rng = new Random(seed);
      for (let i = 0; i < 1000; i++) rng.nextUint32();
      const state = rng.getState();
      const copy = Random.fromState(state);
      expect(copy.seed).toBe(seed);
      expect(copy.getState()).toBe(state);
      expect(Array.from(copy.permutation(50))).toEqual(Array.from(rng.permutation(50)));
      expect(Array.from({ length: 100 }, () => copy.nextUint32())).toEqual(Array.from({ length: 100 }, () => rng.nextUint32()));
    }
    // Upper case is read too; any 64-bit state is valid.
    expect(Random.fromState('FFFFFFFFFFFFFFFF:000000000000006D:FFFFFFFF').getState()).toBe('ffffffffffffffff:000000000000006d:ffffffff');
  });

  it('fromState refuses anything but a state of this generator, by name', () => {
    for (const bad of ['', '185706b82c2e03f8:000000000000006d', '185706b82c2e03f8:000000000000006d:2a', '185706b82c2e03fg:000000000000006d:0000002a', ` ${new Random(1).getState()}`, 'x'.repeat(1e6)]) {
      expect(() => Random.fromState(bad)).toThrow(/^Random\.fromState: state must be 'state:increment:seed' in hex/);
    }
    // A long string is shown by its first 60 characters.
    const long = `${'a'.repeat(60)}${'b'.repeat(40)}`;
    expect(() => Random.fromState(long)).toThrow(`got "${'a'.repeat(60)}…"`);
    expect(() => Random.fromState('a'.repeat(60))).toThrow(`got "${'a'.repeat(60)}"`);
    for (const bad of [undefined, null, 42, {}]) expect(() => Random.fromState(bad as unknown as string)).toThrow(new TypeError(`Random.fromState: state must be a string from getState(), got ${bad === null ? 'null' : bad === undefined ? 'undefined' : typeof bad === 'number' ? '42' : 'an object (Object)'}`));
    expect(() => Random.fromState('185706b82c2e03f8:000000000000006f:0000002a')).toThrow(new RangeError("Random.fromState: increment 0x000000000000006f is not this generator's (0x000000000000006d, stream 54)"));
  });
});

const MASK_64 = (1n << 64n) - 1n;

/** pcg-c-basic's `state = state · 6364136223846793005 + 109` (stream 54) in BigInt. */
function referenceStep(state: bigint): bigint {
  return (state * 6364136223846793005n + 109n) & MASK_64;
}

/** `count` draws of pcg32_random_r from `state` in BigInt: XSH RR of the old state. */
function referenceDraws(state: bigint, count: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const xorshifted = Number((((state >> 18n) ^ state) >> 27n) & 0xffffffffn);
    const rotation = Number(state >> 59n);
    out.push(((xorshifted >>> rotation) | (xorshifted << ((32 - rotation) & 31))) >>> 0);
    state = referenceStep(state);
  }
  return out;
}

function draws(rng: Random, count: number): number[] {
  return Array.from({ length: count }, () => rng.nextUint32());
}

function stateString(state: bigint, seed: number): string {
  return `${state.toString(16).padStart(16, '0')}:000000000000006d:${seed.toString(16).padStart(8, '0')}`;
}

/** The inverse of an odd number modulo 2^32 (Newton's iteration doubles the correct bits each time). */
function inverseModPow2(odd: bigint): bigint {
  let x = odd;
  for (let i = 0; i < 5; i++) x = (x * (2n - odd * x)) & 0xffffffffn;
  return x;
}
