// The training run every packaging and browser test performs with whatever copy of gradstep it was
// given (a tarball installed into a throwaway project, a Vite bundle, a page, a worker), and that the
// test process performs with the built package: the results must be the same bits.
// Plain JavaScript without imports, so that it runs unchanged in Node (ESM and CommonJS) and browsers.

const LENGTH = 37; // a SIMD body of 9 f32x4 and a tail of 1
const STEPS = 20;

/** A fixed, exactly representable input: integers only, so no runtime's Math library is involved. */
function fixed(seed, i) {
  return (((i * 7919 + seed * 104729) % 2001) - 1000) / 1024;
}

/** The bits of a Float32Array as hex: compares exactly (NaNs included) and survives JSON. */
export function bitsHex(values) {
  const f = Float32Array.from(values);
  return Array.from(new Uint32Array(f.buffer), (word) => word.toString(16).padStart(8, '0')).join('');
}

const RUNS = {
  'Adam lr=0.01': (g, p) => new g.Adam(p, { lr: 0.01 }),
  'SGD momentum=0.9 nesterov': (g, p) => new g.SGD(p, { lr: 0.05, momentum: 0.9, nesterov: true }),
};

function train(gradstep, backend, make, init, grads, lrPerStep) {
  const params = init.map((values) => gradstep.param(values, { backend }));
  const opt = make(params);
  for (let t = 0; t < grads.length; t++) {
    if (lrPerStep) opt.lr = lrPerStep[t];
    params.forEach((p, k) => p.grad.set(grads[t][k]));
    opt.step();
  }
  const out = params.map((p) => bitsHex(p.value)).join('|');
  opt.dispose();
  params.forEach((p) => p.dispose());
  return out;
}

/**
 * Runs 20 steps of Adam and of SGD with Nesterov momentum on a 37-element param with fixed
 * gradients, and optionally reference cases ({ optimizer, options, init, grads, lrPerStep? }), on each
 * backend given (default both). Returns { simd, results: { "name/backend": hex } }.
 * `init` is called first (when 'wasm' is among the backends) with `initOptions`.
 */
export async function trainingRun(gradstep, { backends = ['wasm', 'js'], initOptions, cases = [] } = {}) {
  if (backends.includes('wasm')) await gradstep.init(initOptions);
  const init = [Array.from({ length: LENGTH }, (_, i) => fixed(1, i))];
  const grads = Array.from({ length: STEPS }, (_, t) => [Array.from({ length: LENGTH }, (_, i) => fixed(t + 2, i) / 8)]);
  const results = {};
  for (const backend of backends) {
    for (const [name, make] of Object.entries(RUNS)) {
      results[`${name}/${backend}`] = train(gradstep, backend, (p) => make(gradstep, p), init, grads);
    }
    cases.forEach((c, i) => {
      const make = (p) => new gradstep[c.optimizer](p, c.options);
      results[`case ${i} ${c.optimizer} ${JSON.stringify(c.options)}/${backend}`] = train(gradstep, backend, make, c.init, c.grads, c.lrPerStep);
    });
  }
  return { simd: gradstep.wasmSimd(), results };
}
