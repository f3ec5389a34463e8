/**
 * The WebAssembly backend: values, gradients and optimizer state live in wasm linear memory, so a
 * step copies nothing; `prepareStep` writes a table of pointers once, and every step is one call.
 * The module is loaded by wasm-loader.ts; everything here runs after init().
 */
import * as glue from '../wasm/simd/gradstep_wasm.js';
import { checkDenseBlocks, checkSoftmaxBlocks, type Allocation, type Backend, type Float32Block, type StepProgram, type TensorBlocks } from './backend.js';
import { FUSED_ACTIVATION_IDS, SCALARS, TABLE_WORDS, type KernelId } from './kernels.js';
import { loaded, loadedOrNull } from './wasm-loader.js';

let liveBlocks = 0;
let stepCalls = 0;

/** Calls into wasm made by optimizer steps so far (one per step, whatever the number of tensors). */
export function wasmStepCalls(): number {
  return stepCalls;
}

/** Number of wasm blocks allocated and not yet freed (params, optimizer state, step tables). */
export function wasmLiveBlocks(): number {
  return liveBlocks;
}

function allocateBytes(words: number): number {
  const ptr = glue.allocF32(words);
  if (ptr === 0) throw new RangeError(`gradstep: wasm memory cannot grow to hold ${words} more float32 values`);
  liveBlocks++;
  return ptr;
}

/** One block of wasm memory (no view of it, see Float32Block.allocation); freed at most once. */
class WasmAllocation implements Allocation {
  constructor(
    public ptr: number,
    readonly length: number,
  ) {}
  free(): void {
    if (this.ptr === 0) return;
    const code = glue.freeF32(this.ptr, this.length);
    this.ptr = 0;
    if (code !== 0) throw new Error(`gradstep: wasm freeF32 refused a block (${describeCode(code)}); this is a gradstep bug`);
    liveBlocks--;
  }
}

class WasmBlock implements Float32Block {
  readonly allocation: WasmAllocation;
  private cached: Float32Array;
  constructor(readonly length: number) {
    const memory = loaded().memory;
    // allocF32 takes a u32 count: anything larger would wrap into a small block.
    if (!(Number.isInteger(length) && length >= 0 && length <= 2 ** 30)) {
      throw new RangeError(`gradstep: a wasm block of ${length} float32 values is out of range (at most 2^30)`);
    }
    this.allocation = new WasmAllocation(allocateBytes(length), length);
    this.cached = new Float32Array(memory.buffer, this.allocation.ptr, length);
  }
  get address(): number {
    return this.allocation.ptr;
  }
  view(): Float32Array {
    const ptr = this.allocation.ptr;
    if (ptr === 0) throw new Error('gradstep: this memory block was freed');
    const buffer = loaded().memory.buffer;
    // Memory growth detaches every view of the old buffer (wasm-bindgen#1668): re-create lazily.
    if (this.cached.buffer !== buffer) this.cached = new Float32Array(buffer, ptr, this.length);
    return this.cached;
  }
  free(): void {
    this.allocation.free();
  }
}

function describeCode(code: number): string {
  return loadedOrNull()?.errors[code] ?? `code ${code}`;
}

class WasmStepProgram implements StepProgram {
  private readonly table: WasmBlock;
  private readonly scalars: WasmBlock;
  // Group flags are u32s; a WasmBlock of that many 4-byte words holds them.
  private readonly flags: WasmBlock;
  private flagsView: Uint32Array;
  constructor(
    private readonly kernel: KernelId,
    private readonly count: number,
    private readonly groups: number,
    tensors: readonly TensorBlocks[],
  ) {
    const blocks: WasmBlock[] = [];
    try {
      for (const length of [count * TABLE_WORDS, groups * SCALARS, groups]) blocks.push(new WasmBlock(length));
    } catch (error) {
      // A block allocated before the one that failed has no other owner.
      for (const block of blocks) block.free();
      throw error;
    }
    [this.table, this.scalars, this.flags] = blocks;
    const buffer = loaded().memory.buffer;
    this.flagsView = new Uint32Array(buffer, this.flags.address, groups);
    const words = new Uint32Array(buffer, this.table.address, count * TABLE_WORDS);
    tensors.forEach((t, i) => {
      const row = i * TABLE_WORDS;
      words[row] = addressOf(t.value);
      words[row + 1] = addressOf(t.grad);
      for (let k = 0; k < 3; k++) words[row + 2 + k] = t.state[k] === null ? 0 : addressOf(t.state[k]!);
      words[row + 5] = t.value.length;
      words[row + 6] = t.group;
    });
  }
  run(flags: Uint32Array, scalars: Float32Array): void {
    this.scalars.view().set(scalars);
    if (this.flagsView.buffer !== loaded().memory.buffer) {
      this.flagsView = new Uint32Array(loaded().memory.buffer, this.flags.address, this.groups);
    }
    this.flagsView.set(flags);
    stepCalls++;
    const code = glue.optimizerStep(this.kernel, this.scalars.address, this.flags.address, this.groups, this.table.address, this.count);
    if (code !== 0) throw new Error(`gradstep: wasm step rejected its table (${describeCode(code)}); this is a gradstep bug`);
  }
  free(): void {
    this.table.free();
    this.scalars.free();
    this.flags.free();
  }
}

