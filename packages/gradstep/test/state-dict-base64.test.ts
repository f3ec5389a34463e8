// The state dicts' base64 (state-dict.ts) read strictly, character by character: the body's two-digit
// lookup table refuses every non-alphabet character at every position (NUL included), and the last
// quartet's padding and spare bits are those of the canonical encoding (RFC 4648). The optimizers'
// loadStateDict tests go through the same function; these name the cases one by one.
import { describe, expect, it } from 'vitest';
import { decodeBufferInto, decodeFloat32Into, encodeBuffer, encodeFloat32, MAX_BASE64_FLOATS } from '../src/state-dict.js';
import { seeded } from './helpers.js';

const decodes = (text: string, floats: number): Float32Array | null => {
  const target = new Float32Array(floats);
  return decodeFloat32Into(text, target) ? target : null;
};

describe('state dict base64', () => {
  it('round-trips every length of padding (0, 1 and 2 characters)', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 6, 7]) {
      const values = seeded(n + 1, n);
      const text = encodeFloat32(values);
      expect(text.length).toBe(4 * Math.ceil((4 * n) / 3));
      expect(Buffer.from(text, 'base64')).toEqual(Buffer.from(values.buffer));
      expect(decodes(text, n)).toEqual(values);
    }
  });

  it('refuses a character outside the alphabet anywhere in the text', () => {
    for (const n of [3, 5]) {
      // 3 floats: 16 characters, no padding; 5 floats: 28 characters, the last quartet padded.
      const text = encodeFloat32(seeded(7, n));
      for (let i = 0; i < text.length; i++) {
        if (text[i] === '=') continue;
        for (const bad of ['\0', '!', '-', '_', '.', 'é', '\u{1F600}'.slice(0, 1)]) {
          const broken = text.slice(0, i) + bad + text.slice(i + 1);
          expect(decodes(broken, n), `${JSON.stringify(bad)} at ${i}`).toBeNull();
        }
      }
    }
  });

  it('refuses a text of another length, even one that decodes', () => {
    expect(decodes('AAAAAA==', 1)).toEqual(new Float32Array(1));
    expect(decodes('AAAAAAAAAA==', 1)).toBeNull();
    expect(decodes('AAAA', 1)).toBeNull();
    expect(decodes('', 1)).toBeNull();
    expect(decodes('', 0)).toEqual(new Float32Array(0));
  });

  it('wants the padding the length calls for, and zero spare bits', () => {
    // 1 float: 4 bytes, 8 characters, two of them '='; the 6th character's low 4 bits are spare.
    expect(decodes('AAAAAA==', 1)).not.toBeNull();
    expect(decodes('AAAAAAAA', 1)).toBeNull();
    expect(decodes('AAAAAA=A', 1)).toBeNull();
    expect(decodes('AAAAAAA=', 1)).toBeNull();
    expect(decodes('AAAAAB==', 1)).toBeNull();
    expect(decodes('AAAAAQ==', 1)).not.toBeNull();
    expect(decodes('AAAA!A==', 1)).toBeNull();
    expect(decodes('AAAAA!==', 1)).toBeNull();
    // 2 floats: 8 bytes, 12 characters, one '='; the 11th character's low 2 bits are spare.
    expect(decodes('AAAAAAAAAAA=', 2)).not.toBeNull();
    expect(decodes('AAAAAAAAAAAA', 2)).toBeNull();
    expect(decodes('AAAAAAAAAAB=', 2)).toBeNull();
    expect(decodes('AAAAAAAAAAE=', 2)).not.toBeNull();
    expect(decodes('AAAAAAAAA!A=', 2)).toBeNull();
  });

  it('reads Float32Array copies by length, and nothing else', () => {
    const target = new Float32Array(2);
    expect(decodeBufferInto(new Float32Array([1, 2]), target)).toBe(true);
    expect(Array.from(target)).toEqual([1, 2]);
    expect(decodeBufferInto(new Float32Array(3), target)).toBe(false);
    expect(decodeBufferInto([1, 2], target)).toBe(false);
    expect(decodeBufferInto(null, target)).toBe(false);
  });

  it('refuses base64 beyond one string before reading any value', () => {
    // Only the length is read: a stand-in, not 256 MiB.
    const huge = { length: MAX_BASE64_FLOATS + 1 } as unknown as Float32Array;
    expect(() => encodeBuffer(huge, 'base64', 'state[0].buffers.expAvg')).toThrow(
      new RangeError(`state[0].buffers.expAvg has ${MAX_BASE64_FLOATS + 1} values, more than base64 holds in one string (${MAX_BASE64_FLOATS}); use stateDict({ encoding: 'float32' })`),
    );
  });
});
