/**
 * The anonymizer's cost in machine instructions: how many instructions one
 * pass over B4's PostgreSQL corpus (bench/anonymize.ts) executes, counted
 * by valgrind (cachegrind) under `node --predictable`.
 *
 *   npx tsx bench/anonymize-instructions.ts
 *
 * Unlike B4's ratio, this figure hardly changes from run to run (within
 * about 1 %; run it twice after an edit, since the first run also pays for
 * tsx's transform of the changed files), whatever the shared machine is
 * doing, so it shows whether a change to the token loop made it cheaper
 * where B4's wall-clock A/B runs cannot tell changes under ~3 % apart. It
 * is a proxy, not the goal: it ignores branch mispredictions and cache
 * misses, so a change that saves instructions is still checked with B4.
 *
 * Two runs, of FEW and MANY passes over the corpus after the same warm-up;
 * their difference divided by MANY - FEW is the cost of one pass, without
 * start-up, compilation and warm-up. Needs valgrind (Debian: `valgrind`).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { anonymizeSql } from '../src/anonymize/index.js';
import { buildCorpus } from './anonymize.js';

const FEW = 200;
const MANY = 1200;

function child(passes: number): void {
  const corpus = buildCorpus().postgres;
  const options = { dialect: 'postgres' } as const;
  let sink = 0;
  for (let p = 0; p < passes; p++) {
    for (const q of corpus) sink += anonymizeSql(q, options).length;
  }
  process.stdout.write(`${sink}\n`);
}

/** Instructions executed by a child running `passes` passes. */
function instructions(passes: number): number {
  const script = fileURLToPath(import.meta.url);
  const run = spawnSync(
    'valgrind',
    [
      '--tool=cachegrind',
      '--cache-sim=no',
      '--cachegrind-out-file=/dev/null',
      process.execPath,
      '--predictable',
      '--import',
      'tsx',
      script,
      '--child',
      String(passes),
    ],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  const refs = /I\s+refs:\s+([\d,]+)/.exec(run.stderr);
  if (run.status !== 0 || refs === null) throw new Error(`valgrind failed:\n${run.stderr.slice(-2000)}`);
  return Number(refs[1]!.replace(/,/g, ''));
}

function main(): void {
  const at = process.argv.indexOf('--child');
  if (at >= 0) {
    child(Number(process.argv[at + 1]));
    return;
  }
  try {
    execFileSync('valgrind', ['--version'], { stdio: 'ignore' });
  } catch {
    console.error('valgrind is not installed (Debian: apt-get install valgrind)');
    process.exitCode = 2;
    return;
  }
  const corpus = buildCorpus().postgres;
  const perPass = (instructions(MANY) - instructions(FEW)) / (MANY - FEW);
  console.log(
    `anonymizeSql, B4 PostgreSQL corpus (${corpus.length} statements): ${Math.round(perPass)} instructions per pass, ` +
      `${Math.round(perPass / corpus.length)} per statement (node ${process.version})`,
  );
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) main();
