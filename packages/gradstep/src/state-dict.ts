/**
 * Encoding of optimizer state buffers in a state dict. The default is base64 of the float32 bytes
 * (little-endian), so that NaN and ±Infinity survive JSON (where numbers would not) and the dict stays
 * compact; `encoding: 'float32'` keeps them as Float32Array copies (structuredClone, postMessage, or a
 * binary file), with no encoding at all.
 *
 * Both directions run over byte arrays in one pass (a Uint8Array of ASCII codes turned into a string
 * by TextDecoder, and back by TextEncoder), so saving and loading take time and memory proportional
 * to the data: building the string a few characters at a time took a minute and gigabytes of heap
 * for a 128 MiB buffer.
 */
import { checkOptionNames, describe } from './validate.js';

/** How stateDict() writes state buffers. */
export type StateEncoding = 'base64' | 'float32';

/** A state buffer as a state dict holds it: base64 text, or a Float32Array copy. */
export type EncodedBuffer = string | Float32Array;

/**
 * The largest buffer written as base64: 2^26 floats (256 MiB) make 358 million characters, under
 * every engine's limit on the length of a string (V8's is about 2^29). Larger buffers need
 * `encoding: 'float32'`.
 */
export const MAX_BASE64_FLOATS = 2 ** 26;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const PAD = '='.charCodeAt(0);
const ENCODE = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
/** Value of each byte as a base64 digit, or -1 (padding, and every byte of a non-ASCII character, included). */
const DECODE = new Int8Array(256).fill(-1);
ENCODE.forEach((code, digit) => (DECODE[code] = digit));

// Two digits at a time: 12 bits of input to two ASCII codes, stored as one little-endian u16, and two
// ASCII codes (one u16) back to 12 bits (or -1). Half the lookups and stores of a digit at a time;
// the tables are built on first use (8 KB and 128 KB).
let encodePairs: Uint16Array | null = null;
let decodePairs: Int16Array | null = null;

function pairTables(): { encode: Uint16Array; decode: Int16Array } {
  if (encodePairs === null || decodePairs === null) {
    encodePairs = new Uint16Array(4096);
    decodePairs = new Int16Array(65536).fill(-1);
    for (let hi = 0; hi < 64; hi++) {
      for (let lo = 0; lo < 64; lo++) {
        const u16 = ENCODE[hi] | (ENCODE[lo] << 8);
        encodePairs[(hi << 6) | lo] = u16;
        decodePairs[u16] = (hi << 6) | lo;
      }
    }
  }
  return { encode: encodePairs, decode: decodePairs };
}

const littleEndian = new Uint8Array(new Float32Array([1]).buffer)[3] === 0x3f;
const ascii = new TextDecoder();
const asciiBytes = new TextEncoder();

function checkEndianness(): void {
  if (!littleEndian) throw new Error('gradstep: state dicts need a little-endian platform');
}

/** Every NaN as 0x7fc00000: wasm and V8 do not specify NaN sign and payload bits, state dicts do. */
function canonicalNaNs(values: Float32Array): Float32Array {
  let copy: Float32Array | null = null;
  for (let i = 0; i < values.length; i++) {
    if (values[i] !== values[i]) {
      copy ??= values.slice();
      new Uint32Array(copy.buffer, 4 * i, 1)[0] = 0x7fc00000;
    }
  }
  return copy ?? values;
}

/** `values` in the given encoding (a copy either way: the state dict does not alias live memory). */
export function encodeBuffer(values: Float32Array, encoding: StateEncoding, where: string): EncodedBuffer {
  checkEndianness();
  if (encoding === 'float32') return canonicalNaNs(values.slice());
  if (values.length > MAX_BASE64_FLOATS) {
    throw new RangeError(`${where} has ${values.length} values, more than base64 holds in one string (${MAX_BASE64_FLOATS}); use stateDict({ encoding: 'float32' })`);
  }
  return encodeFloat32(values);
}

