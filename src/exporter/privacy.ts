/**
 * What makes SQL-bearing properties safe to send: `proxied_query` and `schema` are anonymized (identifiers and
 * literals replaced, comments dropped), and a proxied query's `query_id` is the hash of exactly the text that is
 * sent. One dialect decision for every path (recordTelemetry, the exporter, the gateway, the CLI): the event's
 * db_backend, else the resource's readyset.db_backend, else the `dialect` option, else strict. Pure, with a
 * bounded memo so a query seen again costs one Map lookup.
 */
import { createHash } from 'node:crypto';
import { anonymizeSql } from '../anonymize/index.js';
import type { SqlDialect } from '../anonymize/index.js';
import type { TelemetryProperties } from '../catalogue/index.js';
import { BoundedMap } from '../util/bounded-map.js';

/** Distinct SQL texts remembered per dialect (raw → anonymized, about 4 MB for 1 KB queries). */
const ANONYMIZE_CACHE_SIZE = 4096;

/** The anonymized form of one SQL text, and its query id once asked for. */
interface Anonymized {
  readonly text: string;
  queryId: string | undefined;
}

const caches: Record<SqlDialect, BoundedMap<string, Anonymized>> = {
  mysql: new BoundedMap(ANONYMIZE_CACHE_SIZE),
  postgres: new BoundedMap(ANONYMIZE_CACHE_SIZE),
  strict: new BoundedMap(ANONYMIZE_CACHE_SIZE),
};

function lookup(sql: string, dialect: SqlDialect): Anonymized {
  const cache = caches[dialect];
  let entry = cache.get(sql);
  if (entry === undefined) {
    entry = { text: anonymizeSql(sql, { dialect }), queryId: undefined };
    cache.set(sql, entry);
  }
  return entry;
}

/** A db_backend value as a dialect, or undefined for anything else. */
function backendDialect(value: unknown): 'mysql' | 'postgres' | undefined {
  return value === 'mysql' || value === 'postgres' ? value : undefined;
}

/**
 * The dialect SQL is read in when the event itself names no db_backend: the resource's readyset.db_backend,
 * else the `dialect` option, else strict (safe for either database).
 */
export function fallbackDialect(resourceBackend: unknown, option: 'mysql' | 'postgres' | undefined): SqlDialect {
  return backendDialect(resourceBackend) ?? option ?? 'strict';
}

/** `q_` + 16 hex digits of SHA-256 of the anonymized text: the same sent text always has the same id. */
export function queryIdFor(anonymizedSql: string): string {
  return 'q_' + createHash('sha256').update(anonymizedSql).digest('hex').slice(0, 16);
}

/**
 * Anonymizes `proxied_query` and `schema` of `properties` in place, in the dialect its db_backend names (else
 * `fallback`), and sets a proxied query's `query_id` to the hash of the sent text. Anonymizing is idempotent,
 * so text a component already anonymized comes back unchanged, with the same id. For objects the caller owns:
 * the hot paths (recordTelemetry, the transform) build a fresh object anyway.
 */
export function privatizeInPlace(properties: Record<string, unknown>, fallback: SqlDialect): void {
  const query = properties['proxied_query'];
  const schema = properties['schema'];
  if (typeof query !== 'string' && typeof schema !== 'string') return;
  const dialect = backendDialect(properties['db_backend']) ?? fallback;
  if (typeof query === 'string') {
    const entry = lookup(query, dialect);
    properties['proxied_query'] = entry.text;
    // Hashed once per distinct query: this runs on every proxied query a component records.
    properties['query_id'] = entry.queryId ??= queryIdFor(entry.text);
  }
  if (typeof schema === 'string') properties['schema'] = lookup(schema, dialect).text;
}

/** A copy of `properties` with its SQL anonymized and query_id set (the input itself when it has no SQL). */
export function privatize(properties: TelemetryProperties, fallback: SqlDialect): TelemetryProperties {
  if (properties.proxied_query === undefined && properties.schema === undefined) return properties;
  const copy: Record<string, unknown> = { ...properties };
  privatizeInPlace(copy, fallback);
  return copy;
}
