// gradstep/tfjs in Debian's Chromium: a page built by Vite from test/browser/tfjs-adapter-page trains
// a tfjs model with model.fit on tfjs's cpu backend through the GradstepOptimizer (gradstep on wasm),
// and checks there that plain gradstep fed the recorded gradients ends with the same bits.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../packaging/consumer-project.js';
import { launchChromium, runPage, type Chromium } from './chromium.js';
import { startStaticServer, type StaticServer } from './static-server.js';

let outDir: string;
let server: StaticServer;
let browser: Chromium;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'gradstep-tfjs-page-'));
  const vite = join(repoRoot, 'node_modules/vite/bin/vite.js');
  await promisify(execFile)(process.execPath, [vite, 'build', join(repoRoot, 'test/browser/tfjs-adapter-page'), '--outDir', outDir, '--emptyOutDir', '--base', './', '--logLevel', 'warn'], {
    cwd: repoRoot,
    timeout: 120_000,
  });
  server = await startStaticServer(outDir);
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe('gradstep/tfjs in Chromium', () => {
  it('model.fit with the GradstepOptimizer ends with the bits of plain gradstep fed the same gradients, leaving no tensor behind', async () => {
    const out = await runPage<{ wasmSimd: boolean; paramBackend: string; steps: number; sameBits: boolean; firstLoss: number; lastLoss: number; tensorsLeaked: number }>(
      browser.context,
      `${server.origin}/index.html`,
    );
    expect(out.error).toBeUndefined();
    expect(out.result).toMatchObject({ wasmSimd: true, paramBackend: 'wasm', steps: 40, sameBits: true, tensorsLeaked: 0 });
    expect(out.result!.lastLoss).toBeLessThan(out.result!.firstLoss);
  });
});
