/**
 * `npm run soak [-- --minutes N] [-- --rate EVENTS_PER_S]`: minutes of mixed Segment faults while an application
 * records telemetry at a moderate rate, then a full account of every event.
 *
 * The receiver (startReceiver) injects, on about a third of the requests and never more than three in a row:
 * 500 and 503, 429 with Retry-After, connection resets before and after recording the batch (a lost answer:
 * Segment has the events, the bridge sends them again), and hangs before and after recording (the bridge's
 * request timeout, 2 s here, ends them). A small forwarding proxy in front of it answers one request in ten
 * 0.3–1.5 s late. At the end it reports:
 *   delivered     distinct messageIds at the receiver
 *   duplicates    messages that arrived again with a messageId already seen (Segment de-duplicates them)
 *   dropped       exporter.getStats().dropped, by reason
 *   deduplicated  repeats of an already reported query, not sent by design
 *   unaccounted   recorded − delivered − dropped − deduplicated: must be 0 (exit status 1 otherwise)
 *   peak RSS      of the application's process (bench/fixtures/soak-app.ts; the receiver runs here), and its
 *                 RSS every 30 s
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startReceiver } from '../src/devtools/receiver.js';
import type { Fault } from '../src/devtools/receiver.js';
import type { StatsSnapshot } from '../src/exporter/stats.js';
import { num, runFixture } from './lib/child.js';
import { numberArg } from './lib/fixture.js';
import { BENCH_WRITE_KEY } from './lib/payloads.js';
import { prng } from './lib/prng.js';

const MINUTES = numberArg('--minutes', 3);
const RATE = numberArg('--rate', 200);

type FaultKind = 'http500' | 'http503' | 'http429' | 'reset' | 'resetAfterRecording' | 'hang' | 'hangAfterRecording';

const FAULTS: Record<FaultKind, Fault> = {
  http500: { status: 500 },
  http503: { status: 503 },
  http429: { status: 429, headers: { 'retry-after': '1' } },
  reset: { destroy: true },
  resetAfterRecording: { destroy: true, afterRecording: true },
  hang: { hang: true },
  hangAfterRecording: { hang: true, afterRecording: true },
};
const KINDS = Object.keys(FAULTS) as FaultKind[];

/** Chooses the fault of each request: about a third of them, never more than three in a row. */
function faultPlan(random: () => number): () => FaultKind | undefined {
  let streak = 0;
  return () => {
    const faulty = streak < 3 && random() < 0.33;
    streak = faulty ? streak + 1 : 0;
    return faulty ? KINDS[Math.floor(random() * KINDS.length)] : undefined;
  };
}

/** A proxy in front of the receiver that answers one request in ten 300–1500 ms late (within the timeout). */
async function slowProxy(
  target: string,
  random: () => number,
): Promise<{ url: string; slow: () => number; close(): Promise<void> }> {
  let slow = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const delay = random() < 0.1 ? 300 + random() * 1200 : 0;
      if (delay > 0) slow++;
      setTimeout(() => {
        const headers = Object.fromEntries(
          Object.entries(req.headers).filter(([, v]) => typeof v === 'string'),
        ) as Record<string, string>;
        delete headers['host'];
        delete headers['content-length'];
        delete headers['connection'];
        fetch(target + (req.url ?? '/'), {
          method: req.method ?? 'POST',
          headers,
          body: Buffer.concat(chunks),
          signal: AbortSignal.timeout(10_000),
        })
          .then(async (answer) => {
            const body = await answer.text();
            res.writeHead(answer.status, {
              'content-type': answer.headers.get('content-type') ?? 'application/json',
              ...(answer.headers.get('retry-after') ? { 'retry-after': answer.headers.get('retry-after')! } : {}),
            });
            res.end(body);
          })
          // The receiver reset or never answered: the client sees a reset (or its own timeout first).
          .catch(() => req.socket.destroy());
      }, delay);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    slow: () => slow,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function main(): Promise<number> {
  const plan = faultPlan(prng(42));
  const injected: Record<string, number> = Object.fromEntries(KINDS.map((k) => [k, 0]));
  const ids = new Map<unknown, number>();
  const faulty = await startReceiver({
    writeKey: BENCH_WRITE_KEY,
    onMessage: (m) => void ids.set(m.body['messageId'], (ids.get(m.body['messageId']) ?? 0) + 1),
    fault: () => {
      const kind = plan();
      if (kind === undefined) return undefined;
      injected[kind] = (injected[kind] ?? 0) + 1;
      return FAULTS[kind];
    },
  });
  const proxy = await slowProxy(faulty.url, prng(7));

  console.log(
    `soak: ${MINUTES} min at ${RATE} events/s through ${proxy.url} (faults on about a third of the requests)`,
  );
  let app: Record<string, unknown>;
  try {
    app = await runFixture('bench/fixtures/soak-app.ts', {
      args: ['--host', proxy.url, '--minutes', String(MINUTES), '--rate', String(RATE)],
      timeoutMillis: MINUTES * 60_000 + 120_000,
      onLine: (line) => console.log(line),
    });
  } finally {
    await proxy.close();
    await faulty.close();
  }
  const stats = app['stats'] as StatsSnapshot;
  const recorded = num(app, 'recorded');
  const delivered = ids.size;
  const received = [...ids.values()].reduce((a, b) => a + b, 0);
  const dropped = Object.values(stats.dropped).reduce((a, b) => a + b, 0);
  const unaccounted = recorded - delivered - dropped - stats.deduplicated;
  const summary = {
    minutes: MINUTES,
    recorded,
    delivered,
    duplicates: received - delivered,
    dropped_by_reason: stats.dropped,
    deduplicated: stats.deduplicated,
    unaccounted,
    pending_at_end: stats.pending,
    requests: faulty.requests(),
    faults_injected: { ...injected, slow: proxy.slow() },
    failed_requests: stats.failedRequests,
    retries: stats.retries,
    peak_rss_mb: app['peak_rss_mb'],
    rss_before_mb: app['rss_before_mb'],
    rss_every_30s_mb: app['rss_every_30s_mb'],
    diag_errors: app['diag_errors'],
    diag_warnings: app['diag_warnings'],
    shutdown_error: app['shutdown_error'],
  };
  console.log(JSON.stringify(summary, null, 2));
  if (unaccounted !== 0) console.error(`soak: ${unaccounted} events unaccounted for`);
  return unaccounted === 0 ? 0 : 1;
}

process.exitCode = await main();
