// Checkpoints: plain data that survives JSON and structuredClone, resumes bit-identically on either
// backend, and refuses states of another optimizer or of other shapes.
import { Adam, AdamW, init, NAdam, param, SGD, type Optimizer, type OptimizerStateDict, type Param } from 'gradstep';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONFIGS, firstBitDifference, MUTATION_TESTING, seeded } from './helpers.js';

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
    expect(() => target.loadStateDict(corrupt)).toThrow(/dict.state\[1\].buffers.expAvgSq is missing or not 3 float32 values \(base64 or a Float32Array\)/);
    const badOptions = structuredClone(saved);
    badOptions.groups[0].options.lr = -1;
    expect(() => target.loadStateDict(badOptions)).toThrow(/Adam: lr must be a finite number >= 0, got -1/);
    expect(() => target.loadStateDict({ ...saved, step: -2 })).toThrow(/dict.step must be an integer >= 0, got -2/);
    expect(() => target.loadStateDict({ format: 'torch' } as never)).toThrow(/not a gradstep optimizer state dict/);
    expect(() => target.loadStateDict(null as never)).toThrow(TypeError);
    expect(JSON.stringify(target.stateDict())).toBe(before);
  });
});

describe('loadStateDict: each malformed part named', () => {
  const where = 'Adam.loadStateDict(dict)';
  const setup = () => {
    const params = [param(seeded(1, 4)), param(seeded(2, 3))];
    const opt = new Adam(params, { amsgrad: true, lr: 0.01 });
    params.forEach((p, i) => p.grad.set(seeded(3 + i, p.length)));
    opt.step();
    const target = new Adam([param(4), param(3)]);
    target.params.forEach((p, i) => p.grad.set(seeded(7 + i, p.length)));
    target.step();
    return { saved: opt.stateDict(), target };
  };
  const withGroup = (saved: OptimizerStateDict, change: Record<string, unknown>) => ({ ...saved, groups: [{ ...saved.groups[0], ...change }] }) as OptimizerStateDict;

  it.each([
    ['null', () => null, new TypeError(`${where}: dict must be a state dict, got null`)],
    ['a number', () => 7, new TypeError(`${where}: dict must be a state dict, got 7`)],
    ['another format', (d: OptimizerStateDict) => ({ ...d, format: 'torch' }), new TypeError(`${where}: not a gradstep optimizer state dict (format "torch", version 1)`)],
    ['another version', (d: OptimizerStateDict) => ({ ...d, version: 2 }), new TypeError(`${where}: not a gradstep optimizer state dict (format "gradstep.optimizer", version 2)`)],
    ['a group with its params swapped', (d: OptimizerStateDict) => withGroup(d, { params: [1, 0] }), new RangeError(`${where}: dict.groups[0] holds params an array of length 2, this optimizer's group 0 has params [0, 1]`)],
    ['a group with a param missing', (d: OptimizerStateDict) => withGroup(d, { params: [0] }), new RangeError(`${where}: dict.groups[0] holds params an array of length 1, this optimizer's group 0 has params [0, 1]`)],
    ['a group with a param too many', (d: OptimizerStateDict) => withGroup(d, { params: [0, 1, 2] }), new RangeError(`${where}: dict.groups[0] holds params an array of length 3, this optimizer's group 0 has params [0, 1]`)],
    ['a group whose params are not an array', (d: OptimizerStateDict) => withGroup(d, { params: { 0: 0, 1: 1, length: 2 } }), new RangeError(`${where}: dict.groups[0] holds params an object (Object), this optimizer's group 0 has params [0, 1]`)],
    ['options that are an array', (d: OptimizerStateDict) => withGroup(d, { options: [] }), new TypeError(`${where}: dict.groups[0].options must be an object of options, got an array of length 0`)],
    ['options that are a Map', (d: OptimizerStateDict) => withGroup(d, { options: new Map() }), new TypeError(`${where}: dict.groups[0].options must be an object of options, got an object (Map)`)],
    ['options that are null', (d: OptimizerStateDict) => withGroup(d, { options: null }), new TypeError(`${where}: dict.groups[0].options must be an object of options, got null`)],
    ['options that are a number', (d: OptimizerStateDict) => withGroup(d, { options: 5 }), new TypeError(`${where}: dict.groups[0].options must be an object of options, got 5`)],
    ['a null param state', (d: OptimizerStateDict) => ({ ...d, state: [null, d.state[1]] }), new RangeError(`${where}: dict.state[0] is for a param of length undefined, params[0] has length 4`)],
  ] as const)('refuses %s with an error naming it, and stays unchanged', (_name, tamper, error) => {
    const { saved, target } = setup();
    const before = JSON.stringify(target.stateDict());
    expect(() => target.loadStateDict(tamper(structuredClone(saved)) as never)).toThrow(error);
    expect(JSON.stringify(target.stateDict())).toBe(before);
    expect(target.stepCount).toBe(1);
  });

  it('takes options from a null-prototype object (as a parser may make) and a dict of step 0', () => {
    const { saved, target } = setup();
    const options = Object.assign(Object.create(null) as object, saved.groups[0].options);
    target.loadStateDict(withGroup(saved, { options }));
    expect(target.paramGroups[0].lr).toBe(0.01);
    // An optimizer that never stepped saves step 0 and its options; loading it resets the count.
    const fresh = new Adam([param(4), param(3)], { lr: 0.2 });
    target.loadStateDict(fresh.stateDict());
    expect(target.stepCount).toBe(0);
    expect(target.paramGroups[0].lr).toBe(0.2);
    expect(target.paramGroups[0].amsgrad).toBe(false);
  });

  it("refuses NAdam's μ product given as a string (not coerced)", () => {
    const opt = new NAdam([param(3)]);
    opt.params[0].grad.set([1, 2, 3]);
    opt.step();
    const dict = opt.stateDict();
    const product = dict.groups[0].state![0];
    dict.groups[0].state = [String(product)] as never;
    expect(() => new NAdam([param(3)]).loadStateDict(dict)).toThrow(
      new TypeError(`NAdam.loadStateDict(dict): dict.groups[0].state must be 1 numbers from 0 to 1, got an array of length 1`),
    );
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

describe('NAdam without a saved μ product', () => {
  // Dicts written by stateDict() always hold Πμ; one without it is recomputed, in bounded time.
  type Options = { betas?: [number, number]; momentumDecay?: number };
  const withoutProduct = (step: number, options: Options = {}) => {
    const dict = new NAdam([param(2, { backend: 'js' })], options).stateDict();
    delete dict.groups[0].state;
    return { ...dict, step };
  };
  const productAfterLoading = (dict: OptimizerStateDict, options: Options = {}) => {
    const opt = new NAdam([param(2, { backend: 'js' })], options);
    opt.loadStateDict(dict);
    return opt.stateDict().groups[0].state![0];
  };

  it('recomputes it as the steps would have (the product PyTorch keeps)', () => {
    let product = 1;
    for (let t = 1; t <= 37; t++) product = Math.fround(product * Math.fround(0.9 * (1 - 0.5 * 0.96 ** (t * 0.004))));
    expect(productAfterLoading(withoutProduct(37))).toBe(product);
  });

  it('returns at once for any step count once the product has settled (it used to loop once per step)', () => {
    expect(productAfterLoading(withoutProduct(Number.MAX_SAFE_INTEGER))).toBe(0);
    expect(productAfterLoading(withoutProduct(1e15, { betas: [0.5, 0.9], momentumDecay: 0 }))).toBe(0);
    // Settled above 0: β1 = 1 − 2^-30 is 1 in float32, and with a large ψ every μ_t rounds to it, so
    // Πμ stays 1 (a product that no step changes, at μ's limit).
    const nearOne: Options = { betas: [1 - 2 ** -30, 0.999], momentumDecay: 1000 };
    expect(productAfterLoading(withoutProduct(1e15, nearOne), nearOne)).toBe(1);
  });

  it('recomputes up to its bound of 2^22 steps, the bound included', () => {
    const options: Options = { betas: [0.9999999, 0.999], momentumDecay: 100 };
    let product = 1;
    for (let t = 1; t <= 2 ** 22; t++) product = Math.fround(product * Math.fround(0.9999999 * (1 - 0.5 * 0.96 ** (t * 100))));
    expect(product).toBeGreaterThan(0);
    expect(productAfterLoading(withoutProduct(2 ** 22, options), options)).toBe(product);
  });

  it('refuses a step count it cannot recompute in bounded time, and changes nothing', () => {
    // μ_t ≈ β1 from the first steps (a large ψ), and β1 so close to 1 that Πμ shrinks by an ulp a step.
    const options: Options = { betas: [0.9999999, 0.999], momentumDecay: 100 };
    const opt = new NAdam([param([1, 2], { backend: 'js' })], { ...options, lr: 0.1 });
    opt.step();
    const before = JSON.stringify(opt.stateDict());
    const load = () => opt.loadStateDict(withoutProduct(1e12, options));
    expect(load).toThrow(RangeError);
    expect(load).toThrow(
      /^NAdam.loadStateDict\(dict\): the dict has no μ product \(groups\[\].state\) and step 1000000000000 is too many to recompute it \(at most 4194304 with betas\[0\] = 0.9999999\); save the dict with stateDict\(\), which records it$/,
    );
    expect(JSON.stringify(opt.stateDict())).toBe(before);
  });
});

describe('state buffer encodings', () => {
  const momentumDict = (values: ArrayLike<number>, backend: 'wasm' | 'js' = 'js') => {
    const p = param(values.length, { backend });
    const opt = new SGD([p], { momentum: 0.9 });
    p.grad.set(values);
    opt.step(); // the first step sets the momentum buffer to the gradient
    return opt;
  };

  it("writes base64 exactly as Node's Buffer does, at every padding length", () => {
    for (let n = 0; n <= 7; n++) {
      const values = seeded(70 + n, n);
      const buffer = momentumDict(values).stateDict().state[0].buffers.momentumBuffer;
      expect(buffer).toBe(Buffer.from(values.buffer).toString('base64'));
      const loaded = new SGD([param(n, { backend: 'js' })], { momentum: 0.9 });
      loaded.loadStateDict(momentumDict(values).stateDict());
      expect(loaded.stateDict().state[0].buffers.momentumBuffer).toBe(buffer);
    }
  });

  it('reads base64 strictly: padding only where the length calls for it, zero padding bits, only the alphabet', () => {
    const target = new SGD([param(2, { backend: 'js' })], { momentum: 0.9 });
    const valid = momentumDict([1.5, -2]).stateDict();
    const good = valid.state[0].buffers.momentumBuffer as string; // 8 bytes: 12 characters, one '='
    const before = JSON.stringify(target.stateDict());
    const tampered = (text: string) => {
      const dict = structuredClone(valid);
      dict.state[0].buffers.momentumBuffer = text;
      return () => target.loadStateDict(dict);
    };
    const refused = /dict.state\[0\].buffers.momentumBuffer is missing or not 2 float32 values/;
    expect(tampered('='.repeat(12))).toThrow(refused); // used to load as zeros
    expect(tampered(`${good.slice(0, 4)}=${good.slice(5)}`)).toThrow(refused);
    expect(tampered(`${good.slice(0, 10)}==`)).toThrow(refused);
    expect(tampered(`${good.slice(0, 10)}${String.fromCharCode(good.charCodeAt(10) + 1)}=`)).toThrow(refused); // a padding bit set
    expect(tampered(`${good.slice(0, 3)}é${good.slice(4)}`)).toThrow(refused);
    expect(tampered(`${good.slice(0, 3)}-${good.slice(4)}`)).toThrow(refused); // base64url is not this alphabet
    expect(JSON.stringify(target.stateDict())).toBe(before);
    expect(tampered(good)).not.toThrow();
  });

  it("'float32' gives Float32Array copies that survive structuredClone and load on the other backend", () => {
    const values = [1, NaN, -Infinity, 2.5e-42];
    const opt = momentumDict(values, 'wasm');
    const dict = opt.stateDict({ encoding: 'float32' });
    const buffer = dict.state[0].buffers.momentumBuffer as Float32Array;
    expect(buffer).toBeInstanceOf(Float32Array);
    expect(Array.from(new Uint32Array(buffer.buffer))).toEqual([0x3f800000, 0x7fc00000, 0xff800000, new Uint32Array(Float32Array.of(2.5e-42).buffer)[0]]);
    buffer[0] = 7; // a copy: the optimizer's state is untouched
    expect(opt.stateDict().state[0].buffers.momentumBuffer).toBe(momentumDict(values).stateDict().state[0].buffers.momentumBuffer);
    const loaded = new SGD([param(4, { backend: 'js' })], { momentum: 0.9 });
    loaded.loadStateDict(structuredClone(opt.stateDict({ encoding: 'float32' })));
    expect(loaded.stateDict()).toEqual(opt.stateDict());
    const short = opt.stateDict({ encoding: 'float32' });
    short.state[0].buffers.momentumBuffer = new Float32Array(3);
    expect(() => loaded.loadStateDict(short)).toThrow(/momentumBuffer is missing or not 4 float32 values/);
    expect(() => opt.stateDict({ encoding: 'hex' } as never)).toThrow(new RangeError("SGD.stateDict: encoding must be 'base64' or 'float32', got \"hex\""));
    expect(() => opt.stateDict({ encodng: 'float32' } as never)).toThrow(TypeError);
  });

  it.skipIf(MUTATION_TESTING)('saves and loads a 2^25-value buffer (128 MiB) in both encodings (it used to exhaust the heap)', () => {
    const n = 2 ** 25;
    const p = param(n);
    const opt = new SGD([p], { momentum: 0.9 });
    const grad = p.grad;
    for (let i = 0; i < n; i += 4099) grad[i] = i - n / 2;
    grad[n - 1] = NaN;
    opt.step();
    for (const encoding of ['base64', 'float32'] as const) {
      const dict = opt.stateDict({ encoding });
      const loaded = new SGD([param(n, { backend: 'js' })], { momentum: 0.9 });
      loaded.loadStateDict(dict);
      const copy = loaded.stateDict({ encoding: 'float32' }).state[0].buffers.momentumBuffer as Float32Array;
      expect(firstBitDifference(copy, p.grad)).toBe(-1);
      loaded.params[0].dispose();
      loaded.dispose();
    }
    opt.dispose();
    p.dispose();
  });

  it.skipIf(MUTATION_TESTING)('refuses base64 for a buffer beyond one string and names the way out', () => {
    const p = param(2 ** 26 + 1, { backend: 'js' });
    const opt = new SGD([p], { momentum: 0.9 });
    opt.step();
    expect(() => opt.stateDict()).toThrow(/state\[0\].buffers.momentumBuffer has 67108865 values, more than base64 holds in one string \(67108864\); use stateDict\(\{ encoding: 'float32' \}\)/);
  });
});
