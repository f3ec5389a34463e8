// The guard both backends run before a dense kernel: a block too small for the shape is an internal
// error naming the kernel, the shape and the block, never a write past it (pure TypeScript, from src).
import { describe, expect, it } from 'vitest';
import { checkDenseBlocks, type Float32Block } from '../../src/backend.js';

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
});
