/**
 * The pure TypeScript backend: blocks are Float32Arrays; it needs no init() and runs everywhere. The
 * arithmetic is in js-kernels/ (rules.ts, dense.ts, reductions.ts: the twins of the Rust files of the
 * same names); this file only wires it to the Backend interface.
 */
import { checkDenseBlocks, checkSoftmaxBlocks, type Allocation, type Backend, type Float32Block, type StepProgram, type TensorBlocks } from './backend.js';
import { axpy, denseBackward, denseForward } from './js-kernels/dense.js';
import { clampInPlace, normPartial, scaleInPlace } from './js-kernels/reductions.js';
import { runJsKernel, type TensorArrays } from './js-kernels/rules.js';
import { softmaxCrossEntropy } from './js-kernels/softmax.js';
import { SCALARS, type KernelId } from './kernels.js';

const EMPTY = new Float32Array(0);

// A Float32Array is returned by the garbage collector: nothing to free early.
const GARBAGE_COLLECTED: Allocation = { free() {} };

class JsBlock implements Float32Block {
  readonly allocation = GARBAGE_COLLECTED;
  private array: Float32Array | null;
  constructor(readonly length: number) {
    this.array = new Float32Array(length);
  }
  view(): Float32Array {
    if (this.array === null) throw new Error('gradstep: this memory block was freed');
    return this.array;
  }
  free(): void {
    this.array = null;
  }
}

class JsStepProgram implements StepProgram {
  private readonly tensors: TensorArrays[];
  private readonly groups: Uint32Array;
  constructor(
    private readonly kernel: KernelId,
    blocks: readonly TensorBlocks[],
  ) {
    this.groups = Uint32Array.from(blocks, (b) => b.group);
    this.tensors = blocks.map((b) => ({
      value: b.value.view(),
      grad: b.grad.view(),
      state: [b.state[0]?.view() ?? EMPTY, b.state[1]?.view() ?? EMPTY, b.state[2]?.view() ?? EMPTY],
    }));
  }
  run(flags: Uint32Array, scalars: Float32Array): void {
    for (let i = 0; i < this.tensors.length; i++) {
      const group = this.groups[i];
      runJsKernel(this.kernel, flags[group], scalars, group * SCALARS, this.tensors[i]);
    }
  }
  free(): void {
    this.tensors.length = 0;
  }
}

export const jsBackend: Backend = {
  name: 'js',
  allocate: (length) => new JsBlock(length),
  prepareStep: (kernel, tensors) => new JsStepProgram(kernel, tensors),
  gradNorms(norm, grads, out) {
    grads.forEach((block, t) => (out[t] = normPartial(block.view(), norm)));
  },
  scaleGrads(grads, coefficient) {
    for (const block of grads) scaleInPlace(block.view(), coefficient);
  },
  clampGrads(grads, clip) {
    for (const block of grads) clampInPlace(block.view(), clip);
  },
  denseForward(shape, input, weights, bias, output, activation) {
    checkDenseBlocks('denseForward', shape, { input, weights, bias, output }, activation);
    const { rows, inputs, outputs } = shape;
    denseForward(input.view(), rows, inputs, weights.view(), bias.view(), outputs, output.view(), activation === 'relu');
  },
  denseBackward(shape, input, weights, dOutput, gradWeights, gradBias, dInput, inputActivation) {
    checkDenseBlocks('denseBackward', shape, { input, weights, dOutput, gradWeights, gradBias, dInput }, inputActivation);
    const { rows, inputs, outputs } = shape;
    const relu = inputActivation === 'relu';
    denseBackward(input.view(), rows, inputs, weights.view(), outputs, dOutput.view(), gradWeights.view(), gradBias.view(), dInput?.view() ?? null, relu);
  },
  softmaxCrossEntropy(rows, classes, logits, targets, scale, dLogits, stats) {
    checkSoftmaxBlocks(rows, classes, { logits, targets, dLogits, stats });
    softmaxCrossEntropy(logits.view(), rows, classes, targets.view(), scale, dLogits?.view() ?? null, stats.view());
  },
  bandwidthProbe(a, b, scalar) {
    axpy(a.view(), scalar, b.view());
  },
};
