/**
 * The seeded random number generator behind every shuffling splitter, the mini-batch order and the
 * bootstrap: PCG32 (O'Neill 2014, "PCG: A Family of Simple Fast Space-Efficient Statistically Good
 * Algorithms for Random Number Generation"), the XSH RR output function over a 64-bit LCG, exactly
 * as `pcg32_random_r` of the reference library pcg-c-basic.
 *
 * The 64-bit state is kept as two unsigned 32-bit halves and multiplied with 16-bit partial products,
 * so every step is exact integer arithmetic on doubles: no BigInt (slow, and absent from older
 * Safari), and the same sequence in Node and in every browser.
 */
import { checkInteger, describe } from '../validate.js';

/** 6364136223846793005, the LCG multiplier of pcg-c-basic, split into 32-bit and 16-bit parts. */
const MULTIPLIER_HI = 0x5851f42d;
const MULTIPLIER_LO = 0x4c957f2d;
const MULTIPLIER_LO_LOW16 = MULTIPLIER_LO & 0xffff;
const MULTIPLIER_LO_HIGH16 = MULTIPLIER_LO >>> 16;

/**
 * The stream selector (`initseq`) passed to `pcg32_srandom_r`; 54 is the value of pcg-c-basic's
 * demo program, so `new Random(42)` reproduces its published output (0xa15c02b7, 0x7b47f409, ...).
 */
const STREAM = 54;
/** The LCG increment (initseq << 1) | 1; for our stream it fits in the low half of the 64 bits. */
const INCREMENT_LO = ((STREAM << 1) | 1) >>> 0;

const TWO_POW_32 = 4294967296;
const STATE_PATTERN = /^([0-9a-f]{16}):([0-9a-f]{16}):([0-9a-f]{8})$/i;
/** An unsigned 32-bit integer as 8 lowercase hex digits. */
const hex = (value: number) => value.toString(16).padStart(8, '0');
const MAX_SEED = TWO_POW_32 - 1;

/** What the seeded functions accept as `seed`: a 32-bit integer, or a {@link Random} whose state advances. */
export type Seed = number | Random;

/**
 * A seeded PCG32 generator. The same seed gives the same sequence on every platform.
 *
 * Seeding follows `pcg32_srandom_r(rng, seed, 54)`: the seed is the 64-bit `initstate` (its high
 * half zero) and 54 the stream. Each `nextUint32()` advances the state once; the other methods say
 * how many values they draw, so that the sequences can be reproduced elsewhere (the test fixture
 * generator `test/fixtures/gen_sklearn_splits.py` holds a Python twin).
 *
 * Unlike scikit-learn, which uses NumPy's MT19937, shuffled splits do not give numpy's indices:
 * only their structure (sizes, per-class counts) matches.
 */
export class Random {
  /** The seed this generator was created with (drawn at random when none was given). */
  readonly seed: number;
  private stateHi = 0;
  private stateLo = 0;

  /**
   * @param seed an integer from 0 to 2^32 − 1; without one a fresh seed is drawn
   *   ({@link resolveSeed}), readable afterwards as `.seed` to reproduce the run.
   */
  constructor(seed?: number) {
    this.seed = resolveSeed(seed, 'Random: seed');
    // pcg32_srandom_r: state = 0; step; state += initstate; step.
    this.step();
    const lo = this.stateLo + this.seed;
    this.stateLo = lo >>> 0;
    this.stateHi = (this.stateHi + (lo >= TWO_POW_32 ? 1 : 0)) >>> 0;
    this.step();
  }

  /**
   * The generator's whole state as a string, to continue its sequence later with
   * {@link Random.fromState} (a checkpoint of a training run saves it): three lowercase hex fields
   * `'<state>:<increment>:<seed>'`, the 64-bit LCG state and increment of pcg-c-basic's
   * `pcg32_random_t` (`state`, `inc`) in 16 digits each and {@link seed} in 8. Draws nothing.
   *
   * ```ts
   * const rng = new Random(42);
   * rng.nextUint32();
   * const copy = Random.fromState(rng.getState()); // copy.nextUint32() === rng.nextUint32()
   * ```
   */
  getState(): string {
    return `${hex(this.stateHi)}${hex(this.stateLo)}:${hex(0)}${hex(INCREMENT_LO)}:${hex(this.seed)}`;
  }

