// Argument checks: unknown and missing options, types, ranges, and the checks where gradstep is
// stricter than PyTorch (which accepts these and fails later, or silently misbehaves). Every error
// names the argument and the value, and a rejected constructor leaves the optimizer's lrs alone.
// (The arguments PyTorch itself rejects are in test/torch-schedulers.test.ts.)
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
} from '../../src/schedulers/index.js';

const twoGroups = (): SchedulableOptimizer => ({ paramGroups: [{ lr: 0.1, momentum: 0.9 }, { lr: 0.05, momentum: 0.9 }] });
/** An optimizer whose groups a test adds to after creating the scheduler. */
const growable = () => ({ paramGroups: [{ lr: 0.1, momentum: 0.9 }, { lr: 0.05, momentum: 0.9 }] as SchedulableGroup[] });

type Make = (opt: SchedulableOptimizer, options: unknown) => unknown;
const MAKERS: [string, Make, Record<string, unknown>][] = [
  ['StepLR', (o, x) => new StepLR(o, x as never), { stepSize: 2 }],
  ['MultiStepLR', (o, x) => new MultiStepLR(o, x as never), { milestones: [2] }],
  ['ExponentialLR', (o, x) => new ExponentialLR(o, x as never), { gamma: 0.9 }],
  ['CosineAnnealingLR', (o, x) => new CosineAnnealingLR(o, x as never), { tMax: 5 }],
  ['LinearLR', (o, x) => new LinearLR(o, x as never), {}],
  ['OneCycleLR', (o, x) => new OneCycleLR(o, x as never), { maxLr: 0.1, totalSteps: 10 }],
  ['ReduceLROnPlateau', (o, x) => new ReduceLROnPlateau(o, x as never), {}],
];

/** Expects `make` to throw `type` with a message matching each pattern, leaving the lrs untouched. */
function expectRejected(make: (opt: SchedulableOptimizer) => unknown, type: typeof TypeError | typeof RangeError, ...patterns: RegExp[]) {
  const opt = twoGroups();
  let error: unknown;
  try {
    make(opt);
  } catch (e) {
    error = e;
  }
  expect(error, 'no error thrown').toBeInstanceOf(type);
  for (const pattern of patterns) expect((error as Error).message).toMatch(pattern);
  expect(opt.paramGroups.map((g) => g.lr)).toEqual([0.1, 0.05]);
}

describe.each(MAKERS)('%s', (name, make, valid) => {
  it('accepts its valid options', () => {
    expect(() => make(twoGroups(), valid)).not.toThrow();
  });

  it('rejects unknown option names, listing the known ones', () => {
    expectRejected((o) => make(o, { ...valid, lastEpoch: 3 }), TypeError, new RegExp(`^${name}: unknown option "lastEpoch" \\(known: `));
  });

  it('rejects options that are not an object', () => {
    expectRejected((o) => make(o, 5), TypeError, new RegExp(`^${name}: options must be an object, got 5`));
  });

  it('rejects an optimizer without param groups', () => {
    for (const bad of [null, {}, { paramGroups: [] }]) {
      expect(() => make(bad as never, valid)).toThrow(new RegExp(`^${name}: optimizer(\\.paramGroups)? must be`));
    }
    expect(() => make({ paramGroups: [{ lr: 0.1 }, { lr: '0.1' }] } as never, valid)).toThrow(
      `${name}: optimizer.paramGroups[1].lr must be a finite number, got "0.1"`,
    );
  });
});

