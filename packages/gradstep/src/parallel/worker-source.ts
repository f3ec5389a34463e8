/**
 * The worker side of the pool, as source text: a Node worker is created from a data: URL of it
 * and a browser module worker from a Blob URL of it, so there is no worker file for bundlers (or
 * tsup's CommonJS build) to locate, and the worker loads nothing of gradstep: only the task module.
 *
 * It is a string, not a function's `toString()`, so that no bundler or test transform rewrites it
 * (Vite's SSR transform rewrites `import()`). Keep `runJob` here the twin of `runJobHere` in
 * pool.ts: same calls in the same order, same early stops.
 *
 * Protocol (pool.ts), per call (a kept pool's worker gets one init per call, replacing the last):
 * ← `{ type: 'init', task, scorers, data, folds, raise }`, → `{ type: 'ready' }`
 * or `{ type: 'init-error', error }`; then ← `{ type: 'job', id, params, fold, scoreTrain }`,
 * → `{ type: 'result', id, outcome }` (or `{ type: 'result', id, postError }` when the outcome
 * cannot be cloned).
 */

export const BODY = String.raw`
let fit, scorers, dispose, context, folds, raise;
const now = () => performance.now();
const pack = (e) => {
  if (e !== null && typeof e === 'object' && typeof e.message === 'string') {
    return { name: typeof e.name === 'string' ? e.name : 'Error', message: e.message, stack: typeof e.stack === 'string' ? e.stack : undefined };
  }
  return { thrown: typeof e === 'string' ? e : String(e) };
};
const plain = (v) => (typeof v !== 'function' && typeof v !== 'symbol' ? v : '[' + (typeof v === 'function' ? 'a function' : 'a symbol') + ']');
async function scoreSide(model, rows, into) {
  for (const scorer of scorers) {
    let v;
    try {
      v = await scorer(model, rows, context);
    } catch (e) {
      into.push({ e: pack(e) });
      if (raise) return false;
      continue;
    }
    into.push({ v: plain(v) });
    if (typeof v !== 'number') return false;
  }
  return true;
}
async function runJob(params, fold, scoreTrain) {
  const started = now();
  let model;
  try {
    model = await fit({ ...params }, fold.train, context);
  } catch (e) {
    return { fitTime: now() - started, scoreTime: 0, fitError: pack(e), test: [] };
  }
  const fitted = now();
  const test = [];
  try {
    const go = await scoreSide(model, fold.test, test);
    const outcome = { fitTime: fitted - started, scoreTime: now() - fitted, test };
    if (scoreTrain && go) {
      outcome.train = [];
      await scoreSide(model, fold.train, outcome.train);
    }
    return outcome;
  } finally {
    if (dispose) await dispose(model, context);
  }
}
async function handle(m) {
  if (m.type === 'init') {
    try {
      const mod = await import(m.task);
      if (typeof mod.fit !== 'function') throw new TypeError('the task module ' + m.task + ' exports no fit function');
      fit = mod.fit;
      const score = mod.score;
      scorers = typeof score === 'function' ? [score] : m.scorers.map((name) => {
        const s = score !== null && typeof score === 'object' ? score[name] : undefined;
        if (typeof s !== 'function') throw new TypeError('the task module ' + m.task + ' exports no score function ' + name + ' in this worker');
        return s;
      });
      dispose = typeof mod.dispose === 'function' ? mod.dispose : undefined;
      folds = m.folds;
      raise = m.raise;
      context = typeof mod.setup === 'function' ? (await mod.setup(m.data)) ?? m.data : m.data;
      post({ type: 'ready' });
    } catch (e) {
      post({ type: 'init-error', error: pack(e) });
    }
    return;
  }
  if (m.type === 'job') {
    const outcome = await runJob(m.params, folds[m.fold], m.scoreTrain);
    try {
      post({ type: 'result', id: m.id, outcome });
    } catch (e) {
      post({ type: 'result', id: m.id, postError: pack(e) });
    }
  }
}
`;

/** A browser module worker (`new Worker(blobUrl, { type: 'module' })`). */
export const BROWSER_WORKER_SOURCE = `const post = (m) => self.postMessage(m);
${BODY}
self.onmessage = (event) => { handle(event.data); };
`;
