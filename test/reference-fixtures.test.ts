// Both backends against trajectories of the frameworks themselves: torch.optim 2.13 (every
// optimizer, 23 configurations) and Keras 3's Adam (the ε̂ form), run in float64. The error measure
// is |got − expected| / (2e-4·(|expected| + 1e-3)) after every step: 1 is the tolerance torch's own
// float32 run meets, and each fixture file has its bound (BOUNDS). A NaN or an infinity where the
// reference has a finite value (or the reverse) fails by itself, whatever the other elements, and
// the js backend must give the wasm backend's bits exactly (every NaN equal only to a NaN).
import { readFileSync } from 'node:fs';
import * as gradstep from 'gradstep';
import { beforeAll, describe, expect, it } from 'vitest';
import { firstBitDifference } from '../packages/gradstep/test/helpers.js';

interface Case {
  optimizer: string;
  options: Record<string, unknown>;
  init: number[][];
  grads: number[][][];
  expected64: number[][][];
  /** The lr set before each step (a schedule), when present. */
  lrPerStep?: number[];
}

const load = (name: string): Case[] => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')).cases;
const torchCases = load('torch-optim.json');
const torchExtraCases = load('torch-optim-extra.json');
const moreCases = load('torch-optim-more.json');
const kerasCases = load('keras-adam.json');

beforeAll(() => gradstep.init());

function trajectory(backend: 'wasm' | 'js', c: Case, make: (p: gradstep.Param[]) => gradstep.Optimizer<object>): Float32Array[][] {
  const params = c.init.map((values) => gradstep.param(values, { backend }));
  const opt = make(params);
  const out = c.grads.map((grads, t) => {
    if (c.lrPerStep) opt.lr = c.lrPerStep[t];
    params.forEach((p, i) => p.grad.set(grads[i]));
    opt.step();
    return params.map((p) => p.value.slice());
  });
  opt.dispose();
  params.forEach((p) => p.dispose());
  return out;
}

/**
 * The largest error (see the header) allowed per fixture file. Measured on both backends (the same
 * bits) on 2026-11-30 (commit cdcd977), worst over every element of every step of every case:
 *   torch-optim.json        0.349 (SGD {lr: 0.1}; the Adam-family cases 9e-4 … 3.7e-3)
 *   torch-optim-extra.json  0.218 (RMSprop {lr: 0.02, momentum: 0.9, maximize} with an lr schedule)
 *   torch-optim-more.json   4.2e-3 (RAdam betas [0.9, 0.9]; NAdam decoupled 4.19e-3; Lion 4.03e-3; Adamax 1.46e-3)
 *   keras-adam.json         7.0e-3 (eps 1e-4, lr 0.02; amsgrad 6.9e-3)
 * A bound is about 10× the measured worst and never below it; where 10× would exceed torch's own
 * tolerance (1) it stays 1.
 */
const BOUNDS = { torch: 1, torchExtra: 1, more: 0.05, keras: 0.08 } as const;

/** The error of one element (see the header). */
const errorOf = (got: number, expected: number) => Math.abs(got - expected) / (2e-4 * (Math.abs(expected) + 1e-3));

/**
 * Every way `got` fails the reference: a shape that differs, each element where one side is NaN or
 * infinite and the other is not the same value (NaN only matches NaN, ±Infinity only itself), and the
 * worst error when it is above `bound`. Empty when `got` passes. A NaN error never counts as "small":
 * non-finite values are sorted out first, so a NaN cannot be hidden by the finite elements after it.
 */
function referenceFailures(got: ArrayLike<number>[][], expected: number[][][], bound: number): string[] {
  const failures: string[] = [];
  let worst = { error: 0, where: '' };
  if (got.length !== expected.length) return [`${got.length} steps, the reference has ${expected.length}`];
  expected.forEach((step, t) => {
    if (got[t].length !== step.length) return failures.push(`step ${t + 1}: ${got[t].length} tensors, the reference has ${step.length}`);
    step.forEach((tensor, k) => {
      if (got[t][k].length !== tensor.length) return failures.push(`step ${t + 1}, tensor ${k}: length ${got[t][k].length}, the reference has ${tensor.length}`);
      tensor.forEach((e, i) => {
        const g = got[t][k][i];
        const where = `step ${t + 1}, tensor ${k}, element ${i}: got ${g}, expected ${e}`;
        if (!Number.isFinite(g) || !Number.isFinite(e)) {
          if (!(Object.is(g, e) || (Number.isNaN(g) && Number.isNaN(e)))) failures.push(`non-finite mismatch at ${where}`);
          return;
        }
        const error = errorOf(g, e);
        if (error > worst.error) worst = { error, where };
      });
    });
  });
  if (worst.error > bound) failures.push(`worst error ${worst.error} > ${bound} at ${worst.where}`);
  return failures;
}

