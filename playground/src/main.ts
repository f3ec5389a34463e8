// The gradstep playground: loads the wasm backend, builds the panels, and exposes a small API on
// window.__playground for the browser test (test/browser/playground.test.ts).
import { init, memoryStats, setWarningHandler, wasmSimd, type BackendName } from 'gradstep';
import { h } from './dom.js';
import { RacePanel } from './race-panel.js';
import { SearchPanel } from './search-panel.js';
import { TrainingPanel } from './training-panel.js';
import './style.css';

export interface PlaygroundApi {
  race: RacePanel;
  training: TrainingPanel;
  search: SearchPanel;
  backends: BackendName[];
  simd: boolean | null;
  /** Bits of every enabled optimizer's path (float32 as hex), to compare backends exactly. */
  pathBits(): Record<string, string>;
  memoryStats: typeof memoryStats;
}

declare global {
  interface Window {
    __playground?: PlaygroundApi;
    __playgroundError?: string;
  }
}

function bitsOf(path: readonly number[]): string {
  return Array.from(new Uint32Array(Float32Array.from(path).buffer), (word) => word.toString(16).padStart(8, '0')).join('');
}

async function main(): Promise<void> {
  const status = document.getElementById('status')!;
  const backends: BackendName[] = [];
  try {
    await init();
    backends.push('wasm');
  } catch (error) {
    status.append(h('p', { class: 'warning' }, `The wasm backend did not load (${String(error)}); running on the js backend only.`));
  }
  backends.push('js');
  const simd = wasmSimd();
  status.append(h('span', { class: 'badge' }, backends.includes('wasm') ? `wasm loaded (${simd ? 'SIMD' : 'scalar'} build)` : 'js only'));

  const race = new RacePanel(backends);
  const training = new TrainingPanel(() => race.race.backend);
  // gradstep's warnings (say, rows that no bagging member left out of bag) go to the panel, not the console.
  setWarningHandler((message) => training.note(message));
  const search = new SearchPanel();
  document.getElementById('panels')!.append(race.element, training.element, search.element);
  // Train once at load, so that the panel opens with curves and a decision surface.
  void training.run().catch(() => undefined);

  window.__playground = {
    race,
    training,
    search,
    backends,
    simd,
    pathBits: () => Object.fromEntries(race.race.racers.filter((r) => r.enabled).map((r) => [r.spec.id, bitsOf(r.path)])),
    memoryStats,
  };
}

main().catch((error) => {
  window.__playgroundError = String((error && error.stack) || error);
  document.getElementById('status')!.append(h('p', { class: 'warning' }, `The playground failed to start: ${String(error)}`));
});
