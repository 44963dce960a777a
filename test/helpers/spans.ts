/** Builds span-shaped objects for the pure transform, without an SDK. */
import type { Attributes, HrTime, SpanContext } from '@opentelemetry/api';
import type { SpanEventLike, SpanLike } from '../../src/exporter/types.js';

let counter = 0;

/** A span with the given events and resource attributes; ids are unique per call. */
export function fakeSpan(events: SpanEventLike[], resource: Attributes = {}): SpanLike {
  counter++;
  const context: SpanContext = {
    traceId: counter.toString(16).padStart(32, '0'),
    spanId: counter.toString(16).padStart(16, '0'),
    traceFlags: 1,
  };
  return { events, resource: { attributes: resource }, spanContext: () => context };
}

/** A span event at `time` (default 2026-01-02T03:04:05.678Z). */
export function fakeEvent(
  name: string,
  attributes?: Attributes,
  time: HrTime = [1767323045, 678_000_000],
): SpanEventLike {
  return attributes === undefined ? { name, time } : { name, time, attributes };
}
