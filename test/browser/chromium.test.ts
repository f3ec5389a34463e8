// gradstep in real Chromium, installed from its tarball: a page without a bundler (import map),
// under a Content-Security-Policy, the inline entry, Web Workers and a Vite production build. Each
// gives the same bits as the built package in this (Node) process, on both backends, including a few
// torch.optim reference cases.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as gradstep from 'gradstep';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsumerProject, repoRoot, someReferenceCases, type ConsumerProject } from '../packaging/consumer-project.js';
import { trainingRun } from '../packaging/training-run.mjs';
import { launchChromium, runPage, type Chromium } from './chromium.js';
import { startStaticServer, type StaticServer } from './static-server.js';

type Run = Awaited<ReturnType<typeof trainingRun>>;

let project: ConsumerProject;
let server: StaticServer;
/** Another origin serving the same files with CORS: a CDN. */
let cdn: StaticServer;
let browser: Chromium;
let expected: Run['results'];
const cases = someReferenceCases();

// Shared by the pages: fetch the cases, run, and report through globalThis.__done.
const RUN_PAGE = `
import { trainingRun } from './training-run.mjs';
export async function pageRun(gradstep) {
  const query = new URLSearchParams(location.search);
  const cases = await (await fetch(new URL('./cases.json', import.meta.url))).json();
  const initOptions = {};
  if (query.has('simd')) initOptions.simd = query.get('simd') === '1';
  if (query.has('wasm')) initOptions.wasm = query.get('wasm');
  return trainingRun(gradstep, { cases, initOptions });
}
export function report(work) {
  work().then(
    (result) => { globalThis.__done = { ok: true, result }; },
    (error) => { globalThis.__done = { ok: false, error: String((error && error.stack) || error) }; },
  );
}
export function evalIsBlocked() {
  try { (0, eval)('1'); return false; } catch { return true; }
}
`;

const html = (title: string, head: string) =>
  `<!doctype html>\n<html><head><meta charset="utf-8"><title>${title}</title><link rel="icon" href="data:,">\n${head}\n</head><body></body></html>\n`;

const WORKER = `
import * as gradstep from './node_modules/gradstep/dist/browser.js';
import { trainingRun } from './training-run.mjs';
self.onmessage = async ({ data }) => {
  try {
    const before = gradstep.wasmSimd();
    const initOptions = data.module ? { wasm: data.module } : undefined;
    self.postMessage({ ok: true, before, ...(await trainingRun(gradstep, { cases: data.cases, initOptions })) });
  } catch (error) {
    self.postMessage({ ok: false, error: String((error && error.stack) || error) });
  }
};
`;

const WORKER_APP = `
import * as gradstep from './node_modules/gradstep/dist/browser.js';
import { pageRun, report } from './run-page.js';
function inWorker(message) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    worker.onmessage = ({ data }) => { worker.terminate(); data.ok ? resolve(data) : reject(new Error(data.error)); };
    worker.onerror = (event) => { worker.terminate(); reject(new Error('worker error: ' + event.message)); };
    worker.postMessage(message);
  });
}
report(async () => {
  const main = await pageRun(gradstep);
  const cases = await (await fetch('./cases.json')).json();
  // Compiled once here, posted to a worker (a WebAssembly.Module is structured-cloneable).
  const module = await WebAssembly.compileStreaming(fetch('./node_modules/gradstep/dist/gradstep_wasm_bg.wasm'));
  const workers = await Promise.all([inWorker({ cases }), inWorker({ cases, module })]);
  return { main, workers };
});
`;

const VITE_MAIN = `
import * as gradstep from 'gradstep';
import { trainingRun } from '../training-run.mjs';
import cases from '../cases.json';
function inWorker() {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    worker.onmessage = ({ data }) => { worker.terminate(); data.ok ? resolve(data) : reject(new Error(data.error)); };
    worker.onerror = (event) => { worker.terminate(); reject(new Error('worker error: ' + event.message)); };
  });
}
Promise.all([trainingRun(gradstep, { cases }), inWorker()]).then(
  ([main, worker]) => { globalThis.__done = { ok: true, result: { main, worker } }; },
  (error) => { globalThis.__done = { ok: false, error: String((error && error.stack) || error) }; },
);
`;

const VITE_WORKER = `
import * as gradstep from 'gradstep';
import { trainingRun } from '../training-run.mjs';
import cases from '../cases.json';
trainingRun(gradstep, { cases }).then(
  (result) => self.postMessage({ ok: true, ...result }),
  (error) => self.postMessage({ ok: false, error: String((error && error.stack) || error) }),
);
`;

