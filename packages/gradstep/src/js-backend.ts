/** The pure TypeScript backend: blocks are Float32Arrays; it needs no init() and runs everywhere. */
import type { Backend, Float32Block, StepProgram, TensorBlocks } from './backend.js';
import { runJsKernel, type TensorArrays } from './js-kernels.js';
import { SCALARS, type KernelId } from './kernels.js';

const EMPTY = new Float32Array(0);

class JsBlock implements Float32Block {
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
  bandwidthProbe(a, b, scalar) {
    const x = a.view(), y = b.view();
    const s = Math.fround(scalar);
    for (let i = 0; i < x.length; i++) x[i] += Math.fround(s * y[i]);
  },
};
