// gradstep/tfjs on tfjs's cpu and wasm backends in Node: model.fit through the adapter ends with the
// bits of plain gradstep fed the gradients tfjs computed (groups, schedulers and clipping included);
// Adam agrees with tf.train.adam; state survives stateDict, getWeights/setWeights and a saved model;
// no tensor leaks.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { Adam, AdamW, ExponentialLR, init, memoryStats, NAdam, ReduceLROnPlateau, SGD, StepLR } from 'gradstep';
import { GradstepOptimizer, schedulerCallback } from 'gradstep/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { firstBitDifference, seeded } from '../helpers.js';
import { RecordingOptimizer, replay, smallModel, TFJS_BACKENDS, trainableNames, useTfjsBackend, variableValues } from './tfjs-models.js';

beforeAll(() => init());

const expectSameBits = (actual: Map<string, Float32Array>, expected: Map<string, Float32Array>) => {
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [name, values] of expected) expect(firstBitDifference(actual.get(name)!, values), name).toBe(-1);
};

describe.each(TFJS_BACKENDS)('gradstep/tfjs on tfjs %s', (backend) => {
  beforeAll(() => useTfjsBackend(backend));

  it('model.fit with AdamW and a group chosen by name ends with the bits of gradstep AdamW fed the same gradients', async () => {
    const { model, x, y, dispose } = smallModel();
    const optimizer = new RecordingOptimizer((params) => new AdamW(params, { lr: 0.01, weightDecay: 0.1 }), { groups: [{ match: /bias/, weightDecay: 0 }] });
    model.compile({ optimizer, loss: 'meanSquaredError' });
    const names = trainableNames(model);
    const initial = variableValues(names);
    await model.fit(x, y, { epochs: 3, batchSize: 8, shuffle: false, verbose: 0 });
    expect(optimizer.recorded).toHaveLength(12);
    const expected = replay(initial, optimizer.recorded, (params) => {
      const [biases, others] = [[...params.values()].filter((p) => /bias/.test(p.name)), [...params.values()].filter((p) => !/bias/.test(p.name))];
      return new AdamW([{ params: others }, { params: biases, weightDecay: 0 }], { lr: 0.01, weightDecay: 0.1 });
    });
    expectSameBits(variableValues(names), expected);
    // The group matters: without it the biases end elsewhere.
    const ungrouped = replay(initial, optimizer.recorded, (params) => new AdamW([...params.values()], { lr: 0.01, weightDecay: 0.1 }));
    const bias = names.find((n) => /bias/.test(n))!;
    expect(firstBitDifference(ungrouped.get(bias)!, expected.get(bias)!)).not.toBe(-1);
    optimizer.dispose();
    dispose();
  });

  it('a scheduler stepped per batch and clipping change the trajectory exactly as in gradstep', async () => {
    const { model, x, y, dispose } = smallModel();
    const optimizer = new RecordingOptimizer((params) => new SGD(params, { lr: 0.05, momentum: 0.9 }), { clipGradNorm: 0.5 });
    const scheduler = new StepLR(optimizer, { stepSize: 3, gamma: 0.5 });
    model.compile({ optimizer, loss: 'meanSquaredError' });
    const names = trainableNames(model);
    const initial = variableValues(names);
    const norms: number[] = [];
    await model.fit(x, y, { epochs: 2, batchSize: 8, shuffle: false, verbose: 0, callbacks: [schedulerCallback(scheduler, { every: 'batch' }), { onBatchEnd: async () => void norms.push(optimizer.lastGradNorm!) }] });
    expect(optimizer.paramGroups[0].lr).toBe(0.05 * 0.5 ** 2); // 8 batches: halved after 3 and 6
    expect(Math.max(...norms)).toBeGreaterThan(0.5); // clipping was active
    const expected = replay(initial, optimizer.recorded, (params) => new SGD([...params.values()], { lr: 0.05, momentum: 0.9 }), {
      clip: 0.5,
      afterStep: (t, gradstepOptimizer) => (gradstepOptimizer.lr = 0.05 * 0.5 ** Math.floor(t / 3)),
    });
    expectSameBits(variableValues(names), expected);
    const unclipped = replay(initial, optimizer.recorded, (params) => new SGD([...params.values()], { lr: 0.05, momentum: 0.9 }), {
      afterStep: (t, gradstepOptimizer) => (gradstepOptimizer.lr = 0.05 * 0.5 ** Math.floor(t / 3)),
    });
    expect(firstBitDifference(unclipped.get(names[0])!, expected.get(names[0])!)).not.toBe(-1);
    optimizer.dispose();
    dispose();
  });

  it('a scheduler stepped per epoch changes the learning rate between epochs, as gradstep run by hand', async () => {
    const { model, x, y, dispose } = smallModel();
    const optimizer = new RecordingOptimizer((params) => new Adam(params, { lr: 0.02 }));
    const scheduler = new ExponentialLR(optimizer, { gamma: 0.5 });
    model.compile({ optimizer, loss: 'meanSquaredError' });
    const names = trainableNames(model);
    const initial = variableValues(names);
    await model.fit(x, y, { epochs: 3, batchSize: 16, shuffle: false, verbose: 0, callbacks: [schedulerCallback(scheduler, { every: 'epoch' })] });
    let gradstepScheduler: ExponentialLR | undefined;
    const expected = replay(
      initial,
      optimizer.recorded,
      (params) => {
        const gradstepOptimizer = new Adam([...params.values()], { lr: 0.02 });
        gradstepScheduler = new ExponentialLR(gradstepOptimizer, { gamma: 0.5 });
        return gradstepOptimizer;
      },
      { afterStep: (t) => t % 2 === 0 && gradstepScheduler!.step() },
    );
    expectSameBits(variableValues(names), expected);
    expect(optimizer.paramGroups[0].lr).toBe(0.02 * 0.5 ** 3);
    optimizer.dispose();
    dispose();
  });

  it("Adam agrees with tf.train.adam (the same ε, added to √v̂ in both) within float32 rounding over 100 steps of minimize", () => {
    const values = seeded(3, 40);
    const target = tf.tensor(Array.from(seeded(4, 40), (v) => v * 100));
    const weights = [0, 1].map((i) => tf.variable(tf.tensor(values), true, `adam-agreement-${backend}-${i}`));
    const loss = (w: tf.Variable) => () => tf.sum(tf.mul(tf.square(tf.sub(w, target)), tf.linspace(0.1, 10, 40))) as tf.Scalar;
    const ours = new GradstepOptimizer((params) => new Adam(params, { lr: 0.01, betas: [0.9, 0.999], eps: 1e-7 }));
    const theirs = tf.train.adam(0.01, 0.9, 0.999, 1e-7);
    for (let t = 0; t < 100; t++) {
      ours.minimize(loss(weights[0]), false, [weights[0]]);
      theirs.minimize(loss(weights[1]), false, [weights[1]]);
    }
    const [a, b] = weights.map((w) => w.dataSync() as Float32Array);
    expect(firstBitDifference(a, values)).not.toBe(-1); // it moved
    // tfjs keeps β1^t and β2^t as float32 products accumulated step by step (relative error growing
    // like t·2^-24) and rounds m̂ and v̂ separately; gradstep computes the step's scalars in float64.
    // Each step moves a weight by at most about lr, so the bound is a fraction of the path: 100 steps
    // of lr 0.01. Measured: 6.9e-6 on both backends.
    const bound = 2e-5 * 100 * 0.01;
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i]), `element ${i}`).toBeLessThanOrEqual(bound);
    ours.dispose();
    theirs.dispose();
    tf.dispose([target, ...weights]);
  });

  it('keeps tf.memory().numTensors flat over thousands of steps and after dispose()', () => {
    const w = tf.variable(tf.tensor(seeded(5, 64)), true, `leak-check-${backend}`);
    const loss = () => tf.sum(tf.square(w)) as tf.Scalar;
    const blocks = memoryStats().liveBlocks;
    const before = tf.memory().numTensors;
    const optimizer = new GradstepOptimizer((params) => new AdamW(params, { lr: 1e-3 }), { clipGradNorm: 1 });
    optimizer.minimize(loss, false, [w]);
    const afterFirst = tf.memory().numTensors;
    for (let t = 0; t < 2000; t++) optimizer.minimize(loss, false, [w]);
    expect(tf.memory().numTensors).toBe(afterFirst);
    expect(afterFirst).toBe(before);
    optimizer.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(memoryStats().liveBlocks).toBe(blocks);
    w.dispose();
  });
});

