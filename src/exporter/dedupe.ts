/**
 * Reports each distinct query and schema once: `proxied_query` by query_id, `schema` by a hash of its anonymized
 * text. The memory is bounded: past DEDUPE_CAPACITY distinct keys the oldest are forgotten (and could be reported
 * once more).
 */
import { createHash } from 'node:crypto';
import { BoundedMap } from '../util/bounded-map.js';
import type { TrackMessage } from './transform.js';

/** Distinct queries and schemas remembered by one exporter (≈ 100 bytes each: about 1 MB). */
export const DEDUPE_CAPACITY = 10_000;

/** The identity of a message for de-duplication, or undefined for events that are always reported. */
export function dedupeKey(message: TrackMessage): string | undefined {
  if (message.event === 'proxied_query') return message.properties.query_id === undefined ? undefined : 'q:' + message.properties.query_id;
  if (message.event === 'schema' && message.properties.schema !== undefined) {
    return 's:' + createHash('sha256').update(message.properties.schema).digest('hex').slice(0, 32);
  }
  return undefined;
}

export class Deduper {
  private readonly seen: BoundedMap<string, true>;

  constructor(capacity = DEDUPE_CAPACITY) {
    this.seen = new BoundedMap(capacity);
  }

  /** True the first time a message's key is seen (and for messages without a key). */
  firstTime(message: TrackMessage): boolean {
    const key = dedupeKey(message);
    if (key === undefined) return true;
    if (this.seen.has(key)) return false;
    this.seen.set(key, true);
    return true;
  }
}
