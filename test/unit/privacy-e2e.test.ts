/**
 * Privacy end to end: recordTelemetry → NodeSDK → SegmentSpanExporter → loopback receiver, with an in-memory
 * exporter beside it standing in for OTLP or console exporters.
 */
import assert from 'node:assert/strict';
import { testExporter } from '../helpers/segment.js';
import { after, before, test } from 'node:test';
import { trace } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { recordTelemetry, startReceiver } from '../../src/index.js';
import type { Receiver, SegmentSpanExporter } from '../../src/index.js';
import { MAX_MESSAGE_BYTES } from '../../src/exporter/size.js';

const SECRETS = ['alice@example.com', '4111111111111111', 'customer_ledger', 'PassW0rd!'];
const QUERY = `SELECT * FROM customer_ledger WHERE email = 'alice@example.com' AND card = 4111111111111111 /* PassW0rd! */`;

let receiver: Receiver;
let sdk: NodeSDK;
let segment: SegmentSpanExporter;
let processor: BatchSpanProcessor;
const neighbour = new InMemorySpanExporter();
const neighbourProcessor = new SimpleSpanProcessor(neighbour);

before(async () => {
  receiver = await startReceiver();
  segment = testExporter(receiver, { writeKey: 'k' });
  processor = new BatchSpanProcessor(segment, { scheduledDelayMillis: 20 });
  sdk = new NodeSDK({ spanProcessors: [processor, neighbourProcessor], instrumentations: [] });
  sdk.start();
});
after(async () => {
  await sdk.shutdown();
  await receiver.close();
});

async function delivered(): Promise<void> {
  await processor.forceFlush();
  await neighbourProcessor.forceFlush();
  await segment.forceFlush();
}

test('a proxied query holding secrets, recorded 50 times: one Track message, no secret on the wire or in other exporters', async () => {
  const before = receiver.messages.length;
  trace.getTracer('t').startActiveSpan('proxy', (span) => {
    for (let i = 0; i < 50; i++) recordTelemetry('proxied_query', { proxied_query: QUERY, db_backend: 'mysql' });
    span.end();
  });
  await delivered();
  const received = receiver.messages.slice(before);
  assert.equal(received.length, 1);
  assert.equal(segment.getStats().deduplicated, 49);
  const wire = JSON.stringify(received.map((m) => m.body));
  const beside = JSON.stringify(neighbour.getFinishedSpans().map((s) => s.events));
  for (const secret of SECRETS) {
    assert.ok(!wire.includes(secret), `wire leaks ${secret}`);
    assert.ok(!beside.includes(secret), `the neighbouring exporter sees ${secret}`);
  }
  const properties = received[0]?.body['properties'] as Record<string, string>;
  assert.match(
    properties['proxied_query']!,
    /^SELECT \* FROM anon_id_0 WHERE anon_id_1 = '<anonymized>' AND anon_id_2 = '<anonymized>'$/,
  );
  assert.match(properties['query_id']!, /^q_[0-9a-f]{16}$/);
});

test('a schema is reported once per distinct anonymized text', async () => {
  const before = receiver.messages.length;
  for (const table of ['payroll', 'invoices', 'payroll'])
    recordTelemetry('schema', { schema: `CREATE TABLE ${table} (id int)`, db_backend: 'postgres' });
  // Two different tables with the same shape anonymize alike: one message for all three.
  await delivered();
  assert.equal(receiver.messages.length - before, 1);
});

test('a 100 KB query arrives as one message under 32 KB, truncated visibly', async () => {
  const before = receiver.messages.length;
  const columns = Array.from({ length: 6000 }, (_, i) => `col${i}`).join(', ');
  recordTelemetry('proxied_query', { proxied_query: `SELECT ${columns} FROM t`, db_backend: 'postgres' });
  await delivered();
  const received = receiver.messages.slice(before);
  assert.equal(received.length, 1);
  assert.ok(Buffer.byteLength(JSON.stringify(received[0]?.body)) < MAX_MESSAGE_BYTES);
  assert.match(String((received[0]?.body['properties'] as Record<string, string>)['proxied_query']), /…\[truncated\]$/);
  assert.equal(segment.getStats().truncated, 1);
});

test('many large events in one batch still arrive: requests over 500 KB are split', async () => {
  const before = receiver.messages.length;
  for (let i = 0; i < 40; i++) {
    // Distinct shapes (i columns), so de-duplication keeps all 40; each about 25 KB after anonymization.
    const columns = Array.from({ length: 1800 + i }, (_, c) => `c${c}`).join(', ');
    recordTelemetry('schema', { schema: `CREATE TABLE t (${columns})`, db_backend: 'postgres' });
  }
  await delivered();
  assert.equal(receiver.messages.length - before, 40);
  assert.equal(segment.getStats().dropped.rejected, 0);
});

test('two long schemas that differ only past the 32 KB cut are both reported', async () => {
  const before = receiver.messages.length;
  const columns = Array.from({ length: 4000 }, (_, c) => `c${c} int`).join(', ');
  recordTelemetry('schema', { schema: `CREATE TABLE t (${columns})`, db_backend: 'postgres' });
  recordTelemetry('schema', { schema: `CREATE TABLE t (${columns}, extra text)`, db_backend: 'postgres' });
  await delivered();
  assert.equal(receiver.messages.length - before, 2);
});
