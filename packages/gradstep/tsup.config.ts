import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { defineConfig, type Options } from 'tsup';

type EsbuildPlugin = NonNullable<Options['esbuildPlugins']>[number];

/** `import base64 from 'gradstep-wasm-base64:simd'` (or `:scalar`): the .wasm bytes as a base64 string. */
const wasmBase64: EsbuildPlugin = {
  name: 'gradstep-wasm-base64',
  setup(build) {
    build.onResolve({ filter: /^gradstep-wasm-base64:/ }, (args) => ({ path: args.path, namespace: 'gradstep-wasm-base64' }));
    build.onLoad({ filter: /.*/, namespace: 'gradstep-wasm-base64' }, (args) => {
      const variant = args.path.slice('gradstep-wasm-base64:'.length);
      if (variant !== 'simd' && variant !== 'scalar') throw new Error(`unknown wasm variant ${variant}`);
      const base64 = readFileSync(`wasm/${variant}/gradstep_wasm_bg.wasm`).toString('base64');
      return { contents: `export default ${JSON.stringify(base64)};`, loader: 'js' };
    });
  },
};

// wasm-bindgen's glue falls back to `new URL('gradstep_wasm_bg.wasm', import.meta.url)` when given no
// module. init() always gives one, and bundlers that see that line would ship the .wasm with every
// entry (the inline one too) and the CommonJS build would need an import.meta shim for it.
const GLUE_DEFAULT_URL = "module_or_path = new URL('gradstep_wasm_bg.wasm', import.meta.url);";
const glueWithoutDefaultUrl: EsbuildPlugin = {
  name: 'gradstep-glue-without-default-url',
  setup(build) {
    build.onLoad({ filter: /[\\/]wasm[\\/]simd[\\/]gradstep_wasm\.js$/ }, (args) => {
      const code = readFileSync(args.path, 'utf8');
      if (!code.includes(GLUE_DEFAULT_URL)) throw new Error(`${args.path}: the wasm-bindgen glue changed; update tsup.config.ts`);
      return { contents: code.replace(GLUE_DEFAULT_URL, "throw new Error('gradstep: no wasm module given');"), loader: 'js' };
    });
  },
};

/**
 * dist/ (see package.json "exports"):
 *   index.js / index.cjs    Node (ESM, CommonJS): reads the .wasm next to it with node:fs
 *   browser.js              browsers, bundlers and workers: fetches new URL('./…wasm', import.meta.url)
 *   inline.js / inline.cjs  both .wasm inlined as base64; no file to locate
 *   recipe-task-node.js, recipe-task-browser.js   what pool workers import to run a recipe
 *   gradstep_wasm_bg.wasm, gradstep_wasm_scalar.wasm
 *   tfjs.js / tfjs.cjs      gradstep/tfjs: imports 'gradstep' (whichever entry the user's resolver picks)
 *                           and @tensorflow/tfjs-core, both external, so its params and the user's
 *                           optimizer classes come from one copy of gradstep
 * The ESM entries share chunks, so one page that imports two of them still loads the wasm once.
 */
export default defineConfig(() => {
  // The two configurations below run concurrently, so neither may clean: clear dist/ once here.
  rmSync('dist', { recursive: true, force: true });
  const common: Options = {
    dts: true,
    clean: false,
    target: 'es2022',
    platform: 'neutral',
    // Deno needs the node: prefix; tsup strips it by default.
    removeNodeProtocol: false,
    external: ['node:fs/promises', 'node:os', 'node:path', 'node:url', 'node:worker_threads'],
    esbuildPlugins: [wasmBase64, glueWithoutDefaultUrl],
  };
  return [
    {
      ...common,
      entry: {
        index: 'src/entries/node.ts',
        browser: 'src/entries/browser.ts',
        inline: 'src/entries/inline.ts',
        // What the pool's workers import to run a recipe (ESM only: workers import modules).
        'recipe-task-node': 'src/entries/recipe-task-node.ts',
        'recipe-task-browser': 'src/entries/recipe-task-browser.ts',
      },
      format: ['esm'],
      splitting: true,
      async onSuccess() {
        copyFileSync('wasm/simd/gradstep_wasm_bg.wasm', 'dist/gradstep_wasm_bg.wasm');
        copyFileSync('wasm/scalar/gradstep_wasm_bg.wasm', 'dist/gradstep_wasm_scalar.wasm');
      },
    },
    {
      ...common,
      entry: { index: 'src/entries/node.ts', inline: 'src/entries/inline.ts' },
      format: ['cjs'],
      // import.meta.url in the CommonJS Node build (it locates the .wasm files next to the bundle).
      shims: true,
    },
    {
      ...common,
      entry: { tfjs: 'src/tfjs/index.ts' },
      format: ['esm', 'cjs'],
      // 'gradstep' is this package itself: bundling it would give gradstep/tfjs its own Param class and
      // its own wasm instance, apart from the ones the user's optimizer classes and init() use.
      external: [...(common.external as string[]), 'gradstep', /^@tensorflow\//],
    },
  ];
});
