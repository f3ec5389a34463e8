// The packed package installed from its tarball into a throwaway project, used as a user would from
// Node: ESM and CommonJS, the inline entry, custom wasm sources, worker_threads and the .d.ts files.
// Every run gives the same bits as the built package in this process.
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as gradstep from 'gradstep';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsumerProject, packageDir, someReferenceCases, type ConsumerProject } from './consumer-project.js';
import { trainingRun } from './training-run.mjs';

const run = promisify(execFile);

let project: ConsumerProject;
let expected: Awaited<ReturnType<typeof trainingRun>>['results'];
const cases = someReferenceCases();

beforeAll(async () => {
  project = createConsumerProject('node');
  project.write('cases.json', JSON.stringify(cases));
  expected = (await trainingRun(gradstep, { cases })).results;
}, 120_000);

afterAll(() => project?.remove());

async function node(file: string, ...args: string[]): Promise<{ resolved: string; simd: boolean; results: Record<string, string>; [key: string]: unknown }> {
  const { stdout } = await run(process.execPath, [file, ...args], { cwd: project.dir, timeout: 60_000 });
  return JSON.parse(stdout);
}

function expectSameBits(results: Record<string, string>): void {
  expect(Object.keys(results).sort()).toEqual(Object.keys(expected).sort());
  for (const [name, bits] of Object.entries(results)) expect(bits, name).toBe(expected[name]);
  // …and so the two backends agree with each other.
  for (const name of Object.keys(results).filter((n) => n.endsWith('/wasm'))) expect(results[name], name).toBe(results[name.replace(/\/wasm$/, '/js')]);
}

const ESM = (specifier: string) => `
import { readFileSync } from 'node:fs';
import * as gradstep from '${specifier}';
import { trainingRun } from './training-run.mjs';
const initOptions = JSON.parse(process.argv[2] ?? '{}');
const cases = JSON.parse(readFileSync('cases.json', 'utf8'));
const out = await trainingRun(gradstep, { initOptions, cases });
process.stdout.write(JSON.stringify({ resolved: import.meta.resolve('${specifier}'), ...out }));
`;

const CJS = (specifier: string) => `
const { readFileSync } = require('node:fs');
const gradstep = require('${specifier}');
const { trainingRun } = require('./training-run.cjs');
const cases = JSON.parse(readFileSync('cases.json', 'utf8'));
const sync = process.argv[2] === 'sync';
if (sync) gradstep.initSync();
const simdAfterInitSync = gradstep.wasmSimd();
trainingRun(gradstep, { cases }).then((out) => {
  process.stdout.write(JSON.stringify({ resolved: require.resolve('${specifier}'), simdAfterInitSync, ...out }));
});
`;

