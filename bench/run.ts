/**
 * `npm run bench`: runs B1..B6 and G1..G3, prints one table and writes bench/results.json (each benchmark id mapped to its
 * ratio against the peer measured in the same run, min/median/max, the goal and whether it is met, plus what
 * else it measured; `_run` says when, where and how long). BENCHMARKS.md explains each one.
 *
 *   npm run bench                      full run (about 3–4 minutes on 2 cores)
 *   npm run bench -- --smoke           tiny sizes, one or two rounds (CI: test/bench-smoke.test.ts)
 *   npm run bench -- --only B1,B3      a subset
 *   npm run bench -- --out path.json   somewhere else (default bench/results.json; --smoke defaults to a temp file)
 *
 * Exits 1 when a benchmark failed or a run was not valid (events lost or dropped where none may be); goals not
 * met do not change the exit status.
 */
import { writeFileSync } from 'node:fs';
import { arch, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runB1 } from './b1-skip-path.js';
import { runB2 } from './b2-delivery.js';
import { runB3 } from './b3-record.js';
import { runB4 } from './b4-anonymizer.js';
import { runB5 } from './b5-outage-exit.js';
import { runG1 } from './g1-skip-path.js';
import { runG2 } from './g2-delivery.js';
import { runG3 } from './g3-outage.js';
import { ROOT } from './lib/child.js';
import { stringArg } from './lib/fixture.js';
import type { BenchResult } from './lib/stats.js';

type Runner = (options: { smoke: boolean }) => Promise<BenchResult>;

const BENCHMARKS: [string, string, Runner][] = [
  ['B1', 'skip path: export() of spans without telemetry vs OTLP JSON', runB1],
  ['B2', 'delivery: events/s vs analytics-node track() (and peak RSS)', runB2],
  ['B3', 'recording: recordTelemetry vs bare span.addEvent', runB3],
  ['B4', 'anonymizer: anonymizeSql vs libpg-query normalize, q/s', runB4],
  ['B5', 'outage and exit: worst measured/limit', runB5],
  ['G1', 'gateway skip path: decode-and-skip of 512 spans vs the official OTLP protobuf serializer', runG1],
  ['G2', 'gateway delivery: OTLP exporter -> gateway -> receiver vs the in-process bridge, events/s', runG2],
  ['G3', 'gateway outage: Segment 503 for 60 s, RSS growth / 64 MB, every event after recovery', runG3],
  ...(process.argv.includes('--smoke')
    ? []
    : [
        [
          'B6',
          'import time: "." vs analytics-node alone, from the packed tarball (and install size)',
          (o: { smoke: boolean }) => import('./import-time.js').then((m) => m.runB6(o)),
        ] as [string, string, Runner],
      ]),
];

function notes(id: string, r: BenchResult): string {
  const m = (key: string): string => {
    const v = r[key] as { median?: number } | number | undefined;
    return typeof v === 'number' ? String(v) : String(v?.median ?? '?');
  };
  switch (id) {
    case 'B1':
      return `ours ${m('ours_ns_per_span')} ns/span, OTLP ${m('otlp_ns_per_span')}, bare loop ${m('bare_loop_ns_per_span')} (${m('bare_loop_ratio_median')}x)`;
    case 'B2':
      return `ours ${m('ours_events_per_s')}/s vs ${m('theirs_events_per_s')}/s; RSS ratio ${m('rss_ratio_median')} (${m('rss_ratio_min')}-${m('rss_ratio_max')}, goal <= ${m('rss_goal')}): ${m('ours_peak_rss_mb')} vs ${m('theirs_peak_rss_mb')} MB`;
    case 'B3':
      return `ours ${m('ours_ns_per_event')} ns/event, bare ${m('bare_ns_per_event')} ns`;
    case 'B4':
      return `ours ${m('ours_qps')} q/s vs ${m('theirs_qps')} q/s; 1 MB in ${m('one_mb_ms')} ms`;
    case 'B5': {
      const figures = r['figures'] as Record<
        string,
        { ratio_median: number; measured: { median: number }; unit: string }
      >;
      return Object.entries(figures)
        .map(([name, f]) => `${name} ${f.ratio_median} (${f.measured.median} ${f.unit})`)
        .join('; ');
    }
    default:
      return '';
  }
}

function table(results: Record<string, BenchResult>): string {
  const rows = [['id', 'ratio median', 'min - max', 'goal', 'met', 'figures (medians)']];
  for (const [id, r] of Object.entries(results)) {
    const goal = `${r.goal_kind === 'max' ? '<=' : '>='} ${r.goal}`;
    const met = r.valid ? (r.met ? 'yes' : 'NO') : 'INVALID';
    rows.push([id, String(r.ratio_median), `${r.ratio_min} - ${r.ratio_max}`, goal, met, notes(id, r)]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  return rows
    .map((row) => row.map((cell, c) => (c === row.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  '))
    .join('\n');
}

async function main(): Promise<number> {
  const smoke = process.argv.includes('--smoke');
  const only = stringArg('--only', '')
    .split(',')
    .filter((id) => id !== '');
  const out = stringArg(
    '--out',
    smoke ? join(tmpdir(), 'otel-segment-bridge-bench-smoke.json') : join(ROOT, 'bench', 'results.json'),
  );
  const started = Date.now();
  const results: Record<string, BenchResult> = {};
  const failures: string[] = [];
  for (const [id, title, run] of BENCHMARKS) {
    if (only.length > 0 && !only.includes(id)) continue;
    const t0 = Date.now();
    console.log(`${id} ${title} …`);
    try {
      results[id] = await run({ smoke });
      console.log(`${id} done in ${((Date.now() - t0) / 1000).toFixed(1)} s: ratio ${results[id].ratio_median}`);
      if (!results[id].valid) failures.push(`${id}: run not valid ${JSON.stringify(results[id]['problems'] ?? '')}`);
    } catch (error) {
      failures.push(`${id}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }
  const seconds = (Date.now() - started) / 1000;
  const document = {
    ...results,
    _run: {
      date: new Date(started).toISOString(),
      smoke,
      seconds,
      machine: { nproc: cpus().length, cpu: cpus()[0]?.model ?? '', arch: arch(), node: process.version },
    },
  };
  writeFileSync(out, JSON.stringify(document, null, 2) + '\n');
  console.log(
    `\n${table(results)}\n\n${Object.keys(results).length} benchmarks in ${seconds.toFixed(0)} s on ${cpus().length} cores, node ${process.version} ${arch()}; wrote ${out}`,
  );
  for (const failure of failures) console.error(`FAILED ${failure}`);
  return failures.length === 0 ? 0 : 1;
}

process.exitCode = await main();
