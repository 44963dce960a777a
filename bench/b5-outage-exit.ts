/**
 * B5 outage and exit, each figure as measured / limit (≤ 1.0 meets the goal):
 * (a) Segment unreachable — a closed loopback port, and in alternate rounds a receiver that accepts and never
 *     answers — while an application records 200k events through the SDK (createSegmentSpanProcessor): RSS
 *     growth against 64 MB and event-loop delay p99 against 20 ms. Reference, same run: the same application
 *     with the same batching into an exporter that does nothing.
 * (b) exit latency of a program that records one event and returns (bench/fixtures/exit-app.ts), from the
 *     moment it returned to the moment its process ended: under the register entry against a healthy loopback
 *     receiver, less the same program without the bridge, against 300 ms; and under the register entry against
 *     a dead host (closed port), against shutdownTimeoutMillis (5000) + 500 ms.
 * Every run is a fresh child process; the sides are interleaved A B A B.
 */
import { startReceiver } from '../src/devtools/receiver.js';
import { num, runChild, runFixture } from './lib/child.js';
import { interleave } from './lib/interleave.js';
import { isMain, runAlone } from './lib/main.js';
import { BENCH_WRITE_KEY } from './lib/payloads.js';
import { closedPort } from './lib/ports.js';
import { rounded, sig, spread } from './lib/stats.js';
import type { BenchResult } from './lib/stats.js';

const RSS_GROWTH_LIMIT_MB = 64;
const LOOP_P99_LIMIT_MS = 20;
const EXTRA_EXIT_LIMIT_MS = 300;
const SHUTDOWN_TIMEOUT_MS = 5000; // the exporter's default; the register entry has no variable for it
const DEAD_EXIT_LIMIT_MS = SHUTDOWN_TIMEOUT_MS + 500;
const APP = 'bench/fixtures/exit-app.ts';
const REGISTER = ['--import', './src/register.ts'];

/** One figure of B5: per-round measured / limit. */
interface Figure {
  ratios: number[];
  limit: number;
  unit: string;
  measured: number[];
}

function figure(measured: number[], limit: number, unit: string): Figure {
  return { ratios: measured.map((m) => m / limit), limit, unit, measured };
}

function describe(f: Figure): Record<string, unknown> {
  const r = rounded(f.ratios);
  return {
    ratio_median: r.median,
    ratio_min: r.min,
    ratio_max: r.max,
    limit: f.limit,
    unit: f.unit,
    measured: rounded(f.measured),
  };
}

async function outage(
  smoke: boolean,
): Promise<{ rss: Figure; loop: Figure; extra: Record<string, unknown>; valid: boolean }> {
  const events = smoke ? 5000 : 200_000;
  const rounds = smoke ? 1 : 6;
  const tail = smoke ? 200 : 2000;
  const hanging = await startReceiver({ fault: () => ({ hang: true }) });
  let round = 0;
  const args = (host: string, pipeline: string): string[] => [
    '--host',
    host,
    '--events',
    String(events),
    '--tail-ms',
    String(tail),
    '--pipeline',
    pipeline,
  ];
  try {
    const runs = await interleave(rounds, {
      bridge: async () => {
        // Even rounds: connection refused; odd rounds: a server that never answers.
        const host = round % 2 === 0 ? `http://127.0.0.1:${await closedPort()}` : hanging.url;
        return {
          ...(await runFixture('bench/fixtures/b5-outage.ts', { args: args(host, 'segment'), timeoutMillis: 120_000 })),
          outage: round % 2 === 0 ? 'refused' : 'hang',
        };
      },
      noop: async () => {
        const report = await runFixture('bench/fixtures/b5-outage.ts', {
          args: args('http://127.0.0.1:9', 'noop'),
          timeoutMillis: 120_000,
        });
        round++;
        return report;
      },
    });
    const lost = runs.bridge.filter((r) => num(r, 'sent') !== 0 || num(r, 'pending') > 2048);
    return {
      rss: figure(
        runs.bridge.map((r) => num(r, 'rss_growth_mb')),
        RSS_GROWTH_LIMIT_MB,
        'MB',
      ),
      loop: figure(
        runs.bridge.map((r) => num(r, 'loop_delay_p99_ms')),
        LOOP_P99_LIMIT_MS,
        'ms',
      ),
      valid: lost.length === 0,
      extra: {
        events,
        rounds,
        outages: runs.bridge.map((r) => r['outage']),
        rss_growth_mb_by_outage: {
          refused: rounded(runs.bridge.filter((r) => r['outage'] === 'refused').map((r) => num(r, 'rss_growth_mb'))),
          hang: rounded(runs.bridge.filter((r) => r['outage'] === 'hang').map((r) => num(r, 'rss_growth_mb'))),
        },
        noop_rss_growth_mb: rounded(runs.noop.map((r) => num(r, 'rss_growth_mb'))),
        noop_loop_delay_p99_ms: rounded(runs.noop.map((r) => num(r, 'loop_delay_p99_ms'))),
        loop_delay_max_ms: rounded(runs.bridge.map((r) => num(r, 'loop_delay_max_ms'))),
        record_seconds: rounded(runs.bridge.map((r) => num(r, 'record_seconds'))),
        noop_record_seconds: rounded(runs.noop.map((r) => num(r, 'record_seconds'))),
        pending: runs.bridge.map((r) => num(r, 'pending')),
        dropped_queue_full: runs.bridge.map((r) => (r['dropped_by_reason'] as Record<string, number>)['queue_full']),
        dropped_at_shutdown: runs.bridge.map((r) => num(r, 'dropped_at_shutdown')),
        shutdown_ms: rounded(runs.bridge.map((r) => num(r, 'shutdown_ms'))),
        diag_errors: runs.bridge.map((r) => num(r, 'diag_errors')),
        last_diag_error: runs.bridge.at(-1)?.['last_diag_error'],
      },
    };
  } finally {
    await hanging.close();
  }
}

