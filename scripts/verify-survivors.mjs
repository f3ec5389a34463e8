// Re-checks StrykerJS's surviving mutants by hand (HACKING.md, "Mutation testing"): `pnpm mutate:verify
// <module>…` reads reports/mutation/<module>.json, and for each mutant Stryker reported Survived writes
// its replacement into the source file, runs the test files that Stryker says cover it with plain
// `vitest run` (vitest.mutate.config.ts, first failure ends the run), and restores the file. It writes
// reports/mutation/<module>.verified.json: each survivor's verdict and the corrected score.
//
// Why: with Vitest 4.1, Stryker 9.6.1's vitest runner records some mutants as Survived although the
// tests it attributes to them fail once the mutant is applied (stryker-js issues #5928, #6192; seen
// here, e.g. optimizer.ts's state-dict checks). Its Killed verdicts are real failures; its Survived
// ones are only candidates until this script has run them.
//
// It edits the sources in place (and restores them, also on Ctrl-C): run it in a checkout where
// nothing else builds or mutates meanwhile, with the same sources the report was made from (it
// refuses a file whose text differs from the report's).
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// `--also <test file>` (repeatable) adds a test file to every run: tests written after the report.
const argv = process.argv.slice(2).filter((a) => a !== '--');
const also = argv.flatMap((a, i) => (argv[i - 1] === '--also' ? [a] : []));
// `--again`: keep the verdicts of the last verification where it found the mutant killed (tests are only
// ever added), rerunning only the survivors.
const again = argv.includes('--again');
const modules = argv.filter((a, i) => a !== '--also' && a !== '--again' && argv[i - 1] !== '--also');
if (modules.length === 0) throw new Error('usage: pnpm mutate:verify <module>… [--also <test file>]… [--again] (the names of pnpm mutate, or "custom")');

let restore = null;
// The vitest run of the moment, in a process group of its own (so that a mutant's endless loop in a
// test worker can be ended with everything vitest started).
let running = null;
const endRun = (child) => {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
};
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (running) endRun(running);
    restore?.();
    process.exit(130);
  });
}

/** The source with the text between Stryker's 1-based, end-exclusive line/column positions replaced. */
function applyMutant(source, { start, end }, replacement) {
  const lines = source.split('\n');
  const offset = (position) => lines.slice(0, position.line - 1).reduce((sum, line) => sum + line.length + 1, 0) + position.column - 1;
  return source.slice(0, offset(start)) + replacement + source.slice(offset(end));
}

// A mutant can loop forever (`i++` → `i--`) where no test timeout can stop it: a run longer than
// this is ended and counted as detected, as Stryker counts a Timeout. The slowest honest runs here
// (35 test files under load) take about 4 minutes.
const RUN_LIMIT_MS = 6 * 60_000;
/** Runs the test files; resolves to { status, timedOut } (status null when the run was ended). */
const vitest = (files) =>
  new Promise((resolve) => {
    const child = spawn('pnpm', ['exec', 'vitest', 'run', '-c', 'vitest.mutate.config.ts', '--bail', '1', ...files], { cwd: root, stdio: 'ignore', detached: true });
    running = child;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      endRun(child);
    }, RUN_LIMIT_MS);
    // A run that cannot start (no pnpm) must not count as a kill: stop, with the source restored.
    child.on('error', (error) => {
      restore?.();
      throw error;
    });
    child.on('exit', (status) => {
      clearTimeout(timer);
      running = null;
      resolve({ status, timedOut });
    });
  });

// A failing run counts as a kill, so the added tests must pass on the unmutated sources first.
if (also.length > 0 && (await vitest(also)).status !== 0) throw new Error(`the --also tests fail without any mutant: ${also.join(', ')}`);

let exitCode = 0;
for (const name of modules) {
  const reportPath = `${root}reports/mutation/${name}.json`;
  const report = JSON.parse(readFileSync(reportPath, 'utf8'));
  const testFileOf = new Map();
  for (const [file, { tests }] of Object.entries(report.testFiles ?? {})) for (const test of tests) testFileOf.set(test.id, file);
  const verdicts = [];
  const verifiedPath = `${root}reports/mutation/${name}.verified.json`;
  const killedBefore = new Map(again ? JSON.parse(readFileSync(verifiedPath, 'utf8')).verdicts.filter((v) => v.killed).map((v) => [v.id, { status: 'Survived', ...v }]) : []);
  for (const [file, { source, mutants }] of Object.entries(report.files)) {
    const path = `${root}${file}`;
    const original = readFileSync(path, 'utf8');
    if (original !== source) throw new Error(`${file} differs from the source in ${reportPath}: rerun pnpm mutate ${name} first`);
    // Mutants no test reached are checked too when --also names tests written since the report.
    const candidates = mutants.filter((m) => m.status === 'Survived' || (m.status === 'NoCoverage' && also.length > 0));
    for (const mutant of candidates) {
      if (killedBefore.has(mutant.id)) {
        verdicts.push(killedBefore.get(mutant.id));
        continue;
      }
      const files = [...new Set([...(mutant.coveredBy ?? []).map((id) => testFileOf.get(id)).filter(Boolean), ...also])];
      restore = () => writeFileSync(path, original);
      writeFileSync(path, applyMutant(original, mutant.location, mutant.replacement));
      const run = await vitest(files);
      restore();
      restore = null;
      // A nonzero exit is a failing test (or a run that could not finish): the mutant is killed.
      const killed = run.status !== 0;
      const { timedOut } = run;
      const where = `${file}:${mutant.location.start.line}:${mutant.location.start.column}`;
      verdicts.push({ id: mutant.id, status: mutant.status, where, mutator: mutant.mutatorName, replacement: mutant.replacement, killed, timedOut, testFiles: files.length });
      console.log(`${timedOut ? 'timeout ' : killed ? 'killed  ' : 'survived'} ${where} ${mutant.mutatorName} → ${JSON.stringify(mutant.replacement).slice(0, 70)} (${files.length} test files)`);
    }
  }
  const all = Object.values(report.files).flatMap((f) => f.mutants);
  const count = (status) => all.filter((m) => m.status === status).length;
  const valid = all.length - count('CompileError') - count('RuntimeError') - count('Ignored');
  const falseSurvivors = verdicts.filter((v) => v.killed && v.status !== 'NoCoverage').length;
  const coveredSince = verdicts.filter((v) => v.killed && v.status === 'NoCoverage').length;
  const killed = count('Killed') + count('Timeout') + falseSurvivors + coveredSince;
  const summary = {
    module: name,
    mutants: valid,
    killedByStryker: count('Killed'),
    timedOut: count('Timeout'),
    survivedByStryker: count('Survived'),
    killedWhenRechecked: falseSurvivors,
    survived: count('Survived') - falseSurvivors,
    noCoverageKilledByNewTests: coveredSince,
    noCoverage: count('NoCoverage') - coveredSince,
    score: Number(((100 * killed) / valid).toFixed(2)),
    scoreCovered: Number(((100 * killed) / (valid - count('NoCoverage') + coveredSince)).toFixed(2)),
  };
  writeFileSync(verifiedPath, JSON.stringify({ summary, verdicts }, null, 2));
  console.log(JSON.stringify(summary));
  if (summary.survived > 0) exitCode = 1;
}
process.exit(exitCode);
