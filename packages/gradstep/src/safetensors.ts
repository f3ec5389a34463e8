/**
 * A codec for the safetensors format (https://github.com/huggingface/safetensors), the format of
 * Hugging Face model weights: `encodeSafetensors` writes the bytes that Python's
 * `safetensors.numpy.save` / `safetensors.torch.save` write for the same tensors (and at most one
 * metadata entry), and `decodeSafetensors` reads any file of the eight dtypes below, treating its
 * bytes as untrusted.
 *
 * The format: an 8-byte little-endian u64 `N`; `N` bytes of UTF-8 JSON (the header), which must begin
 * with `{`; then the data buffer. The header maps each tensor name to
 * `{"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}` (byte offsets into the data
 * buffer, little-endian, row-major), plus an optional `"__metadata__"` object of strings. The
 * tensors' byte ranges must tile the data buffer exactly: no gaps, no overlaps, no trailing bytes.
 *
 * Pure TypeScript: no backend, no wasm.
 */

import { describe } from './validate.js';

/** The dtypes this codec reads and writes (the format has more: I8, U16, F8_E4M3, …, which it refuses). */
export type SafetensorsDtype = 'F32' | 'F64' | 'F16' | 'BF16' | 'I64' | 'I32' | 'U8' | 'BOOL';

/**
 * The typed array holding a tensor's elements, one per dtype: F32 `Float32Array`, F64
 * `Float64Array`, I64 `BigInt64Array`, I32 `Int32Array`, U8 and BOOL `Uint8Array` (BOOL: 0 or 1),
 * F16 and BF16 `Uint16Array` of raw bit patterns (JavaScript has no 16-bit float array everywhere;
 * {@link tensorToFloat32} decodes them).
 */
export type TensorData = Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array | Uint16Array;

/** A tensor: dtype, shape (row-major; `[]` for a scalar) and its elements. */
export interface Tensor {
  /** The element type, as safetensors names it (F32, BF16, I64, …). */
  dtype: SafetensorsDtype;
  /** Dimensions, each a non-negative safe integer; their product is `data.length`. */
  shape: number[];
  /** The elements, in the typed array of `dtype` (see {@link TensorData}). */
  data: TensorData;
}

/**
 * What `encodeSafetensors` accepts besides a {@link Tensor}: anything with a Float32Array `value`
 * and a `shape`, such as a gradstep `Param`, written as F32.
 */
export interface Float32Source {
  /** The elements, row-major. */
  value: Float32Array;
  /** Dimensions; their product is `value.length`. */
  shape: readonly number[];
}

/** What {@link decodeSafetensors} returns. */
export interface SafetensorsContents {
  /** The tensors by name (own properties, even for a name such as `__proto__`). */
  tensors: Record<string, Tensor>;
  /** The `__metadata__` entries; `{}` when the file has none. */
  metadata: Record<string, string>;
}

/** The header length the reference implementation refuses to exceed (100 MB), reading or writing. */
export const SAFETENSORS_MAX_HEADER_SIZE = 100_000_000;

// ---------------------------------------------------------------------------------------------
// Dtypes

interface DtypeInfo {
  /** Bytes per element. */
  size: number;
  /** The typed array class's name (checked with the intrinsic toStringTag getter, so cross-realm arrays pass). */
  array: string;
  make: (length: number) => TensorData;
  /**
   * The position in the reference implementation's `Dtype` enum (safetensors/src/tensor.rs, "in
   * increasing alignment order"): the writer orders tensors by this, descending, then by name.
   */
  rank: number;
}

const DTYPES: Record<SafetensorsDtype, DtypeInfo> = {
  BOOL: { size: 1, array: 'Uint8Array', make: (n) => new Uint8Array(n), rank: 0 },
  U8: { size: 1, array: 'Uint8Array', make: (n) => new Uint8Array(n), rank: 4 },
  F16: { size: 2, array: 'Uint16Array', make: (n) => new Uint16Array(n), rank: 13 },
  BF16: { size: 2, array: 'Uint16Array', make: (n) => new Uint16Array(n), rank: 14 },
  I32: { size: 4, array: 'Int32Array', make: (n) => new Int32Array(n), rank: 15 },
  F32: { size: 4, array: 'Float32Array', make: (n) => new Float32Array(n), rank: 17 },
  F64: { size: 8, array: 'Float64Array', make: (n) => new Float64Array(n), rank: 19 },
  I64: { size: 8, array: 'BigInt64Array', make: (n) => new BigInt64Array(n), rank: 20 },
};

