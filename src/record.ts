/**
 * The component side: record a telemetry event as a span event. Exporters then see it like any other span
 * event; SegmentSpanExporter turns it into a Track call.
 */
import { trace } from '@opentelemetry/api';
import type { Attributes, Span } from '@opentelemetry/api';
import { isTelemetryEvent } from './catalogue/index.js';
import type { TelemetryEvent, TelemetryProperties } from './catalogue/index.js';
import { log, once } from './util/log.js';
import { privatizeInPlace } from './exporter/privacy.js';
import { VERSION } from './util/version.js';

/** Name of the span started when an event is recorded outside any recording span. */
export const TELEMETRY_SPAN_NAME = 'readyset.telemetry';

/**
 * The event's attributes: the string properties, with SQL anonymized. Anything else is logged once and left out.
 * Built with a plain for-in into one fresh object: this runs on every proxied query a component records.
 */
function toAttributes(event: string, properties: unknown): Attributes | undefined {
  if (properties === undefined || properties === null) return undefined;
  if (typeof properties !== 'object' || Array.isArray(properties)) {
    once('warn', `record:${event}:properties`, `recordTelemetry(${event}): properties must be an object; recorded without them`);
    return undefined;
  }
  const source = properties as Record<string, unknown>;
  const attributes: Attributes = {};
  for (const name in source) {
    if (!Object.prototype.hasOwnProperty.call(source, name)) continue;
    const value = source[name];
    if (value === undefined) continue;
    if (typeof value !== 'string') {
      once('warn', `record:${event}:${name}`, `recordTelemetry(${event}): property ${name} is not a string; left out`);
      continue;
    }
    attributes[name] = value;
  }
  // Anonymized here already, so no exporter beside ours (OTLP, console) ever sees raw SQL.
  privatizeInPlace(attributes, 'strict');
  return attributes;
}

/**
 * Records a telemetry event on the active span, or on a short span of its own when there is no recording span
 * (a root span, so the event is not lost to a parent that was sampled out). Never throws: bad input is logged
 * through the diag logger and left out.
 */
export function recordTelemetry(event: TelemetryEvent, properties?: TelemetryProperties): void {
  try {
    if (!isTelemetryEvent(event)) {
      once('warn', `record:unknown:${String(event)}`, `recordTelemetry: unknown event ${JSON.stringify(String(event))}; not recorded`);
      return;
    }
    const attributes = toAttributes(event, properties);
    const active = trace.getActiveSpan();
    if (active?.isRecording() === true) {
      active.addEvent(event, attributes);
      return;
    }
    const span: Span = trace.getTracer('otel-segment-bridge', VERSION).startSpan(TELEMETRY_SPAN_NAME, { root: true });
    span.addEvent(event, attributes);
    span.end();
  } catch (error) {
    log.error('recordTelemetry failed', error);
  }
}
