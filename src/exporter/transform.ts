/**
 * The pure mapping from OpenTelemetry span events to Segment Track messages. No I/O, no state: the same spans
 * give the same messages, and everything refused is returned as a problem for the caller to count and log.
 * The exporter and the gateway both map through here.
 */
import type { Attributes, HrTime } from '@opentelemetry/api';
import { checkProperty, isTelemetryEvent, propertyValue, TELEMETRY_PROPERTIES } from '../catalogue/index.js';
import type { PropertyProblem, TelemetryEvent, TelemetryProperties } from '../catalogue/index.js';
import { messageIdFor } from './message-id.js';
import { fallbackDialect, privatizeInPlace } from './privacy.js';
import type { BackendDialect, SpanLike, TrackMessage } from './types.js';

/** Who is reporting, and how to read its SQL: the same for every message of one resource. */
export interface Identity {
  anonymousId: string;
  userId?: string | undefined;
  /** The `dialect` option: used when neither the event nor the resource names a db_backend. */
  dialect?: BackendDialect | undefined;
}

/** A property value that was left out of a message. */
export interface Problem {
  event: TelemetryEvent;
  /** The attribute name: a property name, or `readyset.<property>` for a resource attribute. */
  attribute: string;
  problem: PropertyProblem;
}

/** Result of mapping a batch of spans. */
export interface TransformResult {
  messages: TrackMessage[];
  problems: Problem[];
}

/** Resource attribute prefix for static properties, e.g. `readyset.server_version`. */
export const RESOURCE_PREFIX = 'readyset.';

/** Converts an OpenTelemetry HrTime to an ISO 8601 string (millisecond precision). */
export function hrTimeToIso(time: HrTime): string {
  return new Date(time[0] * 1000 + Math.floor(time[1] / 1e6)).toISOString();
}

function addProperty(
  target: Record<string, string>,
  name: string,
  raw: unknown,
  event: TelemetryEvent,
  attribute: string,
  problems: Problem[],
): void {
  const value = propertyValue(name, raw);
  const problem = checkProperty(name, value);
  if (problem === undefined) target[name] = value as string;
  else problems.push({ event, attribute, problem });
}

/** Valid schema properties carried by the resource as `readyset.<property>` attributes. */
function resourceProperties(
  attributes: Attributes,
  event: TelemetryEvent,
  problems: Problem[],
): Record<string, string> {
  const properties: Record<string, string> = {};
  for (const name of TELEMETRY_PROPERTIES) {
    const value = attributes[RESOURCE_PREFIX + name];
    if (value !== undefined) addProperty(properties, name, value, event, RESOURCE_PREFIX + name, problems);
  }
  return properties;
}

/**
 * The resource's attributes without waiting: while async detectors are still pending (a span mapped at
 * process.exit(), say), the settled ones only. Reading `attributes` then would make the SDK log an error.
 */
function settledAttributes(resource: SpanLike['resource']): Attributes {
  const r = resource as { asyncAttributesPending?: boolean; getRawAttributes?: () => [string, unknown][] };
  if (r.asyncAttributesPending !== true || typeof r.getRawAttributes !== 'function') return resource.attributes;
  const settled: Attributes = {};
  for (const [key, value] of r.getRawAttributes()) {
    if (value !== undefined && !(value instanceof Promise)) settled[key] = value as Attributes[string];
  }
  return settled;
}

/**
 * Maps one telemetry span event to a Track message: event properties win over resource properties, SQL is
 * anonymized, and the messageId is stable (message-id.ts). Size limits apply after de-duplication (size.ts).
 */
function toTrackMessage(
  span: SpanLike,
  eventIndex: number,
  identity: Identity,
  problems: Problem[],
): TrackMessage | undefined {
  const spanEvent = span.events[eventIndex];
  if (spanEvent === undefined || !isTelemetryEvent(spanEvent.name)) return undefined;
  const event = spanEvent.name;
  const resource = settledAttributes(span.resource);
  const merged = resourceProperties(resource, event, problems);
  const attributes = spanEvent.attributes;
  if (attributes !== undefined) {
    for (const name of Object.keys(attributes)) {
      const value = attributes[name];
      if (value !== undefined) addProperty(merged, name, value, event, name, problems);
    }
  }
  privatizeInPlace(merged, fallbackDialect(resource[RESOURCE_PREFIX + 'db_backend'], identity.dialect));
  const properties = merged as TelemetryProperties;
  const context = span.spanContext();
  const message: TrackMessage = {
    event,
    anonymousId: identity.anonymousId,
    timestamp: hrTimeToIso(spanEvent.time),
    messageId: messageIdFor(identity.anonymousId, event, properties, {
      traceId: context.traceId,
      spanId: context.spanId,
      eventIndex,
    }),
    properties,
  };
  if (identity.userId !== undefined) message.userId = identity.userId;
  return message;
}

/** Maps spans to Track messages. Spans without telemetry events cost one loop over their events. */
export function toTrackMessages(spans: readonly SpanLike[], identity: Identity): TransformResult {
  const messages: TrackMessage[] = [];
  const problems: Problem[] = [];
  for (const span of spans) {
    const events = span.events;
    for (let i = 0; i < events.length; i++) {
      const spanEvent = events[i];
      if (!isTelemetryEvent(spanEvent?.name)) continue;
      const message = toTrackMessage(span, i, identity, problems);
      if (message !== undefined) messages.push(message);
    }
  }
  return { messages, problems };
}

/** The number of telemetry events among the spans' events (what a refused batch would have sent). */
export function countTelemetryEvents(spans: readonly SpanLike[]): number {
  let count = 0;
  for (const span of spans) {
    for (const event of span.events) if (isTelemetryEvent(event.name)) count++;
  }
  return count;
}