  /**
   * A generator that continues exactly where the one whose {@link getState} gave `state` was: the
   * same values from here on, and the same `.seed` (the seed it was created with; the state is not
   * checked against it, any 64-bit state is valid). Only this class's stream (54, increment
   * 0x6d) is accepted.
   *
   * @throws TypeError if `state` is not a string of the form getState returns; RangeError for an
   *   increment of another stream
   */
  static fromState(state: string): Random {
    const owner = 'Random.fromState';
    if (typeof state !== 'string') throw new TypeError(`${owner}: state must be a string from getState(), got ${describe(state)}`);
    const match = STATE_PATTERN.exec(state);
    if (match === null) {
      throw new TypeError(`${owner}: state must be 'state:increment:seed' in hex (16, 16 and 8 digits) as getState() returns, got ${describe(state.length > 60 ? `${state.slice(0, 60)}…` : state)}`);
    }
    const [, stateHex, incrementHex, seedHex] = match;
    const expected = `${hex(0)}${hex(INCREMENT_LO)}`;
    if (incrementHex.toLowerCase() !== expected) {
      throw new RangeError(`${owner}: increment 0x${incrementHex} is not this generator's (0x${expected}, stream ${STREAM})`);
    }
    // The constructor validates the seed and seeds (two steps); the saved state then replaces it.
    const random = new Random(parseInt(seedHex, 16));
    random.stateHi = parseInt(stateHex.slice(0, 8), 16);
    random.stateLo = parseInt(stateHex.slice(8), 16);
    return random;
  }

  /** state = state · 6364136223846793005 + increment (mod 2^64). */
  private step(): void {
    const hi = this.stateHi;
    const lo = this.stateLo;
    // The full 64-bit product lo · MULTIPLIER_LO from 16-bit pieces (Hacker's Delight, mulhu): every
    // partial sum stays below 2^32, so doubles hold it exactly and `>>>` does not wrap.
    const lo0 = lo & 0xffff;
    const lo1 = lo >>> 16;
    const t = lo1 * MULTIPLIER_LO_LOW16 + ((lo0 * MULTIPLIER_LO_LOW16) >>> 16);
    const w1 = lo0 * MULTIPLIER_LO_HIGH16 + (t & 0xffff);
    const productHi = lo1 * MULTIPLIER_LO_HIGH16 + (t >>> 16) + (w1 >>> 16);
    const productLo = Math.imul(lo, MULTIPLIER_LO) >>> 0;
    // The cross terms only reach the high half, where wrapping mod 2^32 is what we want (Math.imul).
    const newHi = productHi + Math.imul(lo, MULTIPLIER_HI) + Math.imul(hi, MULTIPLIER_LO);
    const sumLo = productLo + INCREMENT_LO;
    this.stateLo = sumLo >>> 0;
    this.stateHi = (newHi + (sumLo >= TWO_POW_32 ? 1 : 0)) >>> 0;
  }

  /** The next value, uniform over the integers 0 to 2^32 − 1 (one draw). */
  nextUint32(): number {
    const hi = this.stateHi;
    const lo = this.stateLo;
    this.step();
    // XSH RR on the old state: xorshifted = ((old >> 18) ^ old) >> 27 (low 32 bits), rotated right by old >> 59.
    const xorHi = hi ^ (hi >>> 18);
    const xorLo = lo ^ ((lo >>> 18) | (hi << 14));
    const xorshifted = ((xorLo >>> 27) | (xorHi << 5)) >>> 0;
    const rotation = hi >>> 27;
    return ((xorshifted >>> rotation) | (xorshifted << ((32 - rotation) & 31))) >>> 0;
  }

