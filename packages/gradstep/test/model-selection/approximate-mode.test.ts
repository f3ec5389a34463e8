// scikit-learn's _approximate_mode: the floors, the largest remainders, and how ties are broken.
import { describe, expect, it } from 'vitest';
import { approximateMode } from '../../src/model-selection/approximate-mode.js';
import { Random } from '../../src/model-selection/random.js';

describe('approximateMode', () => {
  it('gives each class its floor and the missing samples to the largest remainders, drawing nothing without a tie to break', () => {
    // 10 · (5, 3, 2) / 10 = (5, 3, 2): exact, nothing missing.
    const rng = new Random(3);
    const before = rng.getState();
    expect(Array.from(approximateMode(Uint32Array.of(5, 3, 2), 10, rng))).toEqual([5, 3, 2]);
    // 4 · (5, 3, 2) / 10 = (2, 1.2, 0.8): floors (2, 1, 0), the one missing to class 2 (0.8).
    expect(Array.from(approximateMode(Uint32Array.of(5, 3, 2), 4, rng))).toEqual([2, 1, 1]);
    // 3 · (1, 1, 2) / 4 = (0.75, 0.75, 1.5): two missing, two classes tied at 0.75: both get one.
    expect(Array.from(approximateMode(Uint32Array.of(1, 1, 2), 3, rng))).toEqual([1, 1, 1]);
    expect(rng.getState()).toBe(before);
  });

  it('breaks a tie larger than what is missing by shuffling the tied classes in class order', () => {
    for (let seed = 0; seed < 20; seed++) {
      // 2 · (1, 1, 1, 1, 4) / 8 = (0.25, 0.25, 0.25, 0.25, 1): one missing, four classes tied.
      const rng = new Random(seed);
      const taken = approximateMode(Uint32Array.of(1, 1, 1, 1, 4), 2, rng);
      const winner = new Random(seed).shuffle(Uint32Array.of(0, 1, 2, 3))[0];
      const expected = [0, 0, 0, 0, 1];
      expected[winner] = 1;
      expect(Array.from(taken)).toEqual(expected);
      // Exactly the shuffle's draws were taken.
      const replay = new Random(seed);
      replay.shuffle(Uint32Array.of(0, 1, 2, 3));
      expect(rng.getState()).toBe(replay.getState());
    }
  });

  it('takes the larger remainders before a tie below them', () => {
    // 3 · (3, 2, 2, 2) / 9 = (1, 0.667, 0.667, 0.667): floors (1, 0, 0, 0), two missing among three tied.
    const counts = Array.from({ length: 20 }, (_, seed) => Array.from(approximateMode(Uint32Array.of(3, 2, 2, 2), 3, new Random(seed))));
    for (const taken of counts) {
      expect(taken[0]).toBe(1);
      expect(taken.reduce((a, b) => a + b)).toBe(3);
      expect(taken.slice(1).sort()).toEqual([0, 1, 1]);
    }
    expect(new Set(counts.map((taken) => taken.join(','))).size).toBe(3);
  });
});
