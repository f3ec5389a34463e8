/**
 * The one small interface both backends implement. Params and optimizers are written against it
 * only; `wasm-backend.ts` keeps memory in WebAssembly linear memory, `js-backend.ts` in plain
 * Float32Arrays.
 */
import { SOFTMAX_STATS, type FusedActivation, type KernelId } from './kernels.js';

export type { FusedActivation };

export type BackendName = 'wasm' | 'js';

/** A zero-initialised float32 buffer owned by a backend. */
export interface Float32Block {
  readonly length: number;
  /** A live view of the block. With wasm it is re-created after memory growth, so never cache it. */
  view(): Float32Array;
  /** Returns the memory; the block must not be used afterwards. */
  free(): void;
  /**
   * Frees the same memory as free() but references neither the block nor its views: what a
   * FinalizationRegistry holds. A param's views keep the param alive (see Param.value); a held value
   * that reached them would keep it alive for ever.
   */
  readonly allocation: Allocation;
}

/** The memory of a block, freed at most once. */
export interface Allocation {
  free(): void;
}

/** The blocks of one tensor for one optimizer: value, gradient and three state slots (null if unused). */
export interface TensorBlocks {
  value: Float32Block;
  grad: Float32Block;
  state: readonly [Float32Block | null, Float32Block | null, Float32Block | null];
  /** The tensor's parameter group: it runs with that group's flags and scalars. */
  group: number;
}

/** A step over a fixed list of tensors, prepared once, run every step without allocating. */
export interface StepProgram {
  /**
   * Runs the kernel over every tensor (one wasm call): a tensor of group g runs with `flags[g]` and
   * the scalars `scalars[g·SCALARS … g·SCALARS + SCALARS)`.
   */
  run(flags: Uint32Array, scalars: Float32Array): void;
  free(): void;
}

/** A dense layer's operands: input rows × inputs, weights inputs × outputs (row-major). */
export interface DenseShape {
  rows: number;
  inputs: number;
  outputs: number;
}

/** Throws when a block (null: not passed) holds fewer values than `needed` says for its name. */
function checkBlockLengths(call: string, needed: Record<string, number>, blocks: Record<string, Float32Block | null>): void {
  for (const [name, block] of Object.entries(blocks)) {
    if (block !== null && block.length < needed[name]) {
      throw new Error(`gradstep: internal error: ${call} needs ${needed[name]} values in ${name}, the block holds ${block.length}`);
    }
  }
}

/**
 * Checks that each block holds what a dense call of `shape` reads or writes, and that `activation`
 * is one the kernels fuse. Both backends call it before a dense kernel: a wrong shape is a bug in the
 * package, and it must neither write past a wasm block (into another block or the allocator) nor, on
 * the js backend, silently read undefined.
 */
export function checkDenseBlocks(
  kernel: string,
  { rows, inputs, outputs }: DenseShape,
  blocks: Record<string, Float32Block | null>,
  activation: FusedActivation = 'none',
): void {
  const needed: Record<string, number> = {
    input: rows * inputs,
    weights: inputs * outputs,
    bias: outputs,
    output: rows * outputs,
    dOutput: rows * outputs,
    gradWeights: inputs * outputs,
    gradBias: outputs,
    dInput: rows * inputs,
  };
  checkBlockLengths(`${kernel} of ${rows}×${inputs}→${outputs}`, needed, blocks);
  if (activation !== 'none' && activation !== 'relu') {
    throw new Error(`gradstep: internal error: ${kernel} fuses 'none' or 'relu', got ${String(activation)}`);
  }
}

/**
 * Checks the blocks of a softmax cross-entropy call over `rows` × `classes` logits (see
 * Backend.softmaxCrossEntropy), as checkDenseBlocks does for the dense kernels.
 */
export function checkSoftmaxBlocks(rows: number, classes: number, blocks: Record<string, Float32Block | null>): void {
  const needed: Record<string, number> = { logits: rows * classes, targets: rows, dLogits: rows * classes, stats: rows * SOFTMAX_STATS };
  checkBlockLengths(`softmaxCrossEntropy of ${rows}×${classes}`, needed, blocks);
  if (!(classes >= 1)) throw new Error(`gradstep: internal error: softmaxCrossEntropy needs at least one class, got ${classes}`);
}

export interface Backend {
  readonly name: BackendName;
  allocate(length: number): Float32Block;
  prepareStep(kernel: KernelId, tensors: readonly TensorBlocks[], groups: number): StepProgram;
  /**
   * Each gradient's contribution to a norm, into `out[i]`: Σ|g| (norm 1), Σg² (norm 2) or max|g|
   * (norm 0), reduced in float64 in a fixed order (see crates/gradstep-kernels/src/reductions.rs).
   */
  gradNorms(norm: 0 | 1 | 2, grads: readonly Float32Block[], out: Float64Array): void;
  /** g = g·coefficient (float32) for every block. */
  scaleGrads(grads: readonly Float32Block[], coefficient: number): void;
  /** g = min(max(g, −clip), clip) for every block; NaN passes through. */
  clampGrads(grads: readonly Float32Block[], clip: number): void;
  /**
   * output = act(input·weights + bias) for a dense layer, `act` fused into the kernel's store (see
   * crates/gradstep-kernels/src/dense.rs).
   */
  denseForward(shape: DenseShape, input: Float32Block, weights: Float32Block, bias: Float32Block, output: Float32Block, activation: FusedActivation): void;
  /**
   * A dense layer's weight, bias (overwritten) and, unless dInput is null, input gradients; with
   * `inputActivation` 'relu' (the input is a ReLU's output), dInput is ∂loss/∂(the previous layer's
   * pre-activations): masked by [input > 0] as it is written.
   */
  denseBackward(
    shape: DenseShape,
    input: Float32Block,
    weights: Float32Block,
    dOutput: Float32Block,
    gradWeights: Float32Block,
    gradBias: Float32Block,
    dInput: Float32Block | null,
    inputActivation: FusedActivation,
  ): void;
  /**
   * Softmax cross-entropy's float32 part (crates/gradstep-kernels/src/softmax.rs) over `rows` rows of
   * `classes` logits: per row the maximum, Σ exp(z − max) and the index of the maximum into `stats`
   * (SOFTMAX_STATS per row), and unless dLogits is null, (softmax − one_hot(target))·scale into it
   * (`targets`: a class index per row, already checked; `scale`: 1/rows, rounded to float32).
   */
  softmaxCrossEntropy(rows: number, classes: number, logits: Float32Block, targets: Float32Block, scale: number, dLogits: Float32Block | null, stats: Float32Block): void;
  /** a = a + scalar·b, the benchmarks' memory-bandwidth probe; blocks of equal length. */
  bandwidthProbe(a: Float32Block, b: Float32Block, scalar: number): void;
}
