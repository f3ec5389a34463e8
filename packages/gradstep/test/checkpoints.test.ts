// Named, shaped params, torch names on the built-in models, model state as safetensors, and training
// checkpoints for PyTorch: round trips, and every refusal leaving model and optimizer unchanged.
// (test/torch-checkpoints.test.ts checks the files against real torch.)
import {
  Adam,
  decodeSafetensors,
  encodeSafetensors,
  exportModelState,
  importModelState,
  init,
  LinearRegression,
  Lion,
  loadTorchCheckpoint,
  MLP,
  MultiStepLR,
  OneCycleLR,
  param,
  saveTorchCheckpoint,
  SGD,
  StepLR,
  type Optimizer,
  type Param,
} from 'gradstep';
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, CONFIGS, seeded } from './helpers.js';

beforeAll(() => init());

const snapshot = (params: readonly Param[], optimizer?: Optimizer<object>) =>
  JSON.stringify({ values: params.map((p) => Array.from(p.value)), optimizer: optimizer?.stateDict() });

describe('param names and shapes', () => {
  it('takes a name and a shape whose product is the length, frozen; defaults are "" and [length]', () => {
    const p = param(seeded(1, 6), { name: 'fc.weight', shape: [2, 3] });
    expect([p.name, p.shape]).toEqual(['fc.weight', [2, 3]]);
    expect(Object.isFrozen(p.shape)).toBe(true);
    expect([param(4).name, param(4).shape]).toEqual(['', [4]]);
    expect(param(0, { shape: [3, 0] }).shape).toEqual([3, 0]);
  });

  it('refuses a shape that does not hold the values (holes included), and a name that is not a string', () => {
    // eslint-disable-next-line no-sparse-arrays
    expect(() => param(6, { shape: [, 6] as never })).toThrow(new TypeError('param: shape must be an array of integers >= 0, got an array of length 2'));
    expect(() => param(6, { shape: [4, 2] })).toThrow(new RangeError('param: shape [4, 2] holds 8 values, but the param has 6'));
    expect(() => param([1, 2], { shape: [2.5] })).toThrow(new TypeError('param: shape must be an array of integers >= 0, got an array of length 1'));
    expect(() => param(2, { name: 3 as never })).toThrow(new TypeError('param: name must be a string, got 3'));
  });
});

describe('torch names of the built-in models', () => {
  it('an MLP is nn.Sequential(Linear, activation, Linear): 0.weight [out, in], 0.bias, 2.weight, 2.bias', () => {
    const mlp = new MLP({ layers: [4, 3, 2], seed: 1 });
    expect(mlp.namedParams().map((n) => [n.name, n.shape, n.transposed, n.param.shape])).toEqual([
      ['0.weight', [3, 4], true, [4, 3]],
      ['0.bias', [3], false, [3]],
      ['2.weight', [2, 3], true, [3, 2]],
      ['2.bias', [2], false, [2]],
    ]);
    expect(mlp.namedParams().map((n) => n.param)).toEqual(mlp.params);
  });

  it('a one-layer model is nn.Linear: weight [outputs, features], bias', () => {
    const model = new LinearRegression({ features: 5, outputs: 2 });
    expect(model.namedParams().map((n) => [n.name, n.shape])).toEqual([['weight', [2, 5]], ['bias', [2]]]);
  });
});

