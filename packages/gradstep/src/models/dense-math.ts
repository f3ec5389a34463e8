/**
 * The arithmetic of dense layers, on row-major float32 matrices: the only loops whose cost grows
 * with batch × width. This is the js backend's version; the wasm backend runs the same operations
 * in `crates/gradstep-kernels/src/dense.rs` (f32x4), and both give the same bits: every product and
 * every sum is rounded to float32 (Math.fround), in the order documented there:
 * - rows go four at a time; an input column whose four values are all 0 is skipped (after a ReLU
 *   about half the activations are, and many of the digits' pixels), a single remaining row skips
 *   its zeros;
 * - each output element adds its terms in order of the input feature p;
 * - dInput[r, p] sums its terms in order of the output feature j.
 * Every function writes into buffers the caller owns and allocates nothing.
 */

const f = Math.fround;
/**
 * output[i, j] = bias[j] + Σ_p input[i, p] · weights[p, j] for i < rows, j < outFeatures.
 * input: rows × inFeatures, weights: inFeatures × outFeatures, output: rows × outFeatures.
 */
export function denseForward(
  input: Float32Array,
  rows: number,
  inFeatures: number,
  weights: Float32Array,
  bias: Float32Array,
  outFeatures: number,
  output: Float32Array,
): void {
  let i = 0;
  for (; i + 4 <= rows; i += 4) {
    const o0 = i * outFeatures;
    const o1 = o0 + outFeatures;
    const o2 = o1 + outFeatures;
    const o3 = o2 + outFeatures;
    for (let j = 0; j < outFeatures; j++) {
      const b = bias[j];
      output[o0 + j] = b;
      output[o1 + j] = b;
      output[o2 + j] = b;
      output[o3 + j] = b;
    }
    const r0 = i * inFeatures;
    const r1 = r0 + inFeatures;
    const r2 = r1 + inFeatures;
    const r3 = r2 + inFeatures;
    for (let p = 0; p < inFeatures; p++) {
      const a0 = input[r0 + p];
      const a1 = input[r1 + p];
      const a2 = input[r2 + p];
      const a3 = input[r3 + p];
      if (a0 === 0 && a1 === 0 && a2 === 0 && a3 === 0) continue;
      const w = p * outFeatures;
      for (let j = 0; j < outFeatures; j++) {
        const wj = weights[w + j];
        output[o0 + j] = output[o0 + j] + f(a0 * wj);
        output[o1 + j] = output[o1 + j] + f(a1 * wj);
        output[o2 + j] = output[o2 + j] + f(a2 * wj);
        output[o3 + j] = output[o3 + j] + f(a3 * wj);
      }
    }
  }
  for (; i < rows; i++) {
    const o = i * outFeatures;
    for (let j = 0; j < outFeatures; j++) output[o + j] = bias[j];
    const r = i * inFeatures;
    for (let p = 0; p < inFeatures; p++) {
      const a = input[r + p];
      if (a === 0) continue;
      const w = p * outFeatures;
      for (let j = 0; j < outFeatures; j++) output[o + j] = output[o + j] + f(a * weights[w + j]);
    }
  }
}

/**
 * The gradients of a dense layer given dOutput = ∂loss/∂output (rows × outFeatures):
 * gradWeights = inputᵀ · dOutput, gradBias = column sums of dOutput (both overwritten), and, when
 * `dInput` is given, dInput = dOutput · weightsᵀ (rows × inFeatures, overwritten).
 */
export function denseBackward(
  input: Float32Array,
  rows: number,
  inFeatures: number,
  weights: Float32Array,
  outFeatures: number,
  dOutput: Float32Array,
  gradWeights: Float32Array,
  gradBias: Float32Array,
  dInput: Float32Array | null,
): void {
  gradWeights.fill(0, 0, inFeatures * outFeatures);
  gradBias.fill(0, 0, outFeatures);
  let i = 0;
  for (; i + 4 <= rows; i += 4) {
    const o0 = i * outFeatures;
    const o1 = o0 + outFeatures;
    const o2 = o1 + outFeatures;
    const o3 = o2 + outFeatures;
    for (let j = 0; j < outFeatures; j++) {
      gradBias[j] = gradBias[j] + f(f(f(dOutput[o0 + j] + dOutput[o1 + j]) + dOutput[o2 + j]) + dOutput[o3 + j]);
    }
    const r0 = i * inFeatures;
    const r1 = r0 + inFeatures;
    const r2 = r1 + inFeatures;
    const r3 = r2 + inFeatures;
    for (let p = 0; p < inFeatures; p++) {
      const a0 = input[r0 + p];
      const a1 = input[r1 + p];
      const a2 = input[r2 + p];
      const a3 = input[r3 + p];
      if (a0 === 0 && a1 === 0 && a2 === 0 && a3 === 0) continue;
      const w = p * outFeatures;
      for (let j = 0; j < outFeatures; j++) {
        const terms = f(f(f(f(a0 * dOutput[o0 + j]) + f(a1 * dOutput[o1 + j])) + f(a2 * dOutput[o2 + j])) + f(a3 * dOutput[o3 + j]));
        gradWeights[w + j] = gradWeights[w + j] + terms;
      }
    }
  }
  for (; i < rows; i++) {
    const o = i * outFeatures;
    for (let j = 0; j < outFeatures; j++) gradBias[j] = gradBias[j] + dOutput[o + j];
    const r = i * inFeatures;
    for (let p = 0; p < inFeatures; p++) {
      const a = input[r + p];
      if (a === 0) continue;
      const w = p * outFeatures;
      for (let j = 0; j < outFeatures; j++) gradWeights[w + j] = gradWeights[w + j] + f(a * dOutput[o + j]);
    }
  }
  if (dInput === null) return;
  for (let row = 0; row < rows; row++) {
    const o = row * outFeatures;
    const r = row * inFeatures;
    for (let p = 0; p < inFeatures; p++) {
      const w = p * outFeatures;
      let sum = 0;
      for (let j = 0; j < outFeatures; j++) sum = f(sum + f(dOutput[o + j] * weights[w + j]));
      dInput[r + p] = sum;
    }
  }
}

/** The hidden-layer nonlinearities. */
export type Activation = 'relu' | 'tanh';

/** values[i] = f(values[i]) for i < length, in place. */
export function activateInPlace(activation: Activation, values: Float32Array, length: number): void {
  if (activation === 'relu') {
    for (let i = 0; i < length; i++) if (values[i] < 0) values[i] = 0;
  } else {
    for (let i = 0; i < length; i++) values[i] = Math.tanh(values[i]);
  }
}

/**
 * Turns ∂loss/∂a into ∂loss/∂z in place, from the activations a = f(z) themselves:
 * ReLU' = [a > 0], tanh' = 1 − a².
 */
export function activationBackwardInPlace(activation: Activation, activations: Float32Array, gradient: Float32Array, length: number): void {
  if (activation === 'relu') {
    for (let i = 0; i < length; i++) if (!(activations[i] > 0)) gradient[i] = 0;
  } else {
    for (let i = 0; i < length; i++) {
      const a = activations[i];
      gradient[i] *= 1 - a * a;
    }
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
