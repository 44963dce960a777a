/**
 * The pure mapping from OpenTelemetry spans to Segment Track messages. No I/O, no state: the same spans give
 * the same messages, and everything refused is returned as a problem for the caller to count and log.
 */
import { createHash } from 'node:crypto';
import type { Attributes, AttributeValue, HrTime, SpanContext } from '@opentelemetry/api';
import { checkProperty, isTelemetryEvent, TELEMETRY_PROPERTIES } from '../catalogue/index.js';
import type { PropertyProblem, TelemetryEvent, TelemetryProperties } from '../catalogue/index.js';
import { privatizeInPlace } from './privacy.js';
import type { SqlDialect } from './types.js';

/** A span event as the exporter reads it (the shape both OpenTelemetry SDK 2.x and 3.x produce). */
export interface SpanEventLike {
  readonly name: string;
  readonly time: HrTime;
  readonly attributes?: Attributes;
}

/** The parts of a finished span the exporter reads (a structural subset of the SDK's ReadableSpan). */
export interface SpanLike {
  readonly events: readonly SpanEventLike[];
  readonly resource: { readonly attributes: Attributes };
  spanContext(): SpanContext;
}

/** A Segment Track call, as handed to @segment/analytics-node. */
export interface TrackMessage {
  event: TelemetryEvent;
  anonymousId: string;
  userId?: string;
  /** ISO 8601 time of the span event. */
  timestamp: string;
  /** Stable id derived from the span event, so Segment de-duplicates retried deliveries. */
  messageId: string;
  properties: TelemetryProperties;
}

/** Who is reporting, and how to read its SQL: the same for every message of an exporter. */
export interface Identity {
  anonymousId: string;
  userId?: string | undefined;
  /** Dialect for SQL properties when neither the event nor the resource names a db_backend; default strict. */
  dialect?: SqlDialect | undefined;
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

/** A UUID-shaped id that depends only on (trace id, span id, event index). */
export function messageIdFor(context: SpanContext, eventIndex: number): string {
  const hex = createHash('sha256').update(`${context.traceId}:${context.spanId}:${eventIndex}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Valid schema properties carried by the resource as `readyset.<property>` attributes. */
export function resourceProperties(attributes: Attributes, event: TelemetryEvent, problems: Problem[]): TelemetryProperties {
  const properties: Record<string, string> = {};
  for (const name of TELEMETRY_PROPERTIES) {
    const value = attributes[RESOURCE_PREFIX + name];
    if (value === undefined) continue;
    const problem = checkProperty(name, value);
    if (problem === undefined) properties[name] = value as string;
    else problems.push({ event, attribute: RESOURCE_PREFIX + name, problem });
  }
  return properties;
}

function eventProperties(attributes: Attributes | undefined, event: TelemetryEvent, problems: Problem[]): Record<string, string> {
  const properties: Record<string, string> = {};
  if (attributes === undefined) return properties;
  for (const name of Object.keys(attributes)) {
    const value: AttributeValue | undefined = attributes[name];
    if (value === undefined) continue;
    const problem = checkProperty(name, value);
    if (problem === undefined) properties[name] = value as string;
    else problems.push({ event, attribute: name, problem });
  }
  return properties;
}

/**
 * Maps one telemetry span event to a Track message: event properties win over resource properties, and SQL is
 * anonymized. (Size limits apply after de-duplication, which needs the whole text: see size.ts.)
 */
export function toTrackMessage(
  span: SpanLike,
  eventIndex: number,
  identity: Identity,
  problems: Problem[],
): TrackMessage | undefined {
  const spanEvent = span.events[eventIndex];
  if (spanEvent === undefined || !isTelemetryEvent(spanEvent.name)) return undefined;
  const event = spanEvent.name;
  const fromResource = resourceProperties(span.resource.attributes, event, problems);
  const merged: Record<string, string> = Object.assign(fromResource, eventProperties(spanEvent.attributes, event, problems));
  // The event's (or resource's) db_backend picks the dialect, else the exporter's option, else strict.
  privatizeInPlace(merged, identity.dialect ?? 'strict');
  const message: TrackMessage = {
    event,
    anonymousId: identity.anonymousId,
    timestamp: hrTimeToIso(spanEvent.time),
    messageId: messageIdFor(span.spanContext(), eventIndex),
    properties: merged,
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
      if (!isTelemetryEvent(events[i]?.name)) continue;
      const message = toTrackMessage(span, i, identity, problems);
      if (message !== undefined) messages.push(message);
    }
  }
  return { messages, problems };
}

/** The number of telemetry events among the spans' events (what a refused batch would have sent). */
export function countTelemetryEvents(spans: readonly SpanLike[]): number {
  let count = 0;
  for (const span of spans) for (const event of span.events) if (isTelemetryEvent(event.name)) count++;
  return count;
}
