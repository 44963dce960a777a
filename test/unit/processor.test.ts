/**
 * The programmatic wiring: createSegmentSpanProcessor in an SDK the application builds, and startTelemetry.
 * Asserts on what a loopback Segment receiver got.
 */
import assert from 'node:assert/strict';
import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { after, test } from 'node:test';
import { createSegmentSpanProcessor, recordTelemetry, startReceiver, startTelemetry } from '../../src/index.js';

const KEY = 'processor-key';
const receivers: { close(): Promise<void> }[] = [];

after(async () => {
  await Promise.all(receivers.map((r) => r.close()));
});

async function receiver() {
  const r = await startReceiver({ writeKey: KEY });
  receivers.push(r);
  return r;
}

test('createSegmentSpanProcessor delivers telemetry events with the options given', async () => {
  const segment = await receiver();
  const processor = createSegmentSpanProcessor({ writeKey: KEY, host: segment.url }, { env: {}, argv: [] });
  const provider = new BasicTracerProvider({ spanProcessors: [processor] });
  const span = provider.getTracer('test').startSpan('installer');
  span.addEvent('installer_run', { deployment_env: 'helm' });
  span.end();
  await provider.shutdown();
  assert.deepEqual(
    segment.messages.map((m) => [m.writeKey, m.body['event'], m.body['properties']]),
    [[KEY, 'installer_run', { deployment_env: 'helm' }]],
  );
  assert.equal(processor.exporter.getStats().sent, 1);
});

test('a burst of spans without telemetry events does not crowd telemetry out of the queue', async () => {
  const segment = await receiver();
  const batching = { maxQueueSize: 10, maxExportBatchSize: 10, scheduledDelayMillis: 60_000 };
  const processor = createSegmentSpanProcessor({ writeKey: KEY, host: segment.url, batching }, { env: {}, argv: [] });
  const provider = new BasicTracerProvider({ spanProcessors: [processor] });
  const tracer = provider.getTracer('test');
  for (let i = 0; i < 100; i++) tracer.startSpan(`GET /items/${i}`).end();
  const span = tracer.startSpan('installer');
  span.addEvent('installer_finished');
  span.end();
  await provider.shutdown();
  assert.deepEqual(
    segment.messages.map((m) => m.body['event']),
    ['installer_finished'],
  );
});

test('startTelemetry: events reach Segment with the resource attributes, beside the other processors', async () => {
  const segment = await receiver();
  const memory = new InMemorySpanExporter();
  const beside = new SimpleSpanProcessor(memory);
  const handle = startTelemetry({
    writeKey: KEY,
    host: segment.url,
    resourceAttributes: { 'readyset.server_version': '1.2.3' },
    spanProcessors: [beside],
    shutdownOnExit: false,
  });
  let besideSegment: string[];
  try {
    recordTelemetry('adapter_start', { adapter_version: '1.8.0' });
    recordTelemetry('adapter_stop');
    // The in-memory exporter forgets its spans when it is shut down.
    await beside.forceFlush();
    besideSegment = memory.getFinishedSpans().flatMap((span) => span.events.map((e) => e.name));
  } finally {
    await handle.shutdown();
    trace.disable();
  }
  const byEvent = new Map(segment.messages.map((m) => [m.body['event'], m.body['properties']]));
  assert.deepEqual(byEvent.get('adapter_start'), { adapter_version: '1.8.0', server_version: '1.2.3' });
  assert.deepEqual(byEvent.get('adapter_stop'), { server_version: '1.2.3' });
  assert.equal(handle.getStats().sent, 2);
  assert.deepEqual(besideSegment.sort(), ['adapter_start', 'adapter_stop']);
});

test("the processor's forceFlush waits until Segment has the events, not only until the exporter accepted them", async () => {
  const segment = await receiver();
  // A long flush interval: without the exporter's forceFlush nothing would be sent for a minute.
  const processor = createSegmentSpanProcessor(
    { writeKey: KEY, host: segment.url, flushIntervalMillis: 60_000 },
    { env: {}, argv: [] },
  );
  const provider = new BasicTracerProvider({ spanProcessors: [processor] });
  const span = provider.getTracer('test').startSpan('adapter');
  span.addEvent('adapter_start');
  span.end();
  await provider.forceFlush();
  assert.equal(segment.messages.length, 1);
  await provider.shutdown();
});
