// A throwaway consumer project: `npm pack` of the built package, installed from the tarball into a
// fresh directory under the system temp dir, with the shared training run beside it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const packageDir = join(repoRoot, 'packages/gradstep');

const BUILT = ['index.js', 'index.cjs', 'browser.js', 'inline.js', 'inline.cjs', 'tfjs.js', 'tfjs.cjs', 'gradstep_wasm_bg.wasm', 'gradstep_wasm_scalar.wasm'];

export interface ConsumerProject {
  dir: string;
  /** The installed package: <dir>/node_modules/gradstep. */
  installed: string;
  tarball: string;
  write(relative: string, text: string): string;
  remove(): void;
}

// npm must not inherit pnpm's configuration (workspace settings, a store) when the tests run under pnpm.
function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!/^(npm|pnpm)_/i.test(key)) env[key] = value;
  return { ...env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
}

export function createConsumerProject(label: string): ConsumerProject {
  const missing = BUILT.filter((file) => !existsSync(join(packageDir, 'dist', file)));
  if (missing.length > 0) throw new Error(`packages/gradstep/dist lacks ${missing.join(', ')}: run \`pnpm build\` first`);
  const dir = mkdtempSync(join(tmpdir(), `gradstep-${label}-`));
  try {
    const packed = execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: packageDir, env: npmEnv(), encoding: 'utf8' });
    const tarball = join(dir, (JSON.parse(packed) as { filename: string }[])[0].filename);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `consumer-${label}`, version: '0.0.0', private: true }, null, 2));
    // The package has no dependencies (tfjs-core is an optional peer, which npm does not install), so
    // installing its tarball needs no registry.
    execFileSync('npm', ['install', '--offline', '--no-package-lock', '--loglevel=error', tarball], { cwd: dir, env: npmEnv(), stdio: 'pipe' });
    const project: ConsumerProject = {
      dir,
      installed: join(dir, 'node_modules/gradstep'),
      tarball,
      write(relative, text) {
        const path = join(dir, relative);
        writeFileSync(path, text);
        return path;
      },
      remove: () => rmSync(dir, { recursive: true, force: true }),
    };
    const run = readFileSync(new URL('./training-run.mjs', import.meta.url), 'utf8');
    project.write('training-run.mjs', run);
    project.write('training-run.cjs', `${run.replace(/^export (async )?function/gm, '$1function')}\nmodule.exports = { trainingRun, bitsHex };\n`);
    return project;
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

interface FixtureCase {
  optimizer: string;
  options: Record<string, unknown>;
  init: number[][];
  grads: number[][][];
  lrPerStep?: number[];
}

/** A few reference cases (one per optimizer, and one with an lr schedule), without their expected values. */
export function someReferenceCases(): FixtureCase[] {
  const load = (name: string): FixtureCase[] => JSON.parse(readFileSync(join(repoRoot, 'test/fixtures', name), 'utf8')).cases;
  const seen = new Set<string>();
  const picked = load('torch-optim.json').filter((c) => !seen.has(c.optimizer) && seen.add(c.optimizer));
  const scheduled = load('torch-optim-extra.json').find((c) => c.lrPerStep);
  return [...picked, ...(scheduled ? [scheduled] : [])].map(({ optimizer, options, init, grads, lrPerStep }) => ({ optimizer, options, init, grads, lrPerStep }));
}
