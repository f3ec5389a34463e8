// The safetensors codec (src/safetensors.ts; imported from source, as the package index does not
// export it yet). Round trips of every dtype, every argument check and every malformed-file check with
// its message, a fuzz property over mutated files, and files written by Python's `safetensors`
// (test/fixtures/gen_safetensors.py): decoded element for element, and our encoder's bytes equal to
// Python's for the same content.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeSafetensors,
  type SafetensorsContents,
  encodeSafetensors,
  SAFETENSORS_MAX_HEADER_SIZE,
  tensorToFloat32,
  type SafetensorsDtype,
  type Tensor,
  type TensorData,
} from '../src/safetensors.js';

const FIXTURES = new URL('../../../test/fixtures/safetensors/', import.meta.url);

// ---------------------------------------------------------------------------------------------
// Helpers

const f32Bits = (bits: number[]) => new Float32Array(new Uint32Array(bits).buffer);
const f64Bits = (bits: bigint[]) => new Float64Array(new BigUint64Array(bits).buffer);

/** The bytes of a typed array. */
const bytesOf = (data: TensorData) => new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

/** A file from a header text and data bytes (the length prefix computed from the text's UTF-8). */
function file(header: string | object, data: Uint8Array | number = 0): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  return withLength(BigInt(json.length), json, typeof data === 'number' ? new Uint8Array(data) : data);
}