/** The largest finite error of `got` (for the measurements above; NaN if any element is not finite). */
function worstError(got: ArrayLike<number>[][], expected: number[][][]): number {
  let worst = 0;
  expected.forEach((step, t) => step.forEach((tensor, k) => tensor.forEach((e, i) => (worst = Math.max(worst, errorOf(got[t][k][i], e))))));
  return worst;
}

/** A float32 value with its bits (−0 and NaN payloads show). */
const show = (x: number) => `${Object.is(x, -0) ? '-0' : x} (0x${new Uint32Array(Float32Array.of(x).buffer)[0].toString(16)})`;

/** Each (step, tensor) where the js trajectory's bits differ from wasm's. */
function bitDifferences(wasm: Float32Array[][], js: Float32Array[][]): string[] {
  const out: string[] = [];
  wasm.forEach((step, t) =>
    step.forEach((values, k) => {
      const i = firstBitDifference(values, js[t][k]);
      if (i >= 0) out.push(`step ${t + 1}, tensor ${k}, element ${i}: wasm ${show(values[i])}, js ${show(js[t][k][i])}`);
    }),
  );
  return out;
}

function checkCase(c: Case, make: (p: gradstep.Param[]) => gradstep.Optimizer<object>, bound: number) {
  const wasm = trajectory('wasm', c, make);
  const js = trajectory('js', c, make);
  expect(referenceFailures(wasm, c.expected64, bound)).toEqual([]);
  expect(bitDifferences(wasm, js), 'js against wasm, bit for bit').toEqual([]);
}

describe('the comparison itself', () => {
  const expected = [[[1, 2, 3]], [[1.5, 2.5, 3.5]]];
  const steps = (...values: number[][]) => values.map((v) => [Float32Array.from(v)]);

  it('passes a trajectory within the bound and fails one above it', () => {
    expect(referenceFailures(steps([1, 2, 3], [1.5, 2.5, 3.5]), expected, 1)).toEqual([]);
    expect(referenceFailures(steps([1, 2, 3], [1.5, 2.5, 3.5 + 1e-2]), expected, 1)).toEqual([expect.stringMatching(/^worst error .* at step 2, tensor 0, element 2/)]);
    expect(referenceFailures(steps([1, 2, 3], [1.5, 2.5, 3.5 + 1e-5]), expected, 0.01)).toEqual([expect.stringMatching(/^worst error/)]);
  });

  it('fails a NaN where the reference is finite, even with finite elements after it', () => {
    expect(referenceFailures(steps([NaN, 2, 3], [1.5, 2.5, 3.5]), expected, 1)).toEqual(['non-finite mismatch at step 1, tensor 0, element 0: got NaN, expected 1']);
    expect(referenceFailures(steps([1, 2, 3], [1.5, NaN, 3.5]), expected, 1)).toHaveLength(1);
  });

  it('fails an infinity where the reference is finite, and a finite value or the other infinity where it is not', () => {
    expect(referenceFailures(steps([1, Infinity, 3], [1.5, 2.5, 3.5]), expected, 1)).toHaveLength(1);
    expect(referenceFailures(steps([1, 2, 3], [1.5, 2.5, -Infinity]), expected, 1)).toHaveLength(1);
    const nonFinite = [[[NaN, Infinity, -Infinity]]];
    expect(referenceFailures(steps([NaN, Infinity, -Infinity]), nonFinite, 1)).toEqual([]);
    expect(referenceFailures(steps([0, Infinity, -Infinity]), nonFinite, 1)).toEqual(['non-finite mismatch at step 1, tensor 0, element 0: got 0, expected NaN']);
    expect(referenceFailures(steps([NaN, 3e38, -Infinity]), nonFinite, 1)).toHaveLength(1);
    expect(referenceFailures(steps([NaN, -Infinity, -Infinity]), nonFinite, 1)).toHaveLength(1);
  });

  it('fails a trajectory of another shape', () => {
    expect(referenceFailures(steps([1, 2, 3]), expected, 1)).toEqual(['1 steps, the reference has 2']);
    expect(referenceFailures(steps([1, 2], [1.5, 2.5]), expected, 1)).toHaveLength(2);
  });

  it('compares the backends bit for bit: −0 is not 0, NaN is not a number, NaN equals NaN', () => {
    expect(bitDifferences(steps([0, NaN, 1]), steps([0, NaN, 1]))).toEqual([]);
    expect(bitDifferences(steps([0, NaN, 1]), steps([-0, NaN, 1]))).toEqual(['step 1, tensor 0, element 0: wasm 0 (0x0), js -0 (0x80000000)']);
    expect(bitDifferences(steps([0, NaN, 1]), steps([0, 1, 1]))).toHaveLength(1);
    expect(bitDifferences(steps([1, 2, 3]), steps([1, 2, Math.fround(3 + 2 ** -22)]))).toHaveLength(1);
  });
});