describe('required options', () => {
  it.each([
    ['StepLR', (o: SchedulableOptimizer) => new StepLR(o, {} as never), 'stepSize'],
    ['MultiStepLR', (o: SchedulableOptimizer) => new MultiStepLR(o, { gamma: 0.5 } as never), 'milestones'],
    ['ExponentialLR', (o: SchedulableOptimizer) => new ExponentialLR(o, undefined as never), 'gamma'],
    ['CosineAnnealingLR', (o: SchedulableOptimizer) => new CosineAnnealingLR(o, { etaMin: 0 } as never), 'tMax'],
    ['OneCycleLR', (o: SchedulableOptimizer) => new OneCycleLR(o, { totalSteps: 5 } as never), 'maxLr'],
    ['SequentialLR', (o: SchedulableOptimizer) => new SequentialLR(o, { milestones: [] } as never), 'schedulers'],
  ])('%s needs %s', (name, make, option) => {
    expectRejected(make, TypeError, new RegExp(`^${name}: option ${option} is required$`));
  });

  it('OneCycleLR needs totalSteps, or epochs and stepsPerEpoch', () => {
    expectRejected((o) => new OneCycleLR(o, { maxLr: 0.1, stepsPerEpoch: 5 }), TypeError, /give totalSteps, or epochs and stepsPerEpoch \(got totalSteps undefined, epochs undefined, stepsPerEpoch 5\)/);
  });

  it('OneCycleLR refuses epochs · stepsPerEpoch past 2^53 − 1 (the product would be rounded)', () => {
    expectRejected((o) => new OneCycleLR(o, { maxLr: 0.1, epochs: 2 ** 27, stepsPerEpoch: 2 ** 26 + 1 }), RangeError, /^OneCycleLR: epochs · stepsPerEpoch must be at most 2\^53 − 1, got 134217728 · 67108865$/);
    // The largest exact product is still a cycle.
    expect(new OneCycleLR(twoGroups(), { maxLr: 0.1, epochs: 2 ** 26, stepsPerEpoch: 2 ** 27 - 1 }).options.totalSteps).toBe(2 ** 53 - 2 ** 26);
  });
});

