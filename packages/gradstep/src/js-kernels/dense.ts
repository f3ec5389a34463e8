/**
 * The TypeScript twin of `crates/gradstep-kernels/src/dense.rs`: the arithmetic of dense layers, on
 * row-major float32 matrices, the only loops whose cost grows with batch × width. The js backend runs
 * these; the wasm backend runs the Rust (f32x4), and both give the same bits: every product and
 * every sum is rounded to float32 (Math.fround), in the order documented there:
 * - rows go four at a time; an input column whose four values are all 0 is skipped (after a ReLU
 *   about half the activations are, and many of the digits' pixels), a single remaining row skips
 *   its zeros;
 * - each output element adds its terms in order of the input feature p; with ReLU fused
 *   (`relu`), the finished sum is stored as `x < 0 ? 0 : x`;
 * - dInput[r, p] sums its terms in order of the output feature j; when the layer's input is a
 *   ReLU's output (`inputRelu`), the finished sum is stored where input[r, p] > 0, +0 elsewhere.
 * Every function writes into buffers the caller owns and allocates nothing.
 */

const f = Math.fround;
/**
 * output[i, j] = act(bias[j] + Σ_p input[i, p] · weights[p, j]) for i < rows, j < outFeatures, act
 * the identity or, when `relu`, max(x, 0). input: rows × inFeatures, weights: inFeatures ×
 * outFeatures, output: rows × outFeatures.
 */
export function denseForward(
  input: Float32Array,
  rows: number,
  inFeatures: number,
  weights: Float32Array,
  bias: Float32Array,
  outFeatures: number,
  output: Float32Array,
  relu: boolean,
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
  if (relu) {
    for (let k = 0; k < rows * outFeatures; k++) if (output[k] < 0) output[k] = 0;
  }
}

/**
 * The gradients of a dense layer given dOutput = ∂loss/∂output (rows × outFeatures):
 * gradWeights = inputᵀ · dOutput, gradBias = column sums of dOutput (both overwritten), and, when
 * `dInput` is given, dInput = dOutput · weightsᵀ (rows × inFeatures, overwritten), times ReLU's
 * derivative [input > 0] when `inputRelu` (the input is a ReLU's output).
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
  inputRelu: boolean,
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
      dInput[r + p] = inputRelu && !(input[r + p] > 0) ? 0 : sum;
    }
  }
}

/**
 * y[i] += a·x[i] in float32 (`dense.rs`'s axpy): the inner step of the dense layers, and the
 * benchmarks' bandwidth probe.
 */
export function axpy(y: Float32Array, a: number, x: Float32Array): void {
  const s = f(a);
  for (let i = 0; i < y.length; i++) y[i] = f(y[i] + f(s * x[i]));
}