describe('Node, from the installed tarball', () => {
  it('import from ESM resolves to the Node build and gives the same bits on both backends', async () => {
    const out = await node(project.write('esm.mjs', ESM('gradstep')));
    expect(out.resolved).toMatch(/node_modules\/gradstep\/dist\/index\.js$/);
    expect(out.simd).toBe(true);
    expectSameBits(out.results);
  });

  it('the scalar build (init({ simd: false })) gives the same bits', async () => {
    const out = await node(join(project.dir, 'esm.mjs'), JSON.stringify({ simd: false }));
    expect(out.simd).toBe(false);
    expectSameBits(out.results);
  });

  it("require('gradstep') from CommonJS resolves to the CommonJS build and gives the same bits", async () => {
    const out = await node(project.write('cjs.cjs', CJS('gradstep')));
    expect(out.resolved).toMatch(/node_modules\/gradstep\/dist\/index\.cjs$/);
    expect(out.simd).toBe(true);
    expectSameBits(out.results);
  });

  it('gradstep/inline (wasm inlined as base64) from ESM', async () => {
    const out = await node(project.write('inline.mjs', ESM('gradstep/inline')));
    expect(out.resolved).toMatch(/dist\/inline\.js$/);
    expect(out.simd).toBe(true);
    expectSameBits(out.results);
  });

  it('gradstep/inline from CommonJS, loaded synchronously with initSync()', async () => {
    const out = await node(project.write('inline.cjs', CJS('gradstep/inline')), 'sync');
    expect(out.resolved).toMatch(/dist\/inline\.cjs$/);
    expect(out.simdAfterInitSync).toBe(true);
    expectSameBits(out.results);
  });

  it('init() and initSync() together: concurrent calls share one load, initSync() refuses to race it, unknown options throw', async () => {
    const script = project.write(
      'init-races.mjs',
      `
import { init, initSync, wasmSimd, param } from 'gradstep/inline';
const out = {};
try { await init({ wsam: 'typo' }); } catch (e) { out.unknownOption = e.message; }
const a = init();
const b = init({ simd: false }); // ignored: the first call's load is under way
out.samePromise = a === b;
try { initSync(); } catch (e) { out.syncDuringLoad = e.message; }
await Promise.all([a, b]);
initSync(); // a no-op once loaded
out.simd = wasmSimd();
out.works = Array.from(param([1, 2], { backend: 'wasm' }).value);
process.stdout.write(JSON.stringify(out));
`,
    );
    const { stdout } = await run(process.execPath, [script], { cwd: project.dir, timeout: 60_000 });
    expect(JSON.parse(stdout)).toEqual({
      unknownOption: 'gradstep: init() has no option "wsam" (options: wasm, simd)',
      samePromise: true,
      syncDuringLoad: 'gradstep: initSync() called while init() is loading; await init() instead',
      simd: true,
      works: [1, 2],
    });
  });

  it('init({ wasm }) takes a file path, a file: URL, bytes, a compiled module or a promise of bytes', async () => {
    const script = project.write(
      'sources.mjs',
      `
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import * as gradstep from 'gradstep';
import { trainingRun } from './training-run.mjs';
const path = createRequire(import.meta.url).resolve('gradstep/gradstep_wasm_scalar.wasm');
const sources = {
  path: () => path,
  url: () => pathToFileURL(path),
  urlString: () => pathToFileURL(path).href,
  bytes: () => readFileSync(path),
  module: () => new WebAssembly.Module(readFileSync(path)),
  promise: () => Promise.resolve(readFileSync(path)),
};
const out = await trainingRun(gradstep, { initOptions: { wasm: sources[process.argv[2]]() } });
process.stdout.write(JSON.stringify({ resolved: path, ...out }));
`,
    );
    for (const source of ['path', 'url', 'urlString', 'bytes', 'module', 'promise']) {
      const out = await node(script, source);
      // The scalar .wasm was given explicitly, whatever the runtime supports.
      expect(out.simd, source).toBe(false);
      for (const [name, bits] of Object.entries(out.results)) expect(bits, `${source}: ${name}`).toBe(expected[name]);
    }
  });

  it('worker_threads: each worker loads its own instance (by default, or from a module posted to it)', async () => {
    const script = project.write(
      'workers.mjs',
      `
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import * as gradstep from 'gradstep';
import { trainingRun } from './training-run.mjs';
if (isMainThread) {
  const cases = JSON.parse(readFileSync('cases.json', 'utf8'));
  const mainRun = await trainingRun(gradstep, { cases });
  // Loaded in this thread: the workers must still load their own.
  const kept = gradstep.param([1, 2, 3], { backend: 'wasm' });
  const wasmPath = createRequire(import.meta.url).resolve('gradstep/gradstep_wasm_bg.wasm');
  const module = await WebAssembly.compile(readFileSync(wasmPath));
  const start = (data) => new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: data });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error('worker exited with ' + code)));
  });
  const workers = await Promise.all([start({ cases }), start({ cases }), start({ cases, module })]);
  const mainStillFine = Array.from(kept.value);
  process.stdout.write(JSON.stringify({ resolved: '', ...mainRun, workers, mainStillFine }));
} else {
  const before = gradstep.wasmSimd();
  const initOptions = workerData.module ? { wasm: workerData.module } : undefined;
  const out = await trainingRun(gradstep, { cases: workerData.cases, initOptions });
  parentPort.postMessage({ before, ...out });
}
`,
    );
    const out = await node(script);
    expectSameBits(out.results);
    expect(out.mainStillFine).toEqual([1, 2, 3]);
    const workers = out.workers as { before: boolean | null; simd: boolean; results: Record<string, string> }[];
    expect(workers).toHaveLength(3);
    for (const worker of workers) {
      expect(worker.before).toBeNull();
      expect(worker.simd).toBe(true);
      expectSameBits(worker.results);
    }
  });

  // The declarations use Symbol.dispose (Param, Optimizer are Disposable): a consumer that checks
  // libraries' .d.ts (skipLibCheck: false) needs lib esnext.disposable (TypeScript 5.2+).
  it('TypeScript finds the declarations of every entry, from ESM and from CommonJS (module: node16)', async () => {
    project.write('tsconfig.json', JSON.stringify({ compilerOptions: { module: 'node16', moduleResolution: 'node16', target: 'es2022', lib: ['es2022', 'esnext.disposable', 'dom'], types: [], strict: true, noEmit: true, skipLibCheck: false }, files: ['types-esm.mts', 'types-cjs.cts'] }));
    project.write(
      'types-esm.mts',
      `import { init, param, Adam, type InitOptions } from 'gradstep';
import { initSync } from 'gradstep/inline';
const options: InitOptions = { wasm: new URL('https://example.invalid/gradstep_wasm_bg.wasm'), simd: true };
export async function main(): Promise<number> { await init(options); initSync(); const p = param(3); new Adam([p], { lr: 0.1 }).step(); return p.value[0]; }
`,
    );
    project.write(
      'types-cjs.cts',
      `import gradstep = require('gradstep');
import inline = require('gradstep/inline');
export async function main(): Promise<void> { await gradstep.init({ simd: false }); inline.initSync({ wasm: new Uint8Array(8) }); }
`,
    );
    const tsc = join(packageDir, 'node_modules/typescript/bin/tsc');
    await expect(run(process.execPath, [tsc, '-p', project.dir], { cwd: project.dir, timeout: 60_000 })).resolves.toBeDefined();
  });
});

