// TensorFlow.js, loaded offline from node_modules: the cpu backend (plain JS kernels) and the wasm
// backend (XNNPACK, SIMD). Their optimizers run one kernel per operation per variable.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);

export async function loadTfjs() {
  const tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-cpu');
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const wasmDir = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  wasm.setWasmPaths(pathToFileURL(wasmDir).href + '/');
  const versions = { core: require('@tensorflow/tfjs-core/package.json').version };
  return { tf, versions, wasmDir };
}

/** tfjs optimizer factories matching gradstep configurations (null where tfjs has no equivalent). */
export function tfjsOptimizer(tf, config) {
  const t = tf.train;
  switch (config) {
    case 'SGD': return t.sgd(1e-3);
    case 'SGD momentum': return t.momentum(1e-3, 0.9);
    case 'SGD nesterov': return t.momentum(1e-3, 0.9, true);
    case 'Adagrad': return t.adagrad(1e-2);
    case 'Adadelta': return t.adadelta(1.0, 0.9, 1e-6);
    case 'RMSprop': return t.rmsprop(1e-2, 0.99, 0, 1e-8, false);
    case 'RMSprop centered': return t.rmsprop(1e-2, 0.99, 0, 1e-8, true);
    case 'Adam': return t.adam(1e-3, 0.9, 0.999, 1e-8);
    case 'Adamax': return t.adamax(2e-3, 0.9, 0.999, 1e-8);
    default: return null;
  }
}

/** Variables and constant gradients of the given shapes, and a step function applying them. */
export function tfjsModel(tf, optimizer, sizes) {
  const variables = {};
  const grads = {};
  sizes.forEach((n, i) => {
    variables[`v${i}`] = tf.variable(tf.zeros([n]), true, `v${i}_${Math.random().toString(36).slice(2)}`);
    grads[variables[`v${i}`].name] = tf.fill([n], 0.01);
  });
  return {
    step: () => optimizer.applyGradients(grads),
    dispose: () => {
      optimizer.dispose();
      Object.values(variables).forEach((v) => v.dispose());
      Object.values(grads).forEach((g) => g.dispose());
    },
  };
}