// README's "Fine-tune PyTorch weights in the browser": weights PyTorch saved, fetched, loaded into the
// equivalent MLP, fine-tuned, exported again (examples/fine-tune-pytorch-weights.mjs in Node).
const FINE_TUNE = `
import * as gradstep from './node_modules/gradstep/dist/browser.js';
import { report } from './run-page.js';
export async function fineTune(g, bytes) {
  const model = new g.MLP({ layers: [2, 16, 2] });
  g.importModelState(model, bytes);
  const data = g.makeMoons({ samples: 200, noise: 0.3, seed: 5 });
  const before = model.evaluate(data.X, data.y).accuracy;
  g.fit(model, data, { optimizer: new g.Adam(model.params, { lr: 3e-3 }), epochs: 5, batchSize: 32, seed: 1 });
  return { before, after: model.evaluate(data.X, data.y).accuracy, exported: Array.from(g.exportModelState(model)) };
}
report(async () => {
  await gradstep.init();
  const bytes = new Uint8Array(await (await fetch('./moons-mlp.safetensors')).arrayBuffer());
  return fineTune(gradstep, bytes);
});
`;

function writePages(p: ConsumerProject): void {
  p.write('cases.json', JSON.stringify(cases));
  copyFileSync(join(repoRoot, 'examples/pytorch/moons-mlp.safetensors'), join(p.dir, 'moons-mlp.safetensors'));
  p.write('finetune.html', html('gradstep: fine-tune PyTorch weights', '<script type="module" src="./finetune-app.js"></script>'));
  p.write('finetune-app.js', FINE_TUNE);
  p.write('run-page.js', RUN_PAGE);
  // No bundler: an import map names the package's browser build.
  const importMap = { imports: { gradstep: './node_modules/gradstep/dist/browser.js', 'gradstep/inline': './node_modules/gradstep/dist/inline.js' } };
  p.write('importmap.html', html('gradstep: import map', `<script type="importmap">${JSON.stringify(importMap)}</script>\n<script type="module" src="./importmap-app.js"></script>`));
  p.write('importmap-app.js', `import * as gradstep from 'gradstep';\nimport { pageRun, report } from './run-page.js';\nreport(() => pageRun(gradstep));\n`);
  // A strict CSP forbids inline scripts, import maps included: these pages import by path.
  p.write('direct.html', html('gradstep: by path', '<script type="module" src="./direct-app.js"></script>'));
  p.write('direct-app.js', `import * as gradstep from './node_modules/gradstep/dist/browser.js';\nimport { evalIsBlocked, pageRun, report } from './run-page.js';\nreport(async () => ({ evalBlocked: evalIsBlocked(), ...(await pageRun(gradstep)) }));\n`);
  p.write('inline.html', html('gradstep/inline', '<script type="module" src="./inline-app.js"></script>'));
  p.write('inline-app.js', `import * as gradstep from './node_modules/gradstep/dist/inline.js';\nimport { evalIsBlocked, pageRun, report } from './run-page.js';\nreport(async () => ({ evalBlocked: evalIsBlocked(), ...(await pageRun(gradstep)) }));\n`);
  p.write('worker.html', html('gradstep in Web Workers', '<script type="module" src="./worker-app.js"></script>'));
  p.write('worker-app.js', WORKER_APP);
  p.write('worker.js', WORKER);
  mkdirSync(join(p.dir, 'vite-app'));
  p.write('vite-app/index.html', html('gradstep with Vite', '<script type="module" src="./main.js"></script>'));
  p.write('vite-app/main.js', VITE_MAIN);
  p.write('vite-app/worker.js', VITE_WORKER);
}

async function buildViteApp(p: ConsumerProject): Promise<void> {
  // The workspace's vite (a root devDependency), run on the throwaway project: it resolves 'gradstep'
  // from the project's node_modules, where the tarball is installed.
  const vite = join(repoRoot, 'node_modules/vite/bin/vite.js');
  await promisify(execFile)(process.execPath, [vite, 'build', join(p.dir, 'vite-app'), '--base', './', '--logLevel', 'warn'], {
    cwd: p.dir,
    timeout: 120_000,
    env: { ...process.env, NODE_ENV: 'production' },
  });
}

