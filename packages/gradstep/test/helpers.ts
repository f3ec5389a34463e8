/** Shared by the test files: seeded inputs, the optimizer catalogue, bit comparison, child processes. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Adadelta, Adagrad, Adam, Adamax, AdamW, Lion, NAdam, RAdam, RMSprop, SGD, type Optimizer, type Param } from 'gradstep';

export const BACKENDS = ['wasm', 'js'] as const;

/**
 * True under `pnpm mutate` (vitest.mutate.config.ts sets the variable): the tests of sizes (hundreds
 * of MiB, millions of samples) are skipped there, as they would take minutes in Stryker's instrumented
 * code for each mutant they cover, and check memory and time bounds rather than values.
 */
export const MUTATION_TESTING = process.env.GRADSTEP_MUTATION_TESTING === '1';

/** xorshift32: float32 values over several magnitudes, both signs, some exact zeros. */
export function seeded(seed: number, n: number): Float32Array {
  let x = (seed * 2654435761 + 1) >>> 0 || 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x % 11 === 0 ? 0 : ((x % 20001) / 10000 - 1) * 10 ** ((x % 6) - 4);
  }
  return out;
}

type Make = (params: Param[]) => Optimizer<object>;

/** Every optimizer with each option that changes its kernel's code path. */
export const CONFIGS: [string, Make][] = [
  ['SGD', (p) => new SGD(p, { lr: 0.1 })],
  ['SGD momentum dampening', (p) => new SGD(p, { lr: 0.05, momentum: 0.9, dampening: 0.3 })],
  ['SGD nesterov wd maximize', (p) => new SGD(p, { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.1, maximize: true })],
  ['Adagrad', (p) => new Adagrad(p)],
  ['Adagrad lrDecay acc0 wd', (p) => new Adagrad(p, { lr: 0.1, lrDecay: 0.05, initialAccumulatorValue: 0.1, weightDecay: 0.02, maximize: true })],
  ['Adadelta', (p) => new Adadelta(p)],
  ['Adadelta wd maximize', (p) => new Adadelta(p, { lr: 0.5, rho: 0.8, weightDecay: 0.02, maximize: true })],
  ['RMSprop', (p) => new RMSprop(p)],
  ['RMSprop centered', (p) => new RMSprop(p, { centered: true, alpha: 0.9 })],
  ['RMSprop momentum centered wd maximize', (p) => new RMSprop(p, { momentum: 0.7, centered: true, weightDecay: 0.03, maximize: true })],
  ['Adam', (p) => new Adam(p, { lr: 0.01 })],
  ['Adam amsgrad wd maximize', (p) => new Adam(p, { amsgrad: true, weightDecay: 0.05, maximize: true })],
  ['Adam epsHat', (p) => new Adam(p, { epsHat: true, betas: [0.8, 0.99] })],
  ['AdamW', (p) => new AdamW(p)],
  ['AdamW amsgrad', (p) => new AdamW(p, { amsgrad: true, lr: 0.02, weightDecay: 0.2 })],
  ['Adamax', (p) => new Adamax(p)],
  ['Adamax wd maximize', (p) => new Adamax(p, { lr: 0.01, weightDecay: 0.05, maximize: true, betas: [0.8, 0.95] })],
  ['NAdam', (p) => new NAdam(p)],
  ['NAdam decoupled wd maximize', (p) => new NAdam(p, { weightDecay: 0.1, decoupledWeightDecay: true, maximize: true, momentumDecay: 0.01 })],
  ['NAdam l2', (p) => new NAdam(p, { weightDecay: 0.1 })],
  ['RAdam', (p) => new RAdam(p)],
  ['RAdam early rectification decoupled', (p) => new RAdam(p, { betas: [0.9, 0.9], weightDecay: 0.1, decoupledWeightDecay: true })],
  ['RAdam l2 maximize', (p) => new RAdam(p, { betas: [0.8, 0.95], weightDecay: 0.1, maximize: true })],
  ['Lion', (p) => new Lion(p)],
  ['Lion wd maximize', (p) => new Lion(p, { lr: 3e-4, weightDecay: 0.1, maximize: true, betas: [0.95, 0.98] })],
];

/** Equal bit patterns, with every NaN equal to every NaN (payloads are not specified by wasm). */
export function firstBitDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return 0;
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < a.length; i++) {
    if (ua[i] !== ub[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return i;
  }
  return -1;
}

/**
 * Runs an ES module in a fresh Node process (from the repository root, so it imports the built
 * package as `gradstep`): for what must not happen in the test process itself, such as growing wasm
 * memory to its limit or an unhandled rejection.
 */
export function runNodeScript(source: string): { status: number | null; stdout: string; stderr: string } {
  const root = fileURLToPath(new URL('../../..', import.meta.url));
  const result = spawnSync(process.execPath, ['--input-type=module', '--eval', source], { cwd: root, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
