// The examples README points to run from the built package and print sensible results.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const run = (file: string, ...args: string[]) => execFileSync(process.execPath, [file, ...args], { encoding: 'utf8', timeout: 120_000 });

describe('examples', () => {
  it('train-every-optimizer.mjs trains with every optimizer and both backends agree', () => {
    const out = run('examples/train-every-optimizer.mjs');
    const finalLosses = [...out.matchAll(/^(.{16}) wasm .* ([\d.]+)\s*$/gm)].map((m) => [m[1].trim(), Number(m[2])] as const);
    expect(finalLosses.map(([name]) => name)).toEqual(['GD (SGD)', 'Momentum', 'Nesterov (NAG)', 'Adagrad', 'Adadelta', 'RMSprop', 'Adam', 'Adam (Keras ε̂)', 'AdamW']);
    for (const [, loss] of finalLosses) expect(loss).toBeLessThan(0.45); // from log 2 ≈ 0.693
    expect(out.match(/ yes$/gm)).toHaveLength(9);
  });

  it('train-mlp.mjs trains the digits MLP with early stopping', () => {
    const out = run('examples/train-mlp.mjs');
    expect(out).toMatch(/stopped: (early-stopping|completed) after \d+ epochs/);
    expect(Number(out.match(/validation accuracy ([\d.]+)/)![1])).toBeGreaterThan(0.95);
  });

  it('fit-async.mjs trains with fitAsync, aborts mid-epoch, resumes from the last checkpoint to the bits of an uninterrupted fit()', () => {
    const out = run('examples/fit-async.mjs');
    expect(out).toContain('aborted in epoch 4 after 3 checkpoints');
    expect(out).toMatch(/resumed: 6 epochs, 174 steps, final train accuracy 0\.9\d+/);
    expect(out).toContain('same weights as an uninterrupted fit(): yes');
  });

  it('model-selection.mjs runs the README model-selection examples', () => {
    const out = run('examples/model-selection.mjs');
    const number = (pattern: RegExp) => Number(out.match(pattern)![1]);
    expect(out).toContain('trainTestSplit: 300 train / 100 test');
    expect(number(/5-fold CV accuracy: ([\d.]+)/)).toBeGreaterThan(0.8);
    expect(number(/bagging 25 trees: test accuracy ([\d.]+)/)).toBeGreaterThan(0.75);
    expect(number(/AdaBoost \(SAMME, 50 stumps\): test accuracy ([\d.]+)/)).toBeGreaterThan(0.75);
    const [loss, bias, variance] = out.match(/loss ([\d.]+), bias ([\d.]+), variance ([\d.]+)/)!.slice(1).map(Number);
    expect(loss).toBeGreaterThan(0);
    expect(bias + variance).toBeGreaterThan(0);
    const [lower, upper] = out.match(/interval of the mean CV accuracy: \[([\d.]+), ([\d.]+)\]/)!.slice(1).map(Number);
    expect(lower).toBeLessThanOrEqual(upper);
  });

  it('continue-in-pytorch.mjs trains in gradstep and writes a checkpoint for torch.optim.Adam', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'gradstep-example-')), 'digits.safetensors');
    const out = run('examples/continue-in-pytorch.mjs', path);
    expect(out).toMatch(/trained 3 epochs in gradstep: accuracy 0\.9\d+, 171 Adam steps/);
    expect(out).toContain('model.0.bias, model.0.weight, model.2.bias, model.2.weight; torch.optim.Adam state for 4 params');
    expect(readFileSync(path).length).toBeGreaterThan(20_000);
  });

  it('fine-tune-pytorch-weights.mjs loads weights PyTorch saved and fine-tunes them', () => {
    const out = run('examples/fine-tune-pytorch-weights.mjs');
    const before = Number(out.match(/PyTorch's weights on the new data: accuracy ([\d.]+)/)![1]);
    const after = Number(out.match(/fine-tuned 20 epochs in gradstep: accuracy ([\d.]+)/)![1]);
    expect(before).toBeGreaterThan(0.85); // torch's weights arrived intact: far above chance
    expect(after).toBeGreaterThanOrEqual(before);
  });

  it('train-tfjs-model.mjs trains a tfjs model through model.fit with gradstep AdamW, a one-cycle schedule and clipping', () => {
    const out = run('examples/train-tfjs-model.mjs');
    expect(Number(out.match(/in model\.fit: accuracy ([\d.]+)/)![1])).toBeGreaterThan(0.95); // two moons, noise 0.1
    expect(out).toMatch(/^480 steps; last gradient norm [\d.]+; lr now [\d.]+e-\d+$/m); // OneCycleLR ends near maxLr / 1e4 / 25
    expect(out).toContain('state for dense_Dense1/kernel, dense_Dense1/bias, dense_Dense2/kernel, dense_Dense2/bias');
  });

  it('hyperparameter-search.mjs chooses by CV on the training split, refits, looks at the test split once, and estimates by nested CV', () => {
    const out = run('examples/hyperparameter-search.mjs');
    const ranks = [...out.matchAll(/\(rank (\d)\)/g)].map((m) => Number(m[1])).sort();
    expect(ranks).toEqual([1, 2, 3, 4]);
    const best = out.match(/best: lr ([\d.]+), hidden (\d+); CV accuracy ([\d.]+)/)!;
    const rankOne = out.match(/lr ([\d.]+), hidden (\d+): CV accuracy ([\d.]+) ± [\d.]+ \(rank 1\)/)!;
    expect(best.slice(1)).toEqual(rankOne.slice(1));
    expect(Number(out.match(/test accuracy \(one look\) ([\d.]+)/)![1])).toBeGreaterThan(0.9);
    expect(Number(out.match(/nested CV estimate of the whole procedure: ([\d.]+)/)![1])).toBeGreaterThan(0.9);
    // The recipe search on a kept pool scores every candidate as the callback search did.
    expect(out).toMatch(/on a pool of \d+ worker\(s\): best CV accuracy ([\d.]+); the same scores as the callback search: yes/);
    expect(out.match(/on a pool .*best CV accuracy ([\d.]+)/)![1]).toBe(best[3]);
  });
});
