/**
 * What makes SQL-bearing properties safe to send: `proxied_query` and `schema` are anonymized (identifiers and
 * literals replaced, comments dropped), and a proxied query gets a stable `query_id`. Pure, with a bounded memo
 * so a query seen again costs one Map lookup.
 */
import { createHash } from 'node:crypto';
import { anonymizeSql } from './anonymize/index.js';
import type { SqlDialect as AnonymizerDialect } from './anonymize/index.js';
import { BoundedMap } from './bounded-map.js';
import type { TelemetryProperties } from './catalogue.js';

/** Distinct SQL texts remembered per dialect (raw → anonymized, about 4 MB for 1 KB queries). */
export const ANONYMIZE_CACHE_SIZE = 4096;

const caches: Record<AnonymizerDialect, BoundedMap<string, string>> = {
  mysql: new BoundedMap(ANONYMIZE_CACHE_SIZE),
  postgres: new BoundedMap(ANONYMIZE_CACHE_SIZE),
  strict: new BoundedMap(ANONYMIZE_CACHE_SIZE),
};

/** anonymizeSql through the bounded memo. */
export function anonymizeCached(sql: string, dialect: AnonymizerDialect): string {
  const cache = caches[dialect];
  let anonymized = cache.get(sql);
  if (anonymized === undefined) {
    anonymized = anonymizeSql(sql, { dialect });
    cache.set(sql, anonymized);
  }
  return anonymized;
}

/** `q_` + 16 hex digits of SHA-256 of the anonymized text: the same query shape has the same id everywhere. */
export function queryIdFor(anonymizedSql: string): string {
  return 'q_' + createHash('sha256').update(anonymizedSql).digest('hex').slice(0, 16);
}

/**
 * Returns `properties` with `proxied_query` and `schema` anonymized in `dialect` (the event's db_backend when it
 * has one), and `query_id` filled for a proxied query that lacks one. The input is not modified.
 */
export function privatize(properties: TelemetryProperties, fallback: AnonymizerDialect): TelemetryProperties {
  const { proxied_query: query, schema } = properties;
  if (query === undefined && schema === undefined) return properties;
  const backend: unknown = properties.db_backend;
  const dialect = backend === 'mysql' || backend === 'postgres' ? backend : fallback;
  const result: TelemetryProperties = { ...properties };
  if (query !== undefined) {
    result.proxied_query = anonymizeCached(query, dialect);
    result.query_id ??= queryIdFor(result.proxied_query);
  }
  if (schema !== undefined) result.schema = anonymizeCached(schema, dialect);
  return result;
}
