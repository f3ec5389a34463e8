// The public API on both backends: params, views, zeroGrad, option and argument checks, disposal.
// What needs the built files themselves (a child process, the CommonJS build) is in api-dist.test.ts,
// so that mutation testing (vitest.mutate.config.ts, which resolves 'gradstep' to src/) runs this file.
import { Adadelta, Adagrad, Adam, AdamW, init, memoryStats, param, Param, RMSprop, SGD, getBackend, setBackend, bandwidthProbe } from 'gradstep';
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, seeded } from './helpers.js';

beforeAll(() => init());

describe.each(BACKENDS)('%s backend', (backend) => {
  it('param(values) copies the values, rounded to float32, and leaves the input untouched', () => {
    const input = new Float64Array([0.1, -2, 3.5]);
    const p = param(input, { backend });
    expect(Array.from(p.value)).toEqual([Math.fround(0.1), -2, 3.5]);
    p.value[0] = 9;
    expect(input[0]).toBe(0.1);
    expect(Array.from(p.grad)).toEqual([0, 0, 0]);
    expect(p.backend).toBe(backend);
    expect(Array.from(param([1, 2], { backend }).value)).toEqual([1, 2]);
  });

  it('param(size) gives zeros, including size 0', () => {
    expect(Array.from(param(4, { backend }).value)).toEqual([0, 0, 0, 0]);
    expect(param(0, { backend }).value.length).toBe(0);
  });

  it('.value and .grad are live views: writes are seen by the optimizer and step() updates them in place', () => {
    const p = param([1, 2, 3], { backend });
    const opt = new SGD([p], { lr: 0.5 });
    p.grad.set([2, 0, -2]);
    const view = p.value;
    opt.step();
    expect(Array.from(view)).toEqual([0, 2, 4]);
    expect(opt.stepCount).toBe(1);
  });

  it('zeroGrad() zeroes every gradient', () => {
    const a = param(3, { backend }), b = param(2, { backend });
    a.grad.set([1, 2, 3]);
    b.grad.set([4, 5]);
    new Adam([a, b]).zeroGrad();
    expect([...a.grad, ...b.grad]).toEqual([0, 0, 0, 0, 0]);
  });

  it('has PyTorch defaults', () => {
    const p = [param(1, { backend })];
    expect(new SGD(p).options).toEqual({ lr: 1e-3, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, maximize: false });
    expect(new Adagrad(p).options).toEqual({ lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false });
    expect(new Adadelta(p).options).toEqual({ lr: 1, rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: false });
    expect(new RMSprop(p).options).toEqual({ lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false });
    const adam = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false, epsHat: false };
    expect(new Adam(p).options).toEqual(adam);
    expect(new AdamW(p).options).toEqual({ ...adam, weightDecay: 1e-2 });
    expect(new Adam(p, { epsHat: true }).options.eps).toBe(1e-7);
  });

  it('opt.lr can change between steps, and is validated', () => {
    const p = param([1], { backend });
    const opt = new SGD(p ? [p] : [], { lr: 1 });
    p.grad.set([1]);
    opt.step();
    opt.lr = 0.5;
    opt.step();
    expect(p.value[0]).toBe(-0.5);
    expect(() => (opt.lr = -1)).toThrow(new RangeError('SGD: lr must be a finite number >= 0, got -1'));
  });

  it('rejects bad options with errors naming the option and the value', () => {
    const p = [param(2, { backend })];
    expect(() => new Adam(p, { lr: -0.1 })).toThrow(new RangeError('Adam: lr must be a finite number >= 0, got -0.1'));
    expect(() => new Adam(p, { eps: -1 })).toThrow(RangeError);
    expect(() => new Adam(p, { betas: [0.9, 1] })).toThrow(new RangeError('Adam: betas[1] must be a finite number >= 0 and < 1, got 1'));
    expect(() => new Adam(p, { betas: [-0.1, 0.9] })).toThrow(/betas\[0\].*-0\.1/);
    expect(() => new Adam(p, { betas: 0.9 as never })).toThrow(new TypeError('Adam: betas must be an array of two numbers, got 0.9'));
    expect(() => new Adam(p, { lr: '0.1' as never })).toThrow(new TypeError('Adam: lr must be a number, got "0.1"'));
    expect(() => new Adam(p, { lr: NaN })).toThrow(/lr must be a finite number >= 0, got NaN/);
    expect(() => new Adam(p, { amsgrad: 1 as never })).toThrow(new TypeError('Adam: amsgrad must be true or false, got 1'));
    expect(() => new Adam(p, { learningRate: 0.1 } as never)).toThrow(/Adam: unknown option "learningRate"/);
    expect(() => new Adam(p, 5 as never)).toThrow(new TypeError('Adam: options must be an object, got 5'));
    expect(() => new SGD(p, { nesterov: true })).toThrow(/nesterov requires momentum > 0 and dampening 0, got momentum 0/);
    expect(() => new SGD(p, { nesterov: true, momentum: 0.9, dampening: 0.1 })).toThrow(/dampening 0.1/);
    expect(() => new SGD(p, { momentum: -0.5 })).toThrow(/momentum must be a finite number >= 0, got -0.5/);
    expect(() => new SGD(p, { weightDecay: -1 })).toThrow(/weightDecay/);
    expect(() => new Adagrad(p, { lrDecay: -1 })).toThrow(/lrDecay/);
    expect(() => new Adagrad(p, { initialAccumulatorValue: -1 })).toThrow(/initialAccumulatorValue/);
    expect(() => new Adadelta(p, { rho: 1.5 })).toThrow(/rho must be a finite number >= 0 and <= 1, got 1.5/);
    expect(() => new RMSprop(p, { alpha: -1 })).toThrow(/alpha/);
  });

  it('rejects bad params lists', () => {
    const a = param(2, { backend });
    expect(() => new Adam(a as never)).toThrow(/Adam: params must be an array of params or of parameter groups, got an object \(Param\)/);
    expect(() => new Adam([])).toThrow(new RangeError('Adam: params is an empty array (an optimizer needs at least one param)'));
    expect(() => new Adam([a, a])).toThrow(/Adam: params\[1\] \(param #\d+\) is given twice/);
    expect(() => new Adam([a, new Float32Array(2)] as never)).toThrow(/params\[1\] must be a Param \(from param\(\)\), got a Float32Array/);
    const other = param(2, { backend: backend === 'wasm' ? 'js' : 'wasm' });
    expect(() => new Adam([a, other])).toThrow(/params\[1\] is on the .* backend but params\[0\] is on/);
  });

  it('rejects bad param() arguments', () => {
    expect(() => param(-1, { backend })).toThrow(new RangeError('param: size must be an integer from 0 to 2^30, got -1'));
    expect(() => param(1.5, { backend })).toThrow(RangeError);
    expect(() => param('3' as never, { backend })).toThrow(/param: init must be a size or an array of numbers, got "3"/);
    expect(() => param([1, 'a'] as never, { backend })).toThrow(new TypeError('param: init[1] must be a number, got "a"'));
    expect(() => param(2, { backend: 'gpu' as never })).toThrow(/must be 'wasm' or 'js', got "gpu"/);
    expect(() => param(2, { device: 'cpu' } as never)).toThrow(/param: unknown option "device"/);
  });

  it('throws clear errors after dispose, and dispose is idempotent', () => {
    const p = param(3, { backend });
    const opt = new RMSprop([p]);
    opt.dispose();
    opt.dispose();
    expect(opt.disposed).toBe(true);
    expect(() => opt.step()).toThrow('gradstep: this RMSprop optimizer was disposed');
    expect(() => opt.stateDict()).toThrow(/disposed/);
    const q = param(3, { backend });
    const opt2 = new SGD([q]);
    q.dispose();
    q.dispose();
    expect(() => q.value).toThrow(/gradstep: param #\d+ \(length 3\) was disposed/);
    expect(() => q.grad).toThrow(/was disposed/);
    expect(() => opt2.step()).toThrow(/SGD.step\(\): param #\d+ was disposed/);
    expect(() => new SGD([q])).toThrow(/params\[0\] \(param #\d+\) was disposed/);
  });

  it('bandwidthProbe computes a += scalar·b in float32 (the benchmarks\' roofline)', () => {
    const a = seeded(1, 37), b = seeded(2, 37);
    const [pa, pb] = [param(a, { backend }), param(b, { backend })];
    bandwidthProbe(pa, pb, 1.5);
    expect(Array.from(pa.value)).toEqual(Array.from(a, (x, i) => Math.fround(x + Math.fround(1.5 * b[i]))));
    expect(() => bandwidthProbe(pa, param(3, { backend }), 1)).toThrow(/bandwidthProbe: a and b must share a backend and a length/);
  });

  it('bandwidthProbe refuses one param as both a and b, and non-params, alike on both backends', () => {
    const p = param(seeded(3, 9), { backend });
    const before = p.value.slice();
    expect(() => bandwidthProbe(p, p, 2)).toThrow(new RangeError(`bandwidthProbe: a and b must be two different params, got param #${p.id} for both`));
    expect(Array.from(p.value)).toEqual(Array.from(before));
    expect(() => bandwidthProbe(null as never, p, 1)).toThrow(new TypeError('bandwidthProbe: a must be a Param (from param()), got null'));
    expect(() => bandwidthProbe(p, undefined as never, 1)).toThrow(new TypeError('bandwidthProbe: b must be a Param (from param()), got undefined'));
  });

  it('supports `using` through Symbol.dispose', () => {
    const p = param(1, { backend });
    const opt = new SGD([p]);
    const dispose = Symbol.dispose ?? Symbol.for('Symbol.dispose');
    (opt as unknown as Record<symbol, () => void>)[dispose]();
    expect(opt.disposed).toBe(true);
    expect(p.disposed).toBe(false);
    (p as unknown as Record<symbol, () => void>)[dispose]();
    expect(p.disposed).toBe(true);
  });

  it('tells a list of params from a list of groups, and refuses a mix or a null', () => {
    const a = param(2, { backend }), b = param(2, { backend });
    expect(() => new Adam([a, null] as never)).toThrow(new TypeError('Adam: params[1] must be a Param (from param()), got null'));
    expect(() => new Adam([a, 3] as never)).toThrow(new TypeError('Adam: params[1] must be a Param (from param()), got 3'));
    expect(() => new Adam([{ params: [a] }, b] as never)).toThrow(
      new TypeError('Adam: params[1] must be a parameter group { params, ...options } like the others, got an object (Param)'),
    );
    expect(() => new Adam([{ params: [a] }, { lr: 0.1 }] as never)).toThrow(/Adam: params\[1\] must be a parameter group \{ params, \.\.\.options \} like the others, got an object \(Object\)/);
    const grouped = new Adam([{ params: [a], lr: 0.5 }, { params: [b] }], { lr: 0.25 });
    expect(grouped.paramGroups.map((g) => [g.params, g.lr])).toEqual([[[a], 0.5], [[b], 0.25]]);
  });

  it('shows each group as an object with params and its options as enumerable keys (as PyTorch param_groups)', () => {
    const a = param(2, { backend });
    const [group] = new SGD([a], { lr: 0.1, momentum: 0.9 }).paramGroups;
    expect(Object.keys(group)).toEqual(['params', 'lr', 'momentum', 'dampening', 'nesterov', 'weightDecay', 'maximize']);
    expect({ ...group }).toEqual({ params: [a], lr: 0.1, momentum: 0.9, dampening: 0, nesterov: false, weightDecay: 0, maximize: false });
  });

  it('names the state buffers its class can keep (what torch checkpoints are read into)', () => {
    const p = [param(2, { backend })];
    const names = (opt: { stateBufferNames: readonly string[] }) => opt.stateBufferNames;
    expect(names(new Adagrad(p) as never)).toEqual(['sum']);
    expect(names(new Adadelta(p) as never)).toEqual(['squareAvg', 'accDelta']);
    expect(names(new RMSprop(p) as never)).toEqual(['squareAvg', 'gradAvg', 'momentumBuffer']);
  });
});

describe('wasm memory of an optimizer', () => {
  it('holds its state buffers and step table until dispose(), which frees them once and leaves the params', () => {
    const p = param(5);
    const blocks = () => memoryStats().wasmBlocks;
    const before = blocks();
    const opt = new Adam([p], { amsgrad: true });
    // expAvg, expAvgSq and maxExpAvgSq, and the step program's three blocks.
    expect(blocks() - before).toBe(6);
    opt.dispose();
    expect(blocks()).toBe(before);
    opt.dispose();
    expect(blocks()).toBe(before);
    expect(p.disposed).toBe(false);
  });
});

describe('backend selection', () => {
  it('defaults to wasm after init(), and setBackend switches the default for new params', () => {
    expect(getBackend()).toBe('wasm');
    setBackend('js');
    const p: Param = param(1);
    expect(p.backend).toBe('js');
    setBackend('wasm');
    expect(param(1).backend).toBe('wasm');
    expect(() => setBackend('webgl' as never)).toThrow(new TypeError(`gradstep: setBackend(name) must be 'wasm' or 'js', got "webgl"`));
  });

  it('init() can be called again and concurrently', async () => {
    await Promise.all([init(), init(), init()]);
    expect(getBackend()).toBe('wasm');
  });
});
