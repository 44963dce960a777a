/**
 * Segment's size limits. One message may not exceed 32 KB. @segment/analytics-node adds its own fields
 * (type, context.library, _metadata, integrations) before its own check and fails a message that is over, so
 * the budget here reserves room for them and counts real UTF-8 bytes of the JSON.
 */
import type { TelemetryProperties } from '../catalogue/index.js';
import type { TrackMessage } from './types.js';

/** Segment's limit on one message. */
export const MAX_MESSAGE_BYTES = 32 * 1024;
/** Segment's limit on one batch request. */
export const MAX_REQUEST_BYTES = 500 * 1024;
/** Room kept for the fields analytics-node adds (about 170 bytes today). */
const TRANSPORT_FIELDS_RESERVE = 512;
/** Appended to a truncated property, so a reader sees the cut. */
export const TRUNCATION_MARKER = '…[truncated]';

/** Bytes of the message as JSON, plus the transport's reserve. */
function messageBytes(message: TrackMessage): number {
  return Buffer.byteLength(JSON.stringify(message), 'utf8') + TRANSPORT_FIELDS_RESERVE;
}

function longestProperty(properties: TelemetryProperties): keyof TelemetryProperties | undefined {
  let longest: keyof TelemetryProperties | undefined;
  let length = -1;
  for (const [name, value] of Object.entries(properties) as [keyof TelemetryProperties, string][]) {
    if (value.length > length) {
      longest = name;
      length = value.length;
    }
  }
  return longest;
}

/** Cuts `value` to about `keep` UTF-16 units without splitting a surrogate pair, and marks the cut. */
function cut(value: string, keep: number): string {
  let end = Math.max(0, Math.min(keep, value.length));
  const code = value.charCodeAt(end - 1);
  if (end > 0 && code >= 0xd800 && code <= 0xdbff) end--;
  return value.slice(0, end) + TRUNCATION_MARKER;
}

/**
 * Returns a message within MAX_MESSAGE_BYTES: the longest string property is truncated (with a visible marker)
 * until it fits. `truncated` says whether anything was cut. The input is not modified.
 */
export function fitMessage(message: TrackMessage): { message: TrackMessage; truncated: boolean } {
  let size = messageBytes(message);
  if (size <= MAX_MESSAGE_BYTES) return { message, truncated: false };
  const properties: TelemetryProperties = { ...message.properties };
  const fitted: TrackMessage = { ...message, properties };
  for (let round = 0; size > MAX_MESSAGE_BYTES && round < 32; round++) {
    const name = longestProperty(properties);
    if (name === undefined) break;
    const value = properties[name] as string;
    const encoded = Buffer.byteLength(JSON.stringify(value), 'utf8');
    // Keep the share of characters that the remaining byte budget allows (multi-byte text shrinks faster).
    const budget = encoded - (size - MAX_MESSAGE_BYTES) - Buffer.byteLength(TRUNCATION_MARKER) - 8;
    const keep = Math.min(value.length - 1, Math.floor((value.length * Math.max(budget, 0)) / encoded));
    (properties as Record<string, string>)[name] = cut(value, keep);
    size = messageBytes(fitted);
  }
  return { message: fitted, truncated: true };
}
