/**
 * Issue 10 items 5 (the counter) and 11 (small ones), in process against the loopback receiver:
 * - a number for a version property is sent as its string;
 * - property warnings name the allowed values, not internal codes;
 * - `--disable-telemetry=true` and `=1` opt out, `=false` and `=0` do not (on the wire);
 * - each misconfiguration cause is one process warning per process, and counted by warningCounts().
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { trace } from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { createSegmentSpanProcessor, recordTelemetry, SegmentSpanExporter } from '../../src/index.js';
import type { TelemetryProperties } from '../../src/index.js';
import { startReceiver } from '../../src/testing.js';
import { warningCounts } from '../../src/util/warnings.js';
import { captureDiag } from '../helpers/diag.js';
import { fakeEvent, fakeSpan } from '../helpers/spans.js';

const KEY = 'field-small-key';
const logs = captureDiag();
const receiver = await startReceiver({ writeKey: KEY });
const processor = createSegmentSpanProcessor({ host: receiver.url, writeKey: KEY }, { env: {}, argv: [] });
const provider = new BasicTracerProvider({ spanProcessors: [processor] });
trace.setGlobalTracerProvider(provider);
after(async () => {
  await provider.shutdown();
  await receiver.close();
});

const processWarnings: { code: string | undefined; message: string }[] = [];
process.on('warning', (warning: Error & { code?: string }) =>
  processWarnings.push({ code: warning.code, message: warning.message }),
);

function propertiesOf(event: string, from = 0): Record<string, unknown>[] {
  return receiver.messages
    .slice(from)
    .filter((m) => m.body['event'] === event)
    .map((m) => m.body['properties'] as Record<string, unknown>);
}

test('a number for a version property is sent as its string', async () => {
  const from = receiver.messages.length;
  recordTelemetry('adapter_start', { adapter_version: 18 } as unknown as TelemetryProperties);
  recordTelemetry('server_start', { server_version: 1.5, docker_version: 27 } as unknown as TelemetryProperties);
  await processor.forceFlush();
  assert.deepEqual(propertiesOf('adapter_start', from), [{ adapter_version: '18' }]);
  assert.deepEqual(propertiesOf('server_start', from), [{ server_version: '1.5', docker_version: '27' }]);
  assert.deepEqual(
    receiver.messages.slice(from).flatMap((m) => m.errors),
    [],
  );
});

test('a value outside an enumeration: the event is sent without it, and the warning names the allowed values', async () => {
  const from = receiver.messages.length;
  logs.length = 0;
  recordTelemetry('deployment_started', { deployment_env: 'production' } as unknown as TelemetryProperties);
  recordTelemetry('adapter_start', { db_backend: 'oracle' } as unknown as TelemetryProperties);
  await processor.forceFlush();
  assert.deepEqual(propertiesOf('deployment_started', from), [{}]);
  assert.deepEqual(propertiesOf('adapter_start', from), [{}]);
  const warned = logs
    .filter((l) => l.level === 'warn')
    .map((l) => l.message)
    .join('\n');
  assert.match(warned, /deployment_env[^\n]*"eks", "helm", "installer_compose"/);
  assert.match(warned, /db_backend[^\n]*"mysql", "postgres"/);
  assert.doesNotMatch(warned, /not_in_enum|not_a_string|unknown_property/);
});

test('a non-string for an enumerated property: the warning names the allowed values too', async () => {
  logs.length = 0;
  recordTelemetry('deployment_started', { deployment_env: 3 } as unknown as TelemetryProperties);
  await processor.forceFlush();
  const warned = logs
    .filter((l) => l.level === 'warn')
    .map((l) => l.message)
    .join('\n');
  assert.match(warned, /deployment_env/);
  assert.match(warned, /"eks", "helm", "installer_compose"/, warned);
});

test('--disable-telemetry=true and =1 opt out, =false and =0 do not: what reaches the receiver', async () => {
  const cases: [string, boolean][] = [
    ['--disable-telemetry=true', true],
    ['--disable-telemetry=1', true],
    ['--disable-telemetry', true],
    ['--disable-telemetry=false', false],
    ['--disable-telemetry=0', false],
  ];
  for (const [flag, off] of cases) {
    const own = await startReceiver({ writeKey: KEY });
    try {
      const exporter = new SegmentSpanExporter(
        { host: own.url, writeKey: KEY },
        { env: {}, argv: ['node', 'readyset', flag] },
      );
      exporter.export([fakeSpan([fakeEvent('installer_run')])], () => undefined);
      await exporter.shutdown();
      assert.equal(own.requests(), off ? 0 : 1, `${flag}: requests`);
      assert.equal(own.messages.length, off ? 0 : 1, `${flag}: messages`);
      assert.equal(exporter.getStats().dropped.opted_out, off ? 1 : 0, flag);
    } finally {
      await own.close();
    }
  }
});

test('no write key: one process warning with its code, and a counter of every occurrence', async () => {
  const before = warningCounts()['OTEL_SEGMENT_BRIDGE_NO_WRITE_KEY'] ?? 0;
  const exporter = new SegmentSpanExporter({}, { env: {}, argv: [] });
  exporter.export([fakeSpan([fakeEvent('installer_run')])], () => undefined);
  exporter.export([fakeSpan([fakeEvent('installer_finished')])], () => undefined);
  const second = new SegmentSpanExporter({}, { env: {}, argv: [] });
  second.export([fakeSpan([fakeEvent('installer_run')])], () => undefined);
  await new Promise((resolve) => setImmediate(resolve)); // process warnings are emitted on the next tick
  assert.equal(warningCounts()['OTEL_SEGMENT_BRIDGE_NO_WRITE_KEY'], before + 3);
  const emitted = processWarnings.filter((w) => w.code === 'OTEL_SEGMENT_BRIDGE_NO_WRITE_KEY');
  assert.equal(emitted.length, 1, 'once per process, however many exporters');
  assert.match(emitted[0]?.message ?? '', /RS_SEGMENT_WRITE_KEY/);
  await Promise.all([exporter.shutdown(), second.shutdown()]);
});

test('a rejected write key: one process warning, counted per rejection', async () => {
  const strict = await startReceiver({ writeKey: 'the-right-key' });
  try {
    const exporter = new SegmentSpanExporter(
      { host: strict.url, writeKey: 'a-wrong-key', maxRetries: 0 },
      { env: {}, argv: [] },
    );
    exporter.export([fakeSpan([fakeEvent('installer_run')])], () => undefined);
    await exporter.forceFlush();
    exporter.export([fakeSpan([fakeEvent('installer_finished')])], () => undefined);
    await exporter.shutdown();
    await new Promise((resolve) => setImmediate(resolve));
    assert.ok(strict.requests() >= 2, 'both batches reached the receiver');
    assert.equal(strict.messages.length, 0);
    assert.ok((warningCounts()['OTEL_SEGMENT_BRIDGE_WRITE_KEY_REJECTED'] ?? 0) >= 2, JSON.stringify(warningCounts()));
    const emitted = processWarnings.filter((w) => w.code === 'OTEL_SEGMENT_BRIDGE_WRITE_KEY_REJECTED');
    assert.equal(emitted.length, 1);
    assert.ok(!emitted[0]?.message.includes('a-wrong-key'), 'the key is never printed');
  } finally {
    await strict.close();
  }
});

test('a 403 from Segment counts as a rejected key too', async () => {
  const forbidding = await startReceiver({ writeKey: KEY, fault: () => ({ status: 403 }) });
  try {
    const before = warningCounts()['OTEL_SEGMENT_BRIDGE_WRITE_KEY_REJECTED'] ?? 0;
    const exporter = new SegmentSpanExporter(
      { host: forbidding.url, writeKey: KEY, maxRetries: 0 },
      { env: {}, argv: [] },
    );
    exporter.export([fakeSpan([fakeEvent('installer_run')])], () => undefined);
    await exporter.shutdown();
    assert.ok(forbidding.requests() >= 1);
    assert.equal(
      warningCounts()['OTEL_SEGMENT_BRIDGE_WRITE_KEY_REJECTED'],
      before + 1,
      JSON.stringify(warningCounts()),
    );
    assert.equal(exporter.getStats().dropped.rejected, 1);
  } finally {
    await forbidding.close();
  }
});

test('a proxied query cut to fit 32 KB: query_id is the hash of exactly the text that arrives', async () => {
  const { createHash } = await import('node:crypto');
  const from = receiver.messages.length;
  const columns = Array.from({ length: 4000 }, (_, i) => `column_${i}`).join(', ');
  recordTelemetry('proxied_query', {
    proxied_query: `SELECT ${columns} FROM wide_table WHERE id = 1`,
    db_backend: 'postgres',
  });
  await processor.forceFlush();
  const [sent] = propertiesOf('proxied_query', from);
  assert.ok(sent !== undefined, 'the query arrived');
  const text = String(sent['proxied_query']);
  assert.ok(JSON.stringify(receiver.messages.at(-1)?.body).length <= 32 * 1024, 'fits 32 KB');
  assert.ok(text.length < 4000 * 'anon_id_0000, '.length, 'was cut');
  assert.equal(sent['query_id'], 'q_' + createHash('sha256').update(text).digest('hex').slice(0, 16));
});