describe('torch.optim 2.13 trajectories (float64), both backends', () => {
  it('has every optimizer of the core in the fixture', () => {
    expect(new Set(torchCases.map((c) => c.optimizer))).toEqual(new Set(['SGD', 'Adagrad', 'Adadelta', 'RMSprop', 'Adam', 'AdamW']));
  });
  it.each(torchCases.map((c, i) => [`${c.optimizer} ${JSON.stringify(c.options)} #${i}`, c] as const))('%s', (_name, c) => {
    const Ctor = (gradstep as unknown as Record<string, new (p: gradstep.Param[], o: object) => gradstep.Optimizer<object>>)[c.optimizer];
    checkCase(c, (p) => new Ctor(p, c.options), BOUNDS.torch);
  });
});

describe('torch.optim 2.15 trajectories of our own (every SIMD tail length, more option combinations, lr changed between steps), both backends', () => {
  it('includes learning-rate schedules', () => {
    expect(torchExtraCases.filter((c) => c.lrPerStep).length).toBe(10);
  });
  it.each(torchExtraCases.map((c, i) => [`${c.optimizer} ${JSON.stringify(c.options)}${c.lrPerStep ? ' with an lr schedule' : ''} #${i}`, c] as const))('%s', (_name, c) => {
    const Ctor = (gradstep as unknown as Record<string, new (p: gradstep.Param[], o: object) => gradstep.Optimizer<object>>)[c.optimizer];
    checkCase(c, (p) => new Ctor(p, c.options), BOUNDS.torchExtra);
  });
});

describe('Adamax, NAdam, RAdam (torch.optim 2.15) and Lion (its reference implementation), float64, both backends', () => {
  it.each(moreCases.map((c, i) => [`${c.optimizer} ${JSON.stringify(c.options)} #${i}`, c] as const))('%s', (_name, c) => {
    const Ctor = (gradstep as unknown as Record<string, new (p: gradstep.Param[], o: object) => gradstep.Optimizer<object>>)[c.optimizer];
    checkCase(c, (p) => new Ctor(p, c.options), BOUNDS.more);
  });
});

describe("Keras 3 Adam (the ε̂ form, epsHat: true), both backends", () => {
  it.each(kerasCases.map((c, i) => [`${JSON.stringify(c.options)} #${i}`, c] as const))('%s', (_name, c) => {
    checkCase(c, (p) => new gradstep.Adam(p, { ...c.options, epsHat: true }), BOUNDS.keras);
  });
  it('differs from the PyTorch form where the two forms differ (so the option is not a no-op)', () => {
    const c = kerasCases[0];
    const pytorchForm = trajectory('js', c, (p) => new gradstep.Adam(p, { ...c.options, eps: 1e-7 }));
    expect(worstError(pytorchForm, c.expected64)).toBeGreaterThan(1);
  });
});