/** A length prefix (any u64) followed by the given parts. */
function withLength(length: bigint, ...parts: Uint8Array[]): Uint8Array {
  const total = 8 + parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  new DataView(out.buffer).setBigUint64(0, length, true);
  let at = 8;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The header text of an encoded file. */
function headerOf(bytes: Uint8Array): string {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return new TextDecoder().decode(bytes.subarray(8, 8 + n));
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Elements as the fixture JSON writes them: float bit patterns, integer values, 64-bit ones as strings. */
function bitsOf(tensor: Tensor): (number | string)[] {
  const { dtype, data } = tensor;
  if (dtype === 'F32') return [...new Uint32Array(data.buffer, data.byteOffset, data.length)];
  if (dtype === 'F64') return [...new BigUint64Array(data.buffer, data.byteOffset, data.length)].map(String);
  if (dtype === 'I64') return [...(data as BigInt64Array)].map(String);
  return [...(data as Uint8Array | Uint16Array | Int32Array)];
}

/** The typed array of a fixture tensor, from its "bits". */
function dataFromBits(dtype: SafetensorsDtype, bits: (number | string)[]): TensorData {
  switch (dtype) {
    case 'F32':
      return f32Bits(bits as number[]);
    case 'F64':
      return f64Bits(bits.map((b) => BigInt(b)));
    case 'I64':
      return new BigInt64Array(bits.map((b) => BigInt(b)));
    case 'I32':
      return new Int32Array(bits as number[]);
    case 'F16':
    case 'BF16':
      return new Uint16Array(bits as number[]);
    case 'U8':
    case 'BOOL':
      return new Uint8Array(bits as number[]);
  }
}

// Edge values of every dtype, as bit patterns.
const EDGE: Record<SafetensorsDtype, () => Tensor> = {
  F32: () => ({
    dtype: 'F32',
    shape: [2, 7],
    data: f32Bits([
      0x00000000, 0x80000000, 0x00000001, 0x807fffff, 0x7f7fffff, 0x7f800000, 0xff800000, 0x7fc00000, 0x7fc00001, 0x7f800001, 0xffbfffff, 0xffffffff,
      0x3f800000, 0x4b800001,
    ]),
  }),
  F64: () => ({
    dtype: 'F64',
    shape: [5],
    data: f64Bits([0x8000000000000000n, 0x0000000000000001n, 0x7ff0000000000001n, 0xfff8000000000123n, 0x3ff0000000000001n]),
  }),
  F16: () => ({ dtype: 'F16', shape: [3, 2], data: new Uint16Array([0x0000, 0x8000, 0x0001, 0x7c01, 0xfe00, 0x7bff]) }),
  BF16: () => ({ dtype: 'BF16', shape: [6], data: new Uint16Array([0x0000, 0x8000, 0x0001, 0x7f81, 0xffc0, 0x7f7f]) }),
  I64: () => ({ dtype: 'I64', shape: [1, 4], data: new BigInt64Array([0n, -1n, -(2n ** 63n), 2n ** 63n - 1n]) }),
  I32: () => ({ dtype: 'I32', shape: [4, 1], data: new Int32Array([0, -1, -(2 ** 31), 2 ** 31 - 1]) }),
  U8: () => ({ dtype: 'U8', shape: [3], data: new Uint8Array([0, 128, 255]) }),
  BOOL: () => ({ dtype: 'BOOL', shape: [2, 2], data: new Uint8Array([1, 0, 0, 1]) }),
};
const DTYPES = Object.keys(EDGE) as SafetensorsDtype[];

// ---------------------------------------------------------------------------------------------

describe('encodeSafetensors and decodeSafetensors round trips', () => {
  it.each(DTYPES)('round-trips %s bit for bit (NaN payloads, ±0, subnormals, infinities, extremes)', (dtype) => {
    const tensor = EDGE[dtype]();
    const { tensors, metadata } = decodeSafetensors(encodeSafetensors({ t: tensor }));
    expect(metadata).toEqual({});
    expect(Object.keys(tensors)).toEqual(['t']);
    const back = tensors.t;
    expect(back.dtype).toBe(dtype);
    expect(back.shape).toEqual(tensor.shape);
    expect(back.data.constructor).toBe(tensor.data.constructor);
    expect(bytesOf(back.data)).toEqual(bytesOf(tensor.data));
  });

  it('round-trips all dtypes in one file, with scalars and zero-element tensors', () => {
    const input: Record<string, Tensor> = {};
    for (const dtype of DTYPES) {
      input[`edge.${dtype}`] = EDGE[dtype]();
      const one = EDGE[dtype]().data.slice(0, 1) as TensorData;
      input[`scalar.${dtype}`] = { dtype, shape: [], data: one };
      input[`empty.${dtype}`] = { dtype, shape: [3, 0, 2], data: EDGE[dtype]().data.slice(0, 0) as TensorData };
    }
    const bytes = encodeSafetensors(input, { format: 'pt', note: 'ünï "q" \\ \n 😀' });
    const { tensors, metadata } = decodeSafetensors(bytes);
    expect(metadata).toEqual({ format: 'pt', note: 'ünï "q" \\ \n 😀' });
    expect(Object.keys(tensors).sort()).toEqual(Object.keys(input).sort());
    for (const [name, tensor] of Object.entries(input)) {
      expect(tensors[name].dtype, name).toBe(tensor.dtype);
      expect(tensors[name].shape, name).toEqual(tensor.shape);
      expect(bytesOf(tensors[name].data), name).toEqual(bytesOf(tensor.data));
    }
    expect(tensors['scalar.F32'].data.length).toBe(1);
    expect(tensors['empty.I64'].data).toEqual(new BigInt64Array(0));
    // Re-encoding the decoded tensors gives the same bytes.
    expect(encodeSafetensors(tensors, metadata)).toEqual(bytes);
  });

  it('writes a { value, shape } (a gradstep Param, duck-typed) as F32', () => {
    const value = new Float32Array([1, -2, 3.5, NaN, -0, 6]);
    const bytes = encodeSafetensors({ w: { value, shape: Object.freeze([2, 3]) } });
    const { tensors } = decodeSafetensors(bytes);
    expect(tensors.w.dtype).toBe('F32');
    expect(tensors.w.shape).toEqual([2, 3]);
    expect(bytesOf(tensors.w.data)).toEqual(bytesOf(value));
    expect(bytes).toEqual(encodeSafetensors({ w: { dtype: 'F32', shape: [2, 3], data: value } }));
  });

  it('copies: the file does not alias the inputs, decoded arrays are fresh aligned buffers', () => {
    const data = new Float64Array([1, 2, 3]);
    const bytes = encodeSafetensors({ x: { dtype: 'F64', shape: [3], data } });
    const before = bytes.slice();
    data[0] = 99;
    expect(bytes).toEqual(before);

    // Decode from an unaligned view inside a larger buffer.
    const host = new Uint8Array(bytes.length + 5);
    host.set(bytes, 3);
    const view = host.subarray(3, 3 + bytes.length);
    const { tensors } = decodeSafetensors(view);
    const x = tensors.x.data as Float64Array;
    expect([...x]).toEqual([1, 2, 3]);
    expect(x.buffer).not.toBe(host.buffer);
    expect(x.byteOffset).toBe(0);
    x[1] = -5;
    expect(decodeSafetensors(view).tensors.x.data).toEqual(new Float64Array([1, 2, 3]));
  });

  it('accepts an ArrayBuffer and a Node Buffer', () => {
    const bytes = encodeSafetensors({ a: EDGE.I32() });
    expect(decodeSafetensors(bytes.slice().buffer).tensors.a.data).toEqual(EDGE.I32().data);
    expect(decodeSafetensors(Buffer.from(bytes)).tensors.a.data).toEqual(EDGE.I32().data);
  });

  it('lays the file out as the reference does: dtype order, then code-point name order, space padding to 8 bytes', () => {
    const one = (dtype: SafetensorsDtype): Tensor => ({ ...EDGE[dtype](), shape: [EDGE[dtype]().data.length] });
    const bytes = encodeSafetensors({
      b: one('F32'),
      a: one('F32'),
      '10': one('F32'),
      '2': one('F32'),
      '\uffff': one('F32'),
      '😀': one('F32'),
      bool: one('BOOL'),
      u8: one('U8'),
      f16: one('F16'),
      bf16: one('BF16'),
      i32: one('I32'),
      f64: one('F64'),
      i64: one('I64'),
    });
    const header = headerOf(bytes);
    const names = [...header.matchAll(/"([^"]*)":\{"dtype"/g)].map((m) => m[1]);
    expect(names).toEqual(['i64', 'f64', '10', '2', 'a', 'b', '\uffff', '😀', 'i32', 'bf16', 'f16', 'u8', 'bool']);
    expect(header).toMatch(/^\{"i64":\{"dtype":"I64","shape":\[4\],"data_offsets":\[0,32\]\},.*\}\} {0,7}$/);
    expect(new TextEncoder().encode(header).length % 8).toBe(0);
  });

  it('writes __metadata__ first with sorted keys; {} writes an empty one, undefined none', () => {
    const t = { x: EDGE.U8() };
    expect(headerOf(encodeSafetensors(t, { b: '2', a: '1' }))).toMatch(/^\{"__metadata__":\{"a":"1","b":"2"\},"x":/);
    expect(headerOf(encodeSafetensors(t, {}))).toMatch(/^\{"__metadata__":\{\},"x":/);
    expect(headerOf(encodeSafetensors(t))).toMatch(/^\{"x":/);
    expect(decodeSafetensors(encodeSafetensors(t, {})).metadata).toEqual({});
  });

  it('encodes an empty set of tensors, and decodes it', () => {
    const bytes = encodeSafetensors({});
    expect([...bytes]).toEqual([8, 0, 0, 0, 0, 0, 0, 0, 0x7b, 0x7d, 32, 32, 32, 32, 32, 32]);
    expect(decodeSafetensors(bytes)).toEqual({ tensors: {}, metadata: {} });
  });

  it('decodes names and metadata keys such as "__proto__" and "constructor" as own properties', () => {
    // By hand: in an object literal, __proto__ would set the prototype rather than make a key.
    const header = '{"__metadata__":{"__proto__":"m"},"__proto__":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"constructor":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}';
    const { tensors, metadata } = decodeSafetensors(file(header, new Uint8Array([7, 8])));
    expect(Object.getPrototypeOf(tensors)).toBe(Object.prototype);
    expect(Object.keys(tensors).sort()).toEqual(['__proto__', 'constructor']);
    expect(Object.getOwnPropertyDescriptor(tensors, '__proto__')!.value.data).toEqual(new Uint8Array([7]));
    expect(tensors[String('constructor')].data).toEqual(new Uint8Array([8]));
    expect(Object.getPrototypeOf(metadata)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(metadata, '__proto__')!.value).toBe('m');
  });

  it('takes the header length from the prefix, so trailing spaces and other JSON whitespace are fine', () => {
    const header = '{ "w" : { "shape" : [ 1 ] , "data_offsets" : [ 0 , 4 ] , "dtype" : "F32" } }\n\t  ';
    const { tensors } = decodeSafetensors(file(header, bytesOf(new Float32Array([2.5]))));
    expect(tensors.w).toEqual({ dtype: 'F32', shape: [1], data: new Float32Array([2.5]) });
  });
});

// ---------------------------------------------------------------------------------------------

describe('encodeSafetensors argument checks', () => {
  const f32 = (n: number): Tensor => ({ dtype: 'F32', shape: [n], data: new Float32Array(n) });
  const cases: [string, () => unknown, ErrorConstructor, string][] = [
    ['tensors null', () => encodeSafetensors(null as never), TypeError, 'encodeSafetensors: tensors must be an object of names to tensors, got null'],
    ['tensors an array', () => encodeSafetensors([] as never), TypeError, 'encodeSafetensors: tensors must be an object of names to tensors, got an array of length 0'],
    ['an empty name', () => encodeSafetensors({ '': f32(1) }), TypeError, 'encodeSafetensors: tensor name "" is empty'],
    ['the name __metadata__', () => encodeSafetensors({ __metadata__: f32(1) }), TypeError, 'encodeSafetensors: tensor name "__metadata__" starts with "__" (reserved for keys such as __metadata__)'],
    ['a name starting with __', () => encodeSafetensors({ __x: f32(1) }), TypeError, 'encodeSafetensors: tensor name "__x" starts with "__" (reserved for keys such as __metadata__)'],
    ['a name with a lone surrogate', () => encodeSafetensors({ 'a\ud800': f32(1) }), TypeError, 'encodeSafetensors: tensor name "a\\ud800" is not well-formed Unicode (a lone surrogate has no UTF-8 form)'],
    ['a tensor that is a number', () => encodeSafetensors({ w: 5 as never }), TypeError, 'encodeSafetensors: tensor "w": must be a Tensor ({ dtype, shape, data }) or have a Float32Array value and a shape (a Param), got 5'],
    ['a tensor with neither dtype nor value', () => encodeSafetensors({ w: { shape: [1] } as never }), TypeError, 'encodeSafetensors: tensor "w": must be a Tensor ({ dtype, shape, data }) or have a Float32Array value and a shape (a Param), got an object (Object)'],
    ['an unknown dtype', () => encodeSafetensors({ w: { dtype: 'I8', shape: [1], data: new Uint8Array(1) } as never }), TypeError, 'encodeSafetensors: tensor "w": dtype must be one of F32, F64, F16, BF16, I64, I32, U8, BOOL, got "I8"'],
    ['F32 data in a Float64Array', () => encodeSafetensors({ w: { dtype: 'F32', shape: [1], data: new Float64Array(1) } }), TypeError, 'encodeSafetensors: tensor "w": data of a F32 tensor must be a Float32Array, got a Float64Array'],
    ['BF16 data in an Int16Array', () => encodeSafetensors({ w: { dtype: 'BF16', shape: [1], data: new Int16Array(1) } as never }), TypeError, 'encodeSafetensors: tensor "w": data of a BF16 tensor must be a Uint16Array, got a Int16Array'],
    ['I64 data as an array', () => encodeSafetensors({ w: { dtype: 'I64', shape: [1], data: [1n] } as never }), TypeError, 'encodeSafetensors: tensor "w": data of a I64 tensor must be a BigInt64Array, got an array of length 1'],
    ['a param value that is an array', () => encodeSafetensors({ w: { value: [1, 2], shape: [2] } as never }), TypeError, 'encodeSafetensors: tensor "w": value must be a Float32Array, got an array of length 2'],
    ['a shape that is not an array', () => encodeSafetensors({ w: { dtype: 'F32', data: new Float32Array(1) } as never }), TypeError, 'encodeSafetensors: tensor "w": shape must be an array of integers >= 0, got undefined'],
    ['a shape entry that is a string', () => encodeSafetensors({ w: { dtype: 'F32', shape: [1, '1'], data: new Float32Array(1) } as never }), TypeError, 'encodeSafetensors: tensor "w": shape[1] must be an integer >= 0, got "1"'],
    ['a negative dimension', () => encodeSafetensors({ w: { dtype: 'F32', shape: [-1], data: new Float32Array(1) } }), RangeError, 'encodeSafetensors: tensor "w": shape[0] must be an integer >= 0, got -1'],
    ['a fractional dimension', () => encodeSafetensors({ w: { dtype: 'F32', shape: [0.5, 2], data: new Float32Array(1) } }), RangeError, 'encodeSafetensors: tensor "w": shape[0] must be an integer >= 0, got 0.5'],
    ['an unsafe dimension', () => encodeSafetensors({ w: { dtype: 'F32', shape: [2 ** 53], data: new Float32Array(1) } }), RangeError, 'encodeSafetensors: tensor "w": shape[0] must be an integer >= 0, got 9007199254740992'],
    ['a shape whose product is not the length', () => encodeSafetensors({ w: { dtype: 'F32', shape: [2, 3], data: new Float32Array(5) } }), RangeError, 'encodeSafetensors: tensor "w": shape [2, 3] holds 6 elements, but data has 5'],
    ['a param whose shape does not match', () => encodeSafetensors({ w: { value: new Float32Array(4), shape: [5] } }), RangeError, 'encodeSafetensors: tensor "w": shape [5] holds 5 elements, but data has 4'],
    ['a shape whose element count overflows u64 before a 0', () => encodeSafetensors({ w: { dtype: 'F32', shape: [2 ** 32, 2 ** 32, 0], data: new Float32Array(0) } }), RangeError, 'encodeSafetensors: tensor "w": shape [4294967296, 4294967296, 0] overflows 64 bits (the reference implementation\'s element and bit counts)'],
    ['a BOOL element other than 0 or 1', () => encodeSafetensors({ m: { dtype: 'BOOL', shape: [3], data: new Uint8Array([1, 2, 0]) } }), RangeError, 'encodeSafetensors: tensor "m": BOOL elements must be 0 or 1, got 2 at index 1'],
    ['a disposed param', () => encodeSafetensors({ w: { value: new Float32Array(1), shape: [1], disposed: true } as never }), Error, 'encodeSafetensors: tensor "w": the param was disposed'],
    ['metadata an array', () => encodeSafetensors({}, [] as never), TypeError, 'encodeSafetensors: metadata must be an object of strings, got an array of length 0'],
    ['metadata null', () => encodeSafetensors({}, null as never), TypeError, 'encodeSafetensors: metadata must be an object of strings, got null'],
    ['a metadata value that is a number', () => encodeSafetensors({}, { a: 1 } as never), TypeError, 'encodeSafetensors: metadata "a" must be a string, got 1'],
    ['a metadata value with a lone surrogate', () => encodeSafetensors({}, { a: '\udc00' }), TypeError, 'encodeSafetensors: metadata "a" is not well-formed Unicode (a lone surrogate has no UTF-8 form)'],
  ];
  it.each(cases)('%s', (_title, call, kind, message) => {
    expect(call).toThrow(kind);
    expect(call).toThrow(new kind(message));
  });

  it('refuses a header above 100 MB (RangeError)', () => {
    const name = 'x'.repeat(SAFETENSORS_MAX_HEADER_SIZE);
    expect(() => encodeSafetensors({ [name]: { dtype: 'U8', shape: [0], data: new Uint8Array(0) } })).toThrow(
      new RangeError('encodeSafetensors: the header would take 100000056 bytes, above the format\'s limit of 100000000'),
    );
  });

  it('names the invalid tensor among valid ones', () => {
    expect(() => encodeSafetensors({ a: f32(1), b: f32(1), c: { dtype: 'F32', shape: [2], data: new Float32Array(1) } })).toThrow(
      'encodeSafetensors: tensor "c": shape [2] holds 2 elements, but data has 1',
    );
  });
});

// ---------------------------------------------------------------------------------------------

describe('decodeSafetensors on malformed files', () => {
  const enc = new TextEncoder();
  const entry = (dtype: unknown, shape: unknown, data_offsets: unknown) => ({ dtype, shape, data_offsets });
  const w = (dtype: unknown, shape: unknown, data_offsets: unknown, data: Uint8Array | number = 0) => file({ w: entry(dtype, shape, data_offsets) }, data);
  const T = 'decodeSafetensors: tensor "w": ';

  const cases: [string, unknown, ErrorConstructor, string | RegExp][] = [
    ['an empty file', new Uint8Array(0), RangeError, 'decodeSafetensors: a file needs at least 8 bytes (the header length), got 0'],
    ['7 bytes', new Uint8Array(7), RangeError, 'decodeSafetensors: a file needs at least 8 bytes (the header length), got 7'],
    ['a header length above MAX_HEADER_SIZE', withLength(100_000_001n, enc.encode('{}')), RangeError, "decodeSafetensors: header length 100000001 is above the format's limit of 100000000 bytes"],
    ['a header length of 2^64 - 1', withLength(2n ** 64n - 1n, enc.encode('{}')), RangeError, "decodeSafetensors: header length 18446744073709551615 is above the format's limit of 100000000 bytes"],
    ['a header length beyond the file', withLength(100n, enc.encode('{"a":1}   ')), RangeError, 'decodeSafetensors: header length 100 is beyond the end of the file (10 bytes follow the length)'],
    ['a header length of MAX_HEADER_SIZE beyond the file', withLength(100_000_000n, enc.encode('{}')), RangeError, 'decodeSafetensors: header length 100000000 is beyond the end of the file (2 bytes follow the length)'],
    ['a header length of 0', withLength(0n), TypeError, 'decodeSafetensors: the header must be a JSON object beginning with "{", got ""'],
    ['a header with a byte that is not UTF-8', withLength(3n, new Uint8Array([0x7b, 0xff, 0x7d])), TypeError, 'decodeSafetensors: the header is not valid UTF-8'],
    ['a header with an encoded surrogate', withLength(5n, new Uint8Array([0x7b, 0xed, 0xa0, 0x80, 0x7d])), TypeError, 'decodeSafetensors: the header is not valid UTF-8'],
    ['a header with a truncated sequence', withLength(2n, new Uint8Array([0x7b, 0xc3])), TypeError, 'decodeSafetensors: the header is not valid UTF-8'],
    ['a header with a BOM', file('\ufeff{}'), TypeError, 'decodeSafetensors: the header must be a JSON object beginning with "{", got "\ufeff{}"'],
    ['a header with leading whitespace', file(' {}'), TypeError, 'decodeSafetensors: the header must be a JSON object beginning with "{", got " {}"'],
    ['a header that is an array', file('[]'), TypeError, 'decodeSafetensors: the header must be a JSON object beginning with "{", got "[]"'],
    ['a header that is null', file('null'), TypeError, 'decodeSafetensors: the header must be a JSON object beginning with "{", got "null"'],
    ['a header that is not JSON', file('{"w":'), TypeError, /^decodeSafetensors: the header is not valid JSON \(.+\)$/],
    ['a header with trailing garbage', file('{} x'), TypeError, /^decodeSafetensors: the header is not valid JSON \(.+\)$/],
    ['a header padded with NUL bytes', file('{}\0\0'), TypeError, /^decodeSafetensors: the header is not valid JSON \(.+\)$/],
    ['__metadata__ an array', file({ __metadata__: ['a'] }), TypeError, 'decodeSafetensors: __metadata__ must be an object of strings, got an array of length 1'],
    ['__metadata__ null', file({ __metadata__: null }), TypeError, 'decodeSafetensors: __metadata__ must be an object of strings, got null'],
    ['__metadata__ a string', file({ __metadata__: 'x' }), TypeError, 'decodeSafetensors: __metadata__ must be an object of strings, got "x"'],
    ['a __metadata__ value that is a number', file({ __metadata__: { a: 'ok', b: 1 } }), TypeError, 'decodeSafetensors: __metadata__ "b" must be a string, got 1'],
    ['a __metadata__ value that is an object', file({ __metadata__: { a: {} } }), TypeError, 'decodeSafetensors: __metadata__ "a" must be a string, got an object (Object)'],
    ['a __metadata__ value with a lone surrogate', file('{"__metadata__":{"a":"\\ud800"}}'), TypeError, 'decodeSafetensors: __metadata__ "a" is not well-formed Unicode (a lone surrogate escape)'],
    ['a tensor name with a lone surrogate', file('{"\\udc00":{"dtype":"U8","shape":[0],"data_offsets":[0,0]}}'), TypeError, 'decodeSafetensors: tensor "\\udc00": the name is not well-formed Unicode (a lone surrogate escape)'],
    ['an entry that is a number', file({ w: 5 }), TypeError, `${T}the entry must be an object with dtype, shape and data_offsets, got 5`],
    ['an entry that is an array', file({ w: ['F32', [1], [0, 4]] }, 4), TypeError, `${T}the entry must be an object with dtype, shape and data_offsets, got an array of length 3`],
    ['an entry that is null', file({ w: null }), TypeError, `${T}the entry must be an object with dtype, shape and data_offsets, got null`],
    ['an entry without data_offsets', file({ w: { dtype: 'F32', shape: [] } }), TypeError, `${T}the entry has no data_offsets`],
    ['an entry without dtype', file({ w: { shape: [], data_offsets: [0, 4] } }, 4), TypeError, `${T}the entry has no dtype`],
    ['an entry with an unknown key', file({ w: { ...entry('F32', [1], [0, 4]), extra: 1 } }, 4), TypeError, `${T}unknown key "extra" in the entry (allowed: dtype, shape, data_offsets)`],
    ['a dtype that is a number', w(5, [1], [0, 4], 4), TypeError, `${T}dtype must be a string, got 5`],
    ['an unknown dtype', w('F128', [1], [0, 16], 16), RangeError, `${T}unsupported dtype "F128" (supported: F32, F64, F16, BF16, I64, I32, U8, BOOL)`],
    ['a dtype of the format this codec does not read', w('I8', [1], [0, 1], 1), RangeError, `${T}unsupported dtype "I8" (supported: F32, F64, F16, BF16, I64, I32, U8, BOOL)`],
    ['a dtype in lower case', w('f32', [1], [0, 4], 4), RangeError, `${T}unsupported dtype "f32" (supported: F32, F64, F16, BF16, I64, I32, U8, BOOL)`],
    ['a shape that is a number', w('F32', 1, [0, 4], 4), TypeError, `${T}shape must be an array of integers >= 0, got 1`],
    ['a shape that is an object', w('F32', { 0: 1 }, [0, 4], 4), TypeError, `${T}shape must be an array of integers >= 0, got an object (Object)`],
    ['a shape entry that is a string', w('F32', [1, '1'], [0, 4], 4), TypeError, `${T}shape[1] must be an integer >= 0, got "1"`],
    ['a shape entry that is null', w('F32', [null], [0, 4], 4), TypeError, `${T}shape[0] must be an integer >= 0, got null`],
    ['a negative dimension', w('F32', [-1], [0, 0]), RangeError, `${T}shape[0] must be an integer >= 0, got -1`],
    ['a fractional dimension', w('F32', [1.5], [0, 4], 4), RangeError, `${T}shape[0] must be an integer >= 0, got 1.5`],
    ['a dimension of 1e300', file('{"w":{"dtype":"F32","shape":[1e300],"data_offsets":[0,4]}}', 4), RangeError, `${T}shape[0] must be an integer >= 0, got 1e+300`],
    ['a dimension of 2^53', w('F32', [2 ** 53], [0, 4], 4), RangeError, `${T}shape[0] must be an integer >= 0, got 9007199254740992`],
    ['an element count overflowing u64 before a 0', w('F32', [2 ** 32, 2 ** 32, 0], [0, 0]), RangeError, `${T}shape [4294967296, 4294967296, 0] overflows 64 bits (its element count, or its bit count for F32)`],
    ['a bit count overflowing u64', w('F32', [2 ** 30, 2 ** 29], [0, 4], 4), RangeError, `${T}shape [1073741824, 536870912] overflows 64 bits (its element count, or its bit count for F32)`],
    ['a large element count that fits u64', w('U8', [2 ** 20, 2 ** 20], [0, 4], 4), RangeError, `${T}shape [1048576, 1048576] of U8 needs 1099511627776 bytes, but data_offsets [0, 4] span 4`],
    ['a count beyond 2^53 bytes', w('I64', [2 ** 26, 2 ** 26, 2 ** 4], [0, 8], 8), RangeError, `${T}shape [67108864, 67108864, 16] of I64 needs more than 2^53 bytes, but data_offsets [0, 8] span 8`],
    ['data_offsets missing elements', w('F32', [1], [0], 4), TypeError, `${T}data_offsets must be an array of two integers [begin, end], got an array of length 1`],
    ['data_offsets of three integers', w('F32', [1], [0, 4, 4], 4), TypeError, `${T}data_offsets must be an array of two integers [begin, end], got an array of length 3`],
    ['data_offsets an object', w('F32', [1], { begin: 0, end: 4 }, 4), TypeError, `${T}data_offsets must be an array of two integers [begin, end], got an object (Object)`],
    ['a data_offsets entry that is a string', w('F32', [1], [0, '4'], 4), TypeError, `${T}data_offsets[1] must be an integer >= 0, got "4"`],
    ['a negative data_offsets entry', w('F32', [1], [-4, 0], 4), RangeError, `${T}data_offsets[0] must be an integer >= 0, got -4`],
    ['a fractional data_offsets entry', w('F32', [1], [0, 4.5], 4), RangeError, `${T}data_offsets[1] must be an integer >= 0, got 4.5`],
    ['data_offsets beyond 2^53', w('F32', [1], [0, 2 ** 64], 4), RangeError, `${T}data_offsets[1] must be an integer >= 0, got 18446744073709552000`],
    ['data_offsets that begin after they end', w('F32', [1], [8, 4], 8), RangeError, `${T}data_offsets [8, 4] begin after they end`],
    ['data_offsets beyond the data buffer', w('F32', [2], [0, 8], 4), RangeError, `${T}data_offsets [0, 8] end beyond the data buffer (4 bytes)`],
    ['data_offsets beyond an empty data buffer', w('F32', [1], [0, 4]), RangeError, `${T}data_offsets [0, 4] end beyond the data buffer (0 bytes)`],
    ['a byte length short of the shape', w('F32', [2, 2], [0, 12], 12), RangeError, `${T}shape [2, 2] of F32 needs 16 bytes, but data_offsets [0, 12] span 12`],
    ['a byte length beyond the shape', w('F64', [1], [0, 16], 16), RangeError, `${T}shape [1] of F64 needs 8 bytes, but data_offsets [0, 16] span 16`],
    ['a scalar with no bytes', w('F32', [], [0, 0]), RangeError, `${T}shape [] of F32 needs 4 bytes, but data_offsets [0, 0] span 0`],
    ['a zero-element tensor with bytes', w('F32', [0, 3], [0, 4], 4), RangeError, `${T}shape [0, 3] of F32 needs 0 bytes, but data_offsets [0, 4] span 4`],
    ['a long shape, shown cut', w('U8', Array(20).fill(1), [0, 2], 2), RangeError, `${T}shape [1, 1, 1, 1, 1, 1, 1, 1, …] (20 dimensions) of U8 needs 1 bytes, but data_offsets [0, 2] span 2`],
    ['a gap between tensors', file({ a: entry('F32', [1], [0, 4]), b: entry('F32', [1], [8, 12]) }, 12), RangeError, 'decodeSafetensors: tensor "b": data_offsets [8, 12] leave a gap: data bytes 4 to 8 belong to no tensor'],
    ['a gap at the start', file({ a: entry('F32', [1], [4, 8]) }, 8), RangeError, 'decodeSafetensors: tensor "a": data_offsets [4, 8] leave a gap: data bytes 0 to 4 belong to no tensor'],
    ['overlapping tensors', file({ a: entry('F32', [2], [0, 8]), b: entry('F32', [2], [4, 12]) }, 12), RangeError, 'decodeSafetensors: tensor "b": data_offsets [4, 12] overlap tensor "a" (data_offsets [0, 8])'],
    ['two tensors on the same bytes', file({ b: entry('F32', [1], [0, 4]), a: entry('F32', [1], [0, 4]) }, 4), RangeError, 'decodeSafetensors: tensor "b": data_offsets [0, 4] overlap tensor "a" (data_offsets [0, 4])'],
    ['a zero-element tensor inside another', file({ a: entry('F32', [2], [0, 8]), e: entry('F32', [0], [4, 4]) }, 8), RangeError, 'decodeSafetensors: tensor "e": data_offsets [4, 4] overlap tensor "a" (data_offsets [0, 8])'],
    ['a zero-element tensor beyond the others', file({ a: entry('F32', [1], [0, 4]), e: entry('F32', [0], [6, 6]) }, 6), RangeError, 'decodeSafetensors: tensor "e": data_offsets [6, 6] leave a gap: data bytes 4 to 6 belong to no tensor'],
    ['trailing bytes', file({ a: entry('F32', [1], [0, 4]) }, 6), RangeError, 'decodeSafetensors: the tensors cover 4 of the 6 bytes of the data buffer: 2 trailing bytes belong to no tensor'],
    ['bytes but no tensors', file({ __metadata__: {} }, 3), RangeError, 'decodeSafetensors: the tensors cover 0 of the 3 bytes of the data buffer: 3 trailing bytes belong to no tensor'],
    ['a duplicate tensor name (JSON.parse keeps the last)', file('{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', 8), RangeError, `${T}data_offsets [4, 8] leave a gap: data bytes 0 to 4 belong to no tensor`],
    ['bytes that are a string', 'abc', TypeError, 'decodeSafetensors: bytes must be a Uint8Array or an ArrayBuffer, got "abc"'],
    ['bytes in an Int8Array', new Int8Array(16), TypeError, 'decodeSafetensors: bytes must be a Uint8Array or an ArrayBuffer, got a Int8Array'],
    ['bytes that are an array', [8, 0, 0, 0, 0, 0, 0, 0, 123, 125], TypeError, 'decodeSafetensors: bytes must be a Uint8Array or an ArrayBuffer, got an array of length 10'],
  ];
  it.each(cases)('%s', (_title, bytes, kind, message) => {
    const call = () => decodeSafetensors(bytes as Uint8Array);
    expect(call).toThrow(kind);
    let thrown: unknown;
    try {
      call();
    } catch (error) {
      thrown = error;
    }
    expect((thrown as Error).constructor).toBe(kind);
    if (typeof message === 'string') expect((thrown as Error).message).toBe(message);
    else expect((thrown as Error).message).toMatch(message);
  });

  it('a tensor name too long for a message is cut', () => {
    const name = 'n'.repeat(500);
    expect(() => decodeSafetensors(file({ [name]: entry('F32', [1], [0, 8]) }, 8))).toThrow(
      `decodeSafetensors: tensor "${'n'.repeat(120)}"… (500 characters): shape [1] of F32 needs 4 bytes, but data_offsets [0, 8] span 8`,
    );
  });

  it('reads a header of the maximum size', () => {
    const body = '{"__metadata__":{"pad":""}}';
    const header = body.slice(0, -2) + ' '.repeat(SAFETENSORS_MAX_HEADER_SIZE - body.length) + '}}';
    const bytes = file(header);
    expect(bytes.length).toBe(8 + SAFETENSORS_MAX_HEADER_SIZE);
    expect(decodeSafetensors(bytes).metadata).toEqual({ pad: '' });
  });

  it('deeply nested JSON is an error of the entry, not a stack overflow', () => {
    const depth = 1_000_000;
    const header = `{"w":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    expect(() => decodeSafetensors(file(header))).toThrow(
      new TypeError(`${T}the entry must be an object with dtype, shape and data_offsets, got an array of length 1`),
    );
  });
});

// ---------------------------------------------------------------------------------------------

describe('tensorToFloat32', () => {
  const bits = (a: Float32Array) => [...new Uint32Array(a.buffer, a.byteOffset, a.length)];

  it('copies F32 bit for bit (NaN payloads included), into a new buffer', () => {
    const tensor = EDGE.F32();
    const out = tensorToFloat32(tensor);
    expect(bits(out)).toEqual(bits(tensor.data as Float32Array));
    expect(out.buffer).not.toBe(tensor.data.buffer);
  });

  it('decodes F16 exactly: zeros, subnormals, normals, infinities, NaN payloads', () => {
    const out = tensorToFloat32({ dtype: 'F16', shape: [9], data: new Uint16Array([0x0000, 0x8000, 0x0001, 0x03ff, 0x0400, 0x3c00, 0xfbff, 0x7c00, 0x7c01]) });
    expect([...out].slice(0, 8)).toEqual([0, -0, 2 ** -24, 1023 * 2 ** -24, 2 ** -14, 1, -65504, Infinity]);
    expect(bits(out)[8]).toBe(0x7f802000);
  });

  it('decodes BF16 as its top 16 bits', () => {
    const out = tensorToFloat32(EDGE.BF16());
    expect(bits(out)).toEqual([...(EDGE.BF16().data as Uint16Array)].map((b) => (b << 16) >>> 0));
  });

  it('rounds F64 to the nearest float32 (ties to even) and overflows to ±Infinity', () => {
    const out = tensorToFloat32({ dtype: 'F64', shape: [6], data: new Float64Array([1 + 2 ** -24, 1 + 3 * 2 ** -24, 1e300, -1e300, 2 ** -150, NaN]) });
    expect([...out]).toEqual([1, 1 + 2 ** -22, Infinity, -Infinity, 0, NaN]);
  });

  it('converts I64, I32, U8 and BOOL', () => {
    expect([...tensorToFloat32({ dtype: 'I64', shape: [4], data: new BigInt64Array([-(2n ** 53n), 2n ** 53n, 16777217n, -3n]) })]).toEqual([-(2 ** 53), 2 ** 53, 16777216, -3]);
    expect([...tensorToFloat32(EDGE.I32())]).toEqual([0, -1, -(2 ** 31), 2 ** 31]);
    expect([...tensorToFloat32(EDGE.U8())]).toEqual([0, 128, 255]);
    expect([...tensorToFloat32({ dtype: 'BOOL', shape: [3], data: new Uint8Array([0, 1, 7]) })]).toEqual([0, 1, 1]);
  });

  it('refuses I64 beyond ±2^53, naming the tensor and the element', () => {
    const tensor: Tensor = { dtype: 'I64', shape: [2], data: new BigInt64Array([1n, -(2n ** 53n) - 1n]) };
    expect(() => tensorToFloat32(tensor, 'steps')).toThrow(new RangeError('tensorToFloat32: tensor "steps": I64 element 1 is -9007199254740993, beyond ±2^53 (not exactly a JavaScript number)'));
    expect(() => tensorToFloat32(tensor)).toThrow(new RangeError('tensorToFloat32: I64 element 1 is -9007199254740993, beyond ±2^53 (not exactly a JavaScript number)'));
  });

  it('checks its argument', () => {
    expect(() => tensorToFloat32(null as never)).toThrow(new TypeError('tensorToFloat32: tensor must be a Tensor ({ dtype, shape, data }), got null'));
    expect(() => tensorToFloat32({ dtype: 'X', shape: [], data: new Float32Array(1) } as never, 'w')).toThrow(
      new TypeError('tensorToFloat32: tensor "w": dtype must be one of F32, F64, F16, BF16, I64, I32, U8, BOOL, got "X"'),
    );
    expect(() => tensorToFloat32({ dtype: 'F16', shape: [1], data: new Float32Array(1) })).toThrow(
      new TypeError('tensorToFloat32: data of a F16 tensor must be a Uint16Array, got a Float32Array'),
    );
  });
});

// ---------------------------------------------------------------------------------------------

interface FixtureTensor {
  dtype: SafetensorsDtype;
  shape: number[];
  bits?: (number | string)[];
  sha256?: string;
  float32?: number[] | null;
  float32_sha256?: string;
}
interface FixtureFile {
  writer: string;
  metadata: Record<string, string> | null;
  tensors: Record<string, FixtureTensor>;
}
const expected: { generator: string; files: Record<string, FixtureFile> } = JSON.parse(readFileSync(new URL('safetensors-expected.json', FIXTURES), 'utf8'));
const readFixture = (name: string) => new Uint8Array(readFileSync(new URL(name, FIXTURES)));

describe(`files written by Python (${expected.generator})`, () => {
  it.each(['numpy-dtypes.safetensors', 'torch-dtypes.safetensors'])('decodes %s: every tensor, its elements and its float32 cast', (filename) => {
    const want = expected.files[filename];
    const { tensors, metadata } = decodeSafetensors(readFixture(filename));
    expect(metadata).toEqual(want.metadata ?? {});
    expect(Object.keys(tensors).sort()).toEqual(Object.keys(want.tensors).sort());
    for (const [name, w] of Object.entries(want.tensors)) {
      const got = tensors[name];
      expect(got.dtype, name).toBe(w.dtype);
      expect(got.shape, name).toEqual(w.shape);
      if (w.sha256 !== undefined) expect(sha256(bytesOf(got.data)), name).toBe(w.sha256);
      else expect(bitsOf(got), name).toEqual(w.bits);
      if (w.float32_sha256 !== undefined) expect(sha256(bytesOf(tensorToFloat32(got, name))), name).toBe(w.float32_sha256);
      if (w.float32 === null) {
        expect(() => tensorToFloat32(got, name), name).toThrow(RangeError);
      } else if (w.float32 !== undefined) {
        const out = tensorToFloat32(got, name);
        const ours = [...new Uint32Array(out.buffer)];
        // F64 → float32 keeps no particular NaN payload (numpy and V8 each pick theirs); all else bit for bit.
        const isNaN32 = (b: number) => (b & 0x7fffffff) > 0x7f800000;
        const normalize = (b: number[]) => (w.dtype === 'F64' ? b.map((x) => (isNaN32(x) ? 'NaN' : x)) : b);
        expect(normalize(ours), name).toEqual(normalize(w.float32));
      }
    }
  });

  it('covers every dtype, scalars, zero-element tensors, all 65536 F16 patterns and BF16 from torch', () => {
    const all = Object.values(expected.files).flatMap((f) => Object.values(f.tensors));
    expect(new Set(all.map((t) => t.dtype))).toEqual(new Set(DTYPES));
    expect(all.some((t) => t.shape.length === 0)).toBe(true);
    expect(all.some((t) => t.shape.includes(0))).toBe(true);
    expect(expected.files['numpy-dtypes.safetensors'].tensors['f16.all'].shape).toEqual([256, 256]);
    expect(expected.files['torch-dtypes.safetensors'].writer).toMatch(/^safetensors\.torch\.save_file/);
  });

  it.each(['f32-identity.safetensors', 'f32-identity-nometa.safetensors', 'f32-identity-emptymeta.safetensors', 'mixed-identity.safetensors'])(
    'encodes the content of %s to the same bytes as Python',
    (filename) => {
      const want = expected.files[filename];
      const tensors: Record<string, Tensor> = {};
      for (const [name, t] of Object.entries(want.tensors)) tensors[name] = { dtype: t.dtype, shape: t.shape, data: dataFromBits(t.dtype, t.bits!) };
      const python = readFixture(filename);
      const ours = encodeSafetensors(tensors, want.metadata ?? undefined);
      expect(headerOf(ours)).toBe(headerOf(python));
      expect(ours).toEqual(python);
      // And decoding Python's file and encoding it again gives the file back.
      const decoded = decodeSafetensors(python);
      expect(encodeSafetensors(decoded.tensors, want.metadata === null ? undefined : decoded.metadata)).toEqual(python);
    },
  );

  it('writes F32 params (duck-typed { value, shape }) as Python writes F32 tensors', () => {
    const want = expected.files['f32-identity.safetensors'];
    const params = Object.fromEntries(
      Object.entries(want.tensors).map(([name, t]) => [name, { value: dataFromBits('F32', t.bits!) as Float32Array, shape: Object.freeze([...t.shape]) }]),
    );
    expect(encodeSafetensors(params, want.metadata!)).toEqual(readFixture('f32-identity.safetensors'));
  });
});

// ---------------------------------------------------------------------------------------------

describe('fuzz: mutated and truncated files', () => {
  // FUZZ_RUNS and FUZZ_SEED allow longer or other local runs; CI uses the defaults.
  const NUM_RUNS = Number(process.env.FUZZ_RUNS ?? 300);
  const SEED = Number(process.env.FUZZ_SEED ?? 0);

  const base = encodeSafetensors(
    {
      w: EDGE.F32(),
      d: EDGE.F64(),
      h: EDGE.F16(),
      b: EDGE.BF16(),
      n: EDGE.I64(),
      i: EDGE.I32(),
      u: EDGE.U8(),
      m: EDGE.BOOL(),
      s: { dtype: 'F32', shape: [], data: new Float32Array([1]) },
      e: { dtype: 'F64', shape: [0, 2], data: new Float64Array(0) },
    },
    { format: 'pt' },
  );
  const baseHeader = headerOf(base);
  const baseData = base.subarray(8 + new TextEncoder().encode(baseHeader).length);

  type Mutation =
    | { kind: 'byte'; at: number; value: number }
    | { kind: 'truncate'; at: number }
    | { kind: 'insert'; at: number; bytes: number[] }
    | { kind: 'length'; value: bigint }
    | { kind: 'text'; at: number; text: string };

  const TOKENS = ['0', '1', '4', '9', '-1', '1.5', '1e3', '99999999999999999999', '"', '{', '}', '[', ']', ',', ':', ' ', 'null', '"F32"', '"I8"', '"BOOL"', '[]', '{}', '\\u0000', '\\ud800', 'é', '__metadata__', '"shape"', '"data_offsets"'];
  const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    fc.record({ kind: fc.constant('byte' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 9 }) }),
    fc.record({ kind: fc.constant('length' as const), value: fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.bigInt({ min: 0n, max: 600n })) }),
    // Edits of the header text with the length prefix fixed up: these reach the entry checks.
    fc.record({ kind: fc.constant('text' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 3 })) }),
  );

  function apply(bytes: Uint8Array, m: Mutation): Uint8Array {
    switch (m.kind) {
      case 'byte': {
        const out = bytes.slice();
        if (out.length > 0) out[m.at % out.length] = m.value;
        return out;
      }
      case 'truncate':
        return bytes.slice(0, m.at % (bytes.length + 1));
      case 'insert': {
        const at = m.at % (bytes.length + 1);
        return Uint8Array.from([...bytes.subarray(0, at), ...m.bytes, ...bytes.subarray(at)]);
      }
      case 'length': {
        const out = bytes.length >= 8 ? bytes.slice() : new Uint8Array(8);
        new DataView(out.buffer).setBigUint64(0, m.value, true);
        return out;
      }
      case 'text': {
        // Replace one to three characters of the base header (not of the mutated bytes: keep it simple).
        const at = m.at % (baseHeader.length + 1);
        const text = baseHeader.slice(0, at) + m.text + baseHeader.slice(at + (m.at % 3));
        return file(text, baseData);
      }
    }
  }

  it('the unmutated file decodes', () => {
    expect(Object.keys(decodeSafetensors(base).tensors)).toHaveLength(10);
  });

  it('every mutation either decodes to consistent tensors or throws a TypeError or RangeError', () => {
    let decoded = 0;
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
        const bytes = mutations.reduce(apply, base);
        let result: SafetensorsContents;
        try {
          result = decodeSafetensors(bytes);
        } catch (error) {
          if (!(error instanceof TypeError || error instanceof RangeError)) throw error;
          expect(error.message.startsWith('decodeSafetensors: ')).toBe(true);
          return;
        }
        decoded++;
        let total = 0;
        for (const [name, t] of Object.entries(result.tensors)) {
          const count = t.shape.reduce((a, d) => a * d, 1);
          expect(t.data.length, name).toBe(count);
          expect(t.data.buffer, name).not.toBe(bytes.buffer);
          total += t.data.byteLength;
        }
        for (const value of Object.values(result.metadata)) expect(typeof value).toBe('string');
        const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
        expect(8 + n + total).toBe(bytes.length);
      }),
      { seed: SEED, numRuns: NUM_RUNS },
    );
    // Some mutations keep the file valid (a byte of data, a digit of a shape swapped consistently…).
    expect(decoded).toBeGreaterThan(0);
  });
});
