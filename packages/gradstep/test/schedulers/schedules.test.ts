// Properties of the schedules that the PyTorch fixtures (test/torch-schedulers.test.ts) do not state
// by themselves: the closed forms the recursions follow, the period of CosineAnnealingLR, per-group
// base lrs, the initial lr shared by the schedulers of one optimizer, and outside lr changes
// carrying through the recursive schedules.
import { describe, expect, it } from 'vitest';
import {
  CosineAnnealingLR,
  ExponentialLR,
  LinearLR,
  MultiStepLR,
  OneCycleLR,
  SequentialLR,
  StepLR,
  type SchedulableOptimizer,
} from '../../src/schedulers/index.js';

const twoGroups = (a = 0.1, b = 0.05): SchedulableOptimizer => ({ paramGroups: [{ lr: a, momentum: 0.9 }, { lr: b, momentum: 0.9 }] });
const lrsOf = (opt: SchedulableOptimizer) => opt.paramGroups.map((g) => g.lr);

function expectRelativelyClose(got: number, expected: number, tolerance: number, where: string) {
  const error = got === expected ? 0 : Math.abs(got - expected) / Math.max(Math.abs(expected), 1e-300);
  expect(error, `${where}: got ${got}, expected ${expected}`).toBeLessThanOrEqual(tolerance);
}

describe('CosineAnnealingLR', () => {
  it('follows the closed form, a cosine of period 2·tMax that rises again after tMax', () => {
    const opt = twoGroups();
    const tMax = 8;
    const etaMin = 0.002;
    const scheduler = new CosineAnnealingLR(opt, { tMax, etaMin });
    for (let e = 0; e <= 4 * tMax; e++) {
      if (e > 0) scheduler.step();
      [0.1, 0.05].forEach((base, i) => {
        const closed = etaMin + ((base - etaMin) * (1 + Math.cos((Math.PI * e) / tMax))) / 2;
        expectRelativelyClose(lrsOf(opt)[i], closed, 1e-13, `epoch ${e}, group ${i}`);
      });
    }
    // Back up at the base lr after a full period, on the way down again after it.
    scheduler.step();
    expect(lrsOf(opt)[0]).toBeLessThan(0.1);
  });

  it('reaches etaMin at tMax and the base lr again at 2·tMax', () => {
    const opt = twoGroups();
    const scheduler = new CosineAnnealingLR(opt, { tMax: 5 });
    const lrs = [lrsOf(opt)];
    for (let e = 1; e <= 10; e++) {
      scheduler.step();
      lrs.push(lrsOf(opt));
    }
    expect(lrs[5]).toEqual([0, 0]);
    expectRelativelyClose(lrs[10][0], 0.1, 1e-15, 'group 0 at 2·tMax');
    expectRelativelyClose(lrs[10][1], 0.05, 1e-15, 'group 1 at 2·tMax');
    expect(lrs[6][0]).toBeGreaterThan(lrs[5][0]);
  });
});

describe('closed forms', () => {
  it('StepLR, MultiStepLR (repeated milestones), ExponentialLR and LinearLR', () => {
    const cases: [string, (o: SchedulableOptimizer) => { step(): void }, (base: number, e: number) => number][] = [
      ['StepLR', (o) => new StepLR(o, { stepSize: 3, gamma: 0.5 }), (b, e) => b * 0.5 ** Math.floor(e / 3)],
      ['MultiStepLR', (o) => new MultiStepLR(o, { milestones: [2, 5, 5, 9] }), (b, e) => b * 0.1 ** [2, 5, 5, 9].filter((m) => m <= e).length],
      ['ExponentialLR', (o) => new ExponentialLR(o, { gamma: 0.8 }), (b, e) => b * 0.8 ** e],
      ['LinearLR', (o) => new LinearLR(o, { startFactor: 0.2, endFactor: 0.9, totalIters: 6 }), (b, e) => b * (0.2 + (0.7 * Math.min(e, 6)) / 6)],
    ];
    for (const [name, make, closed] of cases) {
      const opt = twoGroups();
      const scheduler = make(opt);
      for (let e = 0; e <= 15; e++) {
        if (e > 0) scheduler.step();
        expectRelativelyClose(lrsOf(opt)[0], closed(0.1, e), 1e-14, `${name} epoch ${e} group 0`);
        expectRelativelyClose(lrsOf(opt)[1], closed(0.05, e), 1e-14, `${name} epoch ${e} group 1`);
      }
    }
  });
});

describe('recursive schedules', () => {
  it('carry a change made to the lr from outside, as PyTorch chainable schedulers do', () => {
    const opt = twoGroups();
    const scheduler = new ExponentialLR(opt, { gamma: 0.5 });
    scheduler.step();
    opt.paramGroups[0].lr = 1;
    scheduler.step();
    expect(lrsOf(opt)).toEqual([0.5, 0.0125]);
    expect(scheduler.getLastLr()).toEqual([0.5, 0.0125]);
  });

  it('keep one base lr per group', () => {
    const opt = twoGroups(0.3, 0.002);
    const scheduler = new StepLR(opt, { stepSize: 1 });
    expect(scheduler.baseLrs).toEqual([0.3, 0.002]);
    scheduler.step();
    expect(lrsOf(opt)[0]).toBeCloseTo(0.03, 16);
    expect(lrsOf(opt)[1]).toBeCloseTo(0.0002, 18);
  });
});

