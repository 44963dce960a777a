/** The events the delivery benchmarks send: the same payloads on both sides. */
import type { TelemetryEvent, TelemetryProperties } from '../../src/catalogue/index.js';

/** A proxied query as a proxy sees it (raw SQL; the bridge anonymizes it once, then hits its cache). */
export const RAW_QUERY =
  "SELECT o.id, o.total FROM orders o JOIN users u ON u.id = o.user_id WHERE u.email = 'alice@example.com' AND o.created_at > '2024-01-01' ORDER BY o.created_at DESC LIMIT 20";

export interface BenchEvent {
  event: TelemetryEvent;
  properties: TelemetryProperties;
}

/**
 * Event `i` of a delivery run: every other one a `proxied_query` of a shape of its own (an `OFFSET $i`
 * placeholder, which anonymization keeps, so its query_id — the hash of the sent text — is its own and none is
 * de-duplicated), the rest `show_caches`, which is never de-duplicated. `query` is the raw SQL for the bridge
 * and the already anonymized text for analytics-node, so both put the same bytes on the wire.
 */
export function benchEvent(i: number, query: string): BenchEvent {
  if (i % 2 === 0) {
    return {
      event: 'proxied_query',
      properties: { proxied_query: `${query} OFFSET $${i + 1}`, db_backend: 'postgres' },
    };
  }
  return { event: 'show_caches', properties: { db_backend: 'postgres', server_version: '16.4' } };
}

/**
 * Event `i` of an outage run (B5, soak): events that are never de-duplicated and carry no SQL, so the figures
 * measure holding and refusing events during an outage, not the anonymizer (B3 and B4 measure that). With a
 * query id of their own, the proxied queries the earlier B5 sent were cache hits: this keeps their cost profile
 * now that query_id is the hash of the sent text.
 */
export function outageEvent(i: number): BenchEvent {
  if (i % 2 === 0) return { event: 'create_cache', properties: { db_backend: 'postgres', adapter_version: '1.8.0' } };
  return { event: 'show_caches', properties: { db_backend: 'postgres', server_version: '16.4' } };
}

/** The write key both sides send with (the receiver checks it). */
export const BENCH_WRITE_KEY = 'bench-write-key';