const DTYPE_NAMES = ['F32', 'F64', 'F16', 'BF16', 'I64', 'I32', 'U8', 'BOOL'] as const;

function isDtype(value: unknown): value is SafetensorsDtype {
  return typeof value === 'string' && (DTYPE_NAMES as readonly string[]).includes(value);
}

/** The name of a typed array's class ('Float32Array'), undefined for anything else; not spoofable. */
const typedArrayTag = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), Symbol.toStringTag)!
  .get as (this: unknown) => string | undefined;

function typedArrayName(value: unknown): string | undefined {
  return ArrayBuffer.isView(value) ? typedArrayTag.call(value) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Shared helpers

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Reverses the bytes of each `size`-byte element in place (only on big-endian platforms). */
function swapBytes(bytes: Uint8Array, size: number): void {
  if (size === 1) return;
  for (let i = 0; i + size <= bytes.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const t = bytes[a];
      bytes[a] = bytes[b];
      bytes[b] = t;
    }
  }
}

/** A lone UTF-16 surrogate: such a string has no UTF-8 form, so it cannot be a name in the format. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function isWellFormed(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

/** A name or value for a message: JSON-quoted, cut after 120 characters. */
function quote(text: string): string {
  return text.length <= 120 ? JSON.stringify(text) : `${JSON.stringify(text.slice(0, 120))}… (${text.length} characters)`;
}

/** `describe`, with long strings cut. */
function show(value: unknown): string {
  return typeof value === 'string' ? quote(value) : describe(value);
}

/** A shape for a message: at most 8 dimensions, then their number. */
function formatShape(shape: readonly unknown[]): string {
  const head = shape.slice(0, 8).join(', ');
  return shape.length <= 8 ? `[${head}]` : `[${head}, …] (${shape.length} dimensions)`;
}

/**
 * Compares strings by Unicode code point, which is the byte order of their UTF-8 forms (Rust's
 * `str` order), unlike `<` on UTF-16 code units. Both strings are well-formed.
 */
function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codeUnitOrder(x) - codeUnitOrder(y);
  }
  return a.length - b.length;
}

/** Moves surrogates (which start code points >= 0x10000) above U+E000–U+FFFF. */
function codeUnitOrder(unit: number): number {
  return unit >= 0xe000 ? unit - 0x800 : unit >= 0xd800 ? unit + 0x2000 : unit;
}

const TWO_POW_64 = 2 ** 64;

/**
 * The element count of a shape of non-negative safe integers, computed as the reference does (a u64
 * running product, left to right, then × the element's bits): 'overflow' where it would overflow,
 * even when a later dimension is 0, since Python could not read such a file. Otherwise exact when at
 * most 2^53; beyond that (never a valid count here: no buffer is that large) a float above 2^53.
 */
function elementCount(shape: readonly number[], size: number): number | 'overflow' {
  let count = 1;
  for (const d of shape) {
    count *= d;
    if (count >= TWO_POW_64) return 'overflow';
  }
  return count * size * 8 >= TWO_POW_64 ? 'overflow' : count;
}

function bytesOf(data: TensorData): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

// ---------------------------------------------------------------------------------------------
// Encoding

interface Entry {
  name: string;
  dtype: SafetensorsDtype;
  shape: readonly number[];
  data: TensorData;
}

