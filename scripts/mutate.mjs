// Mutation testing, one module at a time (HACKING.md, "Mutation testing"). Not part of `pnpm test`.
//
//   pnpm mutate                        every TypeScript module of the core, one after another
//   pnpm mutate clip-grad js-kernels   those modules (names below)
//   pnpm mutate packages/gradstep/src/metrics/ranking.ts   a file or a glob (report "custom")
//   pnpm mutate clip-grad --logLevel debug                 options after the names go to Stryker
//   pnpm mutate:rust [rules|reductions|dense|softmax …]            cargo-mutants over crates/gradstep-kernels
//
// Each TypeScript module keeps its own incremental file and reports in reports/mutation/ (gitignored:
// generated), so a second run only tests the mutants whose code or tests changed.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = 'packages/gradstep/src';

const MODULES = {
  optimizer: [`${src}/optimizer.ts`],
  optimizers: [`${src}/optimizers/**/*.ts`],
  // The optimizers' twins; the models' (dense.ts, softmax.ts) apart: instrumented, they make fit's
  // training tests take minutes, so their mutants run against the models' own tests only (TESTS).
  'js-kernels': [`${src}/js-kernels/rules.ts`, `${src}/js-kernels/reductions.ts`],
  'js-dense': [`${src}/js-kernels/dense.ts`, `${src}/js-kernels/softmax.ts`],
  kernels: [`${src}/kernels.ts`],
  'clip-grad': [`${src}/clip-grad.ts`],
  'state-dict': [`${src}/state-dict.ts`],
  schedulers: [`${src}/schedulers/**/*.ts`],
  'model-selection': [`${src}/model-selection/**/*.ts`],
  evaluation: [`${src}/evaluation/**/*.ts`],
  metrics: [`${src}/metrics/**/*.ts`],
};
// Modules whose mutants run against some test files only (vitest.mutate.config.ts reads
// GRADSTEP_MUTATE_TESTS): every training test reaches the dense kernels, and a mutant there would wait
// for all of them. Leaving tests out can only let more mutants survive: the score is a lower bound.
const TESTS = {
  'js-dense': ['packages/gradstep/test/models/**/*.test.ts'],
};
const RUST_FILES = ['reductions', 'dense', 'softmax', 'rules'];

function run(command, args, env = {}) {
  console.log(`\n$ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status ?? 1;
}

const argv = process.argv.slice(2).filter((a) => a !== '--');
const rust = argv[0] === '--rust';
const rest = rust ? argv.slice(1) : argv;
const firstOption = rest.findIndex((a) => a.startsWith('-'));
const names = firstOption === -1 ? rest : rest.slice(0, firstOption);
const passThrough = firstOption === -1 ? [] : rest.slice(firstOption);

mkdirSync(new URL('../reports/mutation', import.meta.url), { recursive: true });
let failed = 0;
if (rust) {
  // cargo-mutants runs the kernel crate's `cargo test` per mutant: one job (two shared cores), a
  // timeout for mutants that loop forever. Unoptimized, the dense layers' blocking test alone takes
  // ~45 s (near the timeout on a loaded machine); optimized, the rules' tests take ~25 s to rebuild per
  // mutant. So dense.rs's and softmax.rs's mutants run their tests built with opt-level 3 (overflow
  // checks and debug assertions stay on; Rust never contracts to FMA or reassociates floats, so the same bits),
  // and rules.rs's and reductions.rs's run unoptimized without the two dense-layer tests (`--skip
  // dense`), which call only dense.rs and lane.rs and so cannot catch their mutants.
  // Without debug info: less to build per mutant, and nothing reads it.
  const optimized = ['--cargo-arg=--config=profile.dev.opt-level=3', '--cargo-arg=--config=profile.test.opt-level=3', '--cargo-arg=--config=profile.dev.debug=0', '--cargo-arg=--config=profile.test.debug=0'];
  // cargo-mutants passes what follows its own `--` to cargo test, so a second `--` reaches the test
  // binaries. dense.rs's and softmax.rs's mutants run only the tests whose names carry their file's name
  // (the crate's tests are named for what they call), and dense.rs's the ABI's too: they check
  // Activation::from_id against the ids the package passes.
  const settings = {
    dense: { options: optimized, testArgs: ['--', 'dense', 'abi'] },
    softmax: { options: optimized, testArgs: ['--', 'softmax'] },
    rules: { options: [], testArgs: ['--', '--skip', 'dense'] },
  };
  settings.reductions = settings.rules;
  for (const name of names.length > 0 ? names : RUST_FILES) {
    if (!RUST_FILES.includes(name)) throw new Error(`unknown Rust file ${name}; one of ${RUST_FILES.join(', ')}`);
    const file = `crates/gradstep-kernels/src/${name}.rs`;
    const { options, testArgs } = settings[name];
    const args = ['mutants', '--package', 'gradstep-kernels', '--file', file, '--jobs', '1', '--timeout', '60', ...options];
    const output = ['--output', `reports/mutation/rust-${name}`];
    failed |= run('cargo', [...args, ...output, ...passThrough, ...(testArgs.length > 0 ? ['--', ...testArgs] : [])]);
  }
} else {
  const known = names.filter((n) => n in MODULES);
  const paths = names.filter((n) => !(n in MODULES));
  if (paths.some((p) => !p.includes('/'))) throw new Error(`unknown module ${paths.join(', ')}; one of ${Object.keys(MODULES).join(', ')}, or a path`);
  const runs = names.length === 0 ? Object.keys(MODULES).map((n) => [n, MODULES[n]]) : known.map((n) => [n, MODULES[n]]);
  if (paths.length > 0) runs.push(['custom', paths]);
  for (const [name, globs] of runs) {
    const args = ['exec', 'stryker', 'run', '--mutate', globs.join(','), ...passThrough];
    const tests = TESTS[name] ? { GRADSTEP_MUTATE_TESTS: TESTS[name].join(',') } : {};
    failed |= run('pnpm', args, { GRADSTEP_MUTATE_MODULE: name, ...tests });
  }
}
process.exit(failed ? 1 : 0);