describe.each(BACKENDS)('model state on %s', (backend) => {
  it('exports torch layouts (weights transposed) and imports them back bit for bit', () => {
    const mlp = new MLP({ layers: [4, 3, 2], seed: 3, backend });
    const bytes = exportModelState(mlp);
    const { tensors, metadata } = decodeSafetensors(bytes);
    expect(metadata).toEqual({ format: 'pt' });
    expect(Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k, t.shape]))).toEqual({ '0.weight': [3, 4], '0.bias': [3], '2.weight': [2, 3], '2.bias': [2] });
    // torch's weight[o][i] is gradstep's W[i][o].
    const w = mlp.params[0].value;
    expect(tensors['0.weight'].data[1 * 4 + 2]).toBe(w[2 * 3 + 1]);
    const other = new MLP({ layers: [4, 3, 2], seed: 4, backend });
    importModelState(other, bytes);
    expect(snapshot(other.params)).toBe(snapshot(mlp.params));
  });

  it('refuses a missing, an extra or a misshapen tensor and changes nothing', () => {
    const mlp = new MLP({ layers: [4, 3, 2], seed: 3, backend });
    const before = snapshot(mlp.params);
    const { tensors } = decodeSafetensors(exportModelState(mlp));
    const without = { ...tensors };
    delete without['2.bias'];
    expect(() => importModelState(mlp, encodeSafetensors(without))).toThrow(new RangeError('importModelState: the file has no tensor "2.bias"'));
    expect(() => importModelState(mlp, encodeSafetensors({ ...tensors, '4.weight': tensors['2.bias'] }))).toThrow(
      new RangeError('importModelState: the file has tensors the model does not: "4.weight"'),
    );
    const misshapen = { ...tensors, '0.weight': { ...tensors['0.weight'], shape: [4, 3] } };
    expect(() => importModelState(mlp, encodeSafetensors(misshapen))).toThrow(
      new RangeError('importModelState: tensor "0.weight" has shape [4, 3], the model\'s is [3, 4]'),
    );
    expect(snapshot(mlp.params)).toBe(before);
  });

  it('works for a list of named params, and refuses unnamed or twice-named ones', () => {
    const a = param(seeded(1, 6), { name: 'a', shape: [2, 3], backend });
    const b = param(seeded(2, 2), { name: 'b', backend });
    const copy = [param(6, { name: 'a', shape: [2, 3], backend }), param(2, { name: 'b', backend })];
    importModelState(copy, exportModelState([a, b]));
    expect(snapshot(copy)).toBe(snapshot([a, b]));
    expect(() => exportModelState([a, param(2)])).toThrow(/param #\d+ has no name; give params names with param\(values, \{ name \}\)/);
    expect(() => exportModelState([a, param(2, { name: 'a' })])).toThrow(new TypeError('exportModelState: two params are named "a"'));
  });
});