/**
 * Encodes tensors (and optional metadata) as a safetensors file.
 *
 * Each value is a {@link Tensor} (any of the eight dtypes; `data` must be that dtype's typed array)
 * or anything with a Float32Array `value` and a `shape` (such as a gradstep `Param`), written as F32.
 * The layout is the reference writer's (`safetensors.numpy.save`, `safetensors.torch.save`): tensors
 * ordered by dtype (I64, F64, F32, I32, BF16, F16, U8, BOOL: the reference's descending alignment
 * order) and then by name (Unicode code point order = UTF-8 byte order), the header as compact JSON
 * with `__metadata__` first, padded with spaces to a multiple of 8 bytes. With at most one metadata
 * entry the bytes equal Python's for the same tensors; with several, this writes them sorted by key,
 * while the reference writes them in its hash map's order, which changes from run to run.
 *
 * The data is copied (one `Uint8Array.set` per tensor on little-endian platforms): the result never
 * aliases the inputs, and a Param's wasm memory is read once, during the call.
 *
 * @param tensors - Tensor names to tensors. A name must be a non-empty string of well-formed Unicode
 *   that does not start with `__` (`__metadata__` is the format's reserved key; `__` names are kept
 *   for such keys).
 * @param metadata - Optional string-to-string metadata, stored as `__metadata__`. `{}` writes an
 *   empty `__metadata__` (as Python's `metadata={}` does); `undefined` writes none.
 * @returns The file's bytes, in a fresh buffer.
 * @throws TypeError for a value of the wrong type (a tensor that is neither form, an unknown dtype, a
 *   data array of the wrong class for its dtype, a shape that is not an array of numbers, a bad name,
 *   a metadata value that is not a string); RangeError for a value out of range (a negative or
 *   fractional dimension, a shape whose product is not `data.length` or overflows 64 bits, a BOOL
 *   element other than 0 or 1, a header above 100 MB). Messages name the tensor:
 *   `encodeSafetensors: tensor "w": ...`. A disposed Param: Error.
 */
export function encodeSafetensors(tensors: Record<string, Tensor | Float32Source>, metadata?: Record<string, string>): Uint8Array {
  const owner = 'encodeSafetensors';
  if (tensors === null || typeof tensors !== 'object' || Array.isArray(tensors)) {
    throw new TypeError(`${owner}: tensors must be an object of names to tensors, got ${describe(tensors)}`);
  }
  const entries: Entry[] = Object.keys(tensors).map((name) => checkEntry(name, (tensors as Record<string, unknown>)[name]));
  entries.sort((a, b) => DTYPES[b.dtype].rank - DTYPES[a.dtype].rank || compareCodePoints(a.name, b.name));

  const parts: string[] = [];
  if (metadata !== undefined) parts.push(`"__metadata__":${metadataJson(metadata)}`);
  let offset = 0;
  for (const { name, dtype, data, shape } of entries) {
    const end = offset + data.length * DTYPES[dtype].size;
    parts.push(`${JSON.stringify(name)}:{"dtype":"${dtype}","shape":[${shape.join(',')}],"data_offsets":[${offset},${end}]}`);
    offset = end;
  }
  const json = new TextEncoder().encode(`{${parts.join(',')}}`);
  const headerLength = Math.ceil(json.length / 8) * 8;
  if (headerLength > SAFETENSORS_MAX_HEADER_SIZE) {
    throw new RangeError(`${owner}: the header would take ${headerLength} bytes, above the format's limit of ${SAFETENSORS_MAX_HEADER_SIZE}`);
  }

  const total = 8 + headerLength + offset;
  let out: Uint8Array;
  try {
    out = new Uint8Array(total);
  } catch {
    throw new RangeError(`${owner}: cannot allocate ${total} bytes for the file`);
  }
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  let at = 8 + headerLength;
  for (const { dtype, data } of entries) {
    const bytes = bytesOf(data);
    out.set(bytes, at);
    if (!LITTLE_ENDIAN) swapBytes(out.subarray(at, at + bytes.length), DTYPES[dtype].size);
    at += bytes.length;
  }
  return out;
}

