/** Shared by the gradstep/tfjs tests: tfjs's backends loaded offline, a small model, recorded gradients, a replay in plain gradstep. */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tfl from '@tensorflow/tfjs-layers';
import { clipGradNorm, param, type Optimizer, type Param } from 'gradstep';
import { GradstepOptimizer, type NamedTensor } from 'gradstep/tfjs';
import { seeded } from '../helpers.js';

export const TFJS_BACKENDS = ['cpu', 'wasm'] as const;

const require = createRequire(import.meta.url);
setWasmPaths(pathToFileURL(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')).href + '/');

export async function useTfjsBackend(name: (typeof TFJS_BACKENDS)[number]): Promise<void> {
  if (!(await tf.setBackend(name))) throw new Error(`tfjs backend ${name} did not load`);
  await tf.ready();
}

/** A 4-8-3 MLP (relu) and seeded data: 32 rows. */
export function smallModel(): { model: tfl.Sequential; x: tf.Tensor; y: tf.Tensor; dispose(): void } {
  const model = tfl.sequential({
    layers: [tfl.layers.dense({ units: 8, inputShape: [4], activation: 'relu' }), tfl.layers.dense({ units: 3 })],
  });
  const x = tf.tensor(Array.from(seeded(1, 32 * 4), (v) => v * 1e3), [32, 4]);
  const y = tf.tensor(Array.from(seeded(2, 32 * 3), (v) => v * 1e3), [32, 3]);
  return {
    model,
    x,
    y,
    dispose() {
      model.dispose();
      tf.dispose([x, y]);
    },
  };
}

/** Every variable's current value, by name. */
export function variableValues(names: readonly string[]): Map<string, Float32Array> {
  return new Map(names.map((name) => [name, Float32Array.from(tf.engine().registeredVariables[name].dataSync() as Float32Array)]));
}

export function trainableNames(model: tfl.LayersModel): string[] {
  return model.trainableWeights.map((w) => w.read().name);
}

/** A GradstepOptimizer that keeps a copy of every gradient it is given (in call order). */
export class RecordingOptimizer extends GradstepOptimizer {
  readonly recorded: [string, Float32Array][][] = [];

  override applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const list = Array.isArray(variableGradients) ? variableGradients : Object.entries(variableGradients).map(([name, tensor]) => ({ name, tensor }));
    this.recorded.push(list.map(({ name, tensor }) => [name, Float32Array.from(tensor.dataSync() as Float32Array)]));
    super.applyGradients(variableGradients);
  }
}

/**
 * The plain gradstep run: params from the initial values, the optimizer `make` builds over them, and
 * each recorded step's gradients written, clipped (in the same order), stepped; `afterStep(t)` runs
 * after step t (1-based), where a scheduler steps.
 */
export function replay(
  initial: Map<string, Float32Array>,
  recorded: [string, Float32Array][][],
  make: (params: Map<string, Param>) => Optimizer<object>,
  options: { clip?: number; afterStep?: (t: number, optimizer: Optimizer<object>) => void } = {},
): Map<string, Float32Array> {
  const params = new Map([...initial].map(([name, values]) => [name, param(values, { name })]));
  const optimizer = make(params);
  recorded.forEach((step, i) => {
    const stepping = step.map(([name, grad]) => {
      const p = params.get(name)!;
      p.grad.set(grad);
      return p;
    });
    if (options.clip !== undefined) clipGradNorm(stepping, options.clip);
    optimizer.step();
    options.afterStep?.(i + 1, optimizer);
  });
  const values = new Map([...params].map(([name, p]) => [name, Float32Array.from(p.value)]));
  optimizer.dispose();
  params.forEach((p) => p.dispose());
  return values;
}
