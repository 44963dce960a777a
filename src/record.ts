/**
 * The component side: record a telemetry event as a span event. Exporters then see it like any other span
 * event; SegmentSpanExporter turns it into a Track call. Every event reaches Segment exactly once, whatever the
 * SDK's sampler decided:
 * - on a span a Segment span processor sees (registry.ts), the event goes on the span and travels with it;
 * - on another sampled span while a bare exporter exists (perhaps in a plain BatchSpanProcessor), it goes on the
 *   span, and exporters running standalone beside that SDK take it directly;
 * - on any other span (sampled out, or of a provider without the bridge's processor), one exporter per
 *   destination takes it directly; a sampled span still gets it for the rest of the trace pipeline.
 */
import { trace, TraceFlags } from '@opentelemetry/api';
import type { Attributes, Span } from '@opentelemetry/api';
import { describeProblem, isTelemetryEvent, isTelemetryProperty, propertyValue } from './catalogue/index.js';
import type { TelemetryEvent, TelemetryProperties } from './catalogue/index.js';
import { privatizeInPlace } from './exporter/privacy.js';
import { deliverDirect, hasSink, isSeen, knownDialect } from './exporter/registry.js';
import { log, once } from './util/log.js';
import { VERSION } from './util/version.js';

/** Name of the span started when an event is recorded outside any recording span. */
export const TELEMETRY_SPAN_NAME = 'readyset.telemetry';

/**
 * The event's attributes: the string properties (a number for a version as its string), with SQL anonymized in
 * the one dialect decision the exporter makes too. Anything else is logged once and left out. Built with a
 * plain for-in into one fresh object: this runs on every proxied query a component records.
 */
function toAttributes(event: string, properties: unknown): Attributes | undefined {
  if (properties === undefined || properties === null) return undefined;
  if (typeof properties !== 'object' || Array.isArray(properties)) {
    once(
      'warn',
      `record:${event}:properties`,
      `recordTelemetry(${event}): properties must be an object; recorded without them`,
    );
    return undefined;
  }
  const source = properties as Record<string, unknown>;
  const attributes: Attributes = {};
  for (const name in source) {
    if (!Object.prototype.hasOwnProperty.call(source, name)) continue;
    const value = propertyValue(name, source[name]);
    if (value === undefined) continue;
    if (typeof value !== 'string') {
      const why = describeProblem(name, isTelemetryProperty(name) ? 'not_a_string' : 'unknown_property');
      once('warn', `record:${event}:${name}`, `recordTelemetry(${event}): property ${name} left out: ${why}`);
      continue;
    }
    attributes[name] = value;
  }
  // Anonymized here already, so no exporter beside ours (OTLP, console) ever sees raw SQL.
  privatizeInPlace(attributes, knownDialect() ?? 'strict');
  return attributes;
}

function sampled(span: Span): boolean {
  return (span.spanContext().traceFlags & TraceFlags.SAMPLED) !== 0;
}

function now(): [number, number] {
  const millis = Date.now();
  return [Math.floor(millis / 1000), (millis % 1000) * 1e6];
}

/** Puts the event where it reaches Segment once: see the file header. */
function place(span: Span, event: TelemetryEvent, attributes: Attributes | undefined): void {
  const recording = span.isRecording();
  if (recording && isSeen(span)) {
    span.addEvent(event, attributes);
    return;
  }
  if (recording && sampled(span) && hasSink('bare')) {
    // A bare exporter may sit in this span's pipeline (a plain BatchSpanProcessor marks nothing): the span carries
    // the event there; exporters that run standalone beside an SDK without the bridge's processor take it directly.
    span.addEvent(event, attributes);
    if (hasSink('standalone')) deliverDirect({ name: event, time: now(), attributes: attributes ?? {} }, true);
    return;
  }
  // No Segment pipeline will export this span (sampled out, or a tracer provider without the bridge's processor):
  // one exporter per destination takes the event directly; a sampled span still gets it (below).
  if (!deliverDirect({ name: event, time: now(), attributes: attributes ?? {} })) {
    once(
      'info',
      'record:early',
      'telemetry events recorded before any exporter exists are kept up to 256; more are dropped',
    );
  }
  // The rest of the trace pipeline still sees it; no Segment exporter reads this span (no bare one exists).
  if (recording && sampled(span)) span.addEvent(event, attributes);
}

/**
 * Records a telemetry event on the active span, or on a short root span of its own when there is no recording
 * span. Never throws: bad input is logged through the diag logger and left out.
 */
export function recordTelemetry(event: TelemetryEvent, properties?: TelemetryProperties): void {
  try {
    if (!isTelemetryEvent(event)) {
      once(
        'warn',
        `record:unknown:${String(event)}`,
        `recordTelemetry: unknown event ${JSON.stringify(String(event))}; not recorded`,
      );
      return;
    }
    const active = trace.getActiveSpan();
    if (active?.isRecording() === true) {
      place(active, event, toAttributes(event, properties));
      return;
    }
    // Started first: a Segment processor learns the SDK's resource (and so the dialect) when a span starts.
    const span = trace.getTracer('otel-segment-bridge', VERSION).startSpan(TELEMETRY_SPAN_NAME, { root: true });
    place(span, event, toAttributes(event, properties));
    span.end();
  } catch (error) {
    log.error('recordTelemetry failed', error);
  }
}