function checkEntry(name: string, value: unknown): Entry {
  const owner = 'encodeSafetensors';
  if (name === '' || name.startsWith('__') || !isWellFormed(name)) {
    const why = name === '' ? 'is empty' : name.startsWith('__') ? 'starts with "__" (reserved for keys such as __metadata__)' : 'is not well-formed Unicode (a lone surrogate has no UTF-8 form)';
    throw new TypeError(`${owner}: tensor name ${quote(name)} ${why}`);
  }
  const where = `${owner}: tensor ${quote(name)}`;
  if (value === null || typeof value !== 'object') {
    throw new TypeError(`${where}: must be a Tensor ({ dtype, shape, data }) or have a Float32Array value and a shape (a Param), got ${describe(value)}`);
  }
  const record = value as Record<string, unknown>;
  let dtype: SafetensorsDtype;
  let data: unknown;
  if ('dtype' in record) {
    if (!isDtype(record.dtype)) {
      throw new TypeError(`${where}: dtype must be one of ${DTYPE_NAMES.join(', ')}, got ${show(record.dtype)}`);
    }
    dtype = record.dtype;
    data = record.data;
    const expected = DTYPES[dtype].array;
    if (typedArrayName(data) !== expected) throw new TypeError(`${where}: data of a ${dtype} tensor must be a ${expected}, got ${describe(data)}`);
  } else if ('value' in record) {
    if (record.disposed === true) throw new Error(`${where}: the param was disposed`);
    dtype = 'F32';
    data = record.value;
    if (typedArrayName(data) !== 'Float32Array') throw new TypeError(`${where}: value must be a Float32Array, got ${describe(data)}`);
  } else {
    throw new TypeError(`${where}: must be a Tensor ({ dtype, shape, data }) or have a Float32Array value and a shape (a Param), got ${describe(value)}`);
  }
  const shape = record.shape;
  if (!Array.isArray(shape)) throw new TypeError(`${where}: shape must be an array of integers >= 0, got ${describe(shape)}`);
  shape.forEach((d: unknown, i) => {
    if (typeof d !== 'number') throw new TypeError(`${where}: shape[${i}] must be an integer >= 0, got ${show(d)}`);
    if (!Number.isSafeInteger(d) || d < 0) throw new RangeError(`${where}: shape[${i}] must be an integer >= 0, got ${describe(d)}`);
  });
  const typed = data as TensorData;
  const count = elementCount(shape, DTYPES[dtype].size);
  if (count === 'overflow') throw new RangeError(`${where}: shape ${formatShape(shape)} overflows 64 bits (the reference implementation's element and bit counts)`);
  if (count !== typed.length) throw new RangeError(`${where}: shape ${formatShape(shape)} holds ${count} elements, but data has ${typed.length}`);
  if (dtype === 'BOOL') {
    const bytes = typed as Uint8Array;
    for (let i = 0; i < bytes.length; i++) {
      if (bytes[i] > 1) throw new RangeError(`${where}: BOOL elements must be 0 or 1, got ${bytes[i]} at index ${i}`);
    }
  }
  return { name, dtype, shape: [...shape], data: typed };
}

function metadataJson(metadata: unknown): string {
  const owner = 'encodeSafetensors';
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
    throw new TypeError(`${owner}: metadata must be an object of strings, got ${describe(metadata)}`);
  }
  const keys = Object.keys(metadata).sort(compareCodePoints);
  const parts = keys.map((key) => {
    const value = (metadata as Record<string, unknown>)[key];
    if (typeof value !== 'string') throw new TypeError(`${owner}: metadata ${quote(key)} must be a string, got ${describe(value)}`);
    if (!isWellFormed(key) || !isWellFormed(value)) {
      throw new TypeError(`${owner}: metadata ${quote(key)} is not well-formed Unicode (a lone surrogate has no UTF-8 form)`);
    }
    return `${JSON.stringify(key)}:${JSON.stringify(value)}`;
  });
  return `{${parts.join(',')}}`;
}

// ---------------------------------------------------------------------------------------------
// Decoding

interface Parsed {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  begin: number;
  end: number;
}

/**
 * Decodes a safetensors file. The bytes are untrusted: anything malformed is a TypeError (a value of
 * the wrong kind) or a RangeError (a value out of range), never an out-of-bounds read, and the work is
 * bounded by the input's size. Messages start `decodeSafetensors: ` and name the tensor where there
 * is one: `decodeSafetensors: tensor "w": ...`.
 *
 * The checks, in order:
 * - at least 8 bytes; the header length N at most 100,000,000 (the reference's MAX_HEADER_SIZE) and
 *   at most the bytes after the length prefix (RangeError);
 * - the header valid UTF-8 (no BOM skipped), beginning with `{` (as the format requires), valid JSON,
 *   an object (TypeError);
 * - `__metadata__`, when present, an object whose values are all strings (TypeError);
 * - each other key: a tensor name of well-formed Unicode, whose entry is an object with exactly the
 *   keys `dtype`, `shape`, `data_offsets` (TypeError); `dtype` one of the eight supported (a string
 *   otherwise: RangeError); `shape` an array of non-negative safe integers whose element count does
 *   not overflow 64 bits; `data_offsets` two non-negative safe integers `[begin, end]` with
 *   `begin <= end <= ` the data buffer's length; `end - begin` = element count × dtype size;
 * - taken in order of offsets, the tensors tile the data buffer: each begins where the previous one
 *   ends (otherwise a gap or an overlap, naming the tensor), and the last ends at the end of the file
 *   (otherwise trailing bytes).
 *
 * Duplicate keys in the JSON (which the format forbids) are not detected: `JSON.parse` keeps the
 * last one, so a duplicate tensor name usually shows up as a gap. JSON numbers are read by
 * `JSON.parse`, so `2.0` and `2e0` count as the integer 2 (serde_json, the reference's parser,
 * refuses them).
 *
 * @param bytes - The whole file.
 * @returns The tensors, by name, each with a fresh, aligned typed array (a copy, never a view into
 *   `bytes`), and the metadata (`{}` when the file has none). Zero-element tensors (a 0 in the shape)
 *   have empty arrays; scalars (shape `[]`) have one element. BOOL bytes are returned as stored (the
 *   reference does not check them either).
 */
