import assert from 'node:assert/strict';
import { testExporter } from '../helpers/segment.js';
import { test } from 'node:test';
import { metrics } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import type { DataPoint } from '@opentelemetry/sdk-metrics';
import { SegmentSpanExporter } from '../../src/index.js';
import { startReceiver } from '../../src/testing.js';
import { captureDiag } from '../helpers/diag.js';
import { fakeEvent, fakeSpan } from '../helpers/spans.js';

const logs = captureDiag();

test('counters reach the global MeterProvider, even one registered after the exporter was built', async () => {
  const receiver = await startReceiver({
    fault: (i) => (i === 0 ? { status: 500 } : i === 1 ? undefined : { status: 401 }),
  });
  // Built before any MeterProvider exists: instruments must still appear once one is registered.
  const exporter = testExporter(receiver, { writeKey: 'k', flushAt: 2, flushIntervalMillis: 10, maxPendingEvents: 4 });
  const reader = new PeriodicExportingMetricReader({
    exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
    exportIntervalMillis: 3_600_000,
  });
  const provider = new MeterProvider({ readers: [reader] });
  metrics.setGlobalMeterProvider(provider);
  try {
    const span = fakeSpan([
      fakeEvent('adapter_start', { db_backend: 'oracle' }),
      fakeEvent('adapter_stop'),
      ...Array.from({ length: 4 }, () => fakeEvent('show_caches')),
    ]);
    exporter.export([span], () => undefined); // 6 events, 4 accepted, 2 dropped: queue full
    await exporter.shutdown();

    const { resourceMetrics } = await reader.collect();
    const found = new Map<string, DataPoint<number>[]>();
    for (const scope of resourceMetrics.scopeMetrics) {
      for (const metric of scope.metrics) found.set(metric.descriptor.name, metric.dataPoints as DataPoint<number>[]);
    }
    const value = (name: string, reason?: string): number | undefined =>
      found.get(name)?.find((p) => reason === undefined || p.attributes['reason'] === reason)?.value;
    assert.equal(value('otel_segment_bridge.events.sent'), 2);
    assert.equal(value('otel_segment_bridge.events.dropped', 'queue_full'), 2);
    assert.equal(value('otel_segment_bridge.events.dropped', 'rejected'), 2);
    assert.equal(value('otel_segment_bridge.properties.invalid'), 1);
    assert.equal(value('otel_segment_bridge.requests.failed'), 2);
    assert.equal(value('otel_segment_bridge.requests.retries'), 1);
    assert.equal(value('otel_segment_bridge.events.pending'), 0);

    const summaries = logs.filter((l) => l.message.includes('shutdown: sent=2'));
    assert.equal(summaries.length, 1);
    assert.equal(summaries[0]?.level, 'info');
    assert.match(summaries[0].message, /queue_full=2 rejected=2/);
  } finally {
    await provider.shutdown();
    metrics.disable();
    await receiver.close();
  }
});

test('with no MeterProvider the instruments are no-ops and export still works', async () => {
  const exporter = new SegmentSpanExporter({ disabled: true }, { env: {}, argv: [] });
  const results: unknown[] = [];
  exporter.export([fakeSpan([fakeEvent('server_start')])], (r) => results.push(r));
  await exporter.shutdown();
  assert.equal(results.length, 1);
  assert.equal(exporter.getStats().dropped.opted_out, 1);
});
