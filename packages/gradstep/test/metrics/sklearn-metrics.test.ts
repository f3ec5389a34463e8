// The metrics against scikit-learn itself (test/fixtures/sklearn-metrics.json, written by
// test/fixtures/gen_sklearn_metrics.py): every value within 1e-12 relative (float64; 1e-6 for the
// Float32Array cases, which scikit-learn computes in float32), the same warnings (gradstep warns
// exactly when scikit-learn emits a UserWarning or UndefinedMetricWarning, as often), and an error
// wherever scikit-learn raises, of the class the case expects, naming the argument.
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as metrics from '../../src/metrics/index.js';
import { getScorer, scorerNames, type ScorerName } from '../../src/metrics/index.js';
import { setWarningHandler } from '../../src/model-selection/warnings.js';

type Json = number | string | boolean | null | Json[] | { [key: string]: Json };

interface MetricCase {
  name: string;
  fn: string;
  args: [Json[], Json[]];
  options?: Record<string, Json>;
  float32?: boolean;
  expected?: Json;
  warnings?: string[];
  expect?: 'TypeError' | 'RangeError';
  mentions?: string;
  error?: string;
  deliberate?: string;
  sklearn?: { value: Json; warnings: string[] };
  note?: string;
}

interface ScorerCase {
  name: ScorerName;
  sklearnName: string;
  greaterIsBetter: boolean;
  needs: 'predict' | 'proba' | 'decision';
  kwargs: Record<string, Json>;
  args: [Json[], Json[]];
  expected: number;
}

const fixture = JSON.parse(readFileSync(new URL('../../../../test/fixtures/sklearn-metrics.json', import.meta.url), 'utf8')) as {
  generator: string;
  sklearnVersion: string;
  cases: MetricCase[];
  scorers: ScorerCase[];
};

/** The fixture's spelling of non-finite numbers, back to numbers. */
function decode(value: Json): unknown {
  if (value === 'NaN') return NaN;
  if (value === 'Infinity') return Infinity;
  if (value === '-Infinity') return -Infinity;
  if (Array.isArray(value)) return value.map(decode);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decode(v)]));
  return value;
}

/** Equal within `tolerance` relative; NaN equals NaN, infinities must match exactly. */
function close(actual: number, expected: number, tolerance: number): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  if (!Number.isFinite(expected)) return actual === expected;
  return Math.abs(actual - expected) <= tolerance * Math.max(Math.abs(actual), Math.abs(expected));
}

function expectClose(actual: unknown, expected: unknown, tolerance: number, path: string): void {
  if (typeof expected === 'number') {
    expect(typeof actual, `${path}: a number`).toBe('number');
    expect(close(actual as number, expected, tolerance), `${path}: ${actual} vs scikit-learn's ${expected}`).toBe(true);
  } else if (Array.isArray(expected)) {
    const list = Array.from(actual as ArrayLike<unknown>);
    expect(list.length, `${path}: length`).toBe(expected.length);
    expected.forEach((e, i) => expectClose(list[i], e, tolerance, `${path}[${i}]`));
  } else if (expected !== null && typeof expected === 'object') {
    for (const [key, e] of Object.entries(expected)) expectClose((actual as Record<string, unknown>)[key], e, tolerance, `${path}.${key}`);
  } else {
    expect(actual, path).toBe(expected);
  }
}

function call(c: MetricCase): unknown {
  const fn = (metrics as unknown as Record<string, (a: unknown, b: unknown, o?: unknown) => unknown>)[c.fn];
  const [yTrue, second] = c.args.map(decode) as [unknown[], number[]];
  const other = c.float32 ? Float32Array.from(second) : second;
  return c.options === undefined ? fn(yTrue, other) : fn(yTrue, other, decode(c.options));
}

let received: string[] = [];
beforeEach(() => {
  received = [];
  setWarningHandler((message) => received.push(message));
});
afterEach(() => {
  setWarningHandler(undefined);
});

describe(`metrics against scikit-learn (${fixture.generator})`, () => {
  const values = fixture.cases.filter((c) => c.expect === undefined);
  const errors = fixture.cases.filter((c) => c.expect !== undefined);

  it('the fixture covers every metric, with warnings, errors and deliberate differences', () => {
    const fns = new Set(fixture.cases.map((c) => c.fn));
    for (const name of Object.keys(metrics)) {
      if (typeof (metrics as Record<string, unknown>)[name] === 'function' && !['getScorer', 'scorerNames'].includes(name)) {
        expect(fns, name).toContain(name);
      }
    }
    expect(values.length).toBeGreaterThan(250);
    expect(values.filter((c) => c.warnings!.length > 0).length).toBeGreaterThan(15);
    expect(errors.filter((c) => c.error !== undefined).length).toBeGreaterThan(50);
    expect(errors.filter((c) => c.deliberate !== undefined).length).toBe(3);
  });

  it.each(values.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const actual = call(c);
    const tolerance = c.float32 ? 1e-6 : 1e-12;
    let expected = decode(c.expected!);
    // scikit-learn returns a single NaN for r2 with one sample even for raw_values; gradstep one per output.
    if (c.note !== undefined && typeof expected === 'number') expected = Array.from(actual as Float64Array, () => expected);
    expectClose(actual, expected, tolerance, c.name);
    expect(received.length, `warnings: ours ${JSON.stringify(received)}, scikit-learn's ${JSON.stringify(c.warnings)}`).toBe(c.warnings!.length);
    for (const message of received) expect(message.startsWith(`${c.fn}: `), message).toBe(true);
  });

  it.each(errors.map((c) => [c.name, c] as const))('%s: an error', (_name, c) => {
    let thrown: unknown;
    try {
      call(c);
    } catch (error) {
      thrown = error;
    }
    const type = c.expect === 'TypeError' ? TypeError : RangeError;
    expect(thrown, `expected a ${c.expect}; scikit-learn: ${c.error ?? JSON.stringify(c.sklearn)}`).toBeInstanceOf(type);
    const message = (thrown as Error).message;
    expect(message.startsWith(`${c.fn}: `), message).toBe(true);
    expect(message, `scikit-learn: ${c.error}`).toContain(c.mentions!);
  });
});

describe('scorers against scikit-learn get_scorer', () => {
  it('one scorer per scikit-learn scorer in the fixture, and no other', () => {
    expect(scorerNames()).toEqual(fixture.scorers.map((s) => s.name));
  });

  it.each(fixture.scorers.map((s) => [s.name, s] as const))('%s', (name, s) => {
    setWarningHandler(() => {});
    const scorer = getScorer(name);
    expect(scorer.name).toBe(name);
    expect(scorer.greaterIsBetter).toBe(s.greaterIsBetter);
    expect(scorer.needs).toBe(s.needs);
    const [yTrue, y] = s.args.map(decode) as [number[], number[]];
    expect(close(scorer.score(yTrue, y), s.expected, 1e-12), `${scorer.score(yTrue, y)} vs ${s.expected}`).toBe(true);
  });
});