/** Writes the list `[grad_ptr, len]…` of `grads` into a temporary wasm block for the duration of `call`. */
function withGradList(grads: readonly Float32Block[], call: (listAddress: number) => void): void {
  if (grads.length === 0) return;
  const list = new WasmBlock(2 * grads.length);
  try {
    const words = new Uint32Array(loaded().memory.buffer, list.address, 2 * grads.length);
    grads.forEach((g, i) => {
      words[2 * i] = addressOf(g);
      words[2 * i + 1] = g.length;
    });
    call(list.address);
  } finally {
    list.free();
  }
}

function checkWasmCall(code: number, name: string): void {
  if (code !== 0) throw new Error(`gradstep: wasm ${name} rejected its operands (${describeCode(code)}); this is a gradstep bug`);
}

function addressOf(block: Float32Block): number {
  if (!(block instanceof WasmBlock)) throw new TypeError('gradstep: a js block was given to the wasm backend');
  return block.address;
}

export const wasmBackend: Backend = {
  name: 'wasm',
  allocate: (length) => new WasmBlock(length),
  prepareStep: (kernel, tensors, groups) => new WasmStepProgram(kernel, tensors.length, groups, tensors),
  gradNorms(norm, grads, out) {
    withGradList(grads, (list) => {
      const results = new WasmBlock(2 * grads.length); // f64s: 16-byte aligned like every block
      try {
        checkWasmCall(glue.gradNorms(norm, list, grads.length, results.address), 'gradNorms');
        out.set(new Float64Array(loaded().memory.buffer, results.address, grads.length));
      } finally {
        results.free();
      }
    });
  },
  scaleGrads(grads, coefficient) {
    withGradList(grads, (list) => checkWasmCall(glue.scaleGrads(list, grads.length, coefficient), 'scaleGrads'));
  },
  clampGrads(grads, clip) {
    withGradList(grads, (list) => checkWasmCall(glue.clampGrads(list, grads.length, clip), 'clampGrads'));
  },
  denseForward(shape, input, weights, bias, output, activation) {
    checkDenseBlocks('denseForward', shape, { input, weights, bias, output }, activation);
    const { rows, inputs, outputs } = shape;
    const code = glue.denseForward(addressOf(input), rows, inputs, addressOf(weights), addressOf(bias), outputs, addressOf(output), FUSED_ACTIVATION_IDS[activation]);
    checkWasmCall(code, 'denseForward');
  },
  denseBackward(shape, input, weights, dOutput, gradWeights, gradBias, dInput, inputActivation) {
    checkDenseBlocks('denseBackward', shape, { input, weights, dOutput, gradWeights, gradBias, dInput }, inputActivation);
    const { rows, inputs, outputs } = shape;
    const code = glue.denseBackward(
      addressOf(input), rows, inputs, addressOf(weights), outputs, addressOf(dOutput),
      addressOf(gradWeights), addressOf(gradBias), dInput === null ? 0 : addressOf(dInput), FUSED_ACTIVATION_IDS[inputActivation],
    );
    checkWasmCall(code, 'denseBackward');
  },
  softmaxCrossEntropy(rows, classes, logits, targets, scale, dLogits, stats) {
    checkSoftmaxBlocks(rows, classes, { logits, targets, dLogits, stats });
    const code = glue.softmaxCrossEntropy(addressOf(logits), rows, classes, addressOf(targets), scale, dLogits === null ? 0 : addressOf(dLogits), addressOf(stats));
    checkWasmCall(code, 'softmaxCrossEntropy');
  },
  bandwidthProbe(a, b, scalar) {
    checkWasmCall(glue.bandwidthProbe(addressOf(a), addressOf(b), a.length, scalar), 'bandwidthProbe');
  },
};