describe('the initial lr of an optimizer', () => {
  it('is recorded by the first scheduler; later schedulers start from it (PyTorch initial_lr)', () => {
    const opt = twoGroups();
    const warmup = new LinearLR(opt, { startFactor: 0.5 });
    expect(lrsOf(opt)).toEqual([0.05, 0.025]);
    const decay = new ExponentialLR(opt, { gamma: 0.9 });
    expect(warmup.baseLrs).toEqual([0.1, 0.05]);
    expect(decay.baseLrs).toEqual([0.1, 0.05]);
    // ExponentialLR's constructor step keeps the current lr.
    expect(lrsOf(opt)).toEqual([0.05, 0.025]);
  });

  it('is maxLr / divFactor after a OneCycleLR, which SequentialLR resets the lrs to', () => {
    const opt = twoGroups();
    const warmup = new LinearLR(opt, { startFactor: 0.5, totalIters: 2 });
    const cycle = new OneCycleLR(opt, { maxLr: 0.5, totalSteps: 10 });
    const schedule = new SequentialLR(opt, { schedulers: [warmup, cycle], milestones: [2] });
    expect(cycle.baseLrs).toEqual([0.02, 0.02]);
    // The warmup multiplies the lr it finds (0.02), not its own base lr (0.1, 0.05): PyTorch's quirk.
    expect(lrsOf(opt)).toEqual([0.01, 0.01]);
    expect(schedule.getLastLr()).toEqual([0.01, 0.01]);
  });

  it('is not changed by a OneCycleLR whose constructor fails', () => {
    const opt = twoGroups();
    expect(() => new OneCycleLR(opt, { maxLr: 1, totalSteps: 10, pctStart: 0.1 })).toThrow(/phase of no length/);
    expect(lrsOf(opt)).toEqual([0.1, 0.05]);
    expect(new StepLR(opt, { stepSize: 2 }).baseLrs).toEqual([0.1, 0.05]);
  });
});

describe('OneCycleLR', () => {
  it('rises from maxLr/divFactor to maxLr and ends at maxLr/(divFactor·finalDivFactor), momentum inversely', () => {
    const opt = twoGroups();
    const scheduler = new OneCycleLR(opt, { maxLr: [1, 0.1], totalSteps: 21, pctStart: 0.5, divFactor: 10, finalDivFactor: 100 });
    const lrs = [lrsOf(opt)];
    const momenta = [opt.paramGroups.map((g) => g.momentum)];
    for (let step = 1; step <= 21; step++) {
      scheduler.step();
      lrs.push(lrsOf(opt));
      momenta.push(opt.paramGroups.map((g) => g.momentum));
    }
    expectRelativelyClose(lrs[0][0], 0.1, 1e-15, 'start');
    expectRelativelyClose(lrs[0][1], 0.01, 1e-15, 'start');
    // The peak is at step pctStart·totalSteps − 1 = 9.5: steps 9 and 10 straddle it.
    expect(Math.max(...lrs.map((l) => l[0]))).toBe(Math.max(lrs[9][0], lrs[10][0]));
    expectRelativelyClose(lrs[20][0], 1e-3, 1e-12, 'end');
    expectRelativelyClose(lrs[20][1], 1e-4, 1e-12, 'end');
    expectRelativelyClose(momenta[0][0]!, 0.95, 1e-15, 'momentum at the start');
    expectRelativelyClose(momenta[20][0]!, 0.95, 1e-15, 'momentum at the end');
    expect(Math.min(...momenta.map((m) => m[0]!))).toBeGreaterThanOrEqual(0.85);
    expect(() => scheduler.step()).toThrow(/tried to step 22 times; totalSteps is 21/);
  });

  it('cycles betas[0] of groups that have betas, keeping betas[1]', () => {
    const opt: SchedulableOptimizer = { paramGroups: [{ lr: 1, betas: [0.9, 0.99] }] };
    const scheduler = new OneCycleLR(opt, { maxLr: 0.01, totalSteps: 4, baseMomentum: 0.8, maxMomentum: 0.9, annealStrategy: 'linear' });
    expect(opt.paramGroups[0].betas).toEqual([0.9, 0.99]);
    // The rise ends at step pctStart·totalSteps − 1 = 0.2, so step 1 is 0.8/2.8 into the fall of the lr.
    scheduler.step();
    expect(opt.paramGroups[0].betas![0]).toBeCloseTo(0.8 + 0.1 * (0.8 / 2.8), 15);
    expect(opt.paramGroups[0].betas![1]).toBe(0.99);
  });

  it('takes totalSteps over epochs·stepsPerEpoch, as PyTorch does', () => {
    const s = new OneCycleLR(twoGroups(), { maxLr: 0.1, totalSteps: 7, epochs: 3, stepsPerEpoch: 4 });
    expect(s.options.totalSteps).toBe(7);
    expect(new OneCycleLR(twoGroups(), { maxLr: 0.1, epochs: 3, stepsPerEpoch: 4 }).options.totalSteps).toBe(12);
  });
});

describe('accessors', () => {
  it('return copies', () => {
    const opt = twoGroups();
    const scheduler = new StepLR(opt, { stepSize: 2 });
    scheduler.getLastLr()[0] = 42;
    scheduler.baseLrs[0] = 42;
    (scheduler.options as { stepSize: number }).stepSize = 42;
    expect(scheduler.getLastLr()).toEqual([0.1, 0.05]);
    expect(scheduler.baseLrs).toEqual([0.1, 0.05]);
    expect(scheduler.options).toEqual({ stepSize: 2, gamma: 0.1 });
    expect(scheduler.lastEpoch).toBe(0);
  });
});
