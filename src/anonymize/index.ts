export { anonymizeSql, REDACTED_SQL } from './anonymize.js';
export type { AnonymizeOptions, SqlDialect } from './anonymize.js';