describe('gradstep/tfjs variables, state and serialization', () => {
  beforeAll(() => useTfjsBackend('cpu'));

  const gradientsOf = (entries: [tf.Variable, Float32Array][]) => entries.map(([v, g]) => ({ name: v.name, tensor: tf.tensor(g, v.shape) }));
  const applyAndDispose = (optimizer: GradstepOptimizer, entries: [tf.Variable, Float32Array][], form: 'array' | 'map' = 'array') => {
    const list = gradientsOf(entries);
    optimizer.applyGradients(form === 'array' ? list : Object.fromEntries(list.map(({ name, tensor }) => [name, tensor])));
    tf.dispose(list.map((g) => g.tensor));
  };

  it('a variable first seen after some steps starts its own step count, and a variable left out of a step is not touched', () => {
    const a = tf.variable(tf.tensor(seeded(6, 10)), true, 'late-a');
    const b = tf.variable(tf.tensor(seeded(7, 6)), true, 'late-b');
    const [aStart, bStart] = [Float32Array.from(a.dataSync()), Float32Array.from(b.dataSync())];
    const optimizer = new GradstepOptimizer((params) => new Adam(params, { lr: 0.01 }));
    const grads = (t: number) => [seeded(100 + t, 10), seeded(200 + t, 6)] as const;
    for (let t = 0; t < 3; t++) applyAndDispose(optimizer, [[a, grads(t)[0]]], 'map');
    for (let t = 3; t < 5; t++) applyAndDispose(optimizer, [[a, grads(t)[0]], [b, grads(t)[1]]]);
    const bBefore = Float32Array.from(b.dataSync());
    applyAndDispose(optimizer, [[a, grads(5)[0]]]); // b left out: splits nothing visible, moves nothing of b
    expect(firstBitDifference(b.dataSync() as Float32Array, bBefore)).toBe(-1);
    applyAndDispose(optimizer, [[a, grads(6)[0]], [b, grads(6)[1]]]);
    const dict = optimizer.stateDict();
    expect(Object.keys(dict.variables)).toEqual(['late-a', 'late-b']);
    expect([dict.variables['late-a'].step, dict.variables['late-b'].step]).toEqual([7, 3]);
    expect(optimizer.iterations).toBe(7);
    const expected = replay(
      new Map([['late-a', aStart]]),
      [0, 1, 2, 3, 4, 5, 6].map((t) => [['late-a', grads(t)[0]]]),
      (params) => new Adam([...params.values()], { lr: 0.01 }),
    );
    const expectedB = replay(
      new Map([['late-b', bStart]]),
      [3, 4, 6].map((t) => [['late-b', grads(t)[1]]]),
      (params) => new Adam([...params.values()], { lr: 0.01 }),
    );
    expectSameBits(variableValues(['late-a', 'late-b']), new Map([...expected, ...expectedB]));
    optimizer.dispose();
    tf.dispose([a, b]);
  });

  it('stateDict / loadStateDict (through JSON) and getWeights / setWeights continue bit for bit', async () => {
    const make = () => new GradstepOptimizer((params) => new NAdam(params, { lr: 0.01 }), { groups: [{ match: /-b$/, lr: 0.02 }] });
    const v = [tf.variable(tf.tensor(seeded(8, 12)), true, 'state-a'), tf.variable(tf.tensor(seeded(9, 5)), true, 'state-b')];
    const grads = (t: number) => v.map((variable, i) => [variable, seeded(300 + 10 * t + i, variable.size)] as [tf.Variable, Float32Array]);
    const original = make();
    for (let t = 0; t < 4; t++) applyAndDispose(original, grads(t));
    const saved = JSON.parse(JSON.stringify(original.stateDict()));
    const weights = await original.getWeights();
    const start = variableValues(['state-a', 'state-b']);
    const continueFrom = (optimizer: GradstepOptimizer) => {
      v.forEach((variable) => variable.assign(tf.tensor(start.get(variable.name)!, variable.shape)));
      for (let t = 4; t < 7; t++) applyAndDispose(optimizer, grads(t));
      return variableValues(['state-a', 'state-b']);
    };
    const expected = continueFrom(original);
    const fromDict = make();
    fromDict.loadStateDict(saved);
    expect(fromDict.iterations).toBe(4);
    expectSameBits(continueFrom(fromDict), expected);
    const fromWeights = make();
    await fromWeights.setWeights(weights);
    expectSameBits(continueFrom(fromWeights), expected);
    const fresh = make();
    expect(firstBitDifference(continueFrom(fresh).get('state-a')!, expected.get('state-a')!)).not.toBe(-1);
    tf.dispose(weights.map((w) => w.tensor));
    [original, fromDict, fromWeights, fresh].forEach((o) => o.dispose());
    tf.dispose(v);
  });

  it('getWeights / setWeights carry the shape of an optimizer without buffers (SGD without momentum)', async () => {
    const v = tf.variable(tf.tensor(seeded(11, 6), [2, 3]), true, 'plain-sgd');
    const make = () => new GradstepOptimizer((params) => new SGD(params, { lr: 0.1 }));
    const original = make();
    applyAndDispose(original, [[v, seeded(400, 6)]]);
    const weights = await original.getWeights();
    expect(weights.map((w) => w.name)).toEqual(['iter', 'plain-sgd/step', 'plain-sgd/shape']);
    const restored = make();
    await restored.setWeights(weights);
    const before = Float32Array.from(v.dataSync());
    applyAndDispose(restored, [[v, seeded(401, 6)]]);
    const expected = replay(new Map([['plain-sgd', before]]), [[['plain-sgd', seeded(401, 6)]]], (params) => new SGD([...params.values()], { lr: 0.1 }));
    expectSameBits(variableValues(['plain-sgd']), expected);
    expect(restored.stateDict().variables['plain-sgd'].shape).toEqual([2, 3]);
    tf.dispose(weights.map((w) => w.tensor));
    [original, restored].forEach((o) => o.dispose());
    v.dispose();
  });

  it('a model saved with includeOptimizer loads with its GradstepOptimizer (getConfig, fromConfig, weights) and trains on identically', async () => {
    const { model, x, y, dispose } = smallModel();
    model.compile({ optimizer: new GradstepOptimizer((params) => new AdamW(params, { lr: 0.01 }), { groups: [{ match: /dense_Dense\d+_?\/bias/, weightDecay: 0 }], clipGradNorm: 2 }), loss: 'meanSquaredError' });
    await model.fit(x, y, { epochs: 1, batchSize: 8, shuffle: false, verbose: 0 });
    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save({ save: async (a) => ((artifacts = a), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }) }, { includeOptimizer: true });
    const loaded = await tfl.loadLayersModel({ load: async () => artifacts! });
    const loadedOptimizer = loaded.optimizer as GradstepOptimizer;
    expect(loadedOptimizer).toBeInstanceOf(GradstepOptimizer);
    expect(loadedOptimizer.getConfig()).toEqual((model.optimizer as GradstepOptimizer).getConfig());
    await model.fit(x, y, { epochs: 1, batchSize: 8, shuffle: false, verbose: 0 });
    await loaded.fit(x, y, { epochs: 1, batchSize: 8, shuffle: false, verbose: 0 });
    const [mine, theirs] = [model, loaded].map((m) => m.getWeights().map((w) => w.dataSync() as Float32Array));
    mine.forEach((values, i) => expect(firstBitDifference(theirs[i], values)).toBe(-1));
    model.optimizer.dispose();
    loadedOptimizer.dispose();
    loaded.dispose();
    dispose();
  });

  it('schedulerCallback passes the monitored log to ReduceLROnPlateau, and refuses what it cannot step', async () => {
    const optimizer = new GradstepOptimizer((params) => new SGD(params, { lr: 0.1 }));
    const callback = schedulerCallback(new ReduceLROnPlateau(optimizer, { patience: 0, factor: 0.5 }), { monitor: 'val_loss' });
    expect(callback.onBatchEnd).toBeUndefined();
    await callback.onEpochEnd!(0, { val_loss: 1 });
    await callback.onEpochEnd!(1, { val_loss: 1 }); // no improvement, patience 0: halved
    expect(optimizer.paramGroups[0].lr).toBe(0.05);
    await expect(callback.onEpochEnd!(2, { loss: 1 })).rejects.toThrow(/monitor "val_loss" is not in the epoch's logs \(loss\)/);
    expect(() => schedulerCallback({} as never)).toThrow(/scheduler must be a gradstep scheduler .*got an object/);
    expect(() => schedulerCallback(new StepLR(optimizer, { stepSize: 1 }), { every: 'step' as never })).toThrow(/every must be 'batch' or 'epoch', got "step"/);
    optimizer.dispose();
  });

  it('refuses bad arguments with errors naming them, and a dict for another optimizer', () => {
    const make = (params: Parameters<ConstructorParameters<typeof GradstepOptimizer>[0]>[0]) => new Adam(params);
    expect(() => new GradstepOptimizer(42 as never)).toThrow(TypeError);
    expect(() => new GradstepOptimizer(make, { clipGradNorm: -1 })).toThrow(/clipGradNorm must be a number >= 0.*-1/);
    expect(() => new GradstepOptimizer(make, { groups: [{ match: 'bias' as never }] })).toThrow(/groups\[0\]\.match must be a RegExp, got "bias"/);
    expect(() => new GradstepOptimizer(make, { backend: 'gpu' as never })).toThrow(/backend must be 'wasm' or 'js', got "gpu"/);
    expect(() => new GradstepOptimizer(make, { learningRate: 1 } as never)).toThrow(/unknown option "learningRate"/);
    expect(() => new GradstepOptimizer((params) => new Adam(params.flatMap((g) => g.params)), { groups: [{ match: /b/ }] })).toThrow(/over the parameter groups it is given/);
    expect(() => new GradstepOptimizer(make, { groups: [{ match: /b/, lr: -1 }] })).toThrow(RangeError);
    const optimizer = new GradstepOptimizer(make);
    expect(() => optimizer.paramGroups[0].lr = -1).toThrow(RangeError);
    const other = new GradstepOptimizer((params) => new SGD(params));
    expect(() => optimizer.loadStateDict(other.stateDict())).toThrow(/state of "SGD", not of Adam/);
    expect(() => optimizer.applyGradients([{ name: 'no-such-variable', tensor: tf.scalar(1) }])).toThrow(/no tfjs variable is named "no-such-variable"/);
    optimizer.dispose();
    other.dispose();
    expect(() => optimizer.applyGradients({})).toThrow(/disposed/);
  });
});
