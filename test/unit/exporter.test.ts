import assert from 'node:assert/strict';
import { testExporter } from '../helpers/segment.js';
import { after, before, test } from 'node:test';
import { context } from '@opentelemetry/api';
import { ExportResultCode, isTracingSuppressed } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { HTTPClient } from '@segment/analytics-node';
import { SegmentSpanExporter } from '../../src/index.js';
import { startReceiver } from '../../src/testing.js';
import type { Receiver } from '../../src/index.js';
import type { SpanLike } from '../../src/exporter/types.js';
import { captureDiag } from '../helpers/diag.js';
import { fakeEvent, fakeSpan } from '../helpers/spans.js';

const logs = captureDiag();
const WRITE_KEY = 'wk_exporter_test_key';
const quiet = { env: {}, argv: [] };
let receiver: Receiver;
let sdk: NodeSDK;

before(async () => {
  // NodeSDK installs the AsyncLocalStorage context manager, so context.with() is observable below.
  sdk = new NodeSDK({ instrumentations: [], spanProcessors: [] });
  sdk.start();
  receiver = await startReceiver({ writeKey: WRITE_KEY });
});
after(async () => {
  await receiver.close();
  await sdk.shutdown();
});

/** Calls export and collects every callback invocation, waiting a few ticks for late duplicates. */
async function exportAll(exporter: SegmentSpanExporter, spans: SpanLike[]): Promise<ExportResult[]> {
  const results: ExportResult[] = [];
  exporter.export(spans, (r) => results.push(r));
  await new Promise((resolve) => setTimeout(resolve, 20));
  return results;
}

let queries = 0;
/** A span with `n` proxied queries, each distinct (repeats would be de-duplicated). */
const events = (n: number): SpanLike =>
  fakeSpan(Array.from({ length: n }, () => fakeEvent('proxied_query', { query_id: `q${queries++}` })));

test('export calls back exactly once with SUCCESS, and forceFlush delivers what is pending', async () => {
  // A long flush interval: only forceFlush can make these go out now.
  const exporter = testExporter(receiver, { writeKey: WRITE_KEY, flushIntervalMillis: 60_000 }, quiet);
  const before = receiver.messages.length;
  const results = await exportAll(exporter, [events(3)]);
  assert.deepEqual(results, [{ code: ExportResultCode.SUCCESS }]);
  assert.equal(exporter.getStats().pending, 3);
  await exporter.forceFlush();
  assert.equal(receiver.messages.length - before, 3);
  assert.equal(exporter.getStats().sent, 3);
  await exporter.shutdown();
});

test('shutdown delivers what is pending, then export reports FAILED exactly once', async () => {
  const exporter = testExporter(receiver, { writeKey: WRITE_KEY, flushIntervalMillis: 60_000 }, quiet);
  const before = receiver.messages.length;
  await exportAll(exporter, [events(2)]);
  await exporter.shutdown();
  assert.equal(receiver.messages.length - before, 2);
  const results = await exportAll(exporter, [events(1)]);
  assert.equal(results.length, 1);
  assert.equal(results[0]?.code, ExportResultCode.FAILED);
  assert.match(String(results[0]?.error), /shut down/);
  await exporter.shutdown(); // idempotent
});

test('hostile input never throws out of export: one FAILED callback', async () => {
  const exporter = testExporter(receiver, { writeKey: WRITE_KEY }, quiet);
  const hostile = {
    get events(): never {
      throw new Error('boom');
    },
    resource: { attributes: {} },
    spanContext: () => ({ traceId: '', spanId: '', traceFlags: 0 }),
  };
  const results = await exportAll(exporter, [hostile, null as unknown as SpanLike]);
  assert.equal(results.length, 1);
  assert.equal(results[0]?.code, ExportResultCode.FAILED);
  // A throwing result callback is logged, not rethrown.
  assert.doesNotThrow(() =>
    exporter.export([], () => {
      throw new Error('callback bug');
    }),
  );
  await exporter.shutdown();
});

test('without a write key the exporter runs, sends nothing and says so once at info level', async () => {
  const requests = receiver.requests();
  const a = testExporter(receiver, {}, quiet);
  const b = testExporter(receiver, {}, quiet);
  assert.deepEqual(await exportAll(a, [events(2)]), [{ code: ExportResultCode.SUCCESS }]);
  await exportAll(b, [events(1)]);
  await Promise.all([a.shutdown(), b.shutdown()]);
  assert.equal(receiver.requests(), requests);
  assert.equal(a.getStats().dropped.no_write_key, 2);
  // Said when the events arrive (a logger installed after the exporter still shows it), once, as a warning.
  assert.equal(logs.filter((l) => l.level === 'warn' && l.message.includes('no Segment write key')).length, 1);
});

test("Segment's own HTTP requests run with tracing suppressed", async () => {
  const seen: boolean[] = [];
  const httpClient: HTTPClient = {
    makeRequest: (request) => {
      seen.push(isTracingSuppressed(context.active()));
      return fetch(request.url, { method: 'POST', headers: request.headers, body: request.body });
    },
  };
  const exporter = testExporter(receiver, { writeKey: WRITE_KEY, httpClient }, quiet);
  await exportAll(exporter, [events(1)]);
  await exporter.shutdown();
  assert.deepEqual(seen, [true]);
  assert.equal(exporter.getStats().sent, 1);
});

test('shutdown is bounded by shutdownTimeoutMillis while Segment never answers', { timeout: 15_000 }, async () => {
  const hanging = await startReceiver({ fault: () => ({ hang: true }) });
  try {
    const exporter = new SegmentSpanExporter(
      { writeKey: WRITE_KEY, host: hanging.url, shutdownTimeoutMillis: 200, httpRequestTimeoutMillis: 60_000 },
      quiet,
    );
    await exportAll(exporter, [events(4)]);
    // Unbounded, this would wait for the 60 s request timeout and then retry: the test's 15 s limit fails it.
    await exporter.shutdown();
    const stats = exporter.getStats();
    assert.equal(stats.dropped.shutdown, 4);
    assert.equal(stats.pending, 0);
    assert.equal(stats.sent, 0);
  } finally {
    await hanging.close();
  }
});

test('write key never appears in any log line', () => {
  for (const line of logs)
    assert.ok(!line.message.includes(WRITE_KEY) && !line.message.includes('Basic '), line.message);
});
