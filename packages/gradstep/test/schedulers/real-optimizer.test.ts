// End to end: the schedulers drive a real optimizer through the one-group adapter (today's
// optimizers have a single lr; the adapter is all a scheduler needs), and the params move by the
// scheduled lr at every step.
import { CosineAnnealingLR, LinearLR, param, ReduceLROnPlateau, SequentialLR, SGD, StepLR } from 'gradstep';
import { describe, expect, it } from 'vitest';

function adapted(lr: number) {
  const p = param(3, { backend: 'js' });
  const real = new SGD([p], { lr });
  const adapter = {
    paramGroups: [
      {
        get lr() {
          return real.lr;
        },
        set lr(v: number) {
          real.lr = v;
        },
      },
    ],
  };
  return { p, real, adapter };
}

/** One SGD step with gradient 1: p −= lr (rounded to float32, as the kernel's scalar is). */
function stepWithUnitGradient(p: ReturnType<typeof param>, real: SGD) {
  p.grad.fill(1);
  real.step();
}

describe('a real SGD optimizer through the adapter', () => {
  it('StepLR changes the optimizer lr, and the step uses it', () => {
    const { p, real, adapter } = adapted(0.1);
    const scheduler = new StepLR(adapter, { stepSize: 2, gamma: 0.5 });
    const used: number[] = [];
    let expected = 0;
    for (let epoch = 0; epoch < 7; epoch++) {
      used.push(real.lr);
      stepWithUnitGradient(p, real);
      expected = Math.fround(expected - Math.fround(real.lr));
      expect(Array.from(p.value)).toEqual([expected, expected, expected]);
      scheduler.step();
      expect(real.lr).toBe(scheduler.getLastLr()[0]);
    }
    expect(used).toEqual([0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.0125]);
    expect(real.lr).toBe(0.0125); // epoch 7 is no multiple of 2
    real.dispose();
    p.dispose();
  });

  it('a LinearLR warmup then CosineAnnealingLR starts below the configured lr and returns to it', () => {
    const { p, real, adapter } = adapted(0.2);
    const warmup = new LinearLR(adapter, { startFactor: 0.25, totalIters: 4 });
    const cosine = new CosineAnnealingLR(adapter, { tMax: 10 });
    const schedule = new SequentialLR(adapter, { schedulers: [warmup, cosine], milestones: [4] });
    const lrs = [real.lr];
    for (let i = 0; i < 14; i++) {
      stepWithUnitGradient(p, real);
      schedule.step();
      lrs.push(real.lr);
    }
    expect(lrs[0]).toBeCloseTo(0.05, 15);
    expect(lrs[4]).toBe(0.2); // the cosine restarts from its base lr at the milestone
    expect(lrs[14]).toBe(0); // cos(π) = −1 exactly: etaMin at tMax
    expect(lrs.slice(4).every((lr, i, a) => i === 0 || lr < a[i - 1])).toBe(true);
    real.dispose();
    p.dispose();
  });

  it('ReduceLROnPlateau reduces the optimizer lr after patience epochs without improvement', () => {
    const { p, real, adapter } = adapted(0.1);
    const scheduler = new ReduceLROnPlateau(adapter, { patience: 1, factor: 0.5 });
    for (const loss of [1, 0.9, 0.9, 0.9]) scheduler.step(loss);
    expect(real.lr).toBe(0.05);
    expect(scheduler.getLastLr()).toEqual([0.05]);
    real.dispose();
    p.dispose();
  });
});
