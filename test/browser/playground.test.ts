// The playground (playground/): a Vite production build, served from a temp dir and driven in
// Chromium. Checks that it loads offline on the wasm backend, that stepping draws the trajectories on
// the canvas, that switching backend (before a run or in the middle of one) gives bit-identical
// paths, and that the training panel trains without blocking the page. Takes a screenshot; with
// UPDATE_PLAYGROUND_SCREENSHOT=1 it also becomes docs/playground.png.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlaygroundApi } from '../../playground/src/main.js';
import { launchChromium, type Chromium } from './chromium.js';
import { startStaticServer, type StaticServer } from './static-server.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const SURFACES = ['rosenbrock', 'beale', 'saddle', 'quadratic'];

let outDir: string;
let server: StaticServer;
let browser: Chromium;
let page: Page;
const messages: string[] = [];
const requested: string[] = [];

declare const window: { __playground?: PlaygroundApi; __playgroundError?: string };

async function buildPlayground(dir: string): Promise<void> {
  const vite = join(repoRoot, 'node_modules/vite/bin/vite.js');
  await promisify(execFile)(process.execPath, [vite, 'build', 'playground', '--outDir', dir, '--logLevel', 'warn'], {
    cwd: repoRoot,
    timeout: 60_000,
    env: { ...process.env, NODE_ENV: 'production' },
  });
}

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'gradstep-playground-'));
  await buildPlayground(join(outDir, 'site'));
  [server, browser] = await Promise.all([startStaticServer(join(outDir, 'site')), launchChromium()]);
  page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 1000 });
  page.on('pageerror', (error) => messages.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') messages.push(`console.${message.type()}: ${message.text()}`);
  });
  page.on('request', (request) => requested.push(request.url()));
  await page.goto(`${server.origin}/index.html`);
  await page.waitForFunction(() => window.__playground || window.__playgroundError, null, { timeout: 30_000, polling: 50 });
  const error = await page.evaluate(() => window.__playgroundError);
  expect(error, `the page failed to start\n${messages.join('\n')}`).toBeUndefined();
}, 120_000);

afterAll(async () => {
  await page?.close();
  await browser?.close();
  await server?.close();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
}, 60_000);

