// How string classes are ordered: by code point, as NumPy's np.unique orders them (not by UTF-16 code
// unit, JavaScript's `<`).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareCodePoints } from '../../src/model-selection/label-encoding.js';
import { stratifiedShuffleSplit } from '../../src/model-selection/shuffle-split.js';
import { expectError } from '../expect-error.js';

/** The reference: the strings as arrays of code points, compared element by element, then by length. */
function byCodePointArrays(a: string, b: string): number {
  const x = Array.from(a, (c) => c.codePointAt(0)!);
  const y = Array.from(b, (c) => c.codePointAt(0)!);
  for (let k = 0; k < Math.min(x.length, y.length); k++) if (x[k] !== y[k]) return x[k] - y[k];
  return x.length - y.length;
}

describe('compareCodePoints', () => {
  it('orders by code point where UTF-16 code units disagree, prefixes first', () => {
    const cases: [string, string][] = [
      ['\u{1F600}', '\uFF01'], // U+1F600 > U+FF01, though its first code unit 0xD83D < 0xFF01
      ['\uFF01', '\u{1F600}'],
      ['\u{1F600}x', '\u{1F600}y'],
      ['\u{1F600}y', '\u{1F600}x'],
      ['\uFFFFb', '\uFFFFa'], // U+FFFF is one code unit
      ['\uFFFFa', '\uFFFFb'],
      ['ab', 'a'],
      ['a', 'ab'],
      ['\u{1F600}', '\u{1F600}\u{1F600}'],
      ['\u{1F600}\u{1F600}', '\u{1F600}'],
      ['', 'a'],
      ['abc', 'abc'],
      ['\u{10000}', '\u{10000}'],
    ];
    for (const [a, b] of cases) expect(Math.sign(compareCodePoints(a, b))).toBe(Math.sign(byCodePointArrays(a, b)));
    expect(Math.sign(compareCodePoints('\u{1F600}', '\uFF01'))).toBe(1);
    expect(Math.sign(compareCodePoints('ab', 'a'))).toBe(1);
  });

  it('agrees with comparing code point arrays on any strings', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', '\uFFFF', '\uFF01', '\u{10000}', '\u{1F600}'), maxLength: 5 });
    fc.assert(
      fc.property(text, text, (a, b) => {
        expect(Math.sign(compareCodePoints(a, b))).toBe(Math.sign(byCodePointArrays(a, b)));
      }),
      { seed: 7, numRuns: 500 },
    );
  });

  it('string classes are listed in that order', () => {
    const labels = ['\u{1F600}', '\uFF01', 'b', 'a', 'b', 'a'];
    expectError(() => stratifiedShuffleSplit(labels, { testSize: 2 }), RangeError, /Classes with 1 member: \["\uFF01", "\u{1F600}"\]$/u);
  });
});
