// A smoke run of the benchmark suite (tiny sizes, short times): it must run end to end, print the
// table and write its JSON. It asserts no timing: speed is measured by `pnpm bench`, not here.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('pnpm bench (smoke)', () => {
  it('runs every mode and peer, prints the table and writes JSON and Markdown', () => {
    const out = mkdtempSync(join(tmpdir(), 'gradstep-bench-'));
    const stdout = execFileSync(
      process.execPath,
      ['--expose-gc', 'bench/run.mjs', '--quick', '--sizes', '1e3', '--time', '5', '--optimizers', 'Adam,SGD momentum', '--out', out],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 240_000 },
    );
    expect(stdout).toMatch(/optimizer\s+shape\s+wasm\s+wasm\+copy\s+js\s+tfjs-wasm\s+tfjs-cpu/);
    const json = JSON.parse(readFileSync(join(out, readdirSync(out).find((f) => f.endsWith('.json'))!), 'utf8'));
    expect(json.machine.wasmSimd).toBe(true);
    expect(json.rows.map((r: { optimizer: string; shape: string }) => `${r.optimizer} ${r.shape}`)).toEqual([
      'Adam 1e+3', 'SGD momentum 1e+3', 'Adam mlp 8 tensors', 'Adam 10x100', 'SGD momentum mlp 8 tensors', 'SGD momentum 10x100',
    ]);
    for (const row of json.rows) {
      expect(Object.keys(row.nsPerParam)).toEqual(expect.arrayContaining(['wasm', 'wasm+copy', 'tfjs-wasm']));
      expect(row.nsPerParam.wasm).toBeGreaterThan(0);
    }
    // The FLOP roofline and the dense-layer GEMMs, twice each; the training suite's models and peers.
    expect(json.kernels.runs).toHaveLength(2);
    for (const run of json.kernels.runs) {
      expect(run.peakGFs).toBeGreaterThan(0);
      expect(run.gemm.map((g: { rows: number; inputs: number; outputs: number }) => `${g.rows}x${g.inputs}x${g.outputs}`)).toContain('64x784x256');
    }
    expect(json.training.map((r: { model: string }) => r.model)).toEqual(['MLP 64-64-10', 'MLP 784-256-128-10', 'MLP 784-512-512-10']);
    expect(Object.keys(json.training[1].msPerStep)).toEqual(['gradstep wasm', 'gradstep js', 'tfjs-wasm', 'tfjs-cpu']);
    for (const times of Object.values(json.training[1].msPerStep) as number[][]) expect(times).toHaveLength(2);
    expect(json.allocation['Adam wasm'].wasmBytesGrown).toBe(0);
    expect(readFileSync(join(out, 'quick.md'), 'utf8')).toContain('| optimizer | shape | wasm |');
    // The forest and boosting fit times: 2 row counts × 2 tree counts each in quick mode.
    for (const name of ['forest', 'boosting']) {
      expect(json.ensembles[name]).toHaveLength(4);
      for (const row of json.ensembles[name] as { ms: number }[]) expect(row.ms).toBeGreaterThan(0);
    }
    // The pool benchmark ran every configuration, each with the result bits of 1 worker.
    for (const name of ['search', 'crossValidate']) {
      expect(Object.keys(json.search[name])).toEqual(['1 worker', '2 workers, a pool per call', '2 workers, kept pool']);
      for (const row of Object.values(json.search[name]) as { sameBits: boolean }[]) expect(row.sameBits).toBe(true);
    }
    // One-row predictions of the three models, gradstep wasm against tfjs-wasm.
    expect(json.predict.map((r: { model: string }) => r.model)).toEqual(['MLP 64-64-10', 'MLP 784-256-128-10', 'MLP 784-512-512-10']);
    // The run takes about a minute on two loaded cores: the test waits as long as the child may run.
  }, 240_000);
});
