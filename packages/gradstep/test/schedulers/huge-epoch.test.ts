// Bounds by design: a scheduler state dict read from a file may hold any safe-integer lastEpoch (and
// counters). Loading it and taking the next step must cost O(1) (or O(milestones)), never a loop of
// lastEpoch iterations: every schedule here is recursive per step or in closed form. These tests load
// dicts at Number.MAX_SAFE_INTEGER − 1 and step once; a per-epoch loop anywhere would never finish.
import { describe, expect, it } from 'vitest';
import {
  CosineAnnealingLR,
  ExponentialLR,
  LinearLR,
  MultiStepLR,
  OneCycleLR,
  ReduceLROnPlateau,
  SequentialLR,
  StepLR,
  type SchedulableOptimizer,
  type SchedulerStateDict,
} from 'gradstep';

const M = Number.MAX_SAFE_INTEGER; // 2^53 − 1 = 6361 · 69431 · 20394401
const sgd = (): SchedulableOptimizer => ({ paramGroups: [{ lr: 0.1, momentum: 0.9 }] });

/** The scheduler's own dict, through JSON (as from a file), with lastEpoch replaced. */
function atEpoch(dict: SchedulerStateDict, lastEpoch: number): SchedulerStateDict {
  return { ...(JSON.parse(JSON.stringify(dict)) as SchedulerStateDict), lastEpoch };
}

/** Runs `work`. No timer: a loop of 2^53 steps would never return, and vitest's timeout fails the test. */
function promptly(work: () => void): void {
  work();
}

describe('scheduler loadStateDict with lastEpoch near Number.MAX_SAFE_INTEGER', () => {
  it('StepLR: loads and steps to epoch 2^53 − 1 (a multiple of stepSize 6361) in O(1)', () => {
    const opt = sgd();
    const s = new StepLR(opt, { stepSize: 6361, gamma: 0.5 });
    promptly(() => {
      s.loadStateDict(atEpoch(s.stateDict(), M - 1));
      s.step();
    });
    expect(s.lastEpoch).toBe(M);
    expect(s.getLastLr()).toEqual([0.05]);
  });

  it('MultiStepLR: a milestone at 2^53 − 1 applies after one step', () => {
    const opt = sgd();
    const s = new MultiStepLR(opt, { milestones: [M], gamma: 0.5 });
    promptly(() => {
      s.loadStateDict(atEpoch(s.stateDict(), M - 1));
      s.step();
    });
    expect(s.lastEpoch).toBe(M);
    expect(s.getLastLr()).toEqual([0.05]);
  });

  it('ExponentialLR: one multiplication by gamma, not 2^53 of them', () => {
    const opt = sgd();
    const s = new ExponentialLR(opt, { gamma: 0.5 });
    promptly(() => {
      s.loadStateDict(atEpoch(s.stateDict(), M - 1));
      s.step();
    });
    expect(s.getLastLr()).toEqual([0.05]);
  });

  it('CosineAnnealingLR and LinearLR: one recursive step', () => {
    const cosineOpt = sgd();
    const cosine = new CosineAnnealingLR(cosineOpt, { tMax: 2, etaMin: 0 });
    const linearOpt = sgd();
    const linear = new LinearLR(linearOpt, { startFactor: 0.5, totalIters: 5 });
    promptly(() => {
      cosine.loadStateDict(atEpoch(cosine.stateDict(), M - 1));
      cosine.step();
      linear.loadStateDict(atEpoch(linear.stateDict(), M - 1));
      linear.step();
    });
    expect(cosine.lastEpoch).toBe(M);
    expect(Number.isFinite(cosine.getLastLr()[0])).toBe(true);
    // Past totalIters the LinearLR keeps the group's lr.
    expect(linear.getLastLr()).toEqual([linearOpt.paramGroups[0].lr]);
  });

  it('OneCycleLR with totalSteps 2^53 − 1: the last step is computed in closed form, the next one refused', () => {
    const opt = sgd();
    const s = new OneCycleLR(opt, { maxLr: 1, totalSteps: M });
    promptly(() => {
      s.loadStateDict(atEpoch(s.stateDict(), M - 1));
      s.step();
    });
    expect(s.lastEpoch).toBe(M);
    expect(s.getLastLr()[0]).toBeGreaterThanOrEqual(0);
    expect(s.getLastLr()[0]).toBeLessThan(1e-4);
    expect(() => s.step()).toThrow(RangeError);
  });

  it('SequentialLR: reaching a milestone at 2^53 − 1 restarts the next scheduler from its closed form', () => {
    const opt = sgd();
    const warmup = new LinearLR(opt, { startFactor: 0.5, totalIters: 5 });
    const decay = new ExponentialLR(opt, { gamma: 0.5 });
    const s = new SequentialLR(opt, { schedulers: [warmup, decay], milestones: [M] });
    promptly(() => {
      s.loadStateDict(atEpoch(s.stateDict(), M - 1));
      s.step();
    });
    expect(s.lastEpoch).toBe(M);
    expect(s.getLastLr()).toEqual([0.1]);
  });

  it('ReduceLROnPlateau: huge counters from a dict are compared, not counted down', () => {
    const opt = sgd();
    const s = new ReduceLROnPlateau(opt, { patience: M - 2, factor: 0.5 });
    s.step(1);
    const dict = atEpoch(s.stateDict(), M - 1);
    dict.state = { ...dict.state, numBadEpochs: M - 2 };
    promptly(() => {
      s.loadStateDict(dict);
      s.step(2); // not better than 1: the count passes patience, the lr is halved
    });
    expect(s.lastEpoch).toBe(M);
    expect(s.getLastLr()).toEqual([0.05]);
    expect(s.numBadEpochs).toBe(0);
  });
});
