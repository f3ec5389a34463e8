// Both backends against trajectories of the frameworks themselves: torch.optim 2.13 (every
// optimizer, 23 configurations) and Keras 3's Adam (the ε̂ form), run in float64. The tolerance is the
// one torch's own float32 run meets: |got − expected| <= 2e-4·(|expected| + 1e-3) after every step.
import { readFileSync } from 'node:fs';
import * as gradstep from 'gradstep';
import { beforeAll, describe, expect, it } from 'vitest';

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

function worstError(got: Float32Array[][], expected: number[][][]): { ratio: number; where: string } {
  let worst = { ratio: 0, where: '' };
  expected.forEach((step, t) =>
    step.forEach((tensor, k) =>
      tensor.forEach((e, i) => {
        const ratio = Math.abs(got[t][k][i] - e) / (2e-4 * (Math.abs(e) + 1e-3));
        if (!(ratio <= worst.ratio)) worst = { ratio, where: `step ${t + 1}, tensor ${k}, element ${i}: got ${got[t][k][i]}, expected ${e}` };
      }),
    ),
  );
  return worst;
}

function checkCase(c: Case, make: (p: gradstep.Param[]) => gradstep.Optimizer<object>) {
  const wasm = trajectory('wasm', c, make);
  const js = trajectory('js', c, make);
  const worst = worstError(wasm, c.expected64);
  expect(worst.ratio, worst.where).toBeLessThanOrEqual(1);
  wasm.forEach((step, t) => step.forEach((values, k) => expect(Array.from(js[t][k]), `js step ${t + 1}`).toEqual(Array.from(values))));
}

describe('torch.optim 2.13 trajectories (float64), both backends', () => {
  it('has every optimizer of the core in the fixture', () => {
    expect(new Set(torchCases.map((c) => c.optimizer))).toEqual(new Set(['SGD', 'Adagrad', 'Adadelta', 'RMSprop', 'Adam', 'AdamW']));
  });
  it.each(torchCases.map((c, i) => [`${c.optimizer} ${JSON.stringify(c.options)} #${i}`, c] as const))('%s', (_name, c) => {
    const Ctor = (gradstep as unknown as Record<string, new (p: gradstep.Param[], o: object) => gradstep.Optimizer<object>>)[c.optimizer];
    checkCase(c, (p) => new Ctor(p, c.options));
  });
});

describe('torch.optim 2.15 trajectories of our own (every SIMD tail length, more option combinations, lr changed between steps), both backends', () => {
  it('includes learning-rate schedules', () => {
    expect(torchExtraCases.filter((c) => c.lrPerStep).length).toBe(10);
  });
  it.each(torchExtraCases.map((c, i) => [`${c.optimizer} ${JSON.stringify(c.options)}${c.lrPerStep ? ' with an lr schedule' : ''} #${i}`, c] as const))('%s', (_name, c) => {
    const Ctor = (gradstep as unknown as Record<string, new (p: gradstep.Param[], o: object) => gradstep.Optimizer<object>>)[c.optimizer];
    checkCase(c, (p) => new Ctor(p, c.options));
  });
});

describe('Adamax, NAdam, RAdam (torch.optim 2.15) and Lion (its reference implementation), float64, both backends', () => {
  it.each(moreCases.map((c, i) => [`${c.optimizer} ${JSON.stringify(c.options)} #${i}`, c] as const))('%s', (_name, c) => {
    const Ctor = (gradstep as unknown as Record<string, new (p: gradstep.Param[], o: object) => gradstep.Optimizer<object>>)[c.optimizer];
    checkCase(c, (p) => new Ctor(p, c.options));
  });
});

describe("Keras 3 Adam (the ε̂ form, epsHat: true), both backends", () => {
  it.each(kerasCases.map((c, i) => [`${JSON.stringify(c.options)} #${i}`, c] as const))('%s', (_name, c) => {
    checkCase(c, (p) => new gradstep.Adam(p, { ...c.options, epsHat: true }));
  });
  it('differs from the PyTorch form where the two forms differ (so the option is not a no-op)', () => {
    const c = kerasCases[0];
    const pytorchForm = trajectory('js', c, (p) => new gradstep.Adam(p, { ...c.options, eps: 1e-7 }));
    expect(worstError(pytorchForm, c.expected64).ratio).toBeGreaterThan(1);
  });
});
