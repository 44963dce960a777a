/**
 * Reports each distinct query and schema once per reporter: `proxied_query` by query_id, `schema` by a hash of its
 * anonymized text, each keyed with the anonymousId (a gateway serves many reporters). The memory is bounded:
 * past DEDUPE_CAPACITY distinct keys the oldest are forgotten (and could be reported once more).
 */
import { createHash } from 'node:crypto';
import { BoundedMap } from '../util/bounded-map.js';
import type { TrackMessage } from './types.js';

/** Distinct queries and schemas remembered by one exporter (≈ 100 bytes each: about 1 MB). */
const DEDUPE_CAPACITY = 10_000;

/** The identity of a message for de-duplication, or undefined for events that are always reported. */
function dedupeKey(message: TrackMessage): string | undefined {
  const { event, properties, anonymousId } = message;
  if (event === 'proxied_query')
    return properties.query_id === undefined ? undefined : `${anonymousId}:q:${properties.query_id}`;
  if (event === 'schema' && properties.schema !== undefined) {
    return `${anonymousId}:s:` + createHash('sha256').update(properties.schema).digest('hex').slice(0, 32);
  }
  return undefined;
}

export class Deduper {
  private readonly seen: BoundedMap<string, true>;

  constructor(capacity = DEDUPE_CAPACITY) {
    this.seen = new BoundedMap(capacity);
  }

  /** True when the message's key was remembered (messages without a key never were). */
  has(message: TrackMessage): boolean {
    const key = dedupeKey(message);
    return key !== undefined && this.seen.has(key);
  }

  /** Remembers the message's key. */
  remember(message: TrackMessage): void {
    const key = dedupeKey(message);
    if (key !== undefined) this.seen.set(key, true);
  }

  /** True the first time a message's key is seen (and for messages without a key); remembers it. */
  firstTime(message: TrackMessage): boolean {
    if (this.has(message)) return false;
    this.remember(message);
    return true;
  }
}
