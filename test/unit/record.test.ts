import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { context, trace } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { recordTelemetry, TELEMETRY_SPAN_NAME } from '../../src/index.js';
import type { TelemetryEvent } from '../../src/index.js';
import { captureDiag } from '../helpers/diag.js';

const logs = captureDiag();
const memory = new InMemorySpanExporter();
const processor = new SimpleSpanProcessor(memory);
const sdk = new NodeSDK({ spanProcessors: [processor], instrumentations: [] });
/** Finished spans, once the processor has exported them (resource detection makes that asynchronous). */
async function finished() {
  await processor.forceFlush();
  return memory.getFinishedSpans();
}
sdk.start();
after(() => sdk.shutdown());

test('inside an active span, the event is added to that span with the properties as attributes', async () => {
  memory.reset();
  trace.getTracer('t').startActiveSpan('work', (span) => {
    recordTelemetry('server_start', { server_version: '1.0', deployment_env: 'eks' });
    span.end();
  });
  const spans = await finished();
  assert.deepEqual(
    spans.map((s) => s.name),
    ['work'],
  );
  assert.deepEqual(
    spans[0]?.events.map((e) => [e.name, e.attributes]),
    [['server_start', { server_version: '1.0', deployment_env: 'eks' }]],
  );
});

test('with no active span, a short root span carries the event', async () => {
  memory.reset();
  recordTelemetry('server_stop');
  const spans = await finished();
  assert.equal(spans.length, 1);
  assert.equal(spans[0]?.name, TELEMETRY_SPAN_NAME);
  assert.equal(spans[0]?.parentSpanContext, undefined);
  assert.deepEqual(
    spans[0]?.events.map((e) => e.name),
    ['server_stop'],
  );
});

test('under a span that is not recording, the event gets its own root span instead of being lost', async () => {
  memory.reset();
  const unsampledParent = trace.wrapSpanContext({ traceId: '1'.repeat(32), spanId: '2'.repeat(16), traceFlags: 0 });
  context.with(trace.setSpan(context.active(), unsampledParent), () => recordTelemetry('snapshot_complete'));
  const spans = await finished();
  assert.equal(spans.length, 1);
  assert.equal(spans[0]?.name, TELEMETRY_SPAN_NAME);
  assert.equal(spans[0]?.parentSpanContext, undefined);
  assert.notEqual(spans[0]?.spanContext().traceId, '1'.repeat(32));
});

test('bad input never throws: it is logged and left out', async () => {
  memory.reset();
  assert.doesNotThrow(() => recordTelemetry('no_such_event' as TelemetryEvent));
  assert.doesNotThrow(() => recordTelemetry(undefined as unknown as TelemetryEvent));
  assert.doesNotThrow(() => recordTelemetry('adapter_start', 'not an object' as never));
  assert.doesNotThrow(() => recordTelemetry('adapter_stop', { server_version: 12 as never, commit_id: 'abc' }));
  assert.doesNotThrow(() => recordTelemetry('server_stop', { server_version: true as never }));
  const events = (await finished()).flatMap((s) => s.events);
  assert.deepEqual(
    events.map((e) => [e.name, e.attributes ?? {}]),
    [
      ['adapter_start', {}],
      ['adapter_stop', { server_version: '12', commit_id: 'abc' }],
      ['server_stop', {}],
    ],
  );
  assert.ok(logs.some((l) => l.level === 'warn' && l.message.includes('unknown event')));
  assert.ok(
    logs.some(
      (l) =>
        l.level === 'warn' &&
        l.message.includes('property server_version left out: "server_version" must be a string or a number'),
    ),
  );
});