/** Base64 of the little-endian bytes of `input`, NaNs canonical. */
export function encodeFloat32(input: Float32Array): string {
  checkEndianness();
  const values = canonicalNaNs(input);
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const out = new Uint8Array(4 * Math.ceil(bytes.length / 3));
  const whole = bytes.length - (bytes.length % 3);
  const pairs = new Uint16Array(out.buffer, 0, out.length / 2);
  const { encode } = pairTables();
  for (let i = 0, w = 0; i < whole; i += 3, w += 2) {
    const triple = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    pairs[w] = encode[triple >>> 12];
    pairs[w + 1] = encode[triple & 4095];
  }
  const o = (whole / 3) * 4;
  const rest = bytes.length - whole;
  if (rest > 0) {
    const triple = (bytes[whole] << 16) | (rest === 2 ? bytes[whole + 1] << 8 : 0);
    out[o] = ENCODE[triple >>> 18];
    out[o + 1] = ENCODE[(triple >>> 12) & 63];
    out[o + 2] = rest === 2 ? ENCODE[(triple >>> 6) & 63] : PAD;
    out[o + 3] = PAD;
  }
  return ascii.decode(out);
}

/**
 * Decodes a state buffer (base64 text or a Float32Array) into `target`; returns false when it is not
 * exactly target.length floats. Base64 is read strictly (RFC 4648 canonical form): only the alphabet,
 * '=' only as the one or two final characters that the length calls for, and zero padding bits.
 */
export function decodeBufferInto(encoded: unknown, target: Float32Array): boolean {
  if (encoded instanceof Float32Array) {
    if (encoded.length !== target.length) return false;
    target.set(encoded);
    return true;
  }
  return typeof encoded === 'string' && decodeFloat32Into(encoded, target);
}

/** Decodes base64 text into `target`; returns false when it is not base64 of exactly target.length floats. */
export function decodeFloat32Into(text: string, target: Float32Array): boolean {
  checkEndianness();
  const byteCount = 4 * target.length;
  if (typeof text !== 'string' || text.length !== 4 * Math.ceil(byteCount / 3)) return false;
  // Non-ASCII characters become several bytes each, so they overflow the buffer: `read` falls short.
  const chars = new Uint8Array(text.length);
  if (asciiBytes.encodeInto(text, chars).read !== text.length) return false;
  const padding = (3 - (byteCount % 3)) % 3;
  const bytes = new Uint8Array(target.buffer, target.byteOffset, byteCount);
  const whole = chars.length - (padding > 0 ? 4 : 0);
  let o = 0;
  let invalid = 0;
  const pairs = new Uint16Array(chars.buffer, 0, chars.length >>> 1);
  const { decode } = pairTables();
  for (let w = 0; w < whole >>> 1; w += 2, o += 3) {
    const high = decode[pairs[w]], low = decode[pairs[w + 1]];
    // Any -1 sets the sign bit; checked once at the end, so the loop has no branch on the data.
    invalid |= high | low;
    const triple = (high << 12) | low;
    bytes[o] = triple >>> 16;
    bytes[o + 1] = (triple >>> 8) & 255;
    bytes[o + 2] = triple & 255;
  }
  if (padding > 0) {
    const a = DECODE[chars[whole]], b = DECODE[chars[whole + 1]];
    const c = padding === 1 ? DECODE[chars[whole + 2]] : 0;
    const padOk = chars[whole + 3] === PAD && (padding === 1 || chars[whole + 2] === PAD);
    const triple = (a << 18) | (b << 12) | (c << 6);
    // The bits below the last byte kept must be zero (the canonical encoding).
    const spareBits = padding === 2 ? triple & 0xffff : triple & 0xff;
    if ((a | b | c) < 0 || !padOk || spareBits !== 0) invalid = -1;
    bytes[o] = triple >>> 16;
    if (padding === 1) bytes[o + 1] = (triple >>> 8) & 255;
  }
  return invalid >= 0;
}

/** Checks stateDict()'s options and returns the encoding. */
export function checkEncoding(owner: string, options: unknown): StateEncoding {
  const { encoding = 'base64' } = checkOptionNames(owner, options, ['encoding']);
  if (encoding !== 'base64' && encoding !== 'float32') {
    throw new RangeError(`${owner}: encoding must be 'base64' or 'float32', got ${describe(encoding)}`);
  }
  return encoding;
}
