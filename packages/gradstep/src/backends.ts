/** Choosing a backend: the default for new params, and the name → implementation lookup. */
import type { Backend, BackendName } from './backend.js';
import { jsBackend } from './js-backend.js';
import { wasmBackend } from './wasm-backend.js';
import { wasmReady } from './wasm-loader.js';
import { describe } from './validate.js';

let chosen: BackendName | null = null;

/** The backend new params get: the one set with setBackend(), else 'wasm' once init() has loaded it, else 'js'. */
export function getBackend(): BackendName {
  return chosen ?? (wasmReady() ? 'wasm' : 'js');
}

/** Sets the default backend of new params (existing params keep theirs). 'wasm' needs init() first. */
export function setBackend(name: BackendName): void {
  backendNamed(name, 'setBackend(name)');
  chosen = name;
}

export function backendNamed(name: unknown, argument: string): Backend {
  if (name === 'js') return jsBackend;
  if (name === 'wasm') {
    if (!wasmReady()) throw new Error("gradstep: the wasm backend is not loaded; await init() first (or use the 'js' backend)");
    return wasmBackend;
  }
  throw new TypeError(`gradstep: ${argument} must be 'wasm' or 'js', got ${describe(name)}`);
}
