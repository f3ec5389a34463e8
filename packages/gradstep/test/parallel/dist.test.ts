// The worker pool from the BUILT package (run `pnpm -C packages/gradstep build` first): the ESM and the
// CommonJS builds, each in a child process that must exit by itself (a lingering worker would keep it
// alive until the timeout), with the same bits for 1 and 2 workers and a crashing worker rejecting.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe.each(['dist-run.mjs', 'dist-run.cjs'])('the built package: %s', (script) => {
  it('gives the same bits with 1 and 2 workers, rejects on a crash and exits with no worker left', async () => {
    const { stdout } = await run(process.execPath, [fixture(script)], { timeout: 30_000 });
    const out = JSON.parse(stdout);
    expect(out[2]).toEqual(out[1]);
    expect(out[1].split).toHaveLength(3);
    expect(out[1].recipe.split).toHaveLength(4);
    expect(out[1].recipe.weights).toHaveLength(4);
    expect(out.crash).toMatch(/^gridSearch: worker \d crashed while running candidate 1 \{ alpha: 2, crash: "exit" \} on fold \d: the worker exited with code 7$/);
  });
});
