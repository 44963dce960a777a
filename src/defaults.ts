/** Every default of the bridge, in one place. */

/**
 * Write key of the source telemetry goes to when neither the option nor RS_SEGMENT_WRITE_KEY names one.
 * Empty in source builds: the exporter then runs, sends nothing and says so once. A release that reports to
 * ReadySet's own source sets it here before `npm pack`.
 */
export const DEFAULT_WRITE_KEY: string = '';

export const DEFAULTS = {
  host: 'https://api.segment.io',
  shutdownTimeoutMillis: 5000,
  maxPendingEvents: 2048,
  flushAt: 100,
  flushIntervalMillis: 1000,
  httpRequestTimeoutMillis: 10_000,
  maxRetries: 10,
} as const;
