// Checkpoints: a scheduler saved mid-schedule (with its optimizer's groups, as a checkpoint holds the
// optimizer's state dict too), sent through JSON, and loaded into a freshly created scheduler on a
// fresh optimizer continues exactly like the one that was never interrupted. Bad dicts throw and
// leave the scheduler as it was.
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
  type SchedulableGroup,
  type SchedulableOptimizer,
  type SchedulerStateDict,
} from '../../src/schedulers/index.js';

interface Steppable {
  step(metric?: number): void;
  getLastLr(): number[];
  readonly lastEpoch: number;
  stateDict(): SchedulerStateDict;
  loadStateDict(dict: SchedulerStateDict): void;
}

const sgd = (): SchedulableOptimizer => ({ paramGroups: [{ lr: 0.1, momentum: 0.9 }, { lr: 0.05, momentum: 0.9 }] });
const adam = (): SchedulableOptimizer => ({ paramGroups: [{ lr: 0.1, betas: [0.9, 0.999] }, { lr: 0.05, betas: [0.9, 0.999] }] });
const snapshot = (opt: SchedulableOptimizer) => JSON.parse(JSON.stringify(opt.paramGroups)) as SchedulableGroup[];
const metric = (k: number) => [1, 0.8, 0.8, 0.81, 0.79, 0.9, 0.9, 0.95, 0.6, 0.61][k % 10] + (k >= 10 ? 0.5 : 0);

const CASES: [string, () => SchedulableOptimizer, (opt: SchedulableOptimizer) => Steppable][] = [
  ['StepLR', sgd, (o) => new StepLR(o, { stepSize: 4, gamma: 0.5 })],
  ['MultiStepLR', sgd, (o) => new MultiStepLR(o, { milestones: [3, 11, 11, 17] })],
  ['ExponentialLR', sgd, (o) => new ExponentialLR(o, { gamma: 0.93 })],
  ['CosineAnnealingLR', sgd, (o) => new CosineAnnealingLR(o, { tMax: 7, etaMin: 0.001 })],
  ['LinearLR', sgd, (o) => new LinearLR(o, { startFactor: 0.1, totalIters: 12 })],
  ['OneCycleLR (momentum)', sgd, (o) => new OneCycleLR(o, { maxLr: [0.5, 0.2], totalSteps: 24, threePhase: true })],
  ['OneCycleLR (betas)', adam, (o) => new OneCycleLR(o, { maxLr: 0.5, totalSteps: 24, annealStrategy: 'linear' })],
  ['ReduceLROnPlateau', sgd, (o) => new ReduceLROnPlateau(o, { patience: 1, cooldown: 2, factor: 0.5, minLr: [0.01, 0] })],
  [
    'SequentialLR',
    sgd,
    (o) => {
      const warmup = new LinearLR(o, { startFactor: 0.2, totalIters: 4 });
      const cosine = new CosineAnnealingLR(o, { tMax: 6, etaMin: 0.002 });
      const decay = new ExponentialLR(o, { gamma: 0.8 });
      return new SequentialLR(o, { schedulers: [warmup, cosine, decay], milestones: [4, 14] });
    },
  ],
];

describe.each(CASES)('%s', (name, makeOptimizer, make) => {
  const TOTAL = 24;
  const step = (s: Steppable, k: number) => (s instanceof ReduceLROnPlateau ? s.step(metric(k)) : s.step());

  it.each([0, 1, 4, 9, 15])('saved after %i steps, through JSON, continues identically', (saveAt) => {
    const reference = makeOptimizer();
    const uninterrupted = make(reference);
    const expected: SchedulableGroup[][] = [];
    for (let k = 0; k < TOTAL; k++) {
      step(uninterrupted, k);
      expected.push(snapshot(reference));
    }

    const first = makeOptimizer();
    const interrupted = make(first);
    for (let k = 0; k < saveAt; k++) step(interrupted, k);
    const checkpoint = JSON.stringify({ groups: snapshot(first), scheduler: interrupted.stateDict() });

    const restored = JSON.parse(checkpoint) as { groups: SchedulableGroup[]; scheduler: SchedulerStateDict };
    const second = makeOptimizer();
    const resumed = make(second);
    second.paramGroups.forEach((group, i) => Object.assign(group, restored.groups[i])); // the optimizer's own checkpoint
    resumed.loadStateDict(restored.scheduler);
    expect(resumed.lastEpoch).toBe(interrupted.lastEpoch);
    expect(resumed.getLastLr()).toEqual(interrupted.getLastLr());
    expect(resumed.stateDict()).toEqual(interrupted.stateDict());
    for (let k = saveAt; k < TOTAL; k++) {
      step(resumed, k);
      expect(snapshot(second), `${name}, step ${k + 1}`).toEqual(expected[k]);
    }
  });

  it('survives structuredClone and shares no arrays with the scheduler', () => {
    const scheduler = make(makeOptimizer());
    step(scheduler, 0);
    const dict = scheduler.stateDict();
    expect(structuredClone(dict)).toEqual(dict);
    expect(JSON.parse(JSON.stringify(dict))).toEqual(dict);
    dict.lastLr[0] = 123;
    (dict.options as Record<string, unknown>).bogus = 1;
    expect(scheduler.getLastLr()[0]).not.toBe(123);
    expect(scheduler.stateDict().options).not.toHaveProperty('bogus');
  });

  it('rejects bad dicts, changing nothing', () => {
    const scheduler = make(makeOptimizer());
    step(scheduler, 0);
    const good = scheduler.stateDict();
    const bad: [string, unknown, RegExp][] = [
      ['not an object', 3, /dict must be a state dict, got 3/],
      ['another format', { ...good, format: 'gradstep.optimizer' }, /not a gradstep scheduler state dict/],
      ['another class', { ...good, scheduler: 'Nope' }, /the dict holds the state of "Nope", not of/],
      ['lastEpoch', { ...good, lastEpoch: 1.5 }, /dict.lastEpoch must be an integer >= -1, got 1.5/],
      ['lastLr length', { ...good, lastLr: [0.1] }, /dict.lastLr must be an array of 2 numbers \(one per param group\)/],
      ['lastLr value', { ...good, lastLr: [0.1, null] }, /dict.lastLr\[1\] must be a finite number, got null/],
      ['state', { ...good, state: null }, /dict.state must be an object/],
      ['unknown option', { ...good, options: { ...good.options, bogus: 1 } }, /unknown option "bogus"/],
    ];
    for (const [what, dict, pattern] of bad) {
      expect(() => scheduler.loadStateDict(dict as SchedulerStateDict), what).toThrow(pattern);
      expect(scheduler.stateDict(), what).toEqual(good);
    }
  });
});

