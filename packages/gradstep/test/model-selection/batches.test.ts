// Mini-batches: every sample once per epoch, batch sizes, dropLast, seeds and the shared generator.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batches } from '../../src/model-selection/batches.js';
import { Random } from '../../src/model-selection/random.js';
import { expectError } from '../expect-error.js';

const epoch = (n: number, options: Parameters<typeof batches>[1]) => Array.from(batches(n, options), (b) => Array.from(b));

describe('batches', () => {
  it('visits every sample exactly once per epoch in batches of batchSize (the last one smaller unless dropLast)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 320 }),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        (n, batchSize, shuffle, dropLast, seed) => {
          const got = epoch(n, { batchSize, shuffle, dropLast, seed });
          const full = Math.floor(n / batchSize);
          const rest = n % batchSize;
          expect(got.length).toBe(full + (rest > 0 && !dropLast ? 1 : 0));
          got.forEach((batch, j) => expect(batch.length).toBe(j < full ? batchSize : rest));
          const visited = got.flat();
          expect(new Set(visited).size).toBe(visited.length);
          expect(visited.every((i) => i < n)).toBe(true);
          if (!dropLast) expect(visited.length).toBe(n);
          if (!shuffle) expect(visited).toEqual(Array.from({ length: visited.length }, (_, i) => i));
          expect(epoch(n, { batchSize, shuffle, dropLast, seed })).toEqual(got);
        },
      ),
    );
  });

  it('batchSize 1 is SGD, n is full batch, above n one batch (none with dropLast)', () => {
    expect(epoch(4, { batchSize: 1, shuffle: false })).toEqual([[0], [1], [2], [3]]);
    expect(epoch(4, { batchSize: 4, shuffle: false })).toEqual([[0, 1, 2, 3]]);
    expect(epoch(4, { batchSize: 9, shuffle: false })).toEqual([[0, 1, 2, 3]]);
    expect(epoch(4, { batchSize: 9, dropLast: true, seed: 0 })).toEqual([]);
    expect(epoch(10, { batchSize: 4, shuffle: false, dropLast: true })).toEqual([[0, 1, 2, 3], [4, 5, 6, 7]]);
  });

  it('the order is Random(seed).permutation(n), drawn at the call', () => {
    const perm = Array.from(new Random(3).permutation(10));
    const shared = new Random(3);
    const iterator = batches(10, { batchSize: 4, seed: shared });
    // The draw already happened: using the generator now does not change this epoch.
    shared.nextUint32();
    expect(Array.from(iterator, (b) => Array.from(b))).toEqual([perm.slice(0, 4), perm.slice(4, 8), perm.slice(8)]);
  });

  it('a shared Random gives a new order every epoch, reproducibly', () => {
    const run = (seed: number) => {
      const rng = new Random(seed);
      return [0, 1, 2].map(() => epoch(20, { batchSize: 5, seed: rng }));
    };
    const epochs = run(8);
    expect(new Set(epochs.map((e) => JSON.stringify(e))).size).toBe(3);
    expect(run(8)).toEqual(epochs);
  });

  it('yields views of one epoch buffer that stay valid after iteration moves on', () => {
    const yielded = Array.from(batches(12, { batchSize: 5, seed: 1 }));
    expect(yielded[0].buffer).toBe(yielded[1].buffer);
    const copies = yielded.map((b) => Array.from(b));
    expect(copies.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i));
  });

  it('checks its arguments at the call', () => {
    expect(() => batches(10, {} as never)).toThrow(new TypeError('batches: the batchSize option is required'));
    expect(() => batches(10, { batchSize: 0 })).toThrow(/batchSize must be an integer >= 1, got 0/);
    expect(() => batches(0, { batchSize: 1 })).toThrow(/n must be an integer >= 1, got 0/);
    expect(() => batches(10, { batchSize: 2, shuffle: 'yes' as never })).toThrow(TypeError);
    expect(() => batches(10, { batchSize: 2, seed: -3 })).toThrow(/seed must be an integer from 0 to 4294967295/);
    expect(() => batches(10, { batchSize: 2, shuffle: false, seed: 1.5 })).toThrow(RangeError);
  });

  it('names the flag and the seed in their errors', () => {
    expectError(() => batches(10, { batchSize: 2, shuffle: 'yes' as never }), TypeError, 'batches: shuffle must be true or false, got "yes"');
    expectError(() => batches(10, { batchSize: 2, dropLast: 1 as never }), TypeError, 'batches: dropLast must be true or false, got 1');
    expectError(() => batches(10, { batchSize: 2, shuffle: false, seed: 1.5 }), RangeError, 'batches: seed must be an integer from 0 to 4294967295 (2^32 - 1), got 1.5');
  });

  it('without shuffling ignores a Random seed and does not advance it', () => {
    const rng = new Random(5);
    const before = rng.getState();
    expect(epoch(5, { batchSize: 2, shuffle: false, seed: rng })).toEqual([[0, 1], [2, 3], [4]]);
    expect(rng.getState()).toBe(before);
  });
});