describe('values, named with the value in the message', () => {
  const cases: [string, (o: SchedulableOptimizer) => unknown, typeof TypeError | typeof RangeError, RegExp][] = [
    // Stricter than PyTorch, which fails on the first step (modulo by zero) or accepts them.
    ['StepLR stepSize 0', (o) => new StepLR(o, { stepSize: 0 }), RangeError, /^StepLR: stepSize must be an integer >= 1, got 0$/],
    ['StepLR stepSize 2.5', (o) => new StepLR(o, { stepSize: 2.5 }), RangeError, /stepSize must be an integer >= 1, got 2.5/],
    ['StepLR stepSize "3"', (o) => new StepLR(o, { stepSize: '3' as never }), TypeError, /stepSize must be an integer >= 1, got "3"/],
    ['StepLR gamma -0.5', (o) => new StepLR(o, { stepSize: 1, gamma: -0.5 }), RangeError, /^StepLR: gamma must be a finite number >= 0, got -0.5$/],
    ['StepLR gamma NaN', (o) => new StepLR(o, { stepSize: 1, gamma: NaN }), RangeError, /gamma must be a finite number >= 0, got NaN/],
    ['MultiStepLR decreasing milestones', (o) => new MultiStepLR(o, { milestones: [5, 3] }), RangeError, /milestones must be in non-decreasing order, got milestones\[0\] = 5 and milestones\[1\] = 3/],
    ['MultiStepLR negative milestone', (o) => new MultiStepLR(o, { milestones: [-1] }), RangeError, /milestones\[0\] must be an integer >= 0, got -1/],
    ['MultiStepLR milestones not an array', (o) => new MultiStepLR(o, { milestones: 5 as never }), TypeError, /milestones must be an array of integers, got 5/],
    ['ExponentialLR gamma Infinity', (o) => new ExponentialLR(o, { gamma: Infinity }), RangeError, /gamma must be a finite number >= 0, got Infinity/],
    ['CosineAnnealingLR tMax 0', (o) => new CosineAnnealingLR(o, { tMax: 0 }), RangeError, /tMax must be an integer >= 1, got 0/],
    ['CosineAnnealingLR etaMin NaN', (o) => new CosineAnnealingLR(o, { tMax: 3, etaMin: NaN }), RangeError, /etaMin must be a finite number, got NaN/],
    ['LinearLR totalIters 0', (o) => new LinearLR(o, { totalIters: 0 }), RangeError, /totalIters must be an integer >= 1, got 0/],
    ['LinearLR startFactor 0', (o) => new LinearLR(o, { startFactor: 0 }), RangeError, /startFactor must be a finite number > 0 and <= 1, got 0/],
    ['LinearLR endFactor 1.5', (o) => new LinearLR(o, { endFactor: 1.5 }), RangeError, /endFactor must be a finite number >= 0 and <= 1, got 1.5/],
    ['OneCycleLR totalSteps 0', (o) => new OneCycleLR(o, { maxLr: 1, totalSteps: 0 }), RangeError, /totalSteps must be an integer >= 1, got 0/],
    ['OneCycleLR pctStart 1.5', (o) => new OneCycleLR(o, { maxLr: 1, totalSteps: 9, pctStart: 1.5 }), RangeError, /pctStart must be a finite number >= 0 and <= 1, got 1.5/],
    ['OneCycleLR annealStrategy', (o) => new OneCycleLR(o, { maxLr: 1, totalSteps: 9, annealStrategy: 'exp' as never }), RangeError, /annealStrategy must be "cos" or "linear", got "exp"/],
    ['OneCycleLR maxLr per group', (o) => new OneCycleLR(o, { maxLr: [1, 2, 3], totalSteps: 9 }), RangeError, /maxLr must have one value per param group \(2\), got 3 values/],
    ['OneCycleLR maxLr[1] negative', (o) => new OneCycleLR(o, { maxLr: [1, -2], totalSteps: 9 }), RangeError, /maxLr\[1\] must be a finite number >= 0, got -2/],
    ['OneCycleLR divFactor 0', (o) => new OneCycleLR(o, { maxLr: 1, totalSteps: 9, divFactor: 0 }), RangeError, /divFactor must be a finite number > 0, got 0/],
    ['OneCycleLR cycleMomentum "yes"', (o) => new OneCycleLR(o, { maxLr: 1, totalSteps: 9, cycleMomentum: 'yes' as never }), TypeError, /cycleMomentum must be true or false, got "yes"/],
    ['OneCycleLR a phase of no length', (o) => new OneCycleLR(o, { maxLr: 1, totalSteps: 10, pctStart: 0.1 }), RangeError, /step 0 falls in a phase of no length .*pctStart 0.1 and totalSteps 10/],
    ['ReduceLROnPlateau factor 1', (o) => new ReduceLROnPlateau(o, { factor: 1 }), RangeError, /^ReduceLROnPlateau: factor must be a finite number >= 0 and < 1, got 1$/],
    ['ReduceLROnPlateau mode', (o) => new ReduceLROnPlateau(o, { mode: 'MIN' as never }), RangeError, /mode must be "min" or "max", got "MIN"/],
    ['ReduceLROnPlateau thresholdMode', (o) => new ReduceLROnPlateau(o, { thresholdMode: 1 as never }), TypeError, /thresholdMode must be "rel" or "abs", got 1/],
    ['ReduceLROnPlateau patience 1.5', (o) => new ReduceLROnPlateau(o, { patience: 1.5 }), RangeError, /patience must be an integer >= 0, got 1.5/],
    ['ReduceLROnPlateau cooldown -1', (o) => new ReduceLROnPlateau(o, { cooldown: -1 }), RangeError, /cooldown must be an integer >= 0, got -1/],
    ['ReduceLROnPlateau threshold -1', (o) => new ReduceLROnPlateau(o, { threshold: -1 }), RangeError, /threshold must be a finite number >= 0, got -1/],
    ['ReduceLROnPlateau minLr[1]', (o) => new ReduceLROnPlateau(o, { minLr: [0, -1] }), RangeError, /minLr\[1\] must be a finite number >= 0, got -1/],
    ['ReduceLROnPlateau minLr length', (o) => new ReduceLROnPlateau(o, { minLr: [0] }), RangeError, /minLr must have one value per param group \(2\), got 1 values/],
    ['ReduceLROnPlateau eps', (o) => new ReduceLROnPlateau(o, { eps: -1e-8 }), RangeError, /eps must be a finite number >= 0, got -1e-8/],
  ];
  it.each(cases)('%s', (_, make, type, pattern) => expectRejected(make, type, pattern));

  it('OneCycleLR says how to cycle no momentum', () => {
    const opt: SchedulableOptimizer = { paramGroups: [{ lr: 0.1 }] };
    expect(() => new OneCycleLR(opt, { maxLr: 1, totalSteps: 9 })).toThrow(
      'OneCycleLR: cycleMomentum needs every param group to have a momentum or betas, paramGroups[0] has momentum undefined (pass cycleMomentum: false)',
    );
    expect(() => new OneCycleLR(opt, { maxLr: 1, totalSteps: 9, cycleMomentum: false })).not.toThrow();
  });

  it('ReduceLROnPlateau.step needs a number', () => {
    const scheduler = new ReduceLROnPlateau(twoGroups());
    expect(() => scheduler.step('0.5' as never)).toThrow(new TypeError('ReduceLROnPlateau.step(metric): metric must be a number, got "0.5"'));
    expect(scheduler.lastEpoch).toBe(0);
  });
});

