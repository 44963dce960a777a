/**
 * Self-observability: the exporters' counters as OpenTelemetry metrics through the global MeterProvider (no-op
 * when there is none). Observable instruments read the counters at collection time, so counting costs nothing
 * on the hot path. Counts of exporters that were shut down are kept in the process totals.
 */
import { metrics } from '@opentelemetry/api';
import type { MeterProvider, ObservableResult } from '@opentelemetry/api';
import { DROP_REASONS } from './stats.js';
import type { ExporterStats, StatsSnapshot } from './stats.js';
import { VERSION } from '../util/version.js';

const live = new Set<ExporterStats>();
const retired: StatsSnapshot = {
  sent: 0,
  pending: 0,
  dropped: Object.fromEntries(DROP_REASONS.map((r) => [r, 0])) as StatsSnapshot['dropped'],
  invalidProperties: 0,
  failedRequests: 0,
  retries: 0,
  deduplicated: 0,
  truncated: 0,
};
let instrumentedProvider: MeterProvider | undefined;

/** Adds the counters of `s` into `total` (pending too: callers pass 0 for it when it is not live). */
function addInto(total: StatsSnapshot, s: StatsSnapshot): void {
  total.sent += s.sent;
  total.pending += s.pending;
  total.invalidProperties += s.invalidProperties;
  total.failedRequests += s.failedRequests;
  total.retries += s.retries;
  total.deduplicated += s.deduplicated;
  total.truncated += s.truncated;
  for (const reason of DROP_REASONS) total.dropped[reason] += s.dropped[reason];
}

/** Sum of every exporter's counters in this process, shut-down exporters included. */
function processTotals(): StatsSnapshot {
  const total: StatsSnapshot = { ...retired, dropped: { ...retired.dropped } };
  for (const stats of live) addInto(total, stats.snapshot());
  return total;
}

function observe(field: Exclude<keyof StatsSnapshot, 'dropped'>) {
  return (result: ObservableResult): void => result.observe(processTotals()[field]);
}

/**
 * Creates the instruments on the current global MeterProvider, once per provider: a provider registered after
 * the exporter was built (NodeSDK.start) is picked up at the next export.
 */
export function ensureInstruments(): void {
  const provider = metrics.getMeterProvider();
  if (provider === instrumentedProvider) return;
  instrumentedProvider = provider;
  const meter = provider.getMeter('otel-segment-bridge', VERSION);
  meter
    .createObservableCounter('otel_segment_bridge.events.sent', {
      description: 'Telemetry events delivered to Segment (or printed in debug mode)',
    })
    .addCallback(observe('sent'));
  meter
    .createObservableCounter('otel_segment_bridge.events.dropped', {
      description: 'Telemetry events that did not reach Segment, by reason',
    })
    .addCallback((result) => {
      const dropped = processTotals().dropped;
      for (const reason of DROP_REASONS) result.observe(dropped[reason], { reason });
    });
  meter
    .createObservableUpDownCounter('otel_segment_bridge.events.pending', {
      description: 'Telemetry events waiting for delivery',
    })
    .addCallback(observe('pending'));
  meter
    .createObservableCounter('otel_segment_bridge.properties.invalid', {
      description: 'Property values left out for not matching the schema',
    })
    .addCallback(observe('invalidProperties'));
  meter
    .createObservableCounter('otel_segment_bridge.events.deduplicated', {
      description: 'Repeated queries and schemas not sent again',
    })
    .addCallback(observe('deduplicated'));
  meter
    .createObservableCounter('otel_segment_bridge.events.truncated', {
      description: 'Events whose longest property was cut to fit 32 KB',
    })
    .addCallback(observe('truncated'));
  meter
    .createObservableCounter('otel_segment_bridge.requests.failed', { description: 'Segment requests that failed' })
    .addCallback(observe('failedRequests'));
  meter
    .createObservableCounter('otel_segment_bridge.requests.retries', {
      description: 'Segment requests that repeated a failed one',
    })
    .addCallback(observe('retries'));
}

/** Includes an exporter's counters in the process totals. */
export function track(stats: ExporterStats): void {
  live.add(stats);
}

/** Folds a shut-down exporter's counters into the totals and forgets the exporter (no growth per exporter). */
export function retire(stats: ExporterStats): void {
  if (!live.delete(stats)) return;
  addInto(retired, { ...stats.snapshot(), pending: 0 });
}