  /**
   * A float uniform in [0, 1) with 53 random bits (every multiple of 2^−53 equally likely), built
   * from two draws as MT19937's `genrand_res53`: `((a >>> 5) · 2^26 + (b >>> 6)) / 2^53`.
   */
  nextFloat(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /**
   * An integer uniform in [0, n), without modulo bias: pcg-c-basic's `pcg32_boundedrand_r`, which
   * rejects the draws below (2^32 − n) mod n and returns the draw mod n. Draws once, or again on a
   * rejection (probability below n / 2^32).
   *
   * @param n an integer from 1 to 2^32
   */
  integer(n: number): number {
    checkInteger('Random.integer', 'n', n, 1, TWO_POW_32);
    return this.boundedUint32(n);
  }

  /** `integer` without the argument check, for the loops of this module. */
  private boundedUint32(n: number): number {
    const threshold = (TWO_POW_32 - n) % n;
    for (;;) {
      const draw = this.nextUint32();
      if (draw >= threshold) return draw % n;
    }
  }

  /**
   * Shuffles `array` in place and returns it: Fisher–Yates from the end, for i = length − 1 down to 1
   * swap elements i and `integer(i + 1)` (length − 1 draws, plus rejections). Works on a
   * `subarray` view to shuffle part of a buffer.
   */
  shuffle(array: Uint32Array): Uint32Array {
    if (!(array instanceof Uint32Array)) {
      throw new TypeError(`Random.shuffle: array must be a Uint32Array, got ${describe(array)}`);
    }
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.boundedUint32(i + 1);
      const held = array[i];
      array[i] = array[j];
      array[j] = held;
    }
    return array;
  }

  /** A uniformly random permutation of 0 … n − 1: `shuffle` of [0, 1, …, n − 1]. */
  permutation(n: number): Uint32Array {
    checkInteger('Random.permutation', 'n', n, 0, MAX_SEED);
    const indices = new Uint32Array(n);
    for (let i = 0; i < n; i++) indices[i] = i;
    return this.shuffle(indices);
  }
}

/**
 * Validates a seed, or draws a fresh one when it is `undefined` (as scikit-learn does for
 * `random_state=None`: every call then gives different results). Fresh seeds come from
 * `crypto.getRandomValues` where available (Node 19+, every browser), else from `Math.random`.
 *
 * @param argName how error messages name the argument, e.g. `'kFold: seed'`
 * @returns an integer from 0 to 2^32 − 1
 * @throws TypeError if `seed` is not a number; RangeError if it is not an integer in [0, 2^32 − 1]
 */
export function resolveSeed(seed: number | undefined, argName = 'seed'): number {
  if (seed === undefined) return freshSeed();
  if (typeof seed !== 'number') {
    throw new TypeError(`${argName} must be an integer from 0 to 4294967295 (2^32 - 1), got ${describe(seed)}`);
  }
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
    throw new RangeError(`${argName} must be an integer from 0 to 4294967295 (2^32 - 1), got ${describe(seed)}`);
  }
  return seed;
}

/**
 * The generator a seeded function uses: a new `Random(seed)` for a number or `undefined` (so an
 * integer seed gives the same result on every call), or the given `Random` itself, whose state
 * advances (so successive calls differ but a whole program run is reproducible from one seed, like
 * passing a `RandomState` instance to scikit-learn).
 */
export function randomFrom(seed: Seed | undefined, argName: string): Random {
  if (seed instanceof Random) return seed;
  return new Random(resolveSeed(seed, argName));
}

function freshSeed(): number {
  const crypto = (globalThis as { crypto?: { getRandomValues?: (array: Uint32Array) => Uint32Array } }).crypto;
  if (crypto?.getRandomValues) return crypto.getRandomValues(new Uint32Array(1))[0];
  return Math.floor(Math.random() * TWO_POW_32);
}
