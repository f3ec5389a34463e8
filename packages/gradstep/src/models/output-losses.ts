/**
 * The losses at a network's output, each with the gradient with respect to the last layer's
 * pre-activations (the logits), averaged over the rows of the batch. Computed in float64 and stable
 * for large logits: log-sum-exp after subtracting the row maximum, and softplus written as
 * max(z, 0) + log1p(e^−|z|).
 */
import { describe } from '../validate.js';

/**
 * 'softmax-cross-entropy': K ≥ 2 logits per row, targets are class indices 0 … K − 1;
 * 'sigmoid-cross-entropy': one logit per row, targets 0 or 1 (binary logistic regression);
 * 'squared-error': the outputs are the predictions, loss = mean over rows and outputs of (ŷ − y)².
 */
export type OutputLoss = 'softmax-cross-entropy' | 'sigmoid-cross-entropy' | 'squared-error';

/**
 * The mean loss over `rows` rows of `logits` (rows × outputs) against `targets` (rows × outputs for
 * squared error, else one class per row), and when `dLogits` is given, ∂(mean loss)/∂logits in it.
 * When `correct` is given, it receives the number of rows whose predicted class equals the target
 * (classification only).
 *
 * @param owner names the model in errors about bad targets
 * @param targetRow maps a batch row to its row in the user's data, for error messages
 */
export function outputLoss(
  owner: string,
  loss: OutputLoss,
  logits: Float32Array,
  rows: number,
  outputs: number,
  targets: Float32Array,
  dLogits: Float32Array | null,
  targetRow: (i: number) => number,
): { loss: number; correct: number } {
  if (loss === 'softmax-cross-entropy') return softmaxCrossEntropy(owner, logits, rows, outputs, targets, dLogits, targetRow);
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
  logits: Float32Array,
  rows: number,
  classes: number,
  targets: Float32Array,
  dLogits: Float32Array | null,
  targetRow: (i: number) => number,
): { loss: number; correct: number } {
  let total = 0;
  let correct = 0;
  const scale = 1 / rows;
  for (let i = 0; i < rows; i++) {
    const row = i * classes;
    const target = classIndex(owner, targets[i], classes, targetRow(i));
    let max = logits[row];
    let best = 0;
    for (let c = 1; c < classes; c++) {
      if (logits[row + c] > max) {
        max = logits[row + c];
        best = c;
      }
    }
    if (best === target) correct++;
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(logits[row + c] - max);
    const logSum = Math.log(sum);
    total += logSum - (logits[row + target] - max);
    if (dLogits !== null) {
      for (let c = 0; c < classes; c++) {
        const p = Math.exp(logits[row + c] - max - logSum);
        dLogits[row + c] = (p - (c === target ? 1 : 0)) * scale;
      }
    }
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
