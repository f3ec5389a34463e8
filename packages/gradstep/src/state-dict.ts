/**
 * Encoding of optimizer state buffers in a state dict: base64 of the float32 bytes (little-endian),
 * so that NaN and ±Infinity survive JSON (where numbers would not) and the dict stays compact.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

const littleEndian = new Uint8Array(new Float32Array([1]).buffer)[3] === 0x3f;

/** Every NaN as 0x7fc00000: wasm and V8 do not specify NaN sign and payload bits, state dicts do. */
function canonicalNaNs(values: Float32Array): Float32Array {
  if (!values.some(Number.isNaN)) return values;
  const copy = values.slice();
  new Uint32Array(copy.buffer).forEach((_, i, bits) => {
    if (Number.isNaN(copy[i])) bits[i] = 0x7fc00000;
  });
  return copy;
}

export function encodeFloat32(input: Float32Array): string {
  if (!littleEndian) throw new Error('gradstep: state dicts need a little-endian platform');
  const values = canonicalNaNs(input);
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const parts: string[] = [];
  const chunk = 3 * 4096;
  for (let start = 0; start < bytes.length; start += chunk) {
    let out = '';
    const end = Math.min(start + chunk, bytes.length);
    for (let i = start; i < end; i += 3) {
      const b0 = bytes[i], b1 = i + 1 < end ? bytes[i + 1] : 0, b2 = i + 2 < end ? bytes[i + 2] : 0;
      out += ALPHABET[b0 >> 2] + ALPHABET[((b0 & 3) << 4) | (b1 >> 4)];
      out += i + 1 < end ? ALPHABET[((b1 & 15) << 2) | (b2 >> 6)] : '=';
      out += i + 2 < end ? ALPHABET[b2 & 63] : '=';
    }
    parts.push(out);
  }
  return parts.join('');
}

/** Decodes into `target`; returns false when the text is not base64 of exactly target.length floats. */
export function decodeFloat32Into(text: string, target: Float32Array): boolean {
  if (typeof text !== 'string' || text.length !== 4 * Math.ceil((target.length * 4) / 3)) return false;
  const bytes = new Uint8Array(target.length * 4);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const c = [0, 1, 2, 3].map((k) => {
      const code = text.charCodeAt(i + k);
      return text[i + k] === '=' ? 0 : code < 128 ? LOOKUP[code] : -1;
    });
    if (c.some((v) => v < 0)) return false;
    const triple = (c[0] << 18) | (c[1] << 12) | (c[2] << 6) | c[3];
    if (o < bytes.length) bytes[o++] = triple >> 16;
    if (o < bytes.length) bytes[o++] = (triple >> 8) & 255;
    if (o < bytes.length) bytes[o++] = triple & 255;
  }
  target.set(new Float32Array(bytes.buffer));
  return true;
}
