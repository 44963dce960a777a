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

/** Span batching of createSegmentSpanProcessor: telemetry events are few and small, so a short delay keeps them timely. */
export const TELEMETRY_BATCHING = {
  scheduledDelayMillis: 1000,
  maxQueueSize: 2048,
  maxExportBatchSize: 512,
} as const;

/** Longest wait for the shutdown after SIGTERM/SIGINT before the signal takes its course anyway. */
export const SIGNAL_DEADLINE_MILLIS = 10_000;
