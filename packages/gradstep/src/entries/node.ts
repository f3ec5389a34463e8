/**
 * The Node entry (ESM and CommonJS; also Deno and Bun, which match the `node` condition): init()
 * reads the .wasm shipped next to this file with node:fs, and accepts file paths and file: URLs.
 *
 * The whole API is documented here; the browser and inline entries export the same names with their
 * own init() (and initSync() for inline).
 *
 * @module gradstep
 */
import { readFile } from 'node:fs/promises';
import { nodeThreads } from '../parallel/node-threads.js';
import { setThreadHost } from '../parallel/pool.js';
import { setRecipeHost } from '../recipes/recipe-task.js';
import { initWasm, type InitOptions, type WasmLocator } from '../wasm-loader.js';

export * from '../index.js';

// The worker pool's threads: worker_threads (the other entries use Web Workers).
setThreadHost(nodeThreads);
// Recipes on workers: each worker imports the recipe task module built beside this file.
setRecipeHost({ taskHref: () => new URL('./recipe-task-node.js', import.meta.url).href, init: () => init() });

// A scheme of two letters or more, so that a Windows path (C:\...) is read as a path.
const HAS_SCHEME = /^[a-z][a-z0-9+.-]+:/i;

const nodeLocator: WasmLocator = {
  defaultSource: (simd) =>
    simd ? new URL('./gradstep_wasm_bg.wasm', import.meta.url) : new URL('./gradstep_wasm_scalar.wasm', import.meta.url),
  resolve(source) {
    // fetch() has no file: URLs in Node; http(s) URLs, bytes and modules go to the glue as they are.
    if (source instanceof URL) return source.protocol === 'file:' ? readFile(source) : source;
    if (typeof source === 'string') {
      if (source.startsWith('file:')) return readFile(new URL(source));
      if (!HAS_SCHEME.test(source)) return readFile(source);
    }
    return source;
  },
};

/**
 * Loads the wasm backend (once: safe to call again and concurrently). Until it resolves, only the
 * 'js' backend is available; afterwards new params default to 'wasm'. In Node, `init({ wasm })`
 * also takes a file path.
 */
export function init(options?: InitOptions): Promise<void> {
  return initWasm(options, nodeLocator);
}
