// The public API where it needs the built package itself: init() in a child process importing
// dist/, and the CommonJS build beside the ES module build. (Left out of mutation testing, which
// resolves 'gradstep' to src/; the rest of the API's tests are in api.test.ts.)
import { bandwidthProbe, init, param, Param, SGD } from 'gradstep';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { runNodeScript } from './helpers.js';

beforeAll(() => init());

describe('init() in a process of its own', () => {
  it('init() after a successful init() still observes the promise it is given (no unhandled rejection)', () => {
    const script = `
      import { init } from 'gradstep';
      await init();
      await init({ wasm: Promise.reject(new Error('a late module that failed to load')) });
      await init({ simd: 'no', wasm: Promise.reject(new Error('refused options')) }).catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 50));
      console.log('still running');
    `;
    const { status, stdout, stderr } = runNodeScript(script);
    expect({ status, stdout: stdout.trim() }, stderr).toEqual({ status: 0, stdout: 'still running' });
  });
});

describe('params from another copy of gradstep', () => {
  it('names the other copy when a Param of the CommonJS build meets an optimizer of the ES module build', () => {
    const commonJs = createRequire(import.meta.url)('gradstep') as typeof import('gradstep');
    const foreign = commonJs.param(3, { backend: 'js' });
    expect(foreign instanceof commonJs.Param && !(foreign instanceof Param)).toBe(true);
    const message =
      'SGD: params[0] is a Param from another copy of gradstep (such as the CommonJS build loaded beside the ES module build, or a second installed version); create params and the objects that use them with one copy';
    expect(() => new SGD([foreign])).toThrow(new TypeError(message));
    expect(() => bandwidthProbe(param(3, { backend: 'js' }), foreign, 1)).toThrow(/bandwidthProbe: b is a Param from another copy of gradstep/);
  });
});
