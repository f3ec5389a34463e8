// A scheduler must not go on setting the lr (or momentum) of an optimizer that was disposed: every
// write throws an Error naming the scheduler class, and the failed call changes nothing.
import {
  CosineAnnealingLR,
  ExponentialLR,
  LinearLR,
  MultiStepLR,
  OneCycleLR,
  ReduceLROnPlateau,
  SequentialLR,
  SGD,
  StepLR,
  param,
  type SchedulerStateDict,
} from 'gradstep';
import { describe, expect, it } from 'vitest';

interface Scheduler {
  readonly lastEpoch: number;
  getLastLr(): number[];
  stateDict(): SchedulerStateDict;
}

/** Each scheduler class on a real SGD (momentum 0.9, so that OneCycleLR cycles it), and how to step it. */
const SCHEDULERS: [string, (opt: SGD) => { scheduler: Scheduler; step: () => void }][] = [
  ['StepLR', (opt) => stepped(new StepLR(opt, { stepSize: 1, gamma: 0.5 }))],
  ['MultiStepLR', (opt) => stepped(new MultiStepLR(opt, { milestones: [1, 2, 3, 4] }))],
  ['ExponentialLR', (opt) => stepped(new ExponentialLR(opt, { gamma: 0.9 }))],
  ['CosineAnnealingLR', (opt) => stepped(new CosineAnnealingLR(opt, { tMax: 10 }))],
  ['LinearLR', (opt) => stepped(new LinearLR(opt, { startFactor: 0.25, totalIters: 10 }))],
  ['OneCycleLR', (opt) => stepped(new OneCycleLR(opt, { maxLr: 1, totalSteps: 10 }))],
  [
    'ReduceLROnPlateau',
    (opt) => {
      // patience 0: every step without improvement reduces the lr, so each step writes to the optimizer.
      const scheduler = new ReduceLROnPlateau(opt, { patience: 0, factor: 0.5 });
      return { scheduler, step: () => scheduler.step(1) };
    },
  ],
  [
    'SequentialLR',
    (opt) => {
      const warmup = new LinearLR(opt, { startFactor: 0.5, totalIters: 2 });
      const decay = new ExponentialLR(opt, { gamma: 0.9 });
      return stepped(new SequentialLR(opt, { schedulers: [warmup, decay], milestones: [2] }));
    },
  ],
];

function stepped<S extends Scheduler & { step(): void }>(scheduler: S) {
  return { scheduler, step: () => scheduler.step() };
}

function realOptimizer() {
  const p = param(4, { backend: 'js' });
  return { p, opt: new SGD([p], { lr: 0.1, momentum: 0.9 }) };
}

function thrown(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error, but none was thrown');
}

const disposedMessage = (name: string) => `${name}: the optimizer was disposed; a scheduler cannot set the learning rate of a disposed optimizer`;

describe('schedulers over a disposed optimizer', () => {
  it.each(SCHEDULERS)('%s.step() throws an Error naming the class and changes nothing', (name, make) => {
    const { p, opt } = realOptimizer();
    const { scheduler, step } = make(opt);
    step();
    step(); // SequentialLR: past its milestone, into the second scheduler
    const before = { lastEpoch: scheduler.lastEpoch, lastLr: scheduler.getLastLr(), dict: scheduler.stateDict() };
    const group = { lr: opt.paramGroups[0].lr, momentum: opt.paramGroups[0].momentum };
    opt.dispose();
    expect(opt.disposed).toBe(true);
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = thrown(step);
      expect(error.constructor).toBe(Error);
      expect(error.message).toBe(disposedMessage(name));
      expect(scheduler.lastEpoch).toBe(before.lastEpoch);
      expect(scheduler.getLastLr()).toEqual(before.lastLr);
      expect(scheduler.stateDict()).toEqual(before.dict);
      expect({ lr: opt.paramGroups[0].lr, momentum: opt.paramGroups[0].momentum }).toEqual(group);
    }
    p.dispose();
  });

  it('SequentialLR refuses at a milestone step too, before its next scheduler restarts', () => {
    const { p, opt } = realOptimizer();
    const warmup = new LinearLR(opt, { startFactor: 0.5, totalIters: 2 });
    const decay = new CosineAnnealingLR(opt, { tMax: 5 });
    const schedule = new SequentialLR(opt, { schedulers: [warmup, decay], milestones: [1] });
    const children = [warmup.stateDict(), decay.stateDict()];
    const lr = opt.paramGroups[0].lr;
    opt.dispose();
    const error = thrown(() => schedule.step()); // epoch 1 is the milestone: decay would restart
    expect(error.constructor).toBe(Error);
    expect(error.message).toBe(disposedMessage('SequentialLR'));
    expect(schedule.lastEpoch).toBe(0);
    expect([warmup.stateDict(), decay.stateDict()]).toEqual(children);
    expect(opt.paramGroups[0].lr).toBe(lr);
    p.dispose();
  });

  it('a scheduler cannot be created for a disposed optimizer', () => {
    const { p, opt } = realOptimizer();
    const warmup = new LinearLR(opt, { startFactor: 0.5, totalIters: 2 });
    const decay = new ExponentialLR(opt, { gamma: 0.9 });
    const lr = opt.paramGroups[0].lr;
    opt.dispose();
    const constructors: [string, () => unknown][] = [
      ['StepLR', () => new StepLR(opt, { stepSize: 1 })],
      ['MultiStepLR', () => new MultiStepLR(opt, { milestones: [1] })],
      ['ExponentialLR', () => new ExponentialLR(opt, { gamma: 0.9 })],
      ['CosineAnnealingLR', () => new CosineAnnealingLR(opt, { tMax: 10 })],
      ['LinearLR', () => new LinearLR(opt)],
      ['OneCycleLR', () => new OneCycleLR(opt, { maxLr: 1, totalSteps: 10 })],
      ['ReduceLROnPlateau', () => new ReduceLROnPlateau(opt)],
      ['SequentialLR', () => new SequentialLR(opt, { schedulers: [warmup, decay], milestones: [2] })],
    ];
    for (const [name, create] of constructors) {
      const error = thrown(create);
      expect(error.constructor).toBe(Error);
      expect(error.message).toBe(disposedMessage(name));
    }
    expect(opt.paramGroups[0].lr).toBe(lr);
    p.dispose();
  });

  it('an adapter without a disposed property is scheduled as before', () => {
    let lr = 0.1;
    const adapter = { paramGroups: [{ get lr() { return lr; }, set lr(v: number) { lr = v; } }] };
    const scheduler = new StepLR(adapter, { stepSize: 1, gamma: 0.5 });
    scheduler.step();
    expect(lr).toBe(0.05);
  });
});
