/**
 * `gradstep/inline`: both .wasm builds inlined as base64, for places where serving or locating a
 * .wasm file is awkward (single-file bundles, bundlers without asset support, some serverless hosts).
 * About 220 kB of JavaScript more than the other entries; only the build in use is decoded.
 * Everything else it exports is the Node entry's API.
 *
 * @module gradstep/inline
 */
import scalarBase64 from 'gradstep-wasm-base64:scalar';
import simdBase64 from 'gradstep-wasm-base64:simd';
import { setRecipeHost } from '../recipes/recipe-task.js';
import { initWasm, initWasmSync, type InitOptions } from '../wasm-loader.js';

export * from '../index.js';

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const fromBase64 = (Uint8Array as { fromBase64?: (text: string) => Uint8Array<ArrayBuffer> }).fromBase64;
  if (typeof fromBase64 === 'function') return fromBase64(text);
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const inlinedBytes = (simd: boolean): Uint8Array<ArrayBuffer> => decodeBase64(simd ? simdBase64 : scalarBase64);

// Recipes run here only (workers: 1): there is no module file for a worker to load.
setRecipeHost({ taskHref: () => undefined, init: () => init() });

/**
 * Loads the wasm backend from the inlined bytes (once: safe to call again and concurrently). Until it
 * resolves, only the 'js' backend is available; afterwards new params default to 'wasm'.
 */
export function init(options?: InitOptions): Promise<void> {
  return initWasm(options, { defaultSource: inlinedBytes });
}

/**
 * Loads the wasm backend synchronously from the inlined bytes (or `{ wasm }` bytes or a compiled
 * module). Does nothing once loaded; throws while an asynchronous init() is loading.
 */
export function initSync(options?: InitOptions): void {
  initWasmSync(options, inlinedBytes);
}
