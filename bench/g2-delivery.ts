/**
 * G2 delivery through the gateway: the B2 events recorded as span events by an application → the official
 * OTLP/HTTP protobuf exporter → `otel-segment-bridge gateway` (a process of its own) → a loopback receiver,
 * against the in-process bridge (B2's own fixture, recordTelemetry → SegmentSpanExporter) on the same events,
 * interleaved A B A B. A run counts from the first event recorded to the producer's flush: forceFlush() of the
 * in-process exporter waits for Segment's answer, and the gateway acknowledges an OTLP request only once
 * Segment took its events, so both ends mean "at the receiver". A run is valid only if nothing was dropped or
 * failed and both sides put the same number of distinct messages at the receiver (de-duplication by design,
 * e.g. a repeated query, applies to both alike).
 *
 *   npx tsx bench/g2-delivery.ts [--smoke]
 */
import { num, runFixture } from './lib/child.js';
import { countingReceiver } from './lib/fixture.js';
import { interleave } from './lib/interleave.js';
import { isMain, runAlone } from './lib/main.js';
import { BENCH_WRITE_KEY } from './lib/payloads.js';
import { ratioResult, rounded } from './lib/stats.js';
import type { BenchResult } from './lib/stats.js';
import { startGatewayProcess } from './fixtures/gateway-process.js';

const RATE_GOAL = 0.8;

interface Run {
  events_per_s: number;
  valid: boolean;
  problem: string;
  report: Record<string, unknown>;
}

async function measure(events: number, send: (receiverUrl: string) => Promise<Record<string, unknown>>): Promise<Run> {
  const counting = await countingReceiver(events, { writeKey: BENCH_WRITE_KEY });
  try {
    const report = await send(counting.receiver.url);
    const seconds = (num(report, 'flushed') - num(report, 'started')) / 1000;
    const problems: string[] = [];
    if (num(report, 'dropped') !== 0) problems.push(`${num(report, 'dropped')} dropped or failed`);
    return {
      events_per_s: events / seconds,
      valid: problems.length === 0,
      problem: problems.join('; '),
      report: { ...report, delivered: counting.distinct(), duplicates: counting.duplicates(), seconds },
    };
  } finally {
    await counting.receiver.close();
  }
}

function viaGateway(events: number) {
  return (receiverUrl: string): Promise<Record<string, unknown>> =>
    (async () => {
      const gateway = await startGatewayProcess({
        RS_SEGMENT_WRITE_KEY: BENCH_WRITE_KEY,
        RS_SEGMENT_HOST: receiverUrl,
      });
      try {
        const report = await runFixture('bench/fixtures/g2-producer.ts', {
          args: ['--url', gateway.url, '--events', String(events)],
          timeoutMillis: 180_000,
        });
        return { ...report, gateway_peak_rss_mb: gateway.memory().peakMb };
      } finally {
        await gateway.stop();
      }
    })();
}

export async function runG2({ smoke }: { smoke: boolean }): Promise<BenchResult> {
  const events = smoke ? 2000 : 50_000;
  const rounds = smoke ? 1 : 5;
  const runs = await interleave(rounds, {
    in_process: () =>
      measure(events, (url) =>
        runFixture('bench/fixtures/b2-ours.ts', {
          args: ['--host', url, '--events', String(events)],
          timeoutMillis: 180_000,
        }),
      ),
    gateway: () => measure(events, viaGateway(events)),
  });
  const ratios = runs.gateway.map((r, i) => r.events_per_s / runs.in_process[i]!.events_per_s);
  const all = [...runs.gateway, ...runs.in_process];
  runs.gateway.forEach((r, i) => {
    const theirs = num(runs.in_process[i]!.report, 'delivered');
    if (num(r.report, 'delivered') !== theirs) {
      r.valid = false;
      r.problem = `the gateway delivered ${num(r.report, 'delivered')} distinct messages, the in-process bridge ${theirs}`;
    }
  });
  return {
    ...ratioResult(ratios, RATE_GOAL, 'min', 'events/s, OTLP exporter → gateway / in-process bridge (B2)'),
    valid: all.every((r) => r.valid),
    problems: all.filter((r) => !r.valid).map((r) => r.problem),
    events,
    rounds,
    gateway_events_per_s: rounded(runs.gateway.map((r) => r.events_per_s)),
    in_process_events_per_s: rounded(runs.in_process.map((r) => r.events_per_s)),
    gateway_peak_rss_mb: rounded(runs.gateway.map((r) => num(r.report, 'gateway_peak_rss_mb'))),
    producer_peak_rss_mb: rounded(runs.gateway.map((r) => num(r.report, 'peak_rss_mb'))),
    gateway_duplicates: runs.gateway.map((r) => num(r.report, 'duplicates')),
    last_reports: { gateway: runs.gateway.at(-1)?.report, in_process: runs.in_process.at(-1)?.report },
  };
}

if (isMain(import.meta.url)) await runAlone(runG2);