export function decodeSafetensors(bytes: Uint8Array | ArrayBuffer): SafetensorsContents {
  const owner = 'decodeSafetensors';
  const file = asBytes(bytes);
  if (file.length < 8) throw new RangeError(`${owner}: a file needs at least 8 bytes (the header length), got ${file.length}`);
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const headerLength = view.getBigUint64(0, true);
  if (headerLength > BigInt(SAFETENSORS_MAX_HEADER_SIZE)) {
    throw new RangeError(`${owner}: header length ${headerLength} is above the format's limit of ${SAFETENSORS_MAX_HEADER_SIZE} bytes`);
  }
  const n = Number(headerLength);
  if (n > file.length - 8) throw new RangeError(`${owner}: header length ${n} is beyond the end of the file (${file.length - 8} bytes follow the length)`);

  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(file.subarray(8, 8 + n));
  } catch {
    throw new TypeError(`${owner}: the header is not valid UTF-8`);
  }
  if (!text.startsWith('{')) throw new TypeError(`${owner}: the header must be a JSON object beginning with "{", got ${quote(text.slice(0, 20))}`);
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (error) {
    throw new TypeError(`${owner}: the header is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) {
    // Unreachable after the "{" check; kept so that nothing below depends on that reasoning.
    throw new TypeError(`${owner}: the header must be a JSON object, got ${describe(header)}`);
  }

  const dataStart = 8 + n;
  const dataLength = file.length - dataStart;
  const metadata: Record<string, string> = {};
  const parsed: Parsed[] = [];
  for (const key of Object.keys(header)) {
    const value = (header as Record<string, unknown>)[key];
    if (key === '__metadata__') readMetadata(value, metadata);
    else parsed.push(readEntry(key, value, dataLength));
  }

  parsed.sort((a, b) => a.begin - b.begin || a.end - b.end || compareCodePoints(a.name, b.name));
  let expected = 0;
  let previous: Parsed | undefined;
  for (const entry of parsed) {
    if (entry.begin > expected) {
      throw new RangeError(`${owner}: tensor ${quote(entry.name)}: data_offsets [${entry.begin}, ${entry.end}] leave a gap: data bytes ${expected} to ${entry.begin} belong to no tensor`);
    }
    if (entry.begin < expected) {
      throw new RangeError(`${owner}: tensor ${quote(entry.name)}: data_offsets [${entry.begin}, ${entry.end}] overlap tensor ${quote(previous!.name)} (data_offsets [${previous!.begin}, ${previous!.end}])`);
    }
    expected = entry.end;
    previous = entry;
  }
  if (expected !== dataLength) {
    throw new RangeError(`${owner}: the tensors cover ${expected} of the ${dataLength} bytes of the data buffer: ${dataLength - expected} trailing bytes belong to no tensor`);
  }

  const tensors: Record<string, Tensor> = {};
  for (const { name, dtype, shape, begin, end } of parsed) {
    const { size, make } = DTYPES[dtype];
    const data = make((end - begin) / size);
    const target = bytesOf(data);
    target.set(file.subarray(dataStart + begin, dataStart + end));
    if (!LITTLE_ENDIAN) swapBytes(target, size);
    // defineProperty: a tensor named "__proto__" must be an own property, not the prototype.
    Object.defineProperty(tensors, name, { value: { dtype, shape, data }, enumerable: true, writable: true, configurable: true });
  }
  return { tensors, metadata };
}

function asBytes(bytes: unknown): Uint8Array {
  if (typedArrayName(bytes) === 'Uint8Array') return bytes as Uint8Array;
  const tag = Object.prototype.toString.call(bytes);
  if (tag === '[object ArrayBuffer]' || tag === '[object SharedArrayBuffer]') return new Uint8Array(bytes as ArrayBuffer);
  throw new TypeError(`decodeSafetensors: bytes must be a Uint8Array or an ArrayBuffer, got ${describe(bytes)}`);
}

function readMetadata(value: unknown, into: Record<string, string>): void {
  const owner = 'decodeSafetensors';
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError(`${owner}: __metadata__ must be an object of strings, got ${describe(value)}`);
  }
  for (const key of Object.keys(value)) {
    const text = (value as Record<string, unknown>)[key];
    if (typeof text !== 'string') throw new TypeError(`${owner}: __metadata__ ${quote(key)} must be a string, got ${show(text)}`);
    if (!isWellFormed(key) || !isWellFormed(text)) {
      throw new TypeError(`${owner}: __metadata__ ${quote(key)} is not well-formed Unicode (a lone surrogate escape)`);
    }
    Object.defineProperty(into, key, { value: text, enumerable: true, writable: true, configurable: true });
  }
}

const ENTRY_KEYS = ['dtype', 'shape', 'data_offsets'];

function readEntry(name: string, value: unknown, dataLength: number): Parsed {
  const owner = 'decodeSafetensors';
  if (!isWellFormed(name)) throw new TypeError(`${owner}: tensor ${quote(name)}: the name is not well-formed Unicode (a lone surrogate escape)`);
  const where = `${owner}: tensor ${quote(name)}`;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError(`${where}: the entry must be an object with dtype, shape and data_offsets, got ${describe(value)}`);
  }
  const entry = value as Record<string, unknown>;
  for (const key of ENTRY_KEYS) {
    if (!Object.prototype.hasOwnProperty.call(entry, key)) throw new TypeError(`${where}: the entry has no ${key}`);
  }
  const extra = Object.keys(entry).find((key) => !ENTRY_KEYS.includes(key));
  if (extra !== undefined) throw new TypeError(`${where}: unknown key ${quote(extra)} in the entry (allowed: ${ENTRY_KEYS.join(', ')})`);

  const { dtype, shape, data_offsets: offsets } = entry;
  if (typeof dtype !== 'string') throw new TypeError(`${where}: dtype must be a string, got ${describe(dtype)}`);
  if (!isDtype(dtype)) throw new RangeError(`${where}: unsupported dtype ${quote(dtype)} (supported: ${DTYPE_NAMES.join(', ')})`);

  if (!Array.isArray(shape)) throw new TypeError(`${where}: shape must be an array of integers >= 0, got ${describe(shape)}`);
  for (let i = 0; i < shape.length; i++) {
    const d: unknown = shape[i];
    if (typeof d !== 'number') throw new TypeError(`${where}: shape[${i}] must be an integer >= 0, got ${show(d)}`);
    if (!Number.isSafeInteger(d) || d < 0) throw new RangeError(`${where}: shape[${i}] must be an integer >= 0, got ${describe(d)}`);
  }
  const { size } = DTYPES[dtype];
  const count = elementCount(shape as number[], size);
  if (count === 'overflow') throw new RangeError(`${where}: shape ${formatShape(shape)} overflows 64 bits (its element count, or its bit count for ${dtype})`);

  if (!Array.isArray(offsets) || offsets.length !== 2) {
    throw new TypeError(`${where}: data_offsets must be an array of two integers [begin, end], got ${describe(offsets)}`);
  }
  for (let i = 0; i < 2; i++) {
    const o: unknown = offsets[i];
    if (typeof o !== 'number') throw new TypeError(`${where}: data_offsets[${i}] must be an integer >= 0, got ${show(o)}`);
    if (!Number.isSafeInteger(o) || o < 0) throw new RangeError(`${where}: data_offsets[${i}] must be an integer >= 0, got ${describe(o)}`);
  }
  const [begin, end] = offsets as [number, number];
  if (begin > end) throw new RangeError(`${where}: data_offsets [${begin}, ${end}] begin after they end`);
  if (end > dataLength) throw new RangeError(`${where}: data_offsets [${begin}, ${end}] end beyond the data buffer (${dataLength} bytes)`);
  const needed = count * size;
  if (needed !== end - begin) {
    const bytes = Number.isSafeInteger(needed) ? `${needed} bytes` : 'more than 2^53 bytes';
    throw new RangeError(`${where}: shape ${formatShape(shape)} of ${dtype} needs ${bytes}, but data_offsets [${begin}, ${end}] span ${end - begin}`);
  }
  return { name, dtype, shape: shape as number[], begin, end };
}

// ---------------------------------------------------------------------------------------------
// Conversion

/**
 * A tensor's elements as a new Float32Array (never the tensor's own array).
 *
 * - F32: a copy, bit for bit (NaN payloads included);
 * - F16 and BF16: decoded exactly (every value of both is a float32), bit for bit: ±0, subnormals,
 *   ±Infinity and NaN payloads map to the float32 with the same value or payload;
 * - F64: rounded to the nearest float32 (ties to even; beyond the float32 range, ±Infinity);
 * - I32, U8: rounded to the nearest float32 (exact up to 2^24 in magnitude);
 * - I64: the same, for values within ±2^53; a value beyond is a RangeError naming the tensor and the
 *   element (rather than rounding twice);
 * - BOOL: 0 for a 0 byte, 1 for any other.
 *
 * @param tensor - A tensor, such as one from {@link decodeSafetensors}.
 * @param name - The tensor's name, for messages.
 * @throws TypeError for an unknown dtype or a data array of the wrong class for it; RangeError for an
 *   I64 element beyond ±2^53.
 */
export function tensorToFloat32(tensor: Tensor, name?: string): Float32Array {
  const where = name === undefined ? 'tensorToFloat32' : `tensorToFloat32: tensor ${quote(String(name))}`;
  if (tensor === null || typeof tensor !== 'object') throw new TypeError(`${where}: tensor must be a Tensor ({ dtype, shape, data }), got ${describe(tensor)}`);
  const { dtype, data } = tensor;
  if (!isDtype(dtype)) throw new TypeError(`${where}: dtype must be one of ${DTYPE_NAMES.join(', ')}, got ${show(dtype)}`);
  const expected = DTYPES[dtype].array;
  if (typedArrayName(data) !== expected) throw new TypeError(`${where}: data of a ${dtype} tensor must be a ${expected}, got ${describe(data)}`);
  switch (dtype) {
    case 'F32':
      return (data as Float32Array).slice();
    case 'F64':
    case 'I32':
    case 'U8':
      return new Float32Array(data as Float64Array | Int32Array | Uint8Array);
    case 'BOOL': {
      const bytes = data as Uint8Array;
      const out = new Float32Array(bytes.length);
      for (let i = 0; i < bytes.length; i++) out[i] = bytes[i] === 0 ? 0 : 1;
      return out;
    }
    case 'I64': {
      const values = data as BigInt64Array;
      const out = new Float32Array(values.length);
      const limit = 2n ** 53n;
      for (let i = 0; i < values.length; i++) {
        const v = values[i];
        if (v > limit || v < -limit) throw new RangeError(`${where}: I64 element ${i} is ${v}, beyond ±2^53 (not exactly a JavaScript number)`);
        out[i] = Number(v);
      }
      return out;
    }
    case 'BF16': {
      const halves = data as Uint16Array;
      const out = new Float32Array(halves.length);
      const bits = new Uint32Array(out.buffer);
      for (let i = 0; i < halves.length; i++) bits[i] = halves[i] << 16;
      return out;
    }
    case 'F16': {
      const halves = data as Uint16Array;
      const out = new Float32Array(halves.length);
      const bits = new Uint32Array(out.buffer);
      for (let i = 0; i < halves.length; i++) bits[i] = halfToFloatBits(halves[i]);
      return out;
    }
  }
}

/** The float32 bit pattern of the IEEE binary16 value `h` (exact; NaN payloads kept in the top bits). */
function halfToFloatBits(h: number): number {
  const sign = (h & 0x8000) << 16;
  const exponent = (h >> 10) & 0x1f;
  let mantissa = h & 0x3ff;
  if (exponent === 0x1f) return (sign | 0x7f800000 | (mantissa << 13)) >>> 0;
  if (exponent !== 0) return (sign | ((exponent + 112) << 23) | (mantissa << 13)) >>> 0;
  if (mantissa === 0) return sign >>> 0;
  // Subnormal: value mantissa × 2^-24; normalize so the leading 1 reaches bit 10.
  let e = 113; // the biased float32 exponent of 2^-14
  while ((mantissa & 0x400) === 0) {
    mantissa <<= 1;
    e--;
  }
  return (sign | (e << 23) | ((mantissa & 0x3ff) << 13)) >>> 0;
}
