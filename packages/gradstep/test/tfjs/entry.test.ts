// gradstep/tfjs is a separate entry: the main entries never mention tfjs, and the tfjs entry reaches
// gradstep through the package name, so its params and the user's optimizer classes are one copy of
// gradstep in ES modules and in CommonJS alike.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('../..', import.meta.url));
const dist = new URL('../../dist/', import.meta.url);
const read = (file: string) => readFileSync(new URL(file, dist), 'utf8');

describe('the gradstep/tfjs entry', () => {
  it('no file of the main entries (ESM chunks, CommonJS, types) imports tfjs', () => {
    const files = readdirSync(dist).filter((f) => /\.(js|cjs|d\.ts|d\.cts)$/.test(f) && !f.startsWith('tfjs.'));
    expect(files).toEqual(expect.arrayContaining(['index.js', 'browser.js', 'inline.js', 'index.cjs', 'inline.cjs']));
    for (const file of files) expect(read(file), file).not.toMatch(/@tensorflow/);
  });

  it('imports gradstep by its package name, never a bundled copy', () => {
    for (const file of ['tfjs.js', 'tfjs.cjs', 'tfjs.d.ts']) {
      const code = read(file);
      expect(code, file).toMatch(/from ['"]gradstep['"]|require\(['"]gradstep['"]\)/);
      expect(code, file).not.toMatch(/\bclass Param\b|chunk-/);
    }
  });

  it('works from CommonJS with the optimizer classes of require("gradstep")', () => {
    const script = `
      const tf = require('@tensorflow/tfjs-core');
      require('@tensorflow/tfjs-backend-cpu');
      require('@tensorflow/tfjs-layers'); // registers tfjs-core's gradients
      const { init, Adam } = require('gradstep');
      const { GradstepOptimizer } = require('gradstep/tfjs');
      init().then(async () => {
        await tf.setBackend('cpu');
        const w = tf.variable(tf.tensor([1, -2, 3]), true, 'cjs-w');
        const optimizer = new GradstepOptimizer((params) => new Adam(params, { lr: 0.5 }));
        optimizer.minimize(() => tf.sum(tf.square(w)));
        console.log(JSON.stringify(Array.from(w.dataSync())), optimizer.stateDict().variables['cjs-w'].step);
      });`;
    const result = spawnSync(process.execPath, ['--eval', script], { cwd: packageDir, encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    // Adam's first step moves each weight by lr against the sign of its gradient.
    expect(result.stdout.trim()).toBe('[0.5,-1.5,2.5] 1');
  });
});
