// Checkpoints: plain data that survives JSON and structuredClone, resumes bit-identically on either
// backend, and refuses states of another optimizer or of other shapes.
import { Adam, AdamW, init, NAdam, param, SGD, type Optimizer, type OptimizerStateDict, type Param } from 'gradstep';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONFIGS, firstBitDifference, seeded } from './helpers.js';

beforeAll(() => init());

const LENGTHS = [5, 33];

function feed(params: Param[], from: number, to: number, opt: Optimizer<object>) {
  for (let t = from; t < to; t++) {
    params.forEach((p, i) => p.grad.set(seeded(500 + t * 3 + i, p.length)));
    opt.step();
  }
}

describe.each(CONFIGS)('%s', (_name, make) => {
  it.each([
    ['wasm', 'js', 'JSON'],
    ['js', 'wasm', 'structuredClone'],
    ['wasm', 'wasm', 'JSON'],
  ] as const)('saved on %s, resumed on %s after %s: same bits as an uninterrupted run', (saveOn, resumeOn, how) => {
    const straight = LENGTHS.map((n, i) => param(seeded(i, n), { backend: 'js' }));
    const straightOpt = make(straight);
    feed(straight, 0, 8, straightOpt);

    const first = LENGTHS.map((n, i) => param(seeded(i, n), { backend: saveOn }));
    const firstOpt = make(first);
    feed(first, 0, 4, firstOpt);
    const saved = firstOpt.stateDict();
    const copy: OptimizerStateDict = how === 'JSON' ? JSON.parse(JSON.stringify(saved)) : structuredClone(saved);

    const second = first.map((p) => param(p.value, { backend: resumeOn }));
    const secondOpt = make(second);
    secondOpt.loadStateDict(copy);
    expect(secondOpt.stepCount).toBe(4);
    feed(second, 4, 8, secondOpt);
    second.forEach((p, i) => expect(firstBitDifference(p.value, straight[i].value)).toBe(-1));
  });
});

describe('loadStateDict checks', () => {
  const setup = () => {
    const params = [param(seeded(1, 4)), param(seeded(2, 3))];
    const opt = new Adam(params, { amsgrad: true });
    params.forEach((p, i) => p.grad.set(seeded(3 + i, p.length)));
    opt.step();
    return { params, opt, saved: opt.stateDict() };
  };

  it('is plain data with the PyTorch state names', () => {
    const { saved } = setup();
    expect(saved.format).toBe('gradstep.optimizer');
    expect(saved.optimizer).toBe('Adam');
    expect(saved.step).toBe(1);
    expect(saved.groups).toEqual([{ options: expect.objectContaining({ amsgrad: true, betas: [0.9, 0.999] }), params: [0, 1] }]);
    expect(Object.keys(saved.state[0].buffers)).toEqual(['expAvg', 'expAvgSq', 'maxExpAvgSq']);
    expect(saved.state.map((s) => s.length)).toEqual([4, 3]);
  });

  it('keeps NaN and Infinity in the state through JSON', () => {
    const p = param([1, 2]);
    const opt = new SGD([p], { momentum: 0.9 });
    p.grad.set([NaN, Infinity]);
    opt.step();
    const restored = new SGD([param([0, 0])], { momentum: 0.9 });
    restored.loadStateDict(JSON.parse(JSON.stringify(opt.stateDict())));
    const buffer = restored.stateDict().state[0].buffers.momentumBuffer;
    expect(buffer).toBe(opt.stateDict().state[0].buffers.momentumBuffer);
  });

  it('restores the saved options, as PyTorch restores param_groups', () => {
    const { params, saved } = setup();
    const other = new Adam(params.map((p) => param(p.value)), { lr: 0.5 });
    other.loadStateDict(saved);
    expect(other.paramGroups[0].lr).toBe(1e-3);
    expect(other.paramGroups[0].amsgrad).toBe(true);
  });

  it('refuses another optimizer, other lengths, other counts and corrupted buffers, and stays unchanged', () => {
    const { params, saved } = setup();
    const target = new Adam(params.map((p) => param(p.value)));
    const before = JSON.stringify(target.stateDict());
    const fresh = params.map((p) => param(p.value));
    expect(() => new AdamW(fresh).loadStateDict(saved)).toThrow(/the dict holds the state of "Adam", not of AdamW/);
    expect(() => new Adam([param(4), param(4)]).loadStateDict(saved)).toThrow(
      new RangeError('Adam.loadStateDict(dict): dict.state[1] is for a param of length 3, params[1] has length 4'),
    );
    expect(() => new Adam([param(4)]).loadStateDict(saved)).toThrow(/the dict has state for 2 params, this optimizer has 1/);
    const corrupt = structuredClone(saved);
    corrupt.state[1].buffers.expAvgSq = 'AAAA';
    expect(() => target.loadStateDict(corrupt)).toThrow(/dict.state\[1\].buffers.expAvgSq is missing or not 3 float32 values in base64/);
    const badOptions = structuredClone(saved);
    badOptions.groups[0].options.lr = -1;
    expect(() => target.loadStateDict(badOptions)).toThrow(/Adam: lr must be a finite number >= 0, got -1/);
    expect(() => target.loadStateDict({ ...saved, step: -2 })).toThrow(/dict.step must be an integer >= 0, got -2/);
    expect(() => target.loadStateDict({ format: 'torch' } as never)).toThrow(/not a gradstep optimizer state dict/);
    expect(() => target.loadStateDict(null as never)).toThrow(TypeError);
    expect(JSON.stringify(target.stateDict())).toBe(before);
  });
});