describe('the tarball', () => {
  const dist = () => join(project.installed, 'dist');
  const js = () => readdirSync(dist()).filter((f) => /\.c?js$/.test(f));

  it('holds every file the exports map names, and declares side effects only in the entries (they register their hosts; gradstep/tfjs registers its class with tfjs), not in the shared chunks', () => {
    const manifest = JSON.parse(readFileSync(join(project.installed, 'package.json'), 'utf8'));
    const entries = ['index.js', 'index.cjs', 'browser.js', 'inline.js', 'inline.cjs', 'tfjs.js', 'tfjs.cjs'];
    expect(manifest.sideEffects).toEqual(entries.map((file) => `./dist/${file}`));
    // Every other module of dist/ is a chunk without top-level effects (tree-shaken freely).
    const chunks = js().filter((f) => !entries.includes(f) && !f.startsWith('recipe-task-'));
    for (const chunk of chunks) expect(chunk).toMatch(/^chunk-[A-Z0-9]+\.js$/);
    const targets: string[] = [];
    const walk = (node: unknown): void => {
      if (typeof node === 'string') targets.push(node);
      else if (node && typeof node === 'object') Object.values(node).forEach(walk);
    };
    walk(manifest.exports);
    walk([manifest.main, manifest.module, manifest.types]);
    for (const target of targets) expect(() => readFileSync(join(project.installed, target)), target).not.toThrow();
  });

  it('the browser and inline ESM entries never load a Node module (not even through their chunks)', () => {
    for (const entry of ['browser.js', 'inline.js']) {
      const seen = new Set<string>();
      const visit = (file: string): void => {
        if (seen.has(file)) return;
        seen.add(file);
        const code = readFileSync(join(dist(), file), 'utf8');
        // A bare 'fs' etc. only as an import specifier: `{ type: 'module' }` (a module Web Worker) is fine.
        expect(code, file).not.toMatch(/["']node:|\brequire\(|(\bfrom|\bimport)\s*\(?\s*["'](fs|path|url|module)(\/promises)?["']/);
        for (const [, next] of code.matchAll(/from\s*["']\.\/([^"']+)["']/g)) visit(next);
      };
      visit(entry);
      expect(seen.size, entry).toBeGreaterThan(1);
    }
  });

  it('no code needs unsafe-eval (no eval, no Function constructor)', () => {
    for (const file of js()) {
      const code = readFileSync(join(dist(), file), 'utf8');
      expect(code, file).not.toMatch(/\beval\s*\(|\bnew\s+Function\b|[^.\w]Function\s*\(/);
    }
  });

  it('the inline entries hold both builds, byte for byte', () => {
    const inline = readFileSync(join(dist(), 'inline.js'), 'utf8');
    for (const wasm of ['gradstep_wasm_bg.wasm', 'gradstep_wasm_scalar.wasm']) {
      expect(inline.includes(readFileSync(join(dist(), wasm)).toString('base64')), wasm).toBe(true);
    }
  });
});