describe('the playground in Chromium (Vite production build)', () => {
  it('loads from its own origin only, on the wasm backend with SIMD, without errors', async () => {
    const info = await page.evaluate(() => ({ backends: window.__playground!.backends, simd: window.__playground!.simd, backend: window.__playground!.race.race.backend }));
    expect(info).toEqual({ backends: ['wasm', 'js'], simd: true, backend: 'wasm' });
    const foreign = requested.filter((url) => !url.startsWith(server.origin + '/') && !url.startsWith('data:'));
    expect(foreign).toEqual([]);
    expect(requested.some((url) => /\/assets\/gradstep_wasm_bg-[\w-]+\.wasm$/.test(url))).toBe(true);
    expect(messages).toEqual([]);
  });

  it('draws every optimizer\'s trajectory on the contour plot', async () => {
    const result = await page.evaluate(() => {
      const panel = window.__playground!.race;
      panel.pause();
      panel.setBackend('wasm');
      panel.setSurface('rosenbrock');
      panel.step(150);
      const canvas = panel.plot.canvas;
      const drawn = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      const background = panel.plot.background.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      const differs = (px: number, py: number) => {
        const i = 4 * (Math.round(py) * canvas.width + Math.round(px));
        return Math.abs(drawn[i] - background[i]) + Math.abs(drawn[i + 1] - background[i + 1]) + Math.abs(drawn[i + 2] - background[i + 2]) > 24;
      };
      const inside = (px: number, py: number) => px >= 1 && py >= 1 && px < canvas.width - 1 && py < canvas.height - 1;
      const [sx, sy] = panel.plot.toPixel(panel.race.start[0], panel.race.start[1]);
      return panel.race.racers.filter((r) => r.enabled).map((r) => {
        // Points every 3 px along the drawn path, away from the start marker.
        let checked = 0, changed = 0, length = 0;
        for (let i = 2; i < r.path.length; i += 2) {
          const [ax, ay] = panel.plot.toPixel(r.path[i - 2], r.path[i - 1]);
          const [bx, by] = panel.plot.toPixel(r.path[i], r.path[i + 1]);
          const segment = Math.hypot(bx - ax, by - ay);
          for (let s = 0; s < segment; s += 3) {
            const px = ax + ((bx - ax) * s) / segment, py = ay + ((by - ay) * s) / segment;
            if (!inside(px, py) || Math.hypot(px - sx, py - sy) < 8) continue;
            checked++;
            if (differs(px, py)) changed++;
          }
          length += segment;
        }
        const [hx, hy] = panel.plot.toPixel(r.path[r.path.length - 2], r.path[r.path.length - 1]);
        return { id: r.spec.id, points: r.path.length / 2, length, checked, changed, head: inside(hx, hy) ? differs(hx, hy) : null };
      });
    });
    if (process.env.DEBUG_PLAYGROUND) console.log(result);
    expect(result.map((r) => r.id)).toEqual(['sgd', 'momentum', 'nesterov', 'adagrad', 'adadelta', 'rmsprop', 'adam', 'adamw']);
    for (const r of result) {
      expect(r.points, r.id).toBe(151);
      expect(r.head, `${r.id}: the marker at the current position`).toBe(true);
      if (r.checked > 0) expect(r.changed / r.checked, `${r.id}: ${r.changed} of ${r.checked} path pixels drawn`).toBeGreaterThan(0.9);
    }
    // Most paths are long enough on the plot to check along their whole length.
    expect(result.filter((r) => r.length > 30 && r.checked >= 10).length).toBeGreaterThanOrEqual(6);
  });

  it('switching backend keeps the numbers bit-identical, before a run and in the middle of one, on every surface', async () => {
    const runs = await page.evaluate((surfaces) => {
      const api = window.__playground!;
      const panel = api.race;
      panel.pause();
      panel.enable('all');
      const run = (surface: string, plan: ('wasm' | 'js')[]) => {
        panel.setBackend(plan[0]);
        panel.setSurface(surface);
        const callsBefore = api.memoryStats().wasmStepCalls;
        for (const backend of plan) {
          panel.setBackend(backend);
          panel.step(60);
        }
        return {
          bits: api.pathBits(),
          wasmStepCalls: api.memoryStats().wasmStepCalls - callsBefore,
          backends: [...new Set(panel.race.racers.map((r) => r.param.backend))],
          moved: panel.race.racers.filter((r) => r.path[r.path.length - 2] !== r.path[0] || r.path[r.path.length - 1] !== r.path[1]).length,
        };
      };
      return surfaces.map((surface) => ({
        surface,
        wasm: run(surface, ['wasm', 'wasm']),
        js: run(surface, ['js', 'js']),
        wasmThenJs: run(surface, ['wasm', 'js']),
        jsThenWasm: run(surface, ['js', 'wasm']),
      }));
    }, SURFACES);
    for (const { surface, wasm, js, wasmThenJs, jsThenWasm } of runs) {
      expect(Object.keys(wasm.bits), surface).toHaveLength(12);
      expect(wasm.moved, surface).toBe(12);
      // 12 optimizers × 120 steps, one wasm call each; none on the js backend.
      expect(wasm.wasmStepCalls, surface).toBe(12 * 120);
      expect(js.wasmStepCalls, surface).toBe(0);
      expect(wasmThenJs.wasmStepCalls, surface).toBe(12 * 60);
      expect([wasm.backends, js.backends, wasmThenJs.backends, jsThenWasm.backends], surface).toEqual([['wasm'], ['js'], ['js'], ['wasm']]);
      for (const id of Object.keys(wasm.bits)) {
        expect(wasm.bits[id].length, `${surface} ${id}`).toBe(121 * 2 * 8);
        expect(js.bits[id], `${surface} ${id}: js vs wasm`).toBe(wasm.bits[id]);
        expect(wasmThenJs.bits[id], `${surface} ${id}: wasm, then js`).toBe(wasm.bits[id]);
        expect(jsThenWasm.bits[id], `${surface} ${id}: js, then wasm`).toBe(wasm.bits[id]);
      }
    }
    expect(messages).toEqual([]);
  });

  it('trains the classifier: k-fold cross-validation, loss curves per epoch, full batch too, and a bagging ensemble', async () => {
    const runs = await page.evaluate(async () => {
      const panel = window.__playground!.training;
      await panel.run().catch(() => undefined); // the run started at load
      panel.set({ dataset: 'moons', samples: 200, noise: 0.2, seed: 0, optimizer: 'adam', lr: 0.02, hidden: 16, batchSize: 0, epochs: 10, folds: 3, members: 4 });
      const fullBatch = await panel.run();
      panel.set({ batchSize: 16, epochs: 30, folds: 5, members: 8 });
      const miniBatch = await panel.run();
      const canvas = panel.surface;
      const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      const colours = new Set<number>();
      for (let i = 0; i < pixels.length; i += 4 * 97) colours.add((pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2]);
      return { fullBatch, miniBatch, colours: colours.size };
    });
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    expect(runs.fullBatch.folds).toBe(3);
    expect(runs.fullBatch.trainLoss).toHaveLength(10);
    const s = runs.miniBatch;
    expect(s.folds).toBe(5);
    expect(s.trainLoss).toHaveLength(30);
    expect(s.validationLoss).toHaveLength(30);
    expect(s.trainLoss[29]).toBeLessThan(s.trainLoss[0] / 2);
    expect(mean(s.validationAccuracy)).toBeGreaterThan(0.85);
    expect(s.meanGeneralizationGap).toBeCloseTo(mean(s.trainAccuracy) - mean(s.validationAccuracy), 12);
    expect(s.oobScore).toBeGreaterThan(0.8);
    expect(s.maxSpread).toBeGreaterThan(0.05);
    expect(runs.colours).toBeGreaterThan(20); // a shaded surface, not a blank canvas
    expect(messages).toEqual([]);
  });

  it('searches hyperparameters on a pool of Web Workers from the bundle: the bits of the page\'s own thread, while the page keeps ticking', async () => {
    const runs = await page.evaluate(async () => {
      const panel = window.__playground!.search;
      const settings = { samples: 200, epochs: 15, folds: 3 };
      const pooled = await panel.run({ ...settings, workers: 2 });
      const here = await panel.run({ ...settings, workers: 0 });
      return { pooled, here };
    });
    expect(runs.pooled.params).toHaveLength(8);
    expect(runs.pooled.splitBits).toBe(runs.here.splitBits);
    expect(runs.pooled.bestIndex).toBe(runs.here.bestIndex);
    expect(runs.pooled.testAccuracy).toBe(runs.here.testAccuracy);
    expect(runs.pooled.testAccuracy).toBeGreaterThan(0.8);
    // The page's timers kept firing while the workers trained, and not while its own thread did.
    expect(runs.pooled.ticks).toBeGreaterThan(10);
    expect(runs.here.ticks).toBeLessThanOrEqual(1);
    expect(messages).toEqual([]);
  });

  it('keeps the page responsive while a fold trains: fitAsync gives the event loop turns between batches', async () => {
    const statuses = await page.evaluate(async () => {
      const panel = window.__playground!.training;
      await panel.run().catch(() => undefined);
      // SGD on single rows for 400 epochs: a fold is some 50,000 steps.
      panel.set({ dataset: 'moons', samples: 200, noise: 0.2, seed: 0, optimizer: 'sgd', lr: 0.3, hidden: 16, batchSize: 1, epochs: 400, folds: 3, members: 1 });
      const status = document.querySelector('[data-test=training-status]')!;
      // A timer that re-arms itself: it runs only when the page's event loop gets a turn.
      const seen: string[] = [];
      let running = true;
      const tick = () => {
        seen.push(status.textContent ?? '');
        if (running) setTimeout(tick, 0);
      };
      setTimeout(tick, 0);
      try {
        await panel.run();
      } finally {
        running = false;
      }
      return seen;
    });
    // The panel gives one turn before each fold; more ticks while the status names the first fold
    // come from fitAsync's turns in the middle of its training (a synchronous fit gives none).
    const duringFirstFold = statuses.filter((s) => s === 'fold 1 of 3…').length;
    if (process.env.DEBUG_PLAYGROUND) console.log({ duringFirstFold, ticks: statuses.length });
    expect(duringFirstFold, statuses.join(' | ')).toBeGreaterThanOrEqual(3);
    expect(messages).toEqual([]);
  });

  it('plays and pauses from the buttons, shows the time per step, and takes a screenshot', async () => {
    await page.evaluate(() => {
      const panel = window.__playground!.race;
      panel.enable(['sgd', 'momentum', 'nesterov', 'adagrad', 'adadelta', 'rmsprop', 'adam', 'adamw']);
      panel.setBackend('wasm');
      panel.setSurface('quadratic');
    });
    await page.getByRole('button', { name: 'Play' }).click();
    await page.waitForFunction(() => window.__playground!.race.race.steps >= 200, null, { timeout: 20_000, polling: 50 });
    await page.getByRole('button', { name: 'Pause' }).click();
    const steps = await page.evaluate(() => window.__playground!.race.race.steps);
    await page.waitForTimeout(100);
    expect(await page.evaluate(() => window.__playground!.race.race.steps)).toBe(steps);
    await expect.poll(() => page.locator('[data-test=steps]').textContent()).toBe(String(steps));
    expect(await page.locator('[data-test=time-per-step]').textContent()).toMatch(/^[\d.e-]+ µs \(wasm\)$/);
    const png = join(outDir, 'playground.png');
    // Down to the decision surface: both panels, without the fold table and notes (keeps it < 300 KB).
    const bottom = await page.evaluate(() => document.querySelector('#training .surface-column canvas')!.getBoundingClientRect().bottom + window.scrollY);
    await page.screenshot({ path: png, fullPage: true, clip: { x: 0, y: 0, width: 1280, height: Math.ceil(bottom + 8) } });
    const bytes = statSync(png).size;
    expect(bytes).toBeGreaterThan(20_000);
    expect(bytes).toBeLessThan(300_000);
    expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
    if (process.env.UPDATE_PLAYGROUND_SCREENSHOT === '1') {
      mkdirSync(join(repoRoot, 'docs'), { recursive: true });
      copyFileSync(png, join(repoRoot, 'docs/playground.png'));
    }
    expect(messages).toEqual([]);
  });
});
