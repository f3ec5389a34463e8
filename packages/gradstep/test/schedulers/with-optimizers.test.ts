// Schedulers drive real optimizers through their paramGroups, and training with a schedule gives
// the same bits as setting the same learning rates by hand.
import { Adam, CosineAnnealingLR, OneCycleLR, SGD, StepLR, init, param } from 'gradstep';
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, firstBitDifference, seeded } from '../helpers.js';

beforeAll(() => init());

describe.each(BACKENDS)('%s backend', (backend) => {
  it('StepLR on SGD parameter groups equals setting each lr by hand', () => {
    const run = (useScheduler: boolean) => {
      const [a, b] = [param(seeded(1, 7), { backend }), param(seeded(2, 5), { backend })];
      const opt = new SGD([{ params: [a] }, { params: [b], lr: 0.5 }], { lr: 0.1, momentum: 0.9 });
      const scheduler = useScheduler ? new StepLR(opt, { stepSize: 2, gamma: 0.5 }) : null;
      for (let t = 0; t < 7; t++) {
        if (!scheduler) [0, 1].forEach((g) => (opt.paramGroups[g].lr = [0.1, 0.5][g] * 0.5 ** Math.floor(t / 2)));
        a.grad.set(seeded(10 + t, 7));
        b.grad.set(seeded(20 + t, 5));
        opt.step();
        scheduler?.step();
      }
      return [a.value.slice(), b.value.slice()];
    };
    const [scheduled, manual] = [run(true), run(false)];
    scheduled.forEach((v, i) => expect(firstBitDifference(v, manual[i])).toBe(-1));
  });

  it("OneCycleLR cycles Adam's lr and beta1 in its paramGroups", () => {
    const opt = new Adam([param(3, { backend })], { lr: 1e-3 });
    const scheduler = new OneCycleLR(opt, { maxLr: 0.1, totalSteps: 10 });
    expect(opt.paramGroups[0].lr).toBeCloseTo(0.1 / 25, 15);
    expect(opt.paramGroups[0].betas[0]).toBeCloseTo(0.95, 15);
    for (let t = 0; t < 2; t++) {
      opt.step();
      scheduler.step();
    }
    expect(opt.paramGroups[0].lr).toBe(scheduler.getLastLr()[0]);
    expect(opt.paramGroups[0].lr).toBeCloseTo(0.1, 15); // the peak, at epoch pctStart·totalSteps − 1 = 2
    expect(opt.paramGroups[0].betas[0]).toBeCloseTo(0.85, 15);
  });

  it('CosineAnnealingLR sets the lr of every group', () => {
    const opt = new SGD([{ params: [param(2, { backend })] }, { params: [param(2, { backend })], lr: 0.2 }], { lr: 1 });
    const scheduler = new CosineAnnealingLR(opt, { tMax: 4 });
    const lrs = [];
    for (let t = 0; t < 5; t++) {
      lrs.push(opt.paramGroups.map((g) => g.lr));
      opt.step();
      scheduler.step();
    }
    expect(lrs.map((l) => l[0])).toEqual([1, expect.closeTo(0.8536, 4), expect.closeTo(0.5, 12), expect.closeTo(0.1464, 4), expect.closeTo(0, 12)]);
    expect(lrs.map((l) => l[1] / l[0]).slice(0, 4).every((r) => Math.abs(r - 0.2) < 1e-12)).toBe(true);
  });
});

describe('OneCycleLR with real optimizers', () => {
  it('runs a whole linear cycle (its last step would extrapolate below 0: clamped) and refuses momentum 0 clearly', () => {
    const opt = new SGD([param(3, { backend: 'js' })], { lr: 0.01, momentum: 0.9 });
    const scheduler = new OneCycleLR(opt, { maxLr: 0.01, totalSteps: 100, annealStrategy: 'linear' });
    for (let t = 0; t < 100; t++) {
      opt.step();
      scheduler.step();
    }
    expect(opt.paramGroups[0].lr).toBe(0);
    expect(() => new OneCycleLR(new SGD([param(3, { backend: 'js' })], { lr: 0.01 }), { maxLr: 0.1, totalSteps: 10 })).toThrow(
      /cycleMomentum needs a momentum buffer, but paramGroups\[0\] has momentum 0/,
    );
  });
});