describe('SequentialLR', () => {
  const pair = (o: SchedulableOptimizer) => [new ExponentialLR(o, { gamma: 0.9 }), new StepLR(o, { stepSize: 3 })];

  it.each([
    ['schedulers not an array', (o: SchedulableOptimizer) => new SequentialLR(o, { schedulers: 3 as never, milestones: [] }), TypeError, /schedulers must be a non-empty array of schedulers, got 3/],
    ['no schedulers', (o: SchedulableOptimizer) => new SequentialLR(o, { schedulers: [], milestones: [] }), TypeError, /non-empty array/],
    ['ReduceLROnPlateau', (o: SchedulableOptimizer) => new SequentialLR(o, { schedulers: [pair(o)[0], new ReduceLROnPlateau(o) as never], milestones: [2] }), TypeError, /schedulers\[1\] must be a StepLR, .* or OneCycleLR, got an object \(ReduceLROnPlateau\)/],
    ['a SequentialLR inside', (o: SchedulableOptimizer) => new SequentialLR(o, { schedulers: [new SequentialLR(o, { schedulers: pair(o), milestones: [2] }) as never], milestones: [] }), TypeError, /schedulers\[0\] must be a StepLR, .* got an object \(SequentialLR\)/],
    ['another optimizer', (o: SchedulableOptimizer) => new SequentialLR(o, { schedulers: [pair(o)[0], new StepLR(twoGroups(), { stepSize: 2 })], milestones: [2] }), TypeError, /schedulers\[1\] belongs to another optimizer/],
    ['the same scheduler twice', (o: SchedulableOptimizer) => { const s = new StepLR(o, { stepSize: 2 }); return new SequentialLR(o, { schedulers: [s, s], milestones: [2] }); }, RangeError, /schedulers\[1\] is the same scheduler as schedulers\[0\]/],
    ['repeated milestones', (o: SchedulableOptimizer) => new SequentialLR(o, { schedulers: [...pair(o), new LinearLR(o)], milestones: [4, 4] }), RangeError, /milestones must be increasing, got milestones\[0\] = 4 and milestones\[1\] = 4/],
    ['too many milestones', (o: SchedulableOptimizer) => new SequentialLR(o, { schedulers: pair(o), milestones: [3, 6] }), RangeError, /milestones must have one fewer entry than schedulers \(2\), got 2/],
  ])('rejects %s', (_, make, type, pattern) => {
    // (The schedulers' own constructors change the lrs, so only the error is checked here.)
    const opt = twoGroups();
    expect(() => make(opt)).toThrow(type);
    expect(() => make(twoGroups())).toThrow(pattern);
  });
});

describe('param groups added or removed after construction', () => {
  it('make step() throw, naming both counts, and change nothing', () => {
    const opt = growable();
    const scheduler = new ExponentialLR(opt, { gamma: 0.5 });
    opt.paramGroups.push({ lr: 1 });
    expect(() => scheduler.step()).toThrow(new RangeError('ExponentialLR: the optimizer has 3 param groups, the scheduler was created for 2'));
    expect(opt.paramGroups.map((g) => g.lr)).toEqual([0.1, 0.05, 1]);
    expect(scheduler.lastEpoch).toBe(0);
  });

  it('ReduceLROnPlateau extends a single minLr to new groups, as PyTorch does, and rejects a per-group one', () => {
    const single = growable();
    const a = new ReduceLROnPlateau(single, { patience: 0, minLr: 0.04 });
    single.paramGroups.push({ lr: 1 });
    a.step(1);
    a.step(2);
    expect(single.paramGroups.map((g) => g.lr)).toEqual([0.04, 0.04, 0.1]);

    const perGroup = growable();
    const b = new ReduceLROnPlateau(perGroup, { patience: 0, minLr: [0, 0] });
    perGroup.paramGroups.push({ lr: 1 });
    b.step(1);
    expect(() => b.step(2)).toThrow(/the optimizer has 3 param groups, minLr has 2 values/);
  });
});