/** ms from the app's return to its process's end, and whether it printed anything unexpected. */
async function exitLatency(
  nodeArgs: readonly string[],
  env: Record<string, string>,
): Promise<{ ms: number; stderr: string; code: number | null }> {
  const run = await runChild(APP, { nodeArgs, env, timeoutMillis: 30_000 });
  return { ms: run.exitedAt - num(run.report, 'returned'), stderr: run.stderr, code: run.code };
}

async function exit(
  smoke: boolean,
): Promise<{ extraHealthy: Figure; dead: Figure; extra: Record<string, unknown>; valid: boolean }> {
  const rounds = smoke ? 1 : 5;
  const receiver = await startReceiver({ writeKey: BENCH_WRITE_KEY });
  const env = (host: string): Record<string, string> => ({
    RS_SEGMENT_HOST: host,
    RS_SEGMENT_WRITE_KEY: BENCH_WRITE_KEY,
  });
  try {
    const runs = await interleave(rounds, {
      bare: () => exitLatency([], {}),
      healthy: () => exitLatency(REGISTER, env(receiver.url)),
      dead: async () => exitLatency(REGISTER, env(`http://127.0.0.1:${await closedPort()}`)),
    });
    const extraMs = runs.healthy.map((h, i) => h.ms - runs.bare[i]!.ms);
    const all = [...runs.bare, ...runs.healthy, ...runs.dead];
    const delivered = receiver.messages.filter((m) => m.body['event'] === 'installer_run').length;
    return {
      extraHealthy: figure(extraMs, EXTRA_EXIT_LIMIT_MS, 'ms'),
      dead: figure(
        runs.dead.map((d) => d.ms),
        DEAD_EXIT_LIMIT_MS,
        'ms',
      ),
      valid: delivered === rounds && all.every((r) => r.code === 0 && Number.isFinite(r.ms)),
      extra: {
        rounds,
        bare_exit_ms: rounded(runs.bare.map((r) => r.ms)),
        healthy_exit_ms: rounded(runs.healthy.map((r) => r.ms)),
        dead_exit_ms: rounded(runs.dead.map((r) => r.ms)),
        delivered_healthy: delivered,
        stderr_lines_dead:
          runs.dead
            .at(-1)
            ?.stderr.split('\n')
            .filter((l) => l.trim() !== '').length ?? 0,
        stderr_dead_sample: runs.dead.at(-1)?.stderr.slice(0, 300),
      },
    };
  } finally {
    await receiver.close();
  }
}

export async function runB5({ smoke }: { smoke: boolean }): Promise<BenchResult> {
  const a = await outage(smoke);
  const b = await exit(smoke);
  const figures = {
    outage_rss_growth: a.rss,
    outage_loop_delay_p99: a.loop,
    exit_extra_healthy: b.extraHealthy,
    exit_dead_host: b.dead,
  };
  // The headline is the worst of the four figures, statistic by statistic.
  const worst = (pick: (s: ReturnType<typeof spread>) => number): number =>
    Math.max(...Object.values(figures).map((f) => pick(spread(f.ratios))));
  const median = worst((s) => s.median);
  return {
    ratio_median: sig(median),
    ratio_min: sig(worst((s) => s.min)),
    ratio_max: sig(worst((s) => s.max)),
    goal: 1,
    goal_kind: 'max',
    met: median <= 1,
    valid: a.valid && b.valid,
    ratio_is:
      'measured / limit, the worst of: outage RSS growth / 64 MB, outage loop delay p99 / 20 ms, extra exit latency / 300 ms, dead-host exit / 5500 ms',
    figures: Object.fromEntries(
      Object.entries(figures).map(([k, f]) => [k, { ...describe(f), met: spread(f.ratios).median <= 1 }]),
    ),
    outage: a.extra,
    exit: b.extra,
  };
}

if (isMain(import.meta.url)) await runAlone(runB5);
