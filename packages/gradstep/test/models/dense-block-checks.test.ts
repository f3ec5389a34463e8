// The guard both backends run before a dense kernel: a block too small for the shape is an internal
// error naming the kernel, the shape and the block, never a write past it (pure TypeScript, from src).
import { describe, expect, it } from 'vitest';
import { checkDenseBlocks, checkSoftmaxBlocks, type FusedActivation, type Float32Block } from '../../src/backend.js';

const block = (length: number) => ({ length }) as Float32Block;

describe('checkDenseBlocks', () => {
  const shape = { rows: 3, inputs: 4, outputs: 2 };
  it('passes blocks that hold the shape (larger is fine: scratch blocks are sized to capacity)', () => {
    expect(() => checkDenseBlocks('denseForward', shape, { input: block(12), weights: block(8), bias: block(2), output: block(100) })).not.toThrow();
    expect(() =>
      checkDenseBlocks('denseBackward', shape, { input: block(12), weights: block(8), dOutput: block(6), gradWeights: block(8), gradBias: block(2), dInput: null }),
    ).not.toThrow();
  });

  it('refuses a block one value short, naming it', () => {
    expect(() => checkDenseBlocks('denseForward', shape, { input: block(11), weights: block(8), bias: block(2), output: block(6) })).toThrow(
      /^gradstep: internal error: denseForward of 3×4→2 needs 12 values in input, the block holds 11$/,
    );
    expect(() => checkDenseBlocks('denseBackward', shape, { input: block(12), weights: block(8), dOutput: block(6), gradWeights: block(8), gradBias: block(2), dInput: block(11) })).toThrow(
      /needs 12 values in dInput, the block holds 11/,
    );
    expect(() => checkDenseBlocks('denseForward', shape, { input: block(12), weights: block(7), bias: block(2), output: block(6) })).toThrow(/in weights/);
  });

  it('refuses an activation the kernels do not fuse (tanh runs in TypeScript)', () => {
    const blocks = { input: block(12), weights: block(8), bias: block(2), output: block(6) };
    expect(() => checkDenseBlocks('denseForward', shape, blocks, 'relu')).not.toThrow();
    expect(() => checkDenseBlocks('denseForward', shape, blocks, 'tanh' as FusedActivation)).toThrow(
      /^gradstep: internal error: denseForward fuses 'none' or 'relu', got tanh$/,
    );
  });
});

describe('checkSoftmaxBlocks', () => {
  it('passes blocks that hold rows × classes (3 stats per row), and refuses one value short or no class', () => {
    const blocks = { logits: block(6), targets: block(2), dLogits: block(6), stats: block(6) };
    expect(() => checkSoftmaxBlocks(2, 3, blocks)).not.toThrow();
    expect(() => checkSoftmaxBlocks(2, 3, { ...blocks, dLogits: null })).not.toThrow();
    expect(() => checkSoftmaxBlocks(2, 3, { ...blocks, stats: block(5) })).toThrow(
      /^gradstep: internal error: softmaxCrossEntropy of 2×3 needs 6 values in stats, the block holds 5$/,
    );
    expect(() => checkSoftmaxBlocks(2, 3, { ...blocks, targets: block(1) })).toThrow(/needs 2 values in targets/);
    expect(() => checkSoftmaxBlocks(2, 0, { ...blocks })).toThrow(/at least one class, got 0/);
  });
});
