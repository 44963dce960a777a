/**
 * Stable Segment messageIds: the same event gets the same id in every process, replica and restart, so
 * Segment's own de-duplication by messageId (about 24 h) absorbs retries, rebalancing and a second gateway.
 * - proxied_query: (anonymousId, event, query_id): a query is reported once per reporter;
 * - schema: (anonymousId, event, anonymized schema text);
 * - any other event: (anonymousId, trace id, span id, event index): one span event, one message.
 */
import { createHash } from 'node:crypto';
import type { TelemetryEvent, TelemetryProperties } from '../catalogue/index.js';

/** A UUID-shaped id made from the SHA-256 of the parts (joined with a separator no part contains). */
function uuidFrom(parts: readonly string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Where an event sits: its span's ids and its index among the span's events. */
export interface EventPosition {
  traceId: string;
  spanId: string;
  eventIndex: number;
}

/** The messageId of one telemetry event, by the rules above. */
export function messageIdFor(
  anonymousId: string,
  event: TelemetryEvent,
  properties: TelemetryProperties,
  position: EventPosition,
): string {
  if (event === 'proxied_query' && properties.query_id !== undefined) {
    return uuidFrom([anonymousId, event, properties.query_id]);
  }
  if (event === 'schema' && properties.schema !== undefined) return uuidFrom([anonymousId, event, properties.schema]);
  return uuidFrom([anonymousId, position.traceId, position.spanId, String(position.eventIndex)]);
}