describe('training checkpoints for PyTorch', () => {
  // Every optimizer torch.optim has, with each option path: the checkpoint restores the same state.
  const torchConfigs = CONFIGS.filter(([name]) => !name.startsWith('Lion') && !name.includes('epsHat'));

  it.each(torchConfigs)('%s: saved and loaded into another model and optimizer, the state is the same', (_name, make) => {
    const mlp = new MLP({ layers: [3, 4, 2], seed: 5 });
    const optimizer = make([...mlp.params]);
    for (let t = 0; t < 3; t++) {
      mlp.params.forEach((p, i) => p.grad.set(seeded(10 * t + i, p.length)));
      optimizer.step();
    }
    const bytes = saveTorchCheckpoint({ model: mlp, optimizer });
    const other = new MLP({ layers: [3, 4, 2], seed: 6, backend: 'js' });
    const otherOptimizer = make([...other.params]);
    loadTorchCheckpoint(bytes, { model: other, optimizer: otherOptimizer });
    expect(snapshot(other.params, otherOptimizer)).toBe(snapshot(mlp.params, optimizer));
  });

  it('writes torch.optim names: per-param step and state keys, param_groups with snake_case options', () => {
    const mlp = new MLP({ layers: [3, 4, 2], seed: 5 });
    const optimizer = new Adam(mlp.params, { lr: 0.01, weightDecay: 0.1, amsgrad: true });
    mlp.params.forEach((p) => p.grad.fill(0.5));
    optimizer.step();
    const { tensors, metadata } = decodeSafetensors(saveTorchCheckpoint({ model: mlp, optimizer }));
    expect(Object.keys(tensors).filter((k) => k.startsWith('optimizer.state.0.')).sort()).toEqual(
      ['exp_avg', 'exp_avg_sq', 'max_exp_avg_sq', 'step'].map((k) => `optimizer.state.0.${k}`),
    );
    expect(tensors['optimizer.state.0.step']).toEqual({ dtype: 'F64', shape: [], data: Float64Array.of(1) });
    expect(tensors['optimizer.state.0.exp_avg'].shape).toEqual([4, 3]);
    expect(metadata['optimizer.class']).toBe('Adam');
    expect(JSON.parse(metadata['optimizer.param_groups'])).toEqual([
      { lr: 0.01, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0.1, amsgrad: true, maximize: false, params: [0, 1, 2, 3] },
    ]);
  });

  it('carries an lr scheduler torch has (torch attribute names, milestones as a Counter), and refuses others', () => {
    const mlp = new MLP({ layers: [3, 2], seed: 5 });
    const optimizer = new SGD(mlp.params, { lr: 0.1, momentum: 0.9 });
    const scheduler = new MultiStepLR(optimizer, { milestones: [1, 3, 3], gamma: 0.5 });
    for (let t = 0; t < 2; t++) (optimizer.step(), scheduler.step());
    const bytes = saveTorchCheckpoint({ model: mlp, optimizer, scheduler });
    const { metadata } = decodeSafetensors(bytes);
    expect(metadata['scheduler.class']).toBe('MultiStepLR');
    expect(JSON.parse(metadata['scheduler.state_dict'])).toEqual({ last_epoch: 2, _step_count: 3, _last_lr: [0.05], base_lrs: [0.1], milestones: { 1: 1, 3: 2 }, gamma: 0.5 });
    const otherOptimizer = new SGD(mlp.params, { momentum: 0.9 });
    const other = new MultiStepLR(otherOptimizer, { milestones: [9] });
    loadTorchCheckpoint(bytes, { model: mlp, optimizer: otherOptimizer, scheduler: other });
    expect(other.stateDict()).toEqual(scheduler.stateDict());
    expect(() => saveTorchCheckpoint({ model: mlp, optimizer, scheduler: new OneCycleLR(optimizer, { maxLr: 1, totalSteps: 5 }) })).toThrow(/hold the schedulers StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR, LinearLR, not OneCycleLR/);
    const before = JSON.stringify(otherOptimizer.stateDict());
    expect(() => loadTorchCheckpoint(bytes, { model: mlp, optimizer: otherOptimizer, scheduler: new StepLR(otherOptimizer, { stepSize: 2 }) })).toThrow(
      new TypeError("loadTorchCheckpoint: the checkpoint holds the state of torch's MultiStepLR, not of StepLR"),
    );
    expect(JSON.stringify(otherOptimizer.stateDict())).toBe(before);
  });

  it('takes the buffers the file\'s options use (torch replaces the options), and step counts past 2^24 exactly', () => {
    const mlp = new MLP({ layers: [3, 2], seed: 5 });
    const trained = new SGD(mlp.params, { lr: 0.1, momentum: 0.9 });
    mlp.params.forEach((p) => p.grad.fill(0.5));
    trained.step();
    trained.loadStateDict({ ...trained.stateDict(), step: 2 ** 24 + 1 });
    const plain = new SGD(mlp.params, { lr: 0.2 }); // no momentum: no buffer until the file's options say so
    loadTorchCheckpoint(saveTorchCheckpoint({ model: mlp, optimizer: trained }), { model: mlp, optimizer: plain });
    expect(plain.stateDict()).toEqual(trained.stateDict());
    expect(plain.stepCount).toBe(2 ** 24 + 1);
  });

  it('refuses a disposed param, an Adam in the epsHat form, and milestones beyond what a schedule needs, before changing anything', () => {
    const mlp = new MLP({ layers: [3, 2], seed: 5 });
    const optimizer = new Adam(mlp.params);
    const bytes = saveTorchCheckpoint({ model: mlp, optimizer });
    expect(() => loadTorchCheckpoint(bytes, { model: mlp, optimizer: new Adam(mlp.params, { epsHat: true }) })).toThrow(/uses Adam's epsHat form \(Keras'\), which torch.optim's state does not describe/);
    const named = mlp.namedParams();
    const spare = param(2, { name: 'bias' });
    spare.dispose();
    const before = snapshot(mlp.params, optimizer);
    expect(() => loadTorchCheckpoint(bytes, { model: [named[0].param, spare], optimizer })).toThrow(/loadTorchCheckpoint: params\[1\] \(param #\d+\) was disposed/);
    const sgd = new SGD(mlp.params, { momentum: 0.9 });
    const scheduler = new MultiStepLR(sgd, { milestones: [1] });
    const file = decodeSafetensors(saveTorchCheckpoint({ model: mlp, optimizer: sgd, scheduler }));
    const state = JSON.parse(file.metadata['scheduler.state_dict']);
    state.milestones = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [String(i), 10_000]));
    file.metadata['scheduler.state_dict'] = JSON.stringify(state);
    expect(() => loadTorchCheckpoint(encodeSafetensors(file.tensors, file.metadata), { model: mlp, optimizer: sgd, scheduler })).toThrow(/milestones must be epochs \(integers >= 0\) counted at least once, 10000 in all at most/);
    expect(snapshot(mlp.params, optimizer)).toBe(before);
  });

  it('writes no SGD state before the first step (torch then starts the momentum buffer at the gradient)', () => {
    const mlp = new MLP({ layers: [3, 2], seed: 5 });
    const { tensors } = decodeSafetensors(saveTorchCheckpoint({ model: mlp, optimizer: new SGD(mlp.params, { momentum: 0.9 }) }));
    expect(Object.keys(tensors).sort()).toEqual(['model.bias', 'model.weight']);
  });

  it('refuses what torch.optim cannot hold, and files that do not fit, changing nothing', () => {
    const mlp = new MLP({ layers: [3, 4, 2], seed: 5 });
    expect(() => saveTorchCheckpoint({ model: mlp, optimizer: new Lion(mlp.params) })).toThrow(/torch.optim has no Lion/);
    expect(() => saveTorchCheckpoint({ model: mlp, optimizer: new Adam(mlp.params, { epsHat: true }) })).toThrow(/epsHat form \(Keras'\) has no torch.optim equivalent/);
    expect(() => saveTorchCheckpoint({ model: mlp, optimizer: new Adam([param(2, { name: 'x' })]) })).toThrow(/the optimizer's params\[0\] \(param #\d+\) is not one of the model's params/);

    const optimizer = new Adam(mlp.params, { lr: 0.02 });
    mlp.params.forEach((p) => p.grad.fill(0.1));
    optimizer.step();
    const before = snapshot(mlp.params, optimizer);
    const sgdFile = saveTorchCheckpoint({ model: mlp, optimizer: new SGD(mlp.params, { momentum: 0.9 }) });
    expect(() => loadTorchCheckpoint(sgdFile, { model: mlp, optimizer })).toThrow(new TypeError('loadTorchCheckpoint: the checkpoint holds the state of torch.optim.SGD, not of Adam'));
    expect(() => loadTorchCheckpoint(exportModelState(mlp), { model: mlp, optimizer })).toThrow(/not a gradstep\/PyTorch training checkpoint/);
    const good = decodeSafetensors(saveTorchCheckpoint({ model: mlp, optimizer }));
    const tampered = (change: (c: typeof good) => void) => {
      const copy = { tensors: { ...good.tensors }, metadata: { ...good.metadata } };
      change(copy);
      return () => loadTorchCheckpoint(encodeSafetensors(copy.tensors, copy.metadata), { model: mlp, optimizer });
    };
    expect(tampered((c) => delete c.tensors['optimizer.state.2.exp_avg_sq'])).toThrow(
      new TypeError('loadTorchCheckpoint: Adam.loadStateDict(dict): dict.state[2].buffers.expAvgSq is missing or not 8 float32 values (base64 or a Float32Array)'),
    );
    expect(tampered((c) => (c.tensors['optimizer.state.1.step'] = { dtype: 'F32', shape: [], data: Float32Array.of(5) }))).toThrow(/the params' step counts differ \(1, 5, 1, 1\)/);
    expect(tampered((c) => (c.tensors['optimizer.state.4.exp_avg'] = c.tensors['optimizer.state.0.exp_avg']))).toThrow(
      new RangeError('loadTorchCheckpoint: the checkpoint\'s tensor "optimizer.state.4.exp_avg" is not model state or Adam state of one of the optimizer\'s 4 params'),
    );
    expect(tampered((c) => (c.tensors['optimizer.state.0.exp_avg_sqq'] = c.tensors['optimizer.state.0.exp_avg']))).toThrow(/tensor "optimizer.state.0.exp_avg_sqq" is not model state or Adam state/);
    expect(tampered((c) => (c.metadata.version = '2'))).toThrow(new RangeError('loadTorchCheckpoint: checkpoint version "2" is not one this gradstep reads (1)'));
    expect(tampered((c) => (c.metadata['optimizer.param_groups'] = '[{"params": [0, 1, 2, 3], "to_string": 1}]'))).toThrow(/param_groups\[0\].to_string = 1 has no equivalent in gradstep's Adam/);
    expect(tampered((c) => (c.metadata['optimizer.param_groups'] = '[{"params": [0, 1, 2, 3], "lr": -1}]'))).toThrow(/lr must be a finite number >= 0, got -1/);
    expect(tampered((c) => (c.metadata['optimizer.param_groups'] = '[{"params": [0, 1, 2, 3], "nesterov": true}]'))).toThrow(
      new RangeError("loadTorchCheckpoint: param_groups[0].nesterov = true has no equivalent in gradstep's Adam"),
    );
    expect(tampered((c) => (c.tensors['model.0.weight'] = c.tensors['model.0.bias']))).toThrow(/tensor "model.0.weight" has shape \[4\], the model's is \[4, 3\]/);
    expect(snapshot(mlp.params, optimizer)).toBe(before);
  });
});