beforeAll(async () => {
  project = createConsumerProject('browser');
  writePages(project);
  expected = (await trainingRun(gradstep, { cases })).results;
  [server, cdn, browser] = await Promise.all([startStaticServer(project.dir), startStaticServer(project.dir, { cors: true }), launchChromium(), buildViteApp(project)]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await cdn?.close();
  project?.remove();
}, 60_000);

function expectSameBits(run: Run, what: string): void {
  expect(Object.keys(run.results).sort(), what).toEqual(Object.keys(expected).sort());
  for (const [name, bits] of Object.entries(run.results)) expect(bits, `${what}: ${name}`).toBe(expected[name]);
}

async function open<T>(path: string): Promise<T> {
  const outcome = await runPage<T>(browser.context, server.origin + path);
  expect(outcome.ok, `${path}: ${outcome.error}\n${outcome.messages.join('\n')}`).toBe(true);
  expect(outcome.messages, path).toEqual([]);
  return outcome.result!;
}

const wasmRequests = (since: number) => server.requests.slice(since).filter((r) => r.path.endsWith('.wasm'));

describe('Chromium, from the installed tarball', () => {
  it('a page without a bundler (import map): same bits as Node on both backends, with the SIMD build', async () => {
    const since = server.requests.length;
    const run = await open<Run>('/importmap.html');
    expect(run.simd).toBe(true);
    expectSameBits(run, 'import map page');
    expect(wasmRequests(since).map((r) => [r.path, r.status, r.type])).toEqual([['/node_modules/gradstep/dist/gradstep_wasm_bg.wasm', 200, 'application/wasm']]);
  });

  it('the scalar build (init({ simd: false })) gives the same bits', async () => {
    const run = await open<Run>('/importmap.html?simd=0');
    expect(run.simd).toBe(false);
    expectSameBits(run, 'scalar');
  });

  it("works under Content-Security-Policy: script-src 'self' 'wasm-unsafe-eval' (no 'unsafe-eval')", async () => {
    const run = await open<Run & { evalBlocked: boolean }>('/csp/direct.html');
    expect(run.evalBlocked).toBe(true); // the policy is in force
    expect(run.simd).toBe(true);
    expectSameBits(run, 'CSP page');
  });

  it('init({ wasm: url }) loads the module from another origin (a CDN), under the CSP', async () => {
    const url = `${cdn.origin}/node_modules/gradstep/dist/gradstep_wasm_scalar.wasm`;
    const run = await open<Run>(`/csp/direct.html?wasm=${encodeURIComponent(url)}`);
    // The scalar file was named, whatever the browser supports.
    expect(run.simd).toBe(false);
    expectSameBits(run, 'wasm from a CDN');
    expect(cdn.requests.map((r) => [r.path, r.status])).toEqual([['/node_modules/gradstep/dist/gradstep_wasm_scalar.wasm', 200]]);
  });

  it("without 'wasm-unsafe-eval' the policy forbids wasm: init() rejects, naming the policy", async () => {
    const outcome = await runPage<Run>(browser.context, `${server.origin}/csp-no-wasm/direct.html`);
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toMatch(/Content Security Policy|unsafe-eval/);
  });

  it('gradstep/inline: same bits, and no .wasm is fetched', async () => {
    const since = server.requests.length;
    const run = await open<Run>('/inline.html');
    expect(run.simd).toBe(true);
    expectSameBits(run, 'inline');
    expect(wasmRequests(since)).toEqual([]);
  });

  it("gradstep/inline under the CSP, scalar build", async () => {
    const run = await open<Run & { evalBlocked: boolean }>('/csp/inline.html?simd=0');
    expect(run.evalBlocked).toBe(true);
    expect(run.simd).toBe(false);
    expectSameBits(run, 'inline under CSP');
  });

  it('Web Workers: each loads its own instance (by default, or from a module compiled on the page), under the CSP too', async () => {
    for (const path of ['/worker.html', '/csp/worker.html']) {
      const out = await open<{ main: Run; workers: (Run & { before: boolean | null })[] }>(path);
      expectSameBits(out.main, `${path} page`);
      expect(out.workers).toHaveLength(2);
      out.workers.forEach((worker, i) => {
        expect(worker.before, `${path} worker ${i}`).toBeNull();
        expect(worker.simd).toBe(true);
        expectSameBits(worker, `${path} worker ${i}`);
      });
    }
  });

  it('fine-tunes weights PyTorch saved: fetched, loaded, trained and exported with the same bits as in Node', async () => {
    type FineTune = { before: number; after: number; exported: number[] };
    const page = await open<FineTune>('/finetune.html');
    // The same steps in this Node process (the page's module, run here on the built package).
    const model = new gradstep.MLP({ layers: [2, 16, 2] });
    gradstep.importModelState(model, readFileSync(join(repoRoot, 'examples/pytorch/moons-mlp.safetensors')));
    const data = gradstep.makeMoons({ samples: 200, noise: 0.3, seed: 5 });
    const before = model.evaluate(data.X, data.y).accuracy;
    gradstep.fit(model, data, { optimizer: new gradstep.Adam(model.params, { lr: 3e-3 }), epochs: 5, batchSize: 32, seed: 1 });
    expect(page.before).toBe(before);
    expect(page.before).toBeGreaterThan(0.85); // PyTorch's weights arrived intact
    expect(page.after).toBe(model.evaluate(data.X, data.y).accuracy);
    expect(page.exported).toEqual(Array.from(gradstep.exportModelState(model)));
  });

  it('a Vite production build (page and module worker): the .wasm is emitted as an asset and served as application/wasm', async () => {
    const since = server.requests.length;
    const out = await open<{ main: Run; worker: Run }>('/vite-app/dist/index.html');
    expectSameBits(out.main, 'Vite page');
    expectSameBits(out.worker, 'Vite worker');
    const wasm = wasmRequests(since);
    expect(wasm.length).toBeGreaterThan(0);
    for (const request of wasm) {
      expect(request.path).toMatch(/^\/vite-app\/dist\/assets\/gradstep_wasm_bg-[\w-]+\.wasm$/);
      expect(request.status).toBe(200);
      expect(request.type).toBe('application/wasm');
    }
  });
});
