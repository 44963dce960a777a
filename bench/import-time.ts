/**
 * B6, import time and install size as a user gets them: the packed tarball (test/helpers/pack.ts, or the one
 * PACKED_TARBALL names) installed into a fresh app next to @opentelemetry/api 1.10 and no SDK; then, interleaved,
 * a fresh `node` process importing "otel-segment-bridge" and one importing @segment/analytics-node alone (the
 * floor: the bridge's one runtime dependency). Each process times its own dynamic import (Node's startup is not
 * counted); the ratio is ours / analytics-node's, per round. Goal (issue 9): median ≤ 1.5. Also reported: the
 * same for require(), the process wall times, and node_modules' size on disk (goal ≤ 15 MiB).
 *
 *   npm run bench -- --only B6                                   (not part of --smoke: it packs and installs)
 *   tsx bench/import-time.ts [--rounds 21]                       alone, prints the result
 *   PACKED_TARBALL=/path/to.tgz tsx bench/import-time.ts         another build, e.g. a release, for before/after
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { npmOk, NPM_FLAGS, packedTarball } from '../test/helpers/pack.js';
import { numberArg } from './lib/fixture.js';
import { interleave } from './lib/interleave.js';
import { ratioResult, rounded, sig } from './lib/stats.js';
import type { BenchResult } from './lib/stats.js';

const GOAL = 1.5;
const SIZE_GOAL_MIB = 15;

/** The program each measured process runs: times one import (or require) of `specifier`, prints milliseconds. */
function program(specifier: string, kind: 'import' | 'require'): string {
  const load =
    kind === 'import' ? `await import(${JSON.stringify(specifier)})` : `require(${JSON.stringify(specifier)})`;
  const body = `const t0 = performance.now(); ${load}; process.stdout.write(String(performance.now() - t0));`;
  return kind === 'import' ? `(async () => { ${body} })()` : body;
}

interface Timed {
  /** The import itself, as the process measured it. */
  importMs: number;
  /** Spawn to exit, as the parent measured it. */
  wallMs: number;
}

function timed(cwd: string, specifier: string, kind: 'import' | 'require'): Promise<Timed> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['-e', program(specifier, kind)],
      { cwd, env: { PATH: process.env['PATH'] ?? '' } },
      (error, stdout, stderr) => {
        if (error !== null) return reject(new Error(`${kind} ${specifier}: ${stderr || error.message}`));
        resolve({ importMs: Number(stdout), wallMs: performance.now() - started });
      },
    );
  });
}

function mib(dir: string, apparent: boolean): number {
  const kib = Number(
    execFileSync('du', ['-sk', ...(apparent ? ['--apparent-size'] : []), dir], { encoding: 'utf8' }).split('\t')[0],
  );
  return sig(kib / 1024);
}

/** Installs the tarball into a fresh app and measures; `smoke` runs 3 rounds instead of 21. */
export async function runB6(options: { smoke: boolean }): Promise<BenchResult> {
  const rounds = numberArg('--rounds', options.smoke ? 3 : 21);
  const tarball = await packedTarball();
  const app = mkdtempSync(join(tmpdir(), 'otel-segment-bridge-import-time-'));
  try {
    mkdirSync(app, { recursive: true });
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'import-time', version: '1.0.0', private: true }));
    await npmOk(['install', tarball, '@opentelemetry/api@1.10.0', ...NPM_FLAGS], app);
    const sides = {
      ours: () => timed(app, 'otel-segment-bridge', 'import'),
      theirs: () => timed(app, '@segment/analytics-node', 'import'),
      oursRequire: () => timed(app, 'otel-segment-bridge', 'require'),
      theirsRequire: () => timed(app, '@segment/analytics-node', 'require'),
    };
    await interleave(1, sides); // warm the file cache
    const runs = await interleave(rounds, sides);
    const ratios = runs.ours.map((ours, i) => ours.importMs / runs.theirs[i]!.importMs);
    const requireRatios = runs.oursRequire.map((ours, i) => ours.importMs / runs.theirsRequire[i]!.importMs);
    const sizeMib = mib(join(app, 'node_modules'), false);
    return {
      ...ratioResult(
        ratios,
        GOAL,
        'max',
        'import("otel-segment-bridge") ms / import("@segment/analytics-node") ms, same fresh app',
      ),
      rounds,
      tarball,
      ours_import_ms: rounded(runs.ours.map((r) => r.importMs)),
      theirs_import_ms: rounded(runs.theirs.map((r) => r.importMs)),
      ours_process_ms: rounded(runs.ours.map((r) => r.wallMs)),
      theirs_process_ms: rounded(runs.theirs.map((r) => r.wallMs)),
      require_ratio: rounded(requireRatios),
      ours_require_ms: rounded(runs.oursRequire.map((r) => r.importMs)),
      theirs_require_ms: rounded(runs.theirsRequire.map((r) => r.importMs)),
      install_mib: sizeMib,
      install_apparent_mib: mib(join(app, 'node_modules'), true),
      install_goal_mib: SIZE_GOAL_MIB,
      install_met: sizeMib <= SIZE_GOAL_MIB,
    };
  } finally {
    rmSync(app, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await runB6({ smoke: false }), null, 2));
}
