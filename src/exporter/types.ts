/** Options and shared types of SegmentSpanExporter. */
import type { HTTPClient } from '@segment/analytics-node';

/** SQL dialect used to anonymize `proxied_query` and `schema`. */
export type SqlDialect = 'mysql' | 'postgres';

/** Options of {@link SegmentSpanExporter}. Each one overrides its environment variable. */
export interface SegmentExporterOptions {
  /** Segment source write key. Default: RS_SEGMENT_WRITE_KEY, else the key built into the release (may be empty). */
  writeKey?: string;
  /** Segment API host; requests go to `<host>/v1/batch`. Default: RS_SEGMENT_HOST, else https://api.segment.io. */
  host?: string;
  /** Track userId. Default: RS_API_KEY when set, otherwise no userId. */
  userId?: string;
  /** Turns telemetry off: no Segment client, no byte on the network. Cannot re-enable what the environment turned off. */
  disabled?: boolean;
  /** Prints each Track payload as one JSON line on stderr instead of sending it. Also RS_TELEMETRY_DEBUG=1. */
  debug?: boolean;
  /** Dialect for SQL anonymization when neither the event nor the resource names a db_backend. */
  dialect?: SqlDialect;
  /** Upper bound of shutdown(), in milliseconds. Default 5000. */
  shutdownTimeoutMillis?: number;
  /** Most events waiting for delivery at once; beyond it new events are dropped and counted. Default 2048. */
  maxPendingEvents?: number;
  /** Events per Segment batch request. Default 100. */
  flushAt?: number;
  /** Longest wait before a partial batch is sent, in milliseconds. Default 1000. */
  flushIntervalMillis?: number;
  /** Timeout of one HTTP request to Segment, in milliseconds. Default 10000. */
  httpRequestTimeoutMillis?: number;
  /** Retries of a failed batch request (5xx, network errors). Default 10. */
  maxRetries?: number;
  /** HTTP client used by @segment/analytics-node (advanced, for proxies and tests). Default: fetch. */
  httpClient?: HTTPClient;
  /** Where debug mode writes its JSON lines. Default: process.stderr. */
  debugWrite?: (line: string) => void;
}

/** Where the environment is read from; tests pass plain objects instead of mutating process.env. */
export interface SettingsSources {
  env?: Readonly<Record<string, string | undefined>>;
  argv?: readonly string[];
}
