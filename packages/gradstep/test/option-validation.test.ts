// Option checks of Adamax, NAdam, RAdam and Lion (api.test.ts checks SGD, Adagrad, Adadelta, RMSprop
// and Adam): every option with each kind of bad value gives the exact error class and message, in
// the constructor, in a parameter group, and when assigned to paramGroups[i] (which then keeps its
// value).
import { Adamax, Lion, NAdam, param, RAdam, type Optimizer, type Param } from 'gradstep';
import { describe, expect, it } from 'vitest';
import { expectError } from './expect-error.js';

type Make = (params: Param[] | { params: Param[] }[], options?: unknown) => Optimizer<object>;

const OPTIMIZERS: [string, Make, { numbers: string[]; booleans: string[] }][] = [
  ['Adamax', (p, o) => new Adamax(p as Param[], o as never), { numbers: ['lr', 'eps', 'weightDecay'], booleans: ['maximize'] }],
  ['NAdam', (p, o) => new NAdam(p as Param[], o as never), { numbers: ['lr', 'eps', 'weightDecay', 'momentumDecay'], booleans: ['decoupledWeightDecay', 'maximize'] }],
  ['RAdam', (p, o) => new RAdam(p as Param[], o as never), { numbers: ['lr', 'eps', 'weightDecay'], booleans: ['decoupledWeightDecay', 'maximize'] }],
  ['Lion', (p, o) => new Lion(p as Param[], o as never), { numbers: ['lr', 'weightDecay'], booleans: ['maximize'] }],
];

const KNOWN: Record<string, string> = {
  Adamax: 'lr, betas, eps, weightDecay, maximize',
  NAdam: 'lr, betas, eps, weightDecay, momentumDecay, decoupledWeightDecay, maximize',
  RAdam: 'lr, betas, eps, weightDecay, decoupledWeightDecay, maximize',
  Lion: 'lr, betas, weightDecay, maximize',
};

type Bad = [option: string, value: unknown, type: typeof TypeError | typeof RangeError, message: string];

/** Every bad value of every option of `name`, with the error it must give. */
function badValues(name: string, numbers: string[], booleans: string[]): Bad[] {
  const nullMessage = (o: string) => `${name}: ${o} must not be null (leave it undefined for the default), got null`;
  return [
    ...numbers.flatMap((o): Bad[] => [
      [o, -1, RangeError, `${name}: ${o} must be a finite number >= 0, got -1`],
      [o, -1e-300, RangeError, `${name}: ${o} must be a finite number >= 0, got -1e-300`],
      [o, NaN, RangeError, `${name}: ${o} must be a finite number >= 0, got NaN`],
      [o, Infinity, RangeError, `${name}: ${o} must be a finite number >= 0, got Infinity`],
      [o, '0.1', TypeError, `${name}: ${o} must be a number, got "0.1"`],
      [o, true, TypeError, `${name}: ${o} must be a number, got true`],
      [o, null, TypeError, nullMessage(o)],
    ]),
    ['betas', [0.9, 1], RangeError, `${name}: betas[1] must be a finite number >= 0 and < 1, got 1`],
    ['betas', [1, 0.9], RangeError, `${name}: betas[0] must be a finite number >= 0 and < 1, got 1`],
    ['betas', [-0.1, 0.9], RangeError, `${name}: betas[0] must be a finite number >= 0 and < 1, got -0.1`],
    ['betas', [0.9, NaN], RangeError, `${name}: betas[1] must be a finite number >= 0 and < 1, got NaN`],
    ['betas', [0.9, '0.99'], TypeError, `${name}: betas[1] must be a number, got "0.99"`],
    ['betas', 0.9, TypeError, `${name}: betas must be an array of two numbers, got 0.9`],
    ['betas', [0.9], TypeError, `${name}: betas must be an array of two numbers, got an array of length 1`],
    ['betas', [0.9, 0.99, 0.999], TypeError, `${name}: betas must be an array of two numbers, got an array of length 3`],
    ['betas', null, TypeError, nullMessage('betas')],
    ...booleans.flatMap((o): Bad[] => [
      [o, 1, TypeError, `${name}: ${o} must be true or false, got 1`],
      [o, 'true', TypeError, `${name}: ${o} must be true or false, got "true"`],
      [o, null, TypeError, nullMessage(o)],
    ]),
  ];
}

describe.each(OPTIMIZERS)('%s options', (name, make, { numbers, booleans }) => {
  const params = () => [param(3, { backend: 'js' })];

  it.each(badValues(name, numbers, booleans).map(([o, v, type, message]) => [`${o}: ${Array.isArray(v) ? `[${v.map(String)}]` : String(v)}`, o, v, type, message] as const))(
    'refuses %s in the constructor and in a parameter group',
    (_what, option, value, type, message) => {
      expectError(() => make(params(), { [option]: value }), type, message);
      expectError(() => make([{ params: params() }, { params: params(), [option]: value }]), type, message);
    },
  );

  it.each(badValues(name, numbers, booleans).map(([o, v, type, message]) => [`${o}: ${Array.isArray(v) ? `[${v.map(String)}]` : String(v)}`, o, v, type, message] as const))(
    'refuses paramGroups[i].%s and keeps the value',
    (_what, option, value, type, message) => {
      const opt = make([{ params: params() }, { params: params() }]);
      const before = opt.paramGroups.map((g) => ({ ...g }));
      expectError(() => ((opt.paramGroups[1] as unknown as Record<string, unknown>)[option] = value), type, message);
      expect(opt.paramGroups.map((g) => ({ ...g }))).toEqual(before);
    },
  );

  it('refuses unknown names (listing the known ones) and options that are not an object', () => {
    expectError(() => make(params(), { learningRate: 0.1 }), TypeError, `${name}: unknown option "learningRate" (known: ${KNOWN[name]})`);
    expectError(() => make(params(), 5), TypeError, `${name}: options must be an object, got 5`);
    expectError(() => make(params(), [0.1]), TypeError, `${name}: options must be an object, got an array of length 1`);
    if (name === 'Lion') expectError(() => make(params(), { eps: 1e-8 }), TypeError, `Lion: unknown option "eps" (known: ${KNOWN.Lion})`);
  });

  it('accepts the edges of every range', () => {
    const edges = { ...Object.fromEntries(numbers.map((o) => [o, 0])), betas: [0, 0.999999], ...Object.fromEntries(booleans.map((o) => [o, true])) };
    expect(make(params(), edges).options).toEqual(expect.objectContaining(edges));
  });
});
