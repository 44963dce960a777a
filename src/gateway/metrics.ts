/**
 * GET /metrics: the gateway's figures in Prometheus text format through @opentelemetry/exporter-prometheus on a
 * MeterProvider of the gateway's own (both optional peers, loaded only with the gateway; without them /metrics
 * answers 501 naming what to install). Instruments: the bridge's counters (the names of src/exporter/metrics.ts,
 * read from the sink's stats at scrape time) and the request figures (requests by protocol and status, bytes
 * received, requests in flight).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Meter } from '@opentelemetry/api';
import type * as Prometheus from '@opentelemetry/exporter-prometheus';
import type * as SdkMetrics from '@opentelemetry/sdk-metrics';
import { DROP_REASONS } from '../exporter/stats.js';
import type { StatsSnapshot } from '../exporter/stats.js';
import { VERSION } from '../util/version.js';
import type { GatewayCore } from './core.js';

const METRICS_PACKAGES = '@opentelemetry/exporter-prometheus @opentelemetry/sdk-metrics';

export interface GatewayMetrics {
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  shutdown: () => Promise<void>;
}

type Field = Exclude<keyof StatsSnapshot, 'dropped' | 'pending'>;

/** The bridge's monotonic counters: instrument name, stats field, description. */
const COUNTERS: [string, Field, string][] = [
  ['otel_segment_bridge.events.sent', 'sent', 'Telemetry events delivered to Segment (or printed in debug mode)'],
  [
    'otel_segment_bridge.properties.invalid',
    'invalidProperties',
    'Property values left out for not matching the schema',
  ],
  ['otel_segment_bridge.events.deduplicated', 'deduplicated', 'Repeated queries and schemas not sent again'],
  ['otel_segment_bridge.events.truncated', 'truncated', 'Events whose longest property was cut to fit 32 KB'],
  ['otel_segment_bridge.requests.failed', 'failedRequests', 'Segment requests that failed'],
  ['otel_segment_bridge.requests.retries', 'retries', 'Segment requests that repeated a failed one'],
];

function instrument(meter: Meter, core: GatewayCore): void {
  const stats = (): StatsSnapshot => core.sink.getStats();
  for (const [name, field, description] of COUNTERS) {
    meter.createObservableCounter(name, { description }).addCallback((result) => result.observe(stats()[field]));
  }
  meter
    .createObservableCounter('otel_segment_bridge.events.dropped', {
      description: 'Telemetry events that did not reach Segment, by reason',
    })
    .addCallback((result) => {
      const dropped = stats().dropped;
      for (const reason of DROP_REASONS) result.observe(dropped[reason], { reason });
    });
  meter
    .createObservableUpDownCounter('otel_segment_bridge.events.pending', {
      description: 'Telemetry events waiting for delivery',
    })
    .addCallback((result) => result.observe(stats().pending));
  meter
    .createObservableUpDownCounter('otel_segment_bridge.gateway.requests.in_flight', {
      description: 'OTLP export requests being answered',
    })
    .addCallback((result) => result.observe(core.inFlight.current));
  const requests = meter.createCounter('otel_segment_bridge.gateway.requests', {
    description: 'OTLP export requests answered, by protocol and status',
  });
  const bytes = meter.createCounter('otel_segment_bridge.gateway.request.bytes', {
    description: 'OTLP request bytes received (as sent, before decompression)',
    unit: 'By',
  });
  core.onCount.push((protocol, status, wireBytes) => {
    requests.add(1, { protocol, status });
    if (wireBytes > 0) bytes.add(wireBytes, { protocol });
  });
}

/** Sets up /metrics; never throws (a missing package makes /metrics answer 501). */
export async function startMetrics(core: GatewayCore): Promise<GatewayMetrics> {
  let prometheus: typeof Prometheus;
  let sdk: typeof SdkMetrics;
  try {
    [prometheus, sdk] = await Promise.all([
      import('@opentelemetry/exporter-prometheus'),
      import('@opentelemetry/sdk-metrics'),
    ]);
  } catch {
    const message = `GET /metrics needs ${METRICS_PACKAGES}: run "npm i ${METRICS_PACKAGES}"`;
    core.problem('metrics-missing', message);
    return {
      handler: (_req, res) => {
        res.writeHead(501, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(message + '\n');
      },
      shutdown: () => Promise.resolve(),
    };
  }
  const exporter = new prometheus.PrometheusExporter({ preventServerStart: true });
  const provider = new sdk.MeterProvider({ readers: [exporter] });
  instrument(provider.getMeter('otel-segment-bridge', VERSION), core);
  return {
    handler: (req, res) => exporter.getMetricsRequestHandler(req, res),
    shutdown: () => provider.shutdown().catch(() => undefined),
  };
}
