/**
 * The shared types of the export pipeline: the span shape it reads, the Track message it writes, the options.
 * A leaf module: it imports nothing but types. The wire format is Segment's HTTP Tracking API, Track call
 * (https://segment.com/docs/connections/sources/catalog/libraries/server/http-api/#track), with the properties
 * schema/telemetry.yaml describes.
 */
import type { Attributes, HrTime, SpanContext } from '@opentelemetry/api';
import type { HTTPClient } from '@segment/analytics-node';
import type { TelemetryEvent, TelemetryProperties } from '../catalogue/index.js';

/** SQL dialect of the `dialect` option, used to anonymize `proxied_query` and `schema`. */
export type BackendDialect = 'mysql' | 'postgres';

/** Result codes of an export, as OpenTelemetry's core defines them (0 success, 1 failure). */
export enum ExportResultCode {
  SUCCESS = 0,
  FAILED = 1,
}

/** What an exporter reports to its span processor (the shape of OpenTelemetry core's ExportResult). */
export interface ExportResult {
  code: ExportResultCode;
  error?: Error;
}

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
  /** Stable id (see messageid.ts), so Segment de-duplicates retried and replicated deliveries. */
  messageId: string;
  properties: TelemetryProperties;
}

/** Options of {@link SegmentSpanExporter}. Each one overrides its environment variable. */
export interface SegmentExporterOptions {
  /** Segment source write key. Default: RS_SEGMENT_WRITE_KEY, else the key built into the release (may be empty). */
  writeKey?: string;
  /** Segment API host; requests go to `<host>/v1/batch` (a path is kept). Default: RS_SEGMENT_HOST, else https://api.segment.io. */
  host?: string;
  /** Track userId. Default: RS_API_KEY when set, otherwise no userId. */
  userId?: string;
  /** Turns telemetry off: no Segment client, no byte on the network. Cannot re-enable what the environment turned off. */
  disabled?: boolean;
  /** Prints each Track payload as one JSON line on stderr instead of sending it. Also RS_TELEMETRY_DEBUG=1. */
  debug?: boolean;
  /** Dialect for SQL anonymization when neither the event nor the resource names a db_backend. */
  dialect?: BackendDialect;
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
