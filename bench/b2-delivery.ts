/**
 * B2 delivery: events/s and peak RSS of recordTelemetry → BatchSpanProcessor → SegmentSpanExporter against
 * @segment/analytics-node `track()` of the same payloads, each side in a fresh child process (its RSS its own)
 * sending to a loopback receiver in this process, interleaved A B A B. Both producers record in chunks of 256
 * and yield between chunks; ours also waits while the exporter has no room for a chunk (it never had to here).
 * A run counts from the first event recorded to the arrival of the last distinct message at the receiver; it
 * is valid only if every event arrived and nothing was dropped. Reference, same rounds: analytics-node fed the
 * whole burst in one synchronous loop (how the 900 MB anchor was measured).
 */
import { anonymizeSql } from '../src/anonymize/index.js';
import { num, runFixture } from './lib/child.js';
import { countingReceiver } from './lib/fixture.js';
import { interleave } from './lib/interleave.js';
import { isMain, runAlone } from './lib/main.js';
import { BENCH_WRITE_KEY, RAW_QUERY } from './lib/payloads.js';
import { ratioResult, rounded, sig } from './lib/stats.js';
import type { BenchResult } from './lib/stats.js';

const RATE_GOAL = 1.0;
const RSS_GOAL = 0.5;

interface Run {
  events_per_s: number;
  peak_rss_mb: number;
  valid: boolean;
  problem: string;
  report: Record<string, unknown>;
}

/** One run of a fixture against a fresh receiver. */
async function deliver(fixture: string, events: number, args: readonly string[]): Promise<Run> {
  const counting = await countingReceiver(events, { writeKey: BENCH_WRITE_KEY });
  try {
    const report = await runFixture(fixture, {
      args: ['--host', counting.receiver.url, '--events', String(events), ...args],
      timeoutMillis: 180_000,
    });
    const arrived = await Promise.race([
      counting.allArrived,
      new Promise<number>((resolve) => setTimeout(() => resolve(Number.NaN), 5000).unref()),
    ]);
    const seconds = (arrived - num(report, 'started')) / 1000;
    const problems: string[] = [];
    if (counting.distinct() !== events) problems.push(`${counting.distinct()} of ${events} distinct events arrived`);
    if (num(report, 'dropped') !== 0) problems.push(`${num(report, 'dropped')} dropped`);
    return {
      events_per_s: events / seconds,
      peak_rss_mb: num(report, 'peak_rss_mb'),
      valid: problems.length === 0,
      problem: problems.join('; '),
      report: { ...report, delivered: counting.distinct(), duplicates: counting.duplicates(), seconds },
    };
  } finally {
    await counting.receiver.close();
  }
}

export async function runB2({ smoke }: { smoke: boolean }): Promise<BenchResult> {
  const events = smoke ? 2000 : 50_000;
  const rounds = smoke ? 1 : 5;
  const query = anonymizeSql(RAW_QUERY, { dialect: 'postgres' });
  const runs = await interleave(rounds, {
    ours: () => deliver('bench/fixtures/b2-ours.ts', events, []),
    theirs: () => deliver('bench/fixtures/b2-theirs.ts', events, ['--query', query]),
    theirs_burst: () => deliver('bench/fixtures/b2-theirs.ts', events, ['--query', query, '--chunk', String(events)]),
  });
  const rate = runs.ours.map((r, i) => r.events_per_s / runs.theirs[i]!.events_per_s);
  const rss = runs.ours.map((r, i) => r.peak_rss_mb / runs.theirs[i]!.peak_rss_mb);
  const result = ratioResult(rate, RATE_GOAL, 'min', 'events/s, ours / analytics-node');
  const rssSpread = rounded(rss);
  const all = [...runs.ours, ...runs.theirs, ...runs.theirs_burst];
  const rssMet = rssSpread.median <= RSS_GOAL;
  return {
    ...result,
    met: result.met && rssMet,
    valid: all.every((r) => r.valid),
    problems: all.filter((r) => !r.valid).map((r) => r.problem),
    rate_met: result.met,
    rss_ratio_median: rssSpread.median,
    rss_ratio_min: rssSpread.min,
    rss_ratio_max: rssSpread.max,
    rss_goal: RSS_GOAL,
    rss_met: rssMet,
    events,
    rounds,
    ours_events_per_s: rounded(runs.ours.map((r) => r.events_per_s)),
    theirs_events_per_s: rounded(runs.theirs.map((r) => r.events_per_s)),
    ours_peak_rss_mb: rounded(runs.ours.map((r) => r.peak_rss_mb)),
    theirs_peak_rss_mb: rounded(runs.theirs.map((r) => r.peak_rss_mb)),
    burst_events_per_s: rounded(runs.theirs_burst.map((r) => r.events_per_s)),
    burst_peak_rss_mb: rounded(runs.theirs_burst.map((r) => r.peak_rss_mb)),
    ours_over_burst_rate_median: sig(
      rounded(runs.ours.map((r, i) => r.events_per_s / runs.theirs_burst[i]!.events_per_s)).median,
    ),
    ours_over_burst_rss_median: sig(
      rounded(runs.ours.map((r, i) => r.peak_rss_mb / runs.theirs_burst[i]!.peak_rss_mb)).median,
    ),
    ours_dropped: runs.ours.reduce((n, r) => n + num(r.report, 'dropped'), 0),
    ours_backpressure_waits: runs.ours.map((r) => num(r.report, 'backpressure_waits')),
    ours_rss_before_mb: rounded(runs.ours.map((r) => num(r.report, 'rss_before_mb'))),
    theirs_rss_before_mb: rounded(runs.theirs.map((r) => num(r.report, 'rss_before_mb'))),
    last_reports: { ours: runs.ours.at(-1)?.report, theirs: runs.theirs.at(-1)?.report },
  };
}

if (isMain(import.meta.url)) await runAlone(runB2);
