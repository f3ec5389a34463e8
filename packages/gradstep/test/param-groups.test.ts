// Parameter groups (PyTorch's param_groups): per-group options, changeable between steps, still one
// wasm call per step; a grouped optimizer computes exactly what separate optimizers would.
import { Adam, AdamW, memoryStats, init, param, RMSprop, SGD, type Optimizer, type Param } from 'gradstep';
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, firstBitDifference, seeded } from './helpers.js';

beforeAll(() => init());

function feed(params: Param[], t: number) {
  params.forEach((p, i) => p.grad.set(seeded(300 + 7 * t + i, p.length)));
}

describe.each(BACKENDS)('%s backend', (backend) => {
  const make = () => [param(seeded(1, 9), { backend }), param(seeded(2, 33), { backend }), param(seeded(3, 5), { backend })];

  it.each([
    ['Adam: lr, amsgrad and weight decay per group', (p: Param[]) => new Adam([{ params: [p[0], p[1]], lr: 0.01 }, { params: [p[2]], amsgrad: true, weightDecay: 0.1 }], { betas: [0.8, 0.99] }),
      (p: Param[]) => [new Adam([p[0], p[1]], { lr: 0.01, betas: [0.8, 0.99] }), new Adam([p[2]], { amsgrad: true, weightDecay: 0.1, betas: [0.8, 0.99] })]],
    ['SGD: momentum in one group only', (p: Param[]) => new SGD([{ params: [p[0]] }, { params: [p[1], p[2]], momentum: 0.9, nesterov: true }], { lr: 0.1 }),
      (p: Param[]) => [new SGD([p[0]], { lr: 0.1 }), new SGD([p[1], p[2]], { lr: 0.1, momentum: 0.9, nesterov: true })]],
    ['RMSprop: centered in one group', (p: Param[]) => new RMSprop([{ params: [p[2]], centered: true }, { params: [p[0], p[1]], alpha: 0.9 }]),
      (p: Param[]) => [new RMSprop([p[2]], { centered: true }), new RMSprop([p[0], p[1]], { alpha: 0.9 })]],
  ] as const)('%s gives the bits of separate optimizers, in one wasm call per step', (_name, grouped, separate) => {
    const a = make(), b = make();
    const one = grouped(a);
    const many = separate(b);
    const calls = memoryStats().wasmStepCalls;
    for (let t = 0; t < 6; t++) {
      feed(a, t);
      feed(b, t);
      one.step();
      many.forEach((o) => o.step());
    }
    if (backend === 'wasm') expect(memoryStats().wasmStepCalls - calls).toBe(6 + 6 * many.length);
    a.forEach((p, i) => expect(firstBitDifference(p.value, b[i].value)).toBe(-1));
    expect(one.params).toEqual(one.paramGroups.flatMap((g) => g.params));
  });

  it('lets group options change between steps, validated, as a scheduler does', () => {
    const [w, b] = make();
    const opt = new Adam([{ params: [w] }, { params: [b], lr: 0.1 }], { lr: 0.01 });
    expect(opt.paramGroups.map((g) => g.lr)).toEqual([0.01, 0.1]);
    expect(() => opt.lr).toThrow(/the parameter groups have different learning rates; read paramGroups\[i\].lr/);
    opt.paramGroups[1].lr = 0.05;
    opt.paramGroups[0].betas = [0.5, 0.9];
    expect(opt.paramGroups[1].lr).toBe(0.05);
    expect(opt.paramGroups[0].betas).toEqual([0.5, 0.9]);
    expect(() => (opt.paramGroups[1].lr = -1)).toThrow(new RangeError('Adam: lr must be a finite number >= 0, got -1'));
    expect(() => (opt.paramGroups[0].amsgrad = true)).toThrow(/paramGroups\[0\].amsgrad = true would change which state buffers exist/);
    opt.lr = 0.2;
    expect(opt.paramGroups.map((g) => g.lr)).toEqual([0.2, 0.2]);
    expect(opt.lr).toBe(0.2);
    expect(() => ((opt.paramGroups[0] as unknown as Record<string, number>).learningRate = 1)).toThrow(TypeError);
    // The change is used by the next step: same bits as an optimizer built with those options.
    const [w2, b2] = make();
    const reference = new Adam([{ params: [w2], betas: [0.5, 0.9] }, { params: [b2] }], { lr: 0.2 });
    feed([w, b], 0);
    feed([w2, b2], 0);
    opt.step();
    reference.step();
    expect(firstBitDifference(w.value, w2.value)).toBe(-1);
    expect(firstBitDifference(b.value, b2.value)).toBe(-1);
  });

  it('round-trips groups through a state dict', () => {
    const a = make();
    const opt = new SGD([{ params: [a[0]], lr: 0.3 }, { params: [a[1], a[2]], momentum: 0.5 }], { lr: 0.1 });
    feed(a, 0);
    opt.step();
    const saved = JSON.parse(JSON.stringify(opt.stateDict()));
    expect(saved.groups.map((g: { params: number[] }) => g.params)).toEqual([[0], [1, 2]]);
    const b = a.map((p) => param(p.value, { backend }));
    const resumed = new SGD([{ params: [b[0]] }, { params: [b[1], b[2]], momentum: 0.5 }]);
    resumed.loadStateDict(saved);
    expect(resumed.paramGroups[0].lr).toBe(0.3);
    for (const [params, o] of [[a, opt], [b, resumed]] as const) {
      feed(params as Param[], 1);
      o.step();
    }
    a.forEach((p, i) => expect(firstBitDifference(p.value, b[i].value)).toBe(-1));
    const regrouped = new SGD([{ params: b.map((p) => param(p.value, { backend })), momentum: 0.5 }]);
    expect(() => regrouped.loadStateDict(saved)).toThrow(/the dict has 2 parameter groups, this optimizer has 1/);
  });

  it('rejects malformed groups, naming them', () => {
    const [w, b] = make();
    expect(() => new Adam([{ params: [w] }, b] as never)).toThrow(/params\[1\] must be a parameter group \{ params, \.\.\.options \} like the others, got an object \(Param\)/);
    expect(() => new Adam([{ params: [] }])).toThrow(/params\[0\].params must be a non-empty array of params/);
    expect(() => new Adam([{ params: [w], lr: -2 }])).toThrow(/Adam: lr must be a finite number >= 0, got -2/);
    expect(() => new Adam([{ params: [w], lrr: 1 }] as never)).toThrow(/unknown option "lrr"/);
    expect(() => new Adam([{ params: [w] }, { params: [w] }])).toThrow(/params\[1\] \(param #\d+\) is given twice/);
  });
});

describe('group array options', () => {
  it('hands out betas frozen, so that changing an element throws instead of doing nothing', () => {
    const opt = new Adam([param(2, { backend: 'js' })]);
    expect(() => {
      (opt.paramGroups[0].betas as number[])[0] = 0.5;
    }).toThrow(TypeError);
    opt.paramGroups[0].betas = [0.5, 0.9];
    expect(opt.paramGroups[0].betas).toEqual([0.5, 0.9]);
  });
});

// Options that decide which state buffers exist cannot change after construction: assigning one
// throws a TypeError naming the group and the option, and the optimizer is left exactly as it was
// (options, state, and the bits of the next step).
describe.each(BACKENDS)('options fixed at construction, %s backend', (backend) => {
  type Ctor = new (groups: { params: Param[] }[], options: object) => Optimizer<object>;
  const CASES: [what: string, Ctor, options: object, option: string, value: unknown][] = [
    ['SGD momentum 0 to non-zero', SGD, { lr: 0.1 }, 'momentum', 0.9],
    ['SGD momentum non-zero to 0', SGD, { lr: 0.1, momentum: 0.9 }, 'momentum', 0],
    ['RMSprop momentum 0 to non-zero', RMSprop, {}, 'momentum', 0.5],
    ['RMSprop momentum non-zero to 0', RMSprop, { momentum: 0.5 }, 'momentum', 0],
    ['RMSprop centered false to true', RMSprop, {}, 'centered', true],
    ['RMSprop centered true to false', RMSprop, { centered: true, momentum: 0.3 }, 'centered', false],
    ['Adam amsgrad false to true', Adam, { lr: 0.01 }, 'amsgrad', true],
    ['Adam amsgrad true to false', Adam, { lr: 0.01, amsgrad: true }, 'amsgrad', false],
    ['AdamW amsgrad false to true', AdamW, { lr: 0.01 }, 'amsgrad', true],
  ];

  it.each(CASES)('%s throws, naming the option, and changes nothing', (what, Class, options, option, value) => {
    const a = [param(seeded(1, 9), { backend }), param(seeded(2, 4), { backend }), param(seeded(3, 5), { backend })];
    const b = a.map((p) => param(p.value, { backend }));
    const make = (p: Param[]) => new Class([{ params: [p[0]] }, { params: [p[1], p[2]] }], options);
    const opt = make(a);
    const untouched = make(b);
    for (const [params, o] of [[a, opt], [b, untouched]] as const) {
      feed(params as Param[], 0);
      o.step();
    }
    const groups = opt.paramGroups.map((g) => ({ ...g }));
    const state = JSON.stringify(opt.stateDict());
    let error: unknown;
    try {
      (opt.paramGroups[1] as unknown as Record<string, unknown>)[option] = value;
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe(
      `${what.split(' ')[0]}: paramGroups[1].${option} = ${value} would change which state buffers exist; create a new optimizer instead`,
    );
    expect(opt.paramGroups.map((g) => ({ ...g }))).toEqual(groups);
    expect(JSON.stringify(opt.stateDict())).toBe(state);
    // And it trains on exactly as the optimizer that was never touched.
    for (const [params, o] of [[a, opt], [b, untouched]] as const) {
      feed(params as Param[], 1);
      o.step();
    }
    a.forEach((p, i) => expect(firstBitDifference(p.value, b[i].value), `param ${i}`).toBe(-1));
  });

  it('lets momentum change between non-zero values (the buffer exists either way)', () => {
    const sgd = new SGD([param(3, { backend })], { momentum: 0.9 });
    sgd.paramGroups[0].momentum = 0.5;
    expect(sgd.paramGroups[0].momentum).toBe(0.5);
    const rmsprop = new RMSprop([param(3, { backend })], { momentum: 0.9, centered: true });
    rmsprop.paramGroups[0].momentum = 0.1;
    rmsprop.paramGroups[0].centered = true;
    expect(rmsprop.paramGroups[0].momentum).toBe(0.1);
  });
});
