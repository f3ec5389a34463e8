// The worker pool in Chromium (module Web Workers from the built browser entry, dist/browser.js): the same
// bits as the built package in Node for 1 and 2 workers (a task module's and a recipe's: the workers load
// dist/recipe-task-browser.js; and on a pool of the page's own workers serving it with servePoolWorker),
// and a worker's uncaught error rejecting the call.
// Needs /usr/bin/chromium (scripts/setup-browser.sh) and a build; skipped without Chromium.
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CHROMIUM, launchChromium, runPage } from '../../../../test/browser/chromium.js';
import { startStaticServer } from '../../../../test/browser/static-server.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

const PAGE = `<!doctype html>
<script type="importmap">{ "imports": { "gradstep": "./dist/browser.js" } }</script>
<script type="module">
import { createWorkerPool, crossValidate, gridSearch, init, kFold } from 'gradstep';
import { recipeSearch, summary } from './dist-summary.mjs';
async function run() {
  const result = await summary({ crossValidate, gridSearch, kFold, init }, new URL('./ridge-task.mjs', location.href), 'browser-crash-task.mjs');
  // Workers from the app (as a bundler would build them): servePoolWorker runs the recipe from its own copy.
  const pool = createWorkerPool(2, { worker: () => new Worker(new URL('./pool-worker.mjs', location.href), { type: 'module' }) });
  try {
    result.bundled = await recipeSearch({ gridSearch, kFold }, pool);
  } finally {
    await pool.close();
  }
  return result;
}
run().then(
  (result) => { globalThis.__done = { ok: true, result }; },
  (error) => { globalThis.__done = { ok: false, error: String((error && error.stack) || error) }; },
);
</script>`;

describe.skipIf(!existsSync(CHROMIUM))('the worker pool in Chromium', () => {
  it('gives the bits of Node with 1 and 2 Web Workers, and rejects on a worker error', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [here('./fixtures/dist-run.mjs')], { timeout: 30_000 });
    const node = JSON.parse(stdout);
    const root = mkdtempSync(join(tmpdir(), 'gradstep-pool-page-'));
    const server = await startStaticServer(root);
    const browser = await launchChromium();
    try {
      mkdirSync(join(root, 'dist'));
      const dist = here('../../dist');
      for (const file of readdirSync(dist)) if (/\.(js|wasm)$/.test(file)) copyFileSync(join(dist, file), join(root, 'dist', file));
      for (const file of ['ridge-task.mjs', 'browser-crash-task.mjs', 'dist-summary.mjs']) copyFileSync(here(`./fixtures/${file}`), join(root, file));
      writeFileSync(join(root, 'index.html'), PAGE);
      // Module workers do not see the page's import map: the worker imports the entry by path.
      writeFileSync(join(root, 'pool-worker.mjs'), "import { servePoolWorker } from './dist/browser.js';\nservePoolWorker();\n");
      const outcome = await runPage<Record<string, unknown>>(browser.context, `${server.origin}/`);
      expect(outcome.error).toBeUndefined();
      const page = outcome.result!;
      expect(page[1]).toEqual(node[1]);
      expect(page[2]).toEqual(node[1]);
      expect(page.bundled).toEqual(node[1].recipe);
      expect(page.crash).toMatch(/^gridSearch: worker \d crashed while running candidate 1 \{ alpha: 2, crash: "exit" \} on fold \d: .*uncaught in the worker$/);
    } finally {
      await browser.close();
      await server.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
