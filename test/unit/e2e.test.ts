/**
 * End to end over real HTTP on loopback: NodeSDK + BatchSpanProcessor + SegmentSpanExporter → the receiver.
 */
import assert from 'node:assert/strict';
import { testExporter } from '../helpers/segment.js';
import { after, before, test } from 'node:test';
import { trace } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import {
  processAnonymousId,
  recordTelemetry,
  SegmentSpanExporter,
  startReceiver,
  TELEMETRY_EVENTS,
} from '../../src/index.js';
import type { Receiver } from '../../src/index.js';
import { messageIdFor } from '../../src/exporter/message-id.js';
import { hrTimeToIso } from '../../src/exporter/transform.js';
import { schemaErrors } from '../helpers/schema.js';

const WRITE_KEY = 'e2e-write-key';
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let receiver: Receiver;
let sdk: NodeSDK;
let exporter: SegmentSpanExporter;
let processor: BatchSpanProcessor;
const memory = new InMemorySpanExporter();

before(async () => {
  receiver = await startReceiver({ writeKey: WRITE_KEY });
  exporter = testExporter(receiver, { writeKey: WRITE_KEY }, { env: { RS_API_KEY: 'rs-api-key-123' }, argv: [] });
  processor = new BatchSpanProcessor(exporter, { scheduledDelayMillis: 50 });
  sdk = new NodeSDK({
    spanProcessors: [processor, new SimpleSpanProcessor(memory)],
    instrumentations: [],
  });
  sdk.start();
});

after(async () => {
  await sdk.shutdown();
  await receiver.close();
});

test('all 17 events arrive exactly once, schema-valid, authenticated, with userId, one anonymousId and the event times', async () => {
  const tracer = trace.getTracer('e2e');
  tracer.startActiveSpan('session', (span) => {
    for (const event of TELEMETRY_EVENTS) recordTelemetry(event, { server_version: '1.2.3', db_backend: 'mysql' });
    span.end();
  });
  // The processor hands the batch to the exporter; the exporter's forceFlush waits for Segment's answer.
  await processor.forceFlush();
  await exporter.forceFlush();
  assert.equal(exporter.getStats().pending, 0);

  const received = receiver.messages.map((m) => m.body);
  assert.deepEqual(received.map((b) => b['event']).sort(), [...TELEMETRY_EVENTS].sort());
  assert.equal(new Set(received.map((b) => b['messageId'])).size, 17);

  for (const message of receiver.messages) {
    assert.deepEqual(schemaErrors(message.body), [], String(message.body['event']));
    assert.deepEqual(message.errors, []);
    assert.equal(message.authorization, `Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}`);
    assert.equal(message.body['userId'], 'rs-api-key-123');
    assert.equal(message.body['type'], 'track');
    assert.deepEqual(message.body['properties'], { server_version: '1.2.3', db_backend: 'mysql' });
  }
  const anonymousIds = new Set(received.map((b) => b['anonymousId']));
  assert.deepEqual([...anonymousIds], [processAnonymousId()]);
  assert.match(processAnonymousId(), UUID_V4);

  // Each message carries its own span event's time, found through the stable messageId.
  const [span] = memory.getFinishedSpans();
  assert.ok(span);
  assert.equal(span.events.length, 17);
  span.events.forEach((event, index) => {
    const { traceId, spanId } = span.spanContext();
    const id = messageIdFor(processAnonymousId(), event.name as never, {}, { traceId, spanId, eventIndex: index });
    const body = received.find((b) => b['messageId'] === id);
    assert.ok(body, event.name);
    assert.equal(body['event'], event.name);
    assert.equal(new Date(String(body['timestamp'])).toISOString(), hrTimeToIso(event.time));
  });
  assert.deepEqual(exporter.getStats().dropped, {
    queue_full: 0,
    opted_out: 0,
    no_write_key: 0,
    invalid_host: 0,
    shutdown: 0,
    rejected: 0,
    delivery_failed: 0,
    oversized: 0,
  });
  assert.equal(exporter.getStats().sent, 17);
});

test('a second exporter in the process shares the anonymousId', () => {
  const other = new SegmentSpanExporter({ disabled: true });
  assert.equal(processAnonymousId(), processAnonymousId());
  assert.ok(other);
});
