/**
 * The losses at a network's output, each with the gradient with respect to the last layer's
 * pre-activations (the logits), averaged over the rows of the batch, stable for large logits.
 * Softmax cross-entropy runs its float32 part as a kernel of the network's backend (the row maximum,
 * Σ exp(z − max) with an exp of our own, the gradient: crates/gradstep-kernels/src/softmax.rs and its
 * twin js-kernels/softmax.ts) and adds the loss here in float64 (ln of the sum, the same code for both
 * backends). The sigmoid and squared losses are float64 here, softplus written as
 * max(z, 0) + log1p(e^−|z|).
 */
import type { Backend, Float32Block } from '../backend.js';
import { SOFTMAX_STATS } from '../kernels.js';
import { describe } from '../validate.js';

/**
 * 'softmax-cross-entropy': K ≥ 2 logits per row, targets are class indices 0 … K − 1;
 * 'sigmoid-cross-entropy': one logit per row, targets 0 or 1 (binary logistic regression);
 * 'squared-error': the outputs are the predictions, loss = mean over rows and outputs of (ŷ − y)².
 */
export type OutputLoss = 'softmax-cross-entropy' | 'sigmoid-cross-entropy' | 'squared-error';

/** The blocks of an output loss, on the network's backend. */
export interface OutputLossBlocks {
  /** rows × outputs. */
  logits: Float32Block;
  /** rows × outputs for squared error, else one class per row. */
  targets: Float32Block;
  /** Receives ∂(mean loss)/∂logits (rows × outputs) unless null. */
  dLogits: Float32Block | null;
  /** Scratch for softmax cross-entropy: SOFTMAX_STATS values per row. */
  stats: Float32Block;
}

/**
 * The mean loss over `rows` rows of logits against the targets, and when `dLogits` is given,
 * ∂(mean loss)/∂logits in it; `correct` is the number of rows whose predicted class (the first
 * largest logit) equals the target (classification only).
 *
 * @param owner names the model in errors about bad targets
 * @param targetRow maps a batch row to its row in the user's data, for error messages
 */
export function outputLoss(
  owner: string,
  loss: OutputLoss,
  backend: Backend,
  rows: number,
  outputs: number,
  blocks: OutputLossBlocks,
  targetRow: (i: number) => number,
): { loss: number; correct: number } {
  if (loss === 'softmax-cross-entropy') return softmaxCrossEntropy(owner, backend, rows, outputs, blocks, targetRow);
  const [logits, targets, dLogits] = [blocks.logits.view(), blocks.targets.view(), blocks.dLogits?.view() ?? null];
  if (loss === 'sigmoid-cross-entropy') return sigmoidCrossEntropy(owner, logits, rows, targets, dLogits, targetRow);
  return squaredError(logits, rows, outputs, targets, dLogits);
}

function classIndex(owner: string, value: number, classes: number, row: number): number {
  if (!Number.isInteger(value) || value < 0 || value >= classes) {
    throw new RangeError(`${owner}: y[${row}] must be a class index, an integer from 0 to ${classes - 1}, got ${describe(value)}`);
  }
  return value;
}

function softmaxCrossEntropy(
  owner: string,
  backend: Backend,
  rows: number,
  classes: number,
  { logits, targets, dLogits, stats }: OutputLossBlocks,
  targetRow: (i: number) => number,
): { loss: number; correct: number } {
  const t = targets.view();
  for (let i = 0; i < rows; i++) classIndex(owner, t[i], classes, targetRow(i));
  backend.softmaxCrossEntropy(rows, classes, logits, targets, 1 / rows, dLogits, stats);
  const [z, s] = [logits.view(), stats.view()];
  let total = 0;
  let correct = 0;
  for (let i = 0; i < rows; i++) {
    const target = t[i];
    const max = s[i * SOFTMAX_STATS];
    total += Math.log(s[i * SOFTMAX_STATS + 1]) - (z[i * classes + target] - max);
    if (s[i * SOFTMAX_STATS + 2] === target) correct++;
  }
  return { loss: total / rows, correct };
}

function sigmoidCrossEntropy(
  owner: string,
  logits: Float32Array,
  rows: number,
  targets: Float32Array,
  dLogits: Float32Array | null,
  targetRow: (i: number) => number,
): { loss: number; correct: number } {
  let total = 0;
  let correct = 0;
  const scale = 1 / rows;
  for (let i = 0; i < rows; i++) {
    const y = classIndex(owner, targets[i], 2, targetRow(i));
    const z = logits[i];
    // −[y ln σ(z) + (1 − y) ln(1 − σ(z))] = softplus(z) − y·z
    total += Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - y * z;
    if ((z > 0 ? 1 : 0) === y) correct++;
    if (dLogits !== null) dLogits[i] = (sigmoid(z) - y) * scale;
  }
  return { loss: total / rows, correct };
}

function squaredError(
  logits: Float32Array,
  rows: number,
  outputs: number,
  targets: Float32Array,
  dLogits: Float32Array | null,
): { loss: number; correct: number } {
  let total = 0;
  const count = rows * outputs;
  const scale = 2 / count;
  for (let i = 0; i < count; i++) {
    const diff = logits[i] - targets[i];
    total += diff * diff;
    if (dLogits !== null) dLogits[i] = diff * scale;
  }
  return { loss: total / count, correct: 0 };
}

/** 1 / (1 + e^−z), without overflow for large |z|. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}
