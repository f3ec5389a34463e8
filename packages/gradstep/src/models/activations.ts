/**
 * The models' elementwise math that runs in TypeScript on both backends: tanh and its derivative,
 * and gathering a batch's rows. (The dense layers' products are kernels with a twin in each backend,
 * js-kernels/dense.ts and crates/gradstep-kernels/src/dense.rs, which also fuse ReLU into their
 * passes; tanh stays here because it is Math.tanh, which Rust cannot reproduce bit for bit: see
 * HACKING.md.) Every function writes into buffers the caller owns and allocates nothing.
 */

/** The hidden-layer nonlinearities. */
export type Activation = 'relu' | 'tanh';

/** values[i] = tanh(values[i]) for i < length, in place. */
export function tanhInPlace(values: Float32Array, length: number): void {
  for (let i = 0; i < length; i++) values[i] = Math.tanh(values[i]);
}

/** Turns ∂loss/∂a into ∂loss/∂z in place, from the activations a = tanh(z) themselves: tanh' = 1 − a². */
export function tanhBackwardInPlace(activations: Float32Array, gradient: Float32Array, length: number): void {
  for (let i = 0; i < length; i++) {
    const a = activations[i];
    gradient[i] *= 1 - a * a;
  }
}

/**
 * Copies `count` rows of a row-major matrix into `out`: rows `indices[offset … offset + count − 1]`,
 * or rows `offset … offset + count − 1` when indices is undefined.
 */
export function gatherRows(
  source: Float32Array,
  rowLength: number,
  indices: ArrayLike<number> | undefined,
  offset: number,
  count: number,
  out: Float32Array,
): void {
  if (indices === undefined) {
    out.set(source.subarray(offset * rowLength, (offset + count) * rowLength));
    return;
  }
  for (let i = 0; i < count; i++) {
    const from = indices[offset + i] * rowLength;
    out.set(source.subarray(from, from + rowLength), i * rowLength);
  }
}
