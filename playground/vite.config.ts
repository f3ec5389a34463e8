// `vite playground` (dev server) and `vite build playground --outDir <dir>` from the repository root.
// 'gradstep' is the workspace package: Vite takes its "browser" export, dist/browser.js, and ships
// the .wasm it fetches (new URL('./gradstep_wasm_bg.wasm', import.meta.url)) as an asset.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // Relative URLs: the built page works from any directory (a test's temp dir, GitHub Pages).
  base: './',
  // Pre-bundling would move dist/browser.js away from its .wasm files.
  optimizeDeps: { exclude: ['gradstep'] },
  build: { target: 'es2022', emptyOutDir: true },
  // The search panel's pool workers (src/pool-worker.ts) as ES modules: gradstep inside them locates its
  // .wasm with import.meta.url, and servePoolWorker imports task modules by URL.
  worker: { format: 'es' },
  server: { port: 5173 },
});
