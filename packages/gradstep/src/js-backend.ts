/** The pure TypeScript backend: blocks are Float32Arrays; it needs no init() and runs everywhere. */
import type { Allocation, Backend, Float32Block, StepProgram, TensorBlocks } from './backend.js';
import { runJsKernel, type TensorArrays } from './js-kernels.js';
import { denseBackward, denseForward } from './models/dense-math.js';
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
    grads.forEach((block, t) => {
      const g = block.view();
      // Element i goes to accumulator i mod 4, as in the wasm reduction; doubles need no rounding help.
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
      for (let i = 0; i < g.length; i++) {
        const x = g[i];
        const term = norm === 2 ? x * x : Math.abs(x);
        switch (i & 3) {
          case 0: a0 = norm === 0 ? Math.max(a0, term) : a0 + term; break;
          case 1: a1 = norm === 0 ? Math.max(a1, term) : a1 + term; break;
          case 2: a2 = norm === 0 ? Math.max(a2, term) : a2 + term; break;
          default: a3 = norm === 0 ? Math.max(a3, term) : a3 + term;
        }
      }
      out[t] = norm === 0 ? Math.max(Math.max(a0, a1), Math.max(a2, a3)) : a0 + a1 + (a2 + a3);
    });
  },
  scaleGrads(grads, coefficient) {
    const c = Math.fround(coefficient);
    for (const block of grads) {
      const g = block.view();
      for (let i = 0; i < g.length; i++) g[i] *= c;
    }
  },
  clampGrads(grads, clip) {
    const c = Math.fround(clip);
    for (const block of grads) {
      const g = block.view();
      for (let i = 0; i < g.length; i++) g[i] = Math.min(Math.max(g[i], -c), c);
    }
  },
  denseForward({ rows, inputs, outputs }, input, weights, bias, output) {
    denseForward(input.view(), rows, inputs, weights.view(), bias.view(), outputs, output.view());
  },
  denseBackward({ rows, inputs, outputs }, input, weights, dOutput, gradWeights, gradBias, dInput) {
    denseBackward(input.view(), rows, inputs, weights.view(), outputs, dOutput.view(), gradWeights.view(), gradBias.view(), dInput?.view() ?? null);
  },
  bandwidthProbe(a, b, scalar) {
    const x = a.view(), y = b.view();
    const s = Math.fround(scalar);
    for (let i = 0; i < x.length; i++) x[i] += Math.fround(s * y[i]);
  },
};
