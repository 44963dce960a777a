/**
 * Type-level tests: the compiler (npm run typecheck) checks these assignments; at run time the test only
 * confirms the module loaded. They pin the public types: the exporter fits both OpenTelemetry SDK lines, and a
 * wrong event or property value is a compile error.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SpanExporter as SpanExporterV2 } from '@opentelemetry/sdk-trace-base';
import { recordTelemetry, SegmentSpanExporter } from '../../src/index.js';
import type { TelemetryEvent, TelemetryProperties } from '../../src/index.js';
import type { SpanExporter as SpanExporterV3 } from '../types/otel-sdk-v3.js';

export const v2: SpanExporterV2 = new SegmentSpanExporter({ disabled: true });
export const v3: SpanExporterV3 = new SegmentSpanExporter({ disabled: true });

export function compileOnly(): void {
  recordTelemetry('adapter_start', { db_backend: 'mysql', deployment_env: 'helm', server_version: '1' });
  // @ts-expect-error: not one of the 17 events
  recordTelemetry('adapter_started');
  // @ts-expect-error: outside the db_backend enumeration
  recordTelemetry('adapter_start', { db_backend: 'oracle' });
  // @ts-expect-error: not a telemetry property
  recordTelemetry('adapter_start', { colour: 'red' });
  const event: TelemetryEvent = 'proxied_query';
  const properties: TelemetryProperties = { proxied_query: 'SELECT 1', query_id: 'q_1' };
  recordTelemetry(event, properties);
}

test('type-level assertions compiled (see npm run typecheck)', () => {
  assert.equal(typeof compileOnly, 'function');
  assert.equal(typeof v3.export, 'function');
});
