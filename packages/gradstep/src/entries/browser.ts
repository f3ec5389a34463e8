/**
 * The browser and bundler entry (also Web Workers, Deno Deploy, Cloudflare-like hosts): init()
 * fetches the .wasm next to this file, or takes a URL, bytes, a Response or a compiled module.
 * Nothing here refers to Node's modules. Everything else it exports is the Node entry's API.
 *
 * @module gradstep in browsers
 */
import { setRecipeHost } from '../recipes/recipe-task.js';
import { initWasm, type InitOptions, type WasmLocator } from '../wasm-loader.js';

export * from '../index.js';

const browserLocator: WasmLocator = {
  // Written as literal `new URL('./file', import.meta.url)` so that Vite, webpack 5, Parcel and
  // Rollup's asset plugins recognise them and ship the files with the bundle.
  defaultSource: (simd) =>
    simd ? new URL('./gradstep_wasm_bg.wasm', import.meta.url) : new URL('./gradstep_wasm_scalar.wasm', import.meta.url),
};

// Recipes on workers: each worker imports the recipe task module beside this file. Not written as a
// literal new URL('./…', import.meta.url): a bundler would copy that file alone, without the chunks it
// imports. In a bundle, give recipes a pool whose workers come from the bundle (see README).
const RECIPE_TASK_FILE = './recipe-task-browser.js';
setRecipeHost({ taskHref: () => new URL(RECIPE_TASK_FILE, import.meta.url).href, init: () => init() });

/**
 * Loads the wasm backend (once: safe to call again and concurrently). Until it resolves, only the
 * 'js' backend is available; afterwards new params default to 'wasm'. By default the .wasm is
 * fetched from next to this module; `init({ wasm })` takes another URL (a CDN), bytes, a Response
 * or a `WebAssembly.Module` (compiled once and posted to workers).
 */
export function init(options?: InitOptions): Promise<void> {
  return initWasm(options, browserLocator);
}
