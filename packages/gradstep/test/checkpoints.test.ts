// Named, shaped params, torch names on the built-in models, model state as safetensors, and training
// checkpoints for PyTorch: round trips, and every refusal leaving model and optimizer unchanged.
// (test/torch-checkpoints.test.ts checks the files against real torch.)
import {
  Adam,
  CosineAnnealingLR,
  decodeSafetensors,
  encodeSafetensors,
  exportModelState,
  importModelState,
  init,
  LinearLR,
  LinearRegression,
  Lion,
  loadTorchCheckpoint,
  MLP,
  MultiStepLR,
  OneCycleLR,
  param,
  ReduceLROnPlateau,
  RMSprop,
  saveTorchCheckpoint,
  SequentialLR,
  SGD,
  StepLR,
  type SchedulerStateDict,
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
    const custom = { stateDict: () => ({ ...scheduler.stateDict(), scheduler: 'CyclicLR' }), loadStateDict() {} };
    expect(() => saveTorchCheckpoint({ model: mlp, optimizer, scheduler: custom })).toThrow(
      new TypeError('saveTorchCheckpoint: checkpoints for PyTorch hold the schedulers StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR, LinearLR, OneCycleLR, ReduceLROnPlateau, SequentialLR, not CyclicLR'),
    );
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

describe('lr schedulers in checkpoints for PyTorch: OneCycleLR, ReduceLROnPlateau, SequentialLR', () => {
  type Scheduler = { stateDict(): SchedulerStateDict; loadStateDict(dict: SchedulerStateDict): void };
  const twoGroups = (mlp: MLP, make: 'sgd' | 'adam') =>
    make === 'sgd'
      ? new SGD([{ params: [...mlp.weights] }, { params: [...mlp.biases] }], { lr: 0.01, momentum: 0.9 })
      : new Adam([{ params: [...mlp.weights] }, { params: [...mlp.biases] }], { lr: 0.01 });
  const train = (mlp: MLP, optimizer: Optimizer<object>, step: () => void, steps = 3) => {
    for (let t = 0; t < steps; t++) {
      mlp.params.forEach((p, i) => p.grad.set(seeded(10 * t + i, p.length)));
      optimizer.step();
      step();
    }
  };
  /** The file with its scheduler state, param groups and metadata changed by `change`. */
  const tampered = (bytes: Uint8Array, change: (f: { state: Record<string, any>; groups: Record<string, any>[]; metadata: Record<string, string> }) => void) => {
    const file = decodeSafetensors(bytes);
    const f = { state: JSON.parse(file.metadata['scheduler.state_dict']), groups: JSON.parse(file.metadata['optimizer.param_groups'] ?? '[]'), metadata: { ...file.metadata } };
    change(f);
    f.metadata['scheduler.state_dict'] = JSON.stringify(f.state);
    f.metadata['optimizer.param_groups'] = JSON.stringify(f.groups);
    return encodeSafetensors(file.tensors, f.metadata);
  };
  /** Expects loading `bytes` to throw `error` and to change neither the model, nor the optimizer, nor the scheduler. */
  const refused = (bytes: Uint8Array, parts: { model: MLP; optimizer: Optimizer<object>; scheduler: Scheduler }, error: RegExp | Error) => {
    const before = JSON.stringify({ model: snapshot(parts.model.params, parts.optimizer), scheduler: parts.scheduler.stateDict() });
    expect(() => loadTorchCheckpoint(bytes, parts)).toThrow(error);
    expect(JSON.stringify({ model: snapshot(parts.model.params, parts.optimizer), scheduler: parts.scheduler.stateDict() })).toBe(before);
  };

  it('OneCycleLR: torch attributes, max_lr/initial_lr/min_lr/momenta in the param_groups, and back', () => {
    const mlp = new MLP({ layers: [3, 4, 2], seed: 5 });
    const optimizer = twoGroups(mlp, 'sgd');
    const scheduler = new OneCycleLR(optimizer, { maxLr: [0.1, 0.05], totalSteps: 10, pctStart: 0.25, finalDivFactor: 100, baseMomentum: [0.8, 0.85] });
    train(mlp, optimizer, () => scheduler.step());
    const bytes = saveTorchCheckpoint({ model: mlp, optimizer, scheduler });
    const { metadata } = decodeSafetensors(bytes);
    const lr = scheduler.getLastLr();
    expect(JSON.parse(metadata['scheduler.state_dict'])).toEqual({
      last_epoch: 3,
      _step_count: 4,
      _last_lr: lr,
      base_lrs: [0.1 / 25, 0.05 / 25],
      total_steps: 10,
      _schedule_phases: [
        { end_step: 0.25 * 10 - 1, start_lr: 'initial_lr', end_lr: 'max_lr', start_momentum: 'max_momentum', end_momentum: 'base_momentum' },
        { end_step: 9, start_lr: 'max_lr', end_lr: 'min_lr', start_momentum: 'base_momentum', end_momentum: 'max_momentum' },
      ],
      _anneal_func_type: 'cos',
      cycle_momentum: true,
      use_beta1: false,
    });
    const groups = JSON.parse(metadata['optimizer.param_groups']);
    expect(groups.map((g: Record<string, number>) => [g.initial_lr, g.max_lr, g.min_lr, g.max_momentum, g.base_momentum])).toEqual([
      [0.1 / 25, 0.1, 0.1 / 25 / 100, 0.95, 0.8],
      [0.05 / 25, 0.05, 0.05 / 25 / 100, 0.95, 0.85],
    ]);
    // Loaded into a OneCycleLR made with other options: the file's replace them (as torch's __dict__.update does).
    const other = twoGroups(mlp, 'sgd');
    const otherScheduler = new OneCycleLR(other, { maxLr: 1, totalSteps: 50, annealStrategy: 'linear', threePhase: true });
    loadTorchCheckpoint(bytes, { model: mlp, optimizer: other, scheduler: otherScheduler });
    expect(otherScheduler.stateDict()).toEqual(scheduler.stateDict());
    expect(other.stateDict()).toEqual(optimizer.stateDict());
  });

  it('OneCycleLR: three phases, linear, on Adam (betas[0], use_beta1), and without cycling the momentum', () => {
    const mlp = new MLP({ layers: [3, 4, 2], seed: 5 });
    for (const options of [
      { maxLr: 0.02, totalSteps: 12, threePhase: true, annealStrategy: 'linear' as const, divFactor: 10 },
      { maxLr: [0.02, 0.03], totalSteps: 7, cycleMomentum: false },
    ]) {
      const optimizer = twoGroups(mlp, 'adam');
      const scheduler = new OneCycleLR(optimizer, options);
      train(mlp, optimizer, () => scheduler.step(), 4);
      const bytes = saveTorchCheckpoint({ model: mlp, optimizer, scheduler });
      const state = JSON.parse(decodeSafetensors(bytes).metadata['scheduler.state_dict']);
      expect([state._schedule_phases.length, state.use_beta1]).toEqual(options.threePhase ? [3, true] : [2, undefined]);
      const other = twoGroups(mlp, 'adam');
      const otherScheduler = new OneCycleLR(other, { maxLr: 1, totalSteps: 100 });
      loadTorchCheckpoint(bytes, { model: mlp, optimizer: other, scheduler: otherScheduler });
      expect(otherScheduler.stateDict()).toEqual(scheduler.stateDict());
    }
  });

  it('ReduceLROnPlateau: torch attributes (min_lrs, default_min_lr, best ±Infinity as a string, counters), and back', () => {
    const mlp = new MLP({ layers: [3, 2], seed: 5 });
    const optimizer = new RMSprop(mlp.params, { lr: 0.01 });
    const fresh = new ReduceLROnPlateau(optimizer, { mode: 'max' });
    const state = JSON.parse(decodeSafetensors(saveTorchCheckpoint({ model: mlp, optimizer, scheduler: fresh })).metadata['scheduler.state_dict']);
    expect(state).toEqual({
      last_epoch: 0,
      _last_lr: [0.01],
      mode: 'max',
      factor: 0.1,
      patience: 10,
      threshold: 1e-4,
      threshold_mode: 'rel',
      cooldown: 0,
      eps: 1e-8,
      default_min_lr: 0,
      min_lrs: [0],
      mode_worse: '-Infinity',
      best: '-Infinity',
      num_bad_epochs: 0,
      cooldown_counter: 0,
    });
    const scheduler = new ReduceLROnPlateau(optimizer, { factor: 0.5, patience: 0, cooldown: 2, minLr: [0.004] });
    const metrics = [1, 2, 0.5];
    train(mlp, optimizer, () => scheduler.step(metrics.shift()!));
    expect([scheduler.inCooldown, optimizer.paramGroups[0].lr]).toEqual([true, 0.005]);
    const bytes = saveTorchCheckpoint({ model: mlp, optimizer, scheduler });
    expect(JSON.parse(decodeSafetensors(bytes).metadata['scheduler.state_dict'])).toMatchObject({ default_min_lr: null, min_lrs: [0.004], best: 0.5, num_bad_epochs: 0, cooldown_counter: 1 });
    const other = new RMSprop(mlp.params, { lr: 0.1 });
    const otherScheduler = new ReduceLROnPlateau(other);
    loadTorchCheckpoint(bytes, { model: mlp, optimizer: other, scheduler: otherScheduler });
    expect(otherScheduler.stateDict()).toEqual(scheduler.stateDict());
    loadTorchCheckpoint(saveTorchCheckpoint({ model: mlp, optimizer, scheduler: fresh }), { model: mlp, optimizer: other, scheduler: otherScheduler });
    expect([otherScheduler.best, otherScheduler.options.mode]).toEqual([-Infinity, 'max']);
  });

  it('SequentialLR: its schedulers\' torch states in _schedulers, their classes in the metadata, and back', () => {
    const mlp = new MLP({ layers: [3, 2], seed: 5 });
    const make = (optimizer: Adam) =>
      new SequentialLR(optimizer, {
        schedulers: [new LinearLR(optimizer, { startFactor: 0.5, totalIters: 2 }), new CosineAnnealingLR(optimizer, { tMax: 4 }), new OneCycleLR(optimizer, { maxLr: 0.05, totalSteps: 6 })],
        milestones: [2, 4],
      });
    const optimizer = new Adam(mlp.params, { lr: 0.01 });
    const scheduler = make(optimizer);
    train(mlp, optimizer, () => scheduler.step(), 5);
    const bytes = saveTorchCheckpoint({ model: mlp, optimizer, scheduler });
    const { metadata } = decodeSafetensors(bytes);
    expect(JSON.parse(metadata['scheduler.schedulers'])).toEqual(['LinearLR', 'CosineAnnealingLR', 'OneCycleLR']);
    const state = JSON.parse(metadata['scheduler.state_dict']);
    expect([state.last_epoch, state._milestones, state._schedulers.map((s: { last_epoch: number }) => s.last_epoch)]).toEqual([5, [2, 4], [1, 1, 1]]);
    expect(JSON.parse(metadata['optimizer.param_groups'])[0]).toMatchObject({ initial_lr: 0.05 / 25, max_lr: 0.05 });
    const other = new Adam(mlp.params, { lr: 0.3 });
    const otherScheduler = make(other);
    loadTorchCheckpoint(bytes, { model: mlp, optimizer: other, scheduler: otherScheduler });
    expect(otherScheduler.stateDict()).toEqual(scheduler.stateDict());
  });

  it('refuses to save what torch cannot hold: a OneCycleLR without its optimizer or with another one\'s groups, two OneCycleLRs that disagree', () => {
    const mlp = new MLP({ layers: [3, 4, 2], seed: 5 });
    const optimizer = twoGroups(mlp, 'sgd');
    const oneCycle = new OneCycleLR(optimizer, { maxLr: 0.1, totalSteps: 10 });
    expect(() => saveTorchCheckpoint({ model: mlp, scheduler: oneCycle })).toThrow(
      new TypeError("saveTorchCheckpoint: torch's OneCycleLR keeps max_lr, initial_lr, min_lr and the momenta in the optimizer's param_groups; save its optimizer with it"),
    );
    expect(() => saveTorchCheckpoint({ model: mlp, optimizer: new SGD(mlp.params, { momentum: 0.9 }), scheduler: oneCycle })).toThrow(
      new RangeError('saveTorchCheckpoint: the scheduler sets the lr of 2 param groups, the optimizer has 1'),
    );
    const sequential = new SequentialLR(optimizer, {
      schedulers: [new OneCycleLR(optimizer, { maxLr: 0.1, totalSteps: 4 }), new OneCycleLR(optimizer, { maxLr: 0.2, totalSteps: 4 })],
      milestones: [3],
    });
    expect(() => saveTorchCheckpoint({ model: mlp, optimizer, scheduler: sequential })).toThrow(
      new RangeError("saveTorchCheckpoint: two OneCycleLRs set param group 0's initial_lr to 0.004 and 0.008; torch keeps one initial_lr per param group"),
    );
  });

  it('refuses OneCycleLR state that gradstep cannot represent, changing nothing', () => {
    const mlp = new MLP({ layers: [3, 4, 2], seed: 5 });
    const source = twoGroups(mlp, 'sgd');
    const sourceScheduler = new OneCycleLR(source, { maxLr: [0.1, 0.05], totalSteps: 10 });
    train(mlp, source, () => sourceScheduler.step());
    const bytes = saveTorchCheckpoint({ model: mlp, optimizer: source, scheduler: sourceScheduler });
    const optimizer = twoGroups(mlp, 'sgd');
    const parts = { model: mlp, optimizer, scheduler: new OneCycleLR(optimizer, { maxLr: 0.2, totalSteps: 20 }) };
    const edit = (change: Parameters<typeof tampered>[1]) => tampered(bytes, change);
    // A div_factor per group (torch computes initial_lr per group; gradstep has one divFactor).
    refused(edit((f) => (f.groups[1].initial_lr = 0.05 / 10)), parts, /param_groups' initial_lr \[0.004, 0.005\] are not their max_lr \[0.1, 0.05\] divided by one divFactor/);
    refused(edit((f) => (f.groups[1].min_lr = 1e-9)), parts, /param_groups' min_lr \[4e-7, 1e-9\] are not their initial_lr \[0.004, 0.002\] divided by one finalDivFactor/);
    refused(edit((f) => delete f.groups[0].max_lr), parts, new TypeError('loadTorchCheckpoint: param_groups[0] has no max_lr'));
    refused(edit((f) => (f.state._schedule_phases[0].end_step = 12)), parts, /_schedule_phases end at steps \[12, 9\], which no pctStart in \[0, 1\] gives for total_steps 10/);
    refused(edit((f) => (f.state._schedule_phases[1].end_step = 8)), parts, /_schedule_phases end at steps \[2, 8\]/);
    refused(edit((f) => (f.state._schedule_phases[1].end_lr = 'initial_lr')), parts, /_schedule_phases\[1\].end_lr is "initial_lr", where OneCycleLR has "min_lr"; gradstep cannot represent other phases/);
    refused(edit((f) => f.state._schedule_phases.push(...f.state._schedule_phases, ...f.state._schedule_phases)), parts, /_schedule_phases must be torch's two or three phases, got an array of length 6/);
    refused(edit((f) => (f.state.use_beta1 = true)), parts, new RangeError("loadTorchCheckpoint: torch's OneCycleLR cycles betas[0], and the optimizer's groups have a momentum"));
    refused(edit((f) => (f.state._anneal_func_type = 'exp')), parts, /annealStrategy must be "cos" or "linear", got "exp"/);
    refused(edit((f) => (f.state.total_steps = 2.5)), parts, /total_steps must be an integer >= 1, got 2.5/);
    refused(edit((f) => delete f.state.base_lrs), parts, new TypeError('loadTorchCheckpoint: scheduler.state_dict has no base_lrs'));
    // Loading the scheduler alone still needs the groups (the optimizer refuses a file with other groups first).
    expect(() => loadTorchCheckpoint(edit((f) => (f.groups = [f.groups[0]])), { model: mlp, scheduler: parts.scheduler })).toThrow(
      new RangeError("loadTorchCheckpoint: torch's OneCycleLR keeps max_lr, initial_lr and min_lr in the optimizer's param_groups: the checkpoint must have 2 param groups, it has 1"),
    );
    refused(edit((f) => (f.groups = [f.groups[0]])), parts, /the checkpoint has 1 param groups, the optimizer has 2/);
  });

  it('refuses ReduceLROnPlateau state that gradstep cannot represent, changing nothing', () => {
    const mlp = new MLP({ layers: [3, 4, 2], seed: 5 });
    const source = twoGroups(mlp, 'adam');
    const sourceScheduler = new ReduceLROnPlateau(source, { minLr: [0.001, 0.002] });
    train(mlp, source, () => sourceScheduler.step(1));
    const bytes = saveTorchCheckpoint({ model: mlp, optimizer: source, scheduler: sourceScheduler });
    const optimizer = twoGroups(mlp, 'adam');
    const parts = { model: mlp, optimizer, scheduler: new ReduceLROnPlateau(optimizer) };
    const edit = (change: Parameters<typeof tampered>[1]) => tampered(bytes, change);
    refused(edit((f) => (f.state.default_min_lr = 0.001)), parts, /min_lrs \[0.001, 0.002\] differ from its default_min_lr 0.001; gradstep's ReduceLROnPlateau has one minLr for every group or one per group, not both/);
    refused(edit((f) => (f.state.min_lrs = new Array(1000).fill(0))), parts, /min_lrs must hold one lr per param group \(2\), got an array of length 1000/);
    refused(edit((f) => (f.state.factor = -0.5)), parts, new RangeError('loadTorchCheckpoint: ReduceLROnPlateau: factor must be a finite number >= 0 and < 1, got -0.5'));
    refused(edit((f) => (f.state.best = 'NaN')), parts, /dict.state.best must be a number, "Infinity" or "-Infinity", got "NaN"/);
    refused(edit((f) => (f.state.num_bad_epochs = 1.5)), parts, /numBadEpochs must be an integer >= 0, got 1.5/);
    refused(edit((f) => delete f.state.cooldown_counter), parts, new TypeError('loadTorchCheckpoint: scheduler.state_dict has no cooldown_counter'));
    refused(edit((f) => (f.state.threshold_mode = 'percent')), parts, /thresholdMode must be "rel" or "abs", got "percent"/);
  });

  it('refuses SequentialLR state for other schedulers, or that one of them refuses, changing nothing (all of them)', () => {
    const mlp = new MLP({ layers: [3, 2], seed: 5 });
    const make = (optimizer: Adam) =>
      new SequentialLR(optimizer, { schedulers: [new LinearLR(optimizer, { totalIters: 2 }), new StepLR(optimizer, { stepSize: 2 })], milestones: [2] });
    const source = new Adam(mlp.params);
    const sourceScheduler = make(source);
    train(mlp, source, () => sourceScheduler.step());
    const bytes = saveTorchCheckpoint({ model: mlp, optimizer: source, scheduler: sourceScheduler });
    const optimizer = new Adam(mlp.params);
    const parts = { model: mlp, optimizer, scheduler: make(optimizer) };
    const edit = (change: Parameters<typeof tampered>[1]) => tampered(bytes, change);
    refused(edit((f) => (f.metadata['scheduler.schedulers'] = '["LinearLR", "ExponentialLR"]')), parts, /the checkpoint's SequentialLR runs \["LinearLR", "ExponentialLR"\], this one \[LinearLR, StepLR\]/);
    refused(edit((f) => delete f.metadata['scheduler.schedulers']), parts, /SequentialLR runs schedulers it does not name/);
    refused(edit((f) => f.state._schedulers.pop()), parts, /_schedulers must hold 2 state dicts, got an array of length 1/);
    refused(edit((f) => (f.state._milestones = [-1])), parts, /milestones\[0\] must be an integer >= 0, got -1/);
    refused(edit((f) => (f.state._milestones = new Array(10_000).fill(1))), parts, new RangeError('loadTorchCheckpoint: scheduler.state_dict._milestones must hold 1 epochs (one fewer than the schedulers), got 10000'));
    refused(edit((f) => (f.metadata['scheduler.schedulers'] = JSON.stringify(new Array(10_000).fill('StepLR')))), parts, /SequentialLR runs 10000 schedulers, this one \[LinearLR, StepLR\]/);
    // The second scheduler refuses its state after the first accepted its own: both stay as they were.
    refused(edit((f) => (f.state._schedulers[1].step_size = 0)), parts, /StepLR: stepSize must be an integer >= 1, got 0/);
    refused(edit((f) => delete f.state._schedulers[0].last_epoch), parts, new TypeError('loadTorchCheckpoint: scheduler.state_dict._schedulers[0] has no last_epoch'));
  });
});
