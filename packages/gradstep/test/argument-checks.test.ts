// The argument checks every module shares (src/validate.ts): one rule for option objects (unknown
// names, and null values, which never select a default), integers and their messages, and sample
// counts with their capacity limit; seen through functions of every module, as users call them.
import {
  Adam,
  DecisionTreeRegressor,
  StepLR,
  bootstrap,
  gradientBoosting,
  kFold,
  makeMoons,
  makeSpirals,
  param,
  parseCsv,
  takeRows,
  timeSeriesSplit,
} from 'gradstep';
import { describe, expect, it } from 'vitest';
import { checkInteger, checkOptionNames, checkSampleCount } from '../src/validate.js';
import { expectError } from './expect-error.js';

describe('options: undefined selects the default, null is refused by name', () => {
  it('checkOptionNames refuses null values, unknown names and non-objects', () => {
    expect(checkOptionNames('f', undefined, ['a'])).toEqual({});
    expect(checkOptionNames('f', { a: undefined }, ['a'])).toEqual({ a: undefined });
    expectError(() => checkOptionNames('f', { a: null }, ['a']), TypeError, 'f: a must not be null (leave it undefined for the default), got null');
    expectError(() => checkOptionNames('f', { b: 1 }, ['a']), TypeError, 'f: unknown option "b" (known: a)');
    expectError(() => checkOptionNames('f', null, ['a']), TypeError, 'f: options must be an object, got null');
  });

  it('holds in every module (these used to take null as the default)', () => {
    const p = param(3, { backend: 'js' });
    const cases: [string, () => unknown][] = [
      ['Adam: lr', () => new Adam([p], { lr: null as never })],
      ['param: backend', () => param(3, { backend: null as never })],
      ['StepLR: gamma', () => new StepLR(new Adam([p]), { stepSize: 2, gamma: null as never })],
      ['kFold: k', () => kFold(10, { k: null as never })],
      ['bootstrap: seed', () => bootstrap(10, { seed: null as never })],
      ['takeRows: rowLength', () => takeRows([1, 2], [0], { rowLength: null as never })],
      ['DecisionTreeRegressor: maxDepth', () => new DecisionTreeRegressor({ maxDepth: null as never })],
      ['gradientBoosting: nEstimators', () => gradientBoosting({ X: [[0], [1]], y: [0, 1], nEstimators: null as never })],
      ['makeMoons: samples', () => makeMoons({ samples: null as never })],
      ['parseCsv: header', () => parseCsv('1,2\n3,4', { header: null as never })],
    ];
    for (const [where, call] of cases) {
      expectError(call, TypeError, `${where} must not be null (leave it undefined for the default), got null`);
    }
  });

  it('takeRows checks its option names too', () => {
    expectError(() => takeRows([1, 2], [0], { rowlength: 2 } as never), TypeError, 'takeRows: unknown option "rowlength" (known: rowLength)');
  });
});

describe('checkInteger', () => {
  it('states the range in both errors, and the reason for a RangeError', () => {
    expect(checkInteger('f', 'n', 3, 1)).toBe(3);
    expectError(() => checkInteger('f', 'n', '3', 1), TypeError, 'f: n must be an integer >= 1, got "3"');
    expectError(() => checkInteger('f', 'n', 0, 1), RangeError, 'f: n must be an integer >= 1, got 0');
    expectError(() => checkInteger('f', 'n', 33, 2, 32), RangeError, 'f: n must be an integer from 2 to 32, got 33');
    expectError(() => checkInteger('f', 'n', 1, 2, undefined, 'why'), RangeError, 'f: n must be an integer >= 2 (why), got 1');
    expectError(() => checkInteger('f', 'n', null, 2, undefined, 'why'), TypeError, 'f: n must be an integer >= 2, got null');
  });

  it('accepts safe integers only (a larger number is not a count it can step through)', () => {
    expect(checkInteger('f', 'n', Number.MAX_SAFE_INTEGER, 0)).toBe(Number.MAX_SAFE_INTEGER);
    for (const bad of [2 ** 53, Infinity, NaN, 1.5]) expect(() => checkInteger('f', 'n', bad, 0)).toThrow(RangeError);
  });

  it('writes large powers of two as such', () => {
    expectError(() => param(2 ** 30 + 1, { backend: 'js' }), RangeError, 'param: size must be an integer from 0 to 2^30, got 1073741825');
    expectError(() => makeSpirals({ classes: 33 }), RangeError, 'makeSpirals: classes must be an integer from 2 to 32, got 33');
  });
});

describe('checkSampleCount', () => {
  it('states the lower bound, and the capacity only for a count above it', () => {
    expectError(() => checkSampleCount('f', 'n', 0), RangeError, 'f: n must be an integer >= 1, got 0');
    expectError(() => kFold(2 ** 32), RangeError, 'kFold: n must be at most 2^32 - 1, got 4294967296');
    expectError(() => timeSeriesSplit(10, { gap: -1 }), RangeError, 'timeSeriesSplit: gap must be an integer >= 0, got -1');
    expectError(() => makeMoons({ samples: 1 }), RangeError, 'makeMoons: samples must be an integer >= 2, got 1');
    expectError(() => makeMoons({ samples: 2 ** 24 + 1 }), RangeError, 'makeMoons: samples must be at most 2^24, got 16777217');
    expectError(() => makeMoons({ samples: '10' as never }), TypeError, 'makeMoons: samples must be an integer >= 2, got "10"');
  });
});