describe('NAdam keeps its μ product as state', () => {
  it('advances Πμ with each step’s β1 (as PyTorch under a momentum schedule) and saves it', () => {
    const run = (resumeAt: number | null) => {
      let p = param(seeded(9, 6), { backend: 'js' });
      let opt = new NAdam([p], { lr: 0.01 });
      for (let t = 0; t < 10; t++) {
        if (t === 4) opt.paramGroups[0].betas = [0.5, 0.999]; // a change mid-run, e.g. by OneCycleLR
        if (t === resumeAt) {
          const saved = JSON.parse(JSON.stringify(opt.stateDict()));
          expect(saved.groups[0].state).toHaveLength(1);
          p = param(p.value, { backend: 'wasm' });
          opt = new NAdam([p]);
          opt.loadStateDict(saved);
        }
        p.grad.set(seeded(40 + t, 6));
        opt.step();
      }
      return p.value.slice();
    };
    const straight = run(null);
    expect(firstBitDifference(run(7), straight)).toBe(-1);
    // Reference: PyTorch's recursion, Πμ ← f32(Πμ · f32(μ_t)) with μ_t from the β1 of step t.
    const mu = (beta1: number, t: number) => beta1 * (1 - 0.5 * 0.96 ** (t * 0.004));
    let product = 1;
    for (let t = 1; t <= 10; t++) product = Math.fround(product * Math.fround(mu(t <= 4 ? 0.9 : 0.5, t)));
    const probe = new NAdam([param(1, { backend: 'js' })], { lr: 0.01 });
    for (let t = 1; t <= 10; t++) {
      if (t === 5) probe.paramGroups[0].betas = [0.5, 0.999];
      probe.step();
    }
    expect(probe.stateDict().groups[0].state).toEqual([product]);
  });

  it('writes every NaN of a state buffer as the same bits, whichever backend produced it', () => {
    const dicts = (['wasm', 'js'] as const).map((backend) => {
      const p = param([1, 2, 3, 4], { backend });
      const opt = new SGD([p], { lr: 0.1, momentum: 0.9, maximize: true });
      p.grad.set([NaN, NaN, 1, NaN]);
      opt.step();
      return JSON.stringify(opt.stateDict());
    });
    expect(dicts[0]).toBe(dicts[1]);
  });
});
