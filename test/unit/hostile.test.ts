/** Hostile spans and misuse never break the host: no exception escapes, no unhandled rejection, all counted. */
import assert from 'node:assert/strict';
import { testExporter } from '../helpers/segment.js';
import { after, before, test } from 'node:test';
import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import { recordTelemetry, SegmentSpanExporter, startReceiver } from '../../src/index.js';
import type { Receiver } from '../../src/index.js';
import { captureDiag } from '../helpers/diag.js';
import { fakeEvent, fakeSpan } from '../helpers/spans.js';

const logs = captureDiag();
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
let receiver: Receiver;

before(async () => {
  process.on('unhandledRejection', onUnhandled);
  receiver = await startReceiver();
});
after(async () => {
  await receiver.close();
  process.off('unhandledRejection', onUnhandled);
});

function exportOnce(
  exporter: SegmentSpanExporter,
  spans: Parameters<SegmentSpanExporter['export']>[0],
): ExportResult[] {
  const results: ExportResult[] = [];
  exporter.export(spans, (r) => results.push(r));
  return results;
}

test('attributes of every type: only valid strings survive, each refusal counted', async () => {
  const exporter = testExporter(receiver, { writeKey: 'k' });
  const before = receiver.messages.length;
  const weird = {
    server_version: 1.5,
    commit_id: false,
    docker_version: ['a', 'b'],
    adapter_version: [1, 2],
    query_id: '',
    schema: 'ok',
  };
  const results = exportOnce(exporter, [
    fakeSpan([fakeEvent('schema', weird)], { 'readyset.db_backend': 42 as never }),
  ]);
  assert.deepEqual(
    results.map((r) => r.code),
    [ExportResultCode.SUCCESS],
  );
  await exporter.shutdown();
  const [message] = receiver.messages.slice(before);
  assert.deepEqual(message?.body['properties'], { query_id: '', schema: 'anon_id_0', server_version: '1.5' });
  assert.equal(exporter.getStats().invalidProperties, 4);
});

test('10k telemetry events on one span: bounded by maxPendingEvents, the rest counted', async () => {
  const exporter = testExporter(receiver, { writeKey: 'k', maxPendingEvents: 2048 });
  const before = receiver.messages.length;
  const results = exportOnce(exporter, [fakeSpan(Array.from({ length: 10_000 }, () => fakeEvent('show_caches')))]);
  // Accepted: the refused events are counted and logged once, not reported to the processor as a failure.
  assert.deepEqual(
    results.map((r) => r.code),
    [ExportResultCode.SUCCESS],
  );
  await exporter.shutdown();
  const stats = exporter.getStats();
  assert.equal(receiver.messages.length - before, 2048);
  assert.deepEqual([stats.sent, stats.dropped.queue_full], [2048, 10_000 - 2048]);
});

test('a megabyte string property is never a crash: the event is counted, never lost silently', async () => {
  const exporter = testExporter(receiver, { writeKey: 'k' });
  exportOnce(exporter, [fakeSpan([fakeEvent('query_parse_failed', { server_version: 'x'.repeat(1024 * 1024) })])]);
  await exporter.shutdown();
  const stats = exporter.getStats();
  // Counted one way or the other: delivered, refused for size by the client, or rejected by the receiver.
  assert.equal(stats.sent + stats.dropped.oversized + stats.dropped.rejected, 1);
});

test('events after shutdown: FAILED callback, nothing thrown, nothing sent', async () => {
  const exporter = testExporter(receiver, { writeKey: 'k' });
  await exporter.shutdown();
  const requests = receiver.requests();
  const results = exportOnce(exporter, [fakeSpan([fakeEvent('server_stop')])]);
  assert.deepEqual(
    results.map((r) => r.code),
    [ExportResultCode.FAILED],
  );
  await exporter.forceFlush();
  await exporter.shutdown();
  assert.equal(receiver.requests(), requests);
  assert.doesNotThrow(() => recordTelemetry('server_stop'));
});

test('no unhandled promise rejection happened in any of the above', async () => {
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.deepEqual(unhandled, []);
});

test('a plain-http host is warned about unless it is loopback', () => {
  const warnings = (): number => logs.filter((l) => l.level === 'warn' && l.message.includes('plain http')).length;
  const before = warnings();
  new SegmentSpanExporter({ writeKey: 'k', host: 'http://127.0.0.1:1', disabled: true }, { env: {}, argv: [] });
  new SegmentSpanExporter({ writeKey: 'k', host: 'http://localhost:1', disabled: true }, { env: {}, argv: [] });
  assert.equal(warnings(), before);
  new SegmentSpanExporter(
    { writeKey: 'k', host: 'http://segment-proxy.internal', disabled: true },
    { env: {}, argv: [] },
  );
  assert.equal(warnings(), before + 1);
});
