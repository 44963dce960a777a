/**
 * What makes SQL-bearing properties safe to send: `proxied_query` and `schema` are anonymized (identifiers and
 * literals replaced, comments dropped), and a proxied query gets a stable `query_id`. Pure, with a bounded memo
 * so a query seen again costs one Map lookup.
 */
import { createHash } from 'node:crypto';
import { anonymizeSql } from '../anonymize/index.js';
import type { SqlDialect as AnonymizerDialect } from '../anonymize/index.js';
import { BoundedMap } from '../util/bounded-map.js';
import type { TelemetryProperties } from '../catalogue/index.js';

/** Distinct SQL texts remembered per dialect (raw → anonymized, about 4 MB for 1 KB queries). */
export const ANONYMIZE_CACHE_SIZE = 4096;

/** The anonymized form of one SQL text, and its query id once asked for. */
interface Anonymized {
  readonly text: string;
  queryId: string | undefined;
}

const caches: Record<AnonymizerDialect, BoundedMap<string, Anonymized>> = {
  mysql: new BoundedMap(ANONYMIZE_CACHE_SIZE),
  postgres: new BoundedMap(ANONYMIZE_CACHE_SIZE),
  strict: new BoundedMap(ANONYMIZE_CACHE_SIZE),
};

function lookup(sql: string, dialect: AnonymizerDialect): Anonymized {
  const cache = caches[dialect];
  let entry = cache.get(sql);
  if (entry === undefined) {
    entry = { text: anonymizeSql(sql, { dialect }), queryId: undefined };
    cache.set(sql, entry);
  }
  return entry;
}

/** anonymizeSql through the bounded memo. */
export function anonymizeCached(sql: string, dialect: AnonymizerDialect): string {
  return lookup(sql, dialect).text;
}

/** `q_` + 16 hex digits of SHA-256 of the anonymized text: the same query shape has the same id everywhere. */
export function queryIdFor(anonymizedSql: string): string {
  return 'q_' + createHash('sha256').update(anonymizedSql).digest('hex').slice(0, 16);
}

/**
 * Anonymizes `proxied_query` and `schema` of `properties` in place, in the dialect its db_backend names (else
 * `fallback`), and fills `query_id` for a proxied query that lacks one. For objects the caller owns: the hot
 * paths (recordTelemetry, the transform) build a fresh object anyway, and copying it again would double the cost.
 */
export function privatizeInPlace(properties: Record<string, unknown>, fallback: AnonymizerDialect): void {
  const query = properties['proxied_query'];
  const schema = properties['schema'];
  if (typeof query !== 'string' && typeof schema !== 'string') return;
  const backend = properties['db_backend'];
  const dialect = backend === 'mysql' || backend === 'postgres' ? backend : fallback;
  if (typeof query === 'string') {
    const entry = lookup(query, dialect);
    properties['proxied_query'] = entry.text;
    // Hashed once per distinct query: this runs on every proxied query a component records.
    if (properties['query_id'] === undefined) properties['query_id'] = entry.queryId ??= queryIdFor(entry.text);
  }
  if (typeof schema === 'string') properties['schema'] = lookup(schema, dialect).text;
}

/** A copy of `properties` with its SQL anonymized and query_id filled (the input itself when it has no SQL). */
export function privatize(properties: TelemetryProperties, fallback: AnonymizerDialect): TelemetryProperties {
  if (properties.proxied_query === undefined && properties.schema === undefined) return properties;
  const copy: Record<string, unknown> = { ...properties };
  privatizeInPlace(copy, fallback);
  return copy;
}
