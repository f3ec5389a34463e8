// Every optimizer class that gradstep exports is in every list that tests or measures optimizers:
// the configurations of the bit-identity, state-dict and memory tests, the reference fixtures
// (torch.optim, or Lion's reference implementation) and the benchmarks. Adding an optimizer and
// forgetting one of them fails here (HACKING.md, "Adding an optimizer", lists every file).
import { readdirSync, readFileSync } from 'node:fs';
import * as gradstep from 'gradstep';
import { describe, expect, it } from 'vitest';
import { BENCH_OPTIMIZERS } from '../bench/optimizers.mjs';
import { CONFIGS } from '../packages/gradstep/test/helpers.js';

const optimizerClasses = Object.entries(gradstep)
  .filter(([, value]) => typeof value === 'function' && value.prototype instanceof gradstep.Optimizer)
  .map(([name]) => name)
  .sort();

/** The class name of the optimizer each configuration makes. */
function classesMadeBy(makers: ((params: gradstep.Param[]) => gradstep.Optimizer<object>)[]): string[] {
  const names = makers.map((make) => {
    const opt = make([gradstep.param(4, { backend: 'js' })]);
    opt.dispose();
    return opt.constructor.name;
  });
  return [...new Set(names)].sort();
}

describe('optimizer coverage', () => {
  it('finds the optimizer classes gradstep exports', () => {
    expect(optimizerClasses).toEqual(expect.arrayContaining(['SGD', 'Adam', 'Lion']));
    expect(optimizerClasses.length).toBeGreaterThanOrEqual(10);
  });

  it('every optimizer is in the configurations of the bit-identity, state-dict and memory tests', () => {
    expect(classesMadeBy(CONFIGS.map(([, make]) => make))).toEqual(optimizerClasses);
  });

  it('every optimizer has reference fixtures', () => {
    const fixtures = new URL('./fixtures/', import.meta.url);
    const covered = readdirSync(fixtures)
      .filter((name) => /^torch-optim.*\.json$/.test(name))
      .flatMap((name) => (JSON.parse(readFileSync(new URL(name, fixtures), 'utf8')).cases as { optimizer: string }[]).map((c) => c.optimizer));
    expect([...new Set(covered)].sort()).toEqual(optimizerClasses);
  });

  it('every optimizer is benchmarked', () => {
    expect(classesMadeBy(Object.values(BENCH_OPTIMIZERS).map((b) => b.make))).toEqual(optimizerClasses);
  });
});