describe('loading', () => {
  it('restores the options, as PyTorch load_state_dict restores every attribute', () => {
    const saved = new StepLR(sgd(), { stepSize: 3, gamma: 0.5 }).stateDict();
    const other = new StepLR(sgd(), { stepSize: 10 });
    other.loadStateDict(saved);
    expect(other.options).toEqual({ stepSize: 3, gamma: 0.5 });
  });

  it('checks restored options like the constructor', () => {
    const scheduler = new StepLR(sgd(), { stepSize: 3 });
    const dict = scheduler.stateDict();
    expect(() => scheduler.loadStateDict({ ...dict, options: { stepSize: 0, gamma: 0.1 } })).toThrow(/StepLR: stepSize must be an integer >= 1, got 0/);
    expect(() => scheduler.loadStateDict({ ...dict, state: { baseLrs: [0.1] } })).toThrow(/dict.state.baseLrs must be an array of 2 numbers/);
    expect(scheduler.options.stepSize).toBe(3);
  });

  it('into another class throws', () => {
    const dict = new StepLR(sgd(), { stepSize: 3 }).stateDict();
    expect(() => new ExponentialLR(sgd(), { gamma: 0.5 }).loadStateDict(dict)).toThrow(
      new TypeError('ExponentialLR.loadStateDict(dict): the dict holds the state of "StepLR", not of ExponentialLR'),
    );
  });

  it("keeps ReduceLROnPlateau's initial best (±Infinity) through JSON", () => {
    for (const mode of ['min', 'max'] as const) {
      const fresh = new ReduceLROnPlateau(sgd(), { mode });
      const dict = JSON.parse(JSON.stringify(fresh.stateDict())) as SchedulerStateDict;
      expect(dict.state.best).toBe(mode === 'min' ? 'Infinity' : '-Infinity');
      const other = new ReduceLROnPlateau(sgd(), { mode });
      other.step(mode === 'min' ? 5 : -5);
      other.loadStateDict(dict);
      expect(other.best).toBe(mode === 'min' ? Infinity : -Infinity);
      expect(() => other.loadStateDict({ ...dict, state: { ...dict.state, best: 'NaN' } })).toThrow(/dict.state.best must be a number, "Infinity" or "-Infinity", got "NaN"/);
    }
  });

  it('into a SequentialLR is all or nothing', () => {
    const make = () => {
      const o = sgd();
      return new SequentialLR(o, { schedulers: [new LinearLR(o), new ExponentialLR(o, { gamma: 0.9 })], milestones: [5] });
    };
    const source = make();
    for (let i = 0; i < 7; i++) source.step();
    const target = make();
    const before = target.stateDict();
    const dict = source.stateDict();
    const children = dict.state.schedulers as SchedulerStateDict[];
    const broken = { ...dict, state: { schedulers: [children[0], { ...children[1], scheduler: 'StepLR' }] } };
    expect(() => target.loadStateDict(broken)).toThrow(/the dict holds the state of "StepLR", not of ExponentialLR/);
    expect(target.stateDict()).toEqual(before);
    expect(() => target.loadStateDict({ ...dict, options: { milestones: [5, 6] } })).toThrow(/milestones must have one fewer entry than schedulers/);
    target.loadStateDict(dict);
    expect(target.stateDict()).toEqual(dict);
  });
});
