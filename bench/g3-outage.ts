/**
 * G3 outage through the gateway: Segment (the loopback receiver) answers 503 for 60 s while Collector-like
 * clients (bench/fixtures/g3-client.ts) keep sending, then recovers. Figures: the gateway's answers during the
 * outage (429/503, each with Retry-After), the growth of its RSS over its level when the outage began, until
 * the last event arrived after recovery (goal ≤ 64 MB: the ratio is growth / 64 MB), and, after recovery, every
 * event at the receiver, duplicates only as repeated messageIds of identical messages.
 *
 *   npx tsx bench/g3-outage.ts [--smoke]
 */
import { num, runFixture } from './lib/child.js';
import { countingReceiver, sleep, within } from './lib/fixture.js';
import { isMain, runAlone } from './lib/main.js';
import { BENCH_WRITE_KEY } from './lib/payloads.js';
import { ratioResult, sig } from './lib/stats.js';
import type { BenchResult } from './lib/stats.js';
import { startGatewayProcess } from './fixtures/gateway-process.js';

const RSS_GROWTH_GOAL_MB = 64;

export async function runG3({ smoke }: { smoke: boolean }): Promise<BenchResult> {
  const warmupSeconds = smoke ? 2 : 5;
  // Longer than the ack deadline (the gateway's 5 s default, 1 s in smoke runs), so clients do see refusals.
  const outageSeconds = smoke ? 4 : 60;
  const sendSeconds = warmupSeconds + outageSeconds + (smoke ? 1 : 5);
  const rate = smoke ? 200 : 500;
  const batch = 100;

  let outage = false;
  const contents = new Map<unknown, string>();
  let mismatched = 0;
  const counting = await countingReceiver(Number.MAX_SAFE_INTEGER, {
    writeKey: BENCH_WRITE_KEY,
    fault: () => (outage ? { status: 503 } : undefined),
  });
  // Identical repeats only: a messageId seen twice must carry the same event, properties and timestamp.
  const check = counting.receiver.messages;
  const gateway = await startGatewayProcess(
    { RS_SEGMENT_WRITE_KEY: BENCH_WRITE_KEY, RS_SEGMENT_HOST: counting.receiver.url },
    smoke ? ['--ack-timeout', '1s'] : [],
  );
  let baseline = Number.NaN;
  let peak = 0;
  let outagePeak = 0;
  const sampler = setInterval(() => {
    const { rssMb } = gateway.memory();
    if (outage && Number.isNaN(baseline)) baseline = rssMb;
    if (!Number.isNaN(baseline)) peak = Math.max(peak, rssMb);
    if (outage) outagePeak = Math.max(outagePeak, rssMb);
  }, 100);
  try {
    const client = runFixture('bench/fixtures/g3-client.ts', {
      args: ['--url', gateway.url, '--seconds', String(sendSeconds), '--rate', String(rate), '--batch', String(batch)],
      timeoutMillis: (sendSeconds + 180) * 1000,
    });
    await sleep(warmupSeconds * 1000);
    outage = true;
    const outageStarted = Date.now();
    await sleep(outageSeconds * 1000);
    outage = false;
    const outageEnded = Date.now();
    const report = await client;
    const expected = num(report, 'made');
    const arrived = await within(
      (async () => {
        while (counting.distinct() < expected) await sleep(50);
        return true;
      })(),
      60_000,
      false,
    );
    for (const message of check) {
      const body = message.body;
      const content = JSON.stringify([body['event'], body['properties'], body['timestamp'], body['anonymousId']]);
      const seen = contents.get(body['messageId']);
      if (seen !== undefined && seen !== content) mismatched++;
      contents.set(body['messageId'], content);
    }
    const growth = peak - baseline;
    const statuses = report['statuses'] as Record<string, number>;
    const refusals = (statuses['429'] ?? 0) + (statuses['503'] ?? 0);
    const problems: string[] = [];
    if (!arrived || counting.distinct() !== expected)
      problems.push(`${counting.distinct()} of ${expected} distinct events arrived`);
    if (num(report, 'lost') !== 0) problems.push(`${num(report, 'lost')} events answered with a non-retryable status`);
    if (mismatched !== 0) problems.push(`${mismatched} repeated messageIds carried different messages`);
    const answersMet = refusals > 0 && num(report, 'retry_after_missing') === 0 && (statuses['0'] ?? 0) === 0;
    const result = ratioResult(
      [growth / RSS_GROWTH_GOAL_MB],
      1,
      'max',
      `gateway RSS growth during the outage / ${RSS_GROWTH_GOAL_MB} MB`,
    );
    return {
      ...result,
      met: result.met && answersMet && problems.length === 0,
      valid: problems.length === 0,
      problems,
      answers_met: answersMet,
      outage_seconds: sig((outageEnded - outageStarted) / 1000),
      rate_events_per_s: rate,
      events: expected,
      delivered: counting.distinct(),
      duplicates: counting.duplicates(),
      client_statuses: statuses,
      retry_after_missing: num(report, 'retry_after_missing'),
      max_retry_after_s: num(report, 'max_retry_after_s'),
      rss_at_outage_start_mb: sig(baseline),
      rss_peak_mb: sig(peak),
      rss_growth_mb: sig(growth),
      rss_peak_during_outage_mb: sig(outagePeak),
      rss_peak_after_recovery_mb: sig(peak === outagePeak ? Number.NaN : peak),
      gateway_peak_rss_mb: sig(gateway.memory().peakMb),
      recovery_seconds: sig((num(report, 'finished') - outageEnded) / 1000),
    };
  } finally {
    clearInterval(sampler);
    await gateway.stop();
    await counting.receiver.close();
  }
}

if (isMain(import.meta.url)) await runAlone(runG3);
