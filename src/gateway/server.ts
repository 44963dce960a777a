/**
 * startGateway: composes the gateway. Settings (options > environment > defaults), the delivery sink (the
 * exporter's pipeline), the OTLP/HTTP port with the operations endpoints, the optional OTLP/gRPC port, and the
 * drain on close: go unready, stop accepting, let the requests in flight finish (ack or 503), deliver what is
 * pending within drainTimeoutMillis.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { StatsSnapshot } from '../exporter/stats.js';
import type { SegmentExporterOptions, SettingsSources } from '../exporter/types.js';
import { withDeadline } from '../util/deadline.js';
import { createCore } from './core.js';
import { loadGrpc, startGrpcServer } from './grpc.js';
import type { GrpcServer } from './grpc.js';
import { createHttpHandler } from './http.js';
import { startMetrics } from './metrics.js';
import { GATEWAY_DEFAULTS, resolveGatewaySettings } from './options.js';
import { createGatewaySink } from './sink.js';
import type { GatewayOptions } from './options.js';

/** The sink's counters plus the gateway's request figures. */
export interface GatewayStats extends StatsSnapshot {
  /** Answered export requests by "<protocol> <status>", e.g. "http 200", "grpc UNAVAILABLE". */
  requests: Record<string, number>;
  /** Export requests being answered now. */
  inFlight: number;
}

/** A running gateway. */
export interface Gateway {
  /** Base URL of the OTLP/HTTP port, e.g. http://127.0.0.1:4318 (traces go to `${url}/v1/traces`). */
  readonly url: string;
  /** host:port of the OTLP/gRPC port, or undefined when gRPC is off. */
  readonly grpcAddress: string | undefined;
  /** Drains and stops (bounded by ackTimeoutMillis + drainTimeoutMillis); safe to call more than once. */
  close(): Promise<void>;
  getStats(): GatewayStats;
}

const GATEWAY_KEYS = new Set<string>([
  'port',
  'grpcPort',
  'host',
  'maxBodyBytes',
  'ackTimeoutMillis',
  'drainTimeoutMillis',
  'maxInFlight',
  'token',
  'tlsCert',
  'tlsKey',
  'sink',
]);

/** The exporter's options among the gateway's, with the gateway's own default flush interval. */
function exporterOptions(options: GatewayOptions): SegmentExporterOptions {
  const own: SegmentExporterOptions = Object.fromEntries(
    Object.entries(options).filter(([key]) => !GATEWAY_KEYS.has(key)),
  );
  return { flushIntervalMillis: GATEWAY_DEFAULTS.flushIntervalMillis, ...own };
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Starts the gateway: OTLP in on `port` (HTTP) and `grpcPort` (gRPC), Segment out through the exporter's pipeline. */
export async function startGateway(options: GatewayOptions = {}, sources: SettingsSources = {}): Promise<Gateway> {
  const env = sources.env ?? process.env;
  const settings = resolveGatewaySettings(options, env);
  if (settings.grpcPort !== 0) await loadGrpc(); // fail before anything starts when the package is missing
  const sink = options.sink ?? createGatewaySink(exporterOptions(options), { ...sources, env });
  const core = createCore(settings, sink);
  const metrics = await startMetrics(core);
  const handler = createHttpHandler(core, metrics.handler);
  const http =
    settings.tls === undefined
      ? createServer(handler)
      : createTlsServer({ cert: settings.tls.cert, key: settings.tls.key }, handler);
  let grpc: GrpcServer | undefined;
  try {
    const port = await listen(http, settings.port, settings.host);
    if (settings.grpcPort !== 0) grpc = await startGrpcServer(core);
    const host = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
    const url = `${settings.tls === undefined ? 'http' : 'https'}://${host}:${port}`;
    let closing: Promise<void> | undefined;

    async function drain(): Promise<void> {
      core.draining = true;
      const grace = settings.ackTimeoutMillis + 2_000;
      const stopped = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeIdleConnections();
      await Promise.all([grpc?.shutdown(grace), withDeadline(core.inFlight.idle(), grace, true)]);
      http.closeAllConnections();
      await stopped;
      await sink.close(settings.drainTimeoutMillis);
      await metrics.shutdown();
    }

    return {
      url,
      grpcAddress: grpc?.address,
      close: () => (closing ??= drain()),
      getStats: () => ({
        ...sink.getStats(),
        requests: Object.fromEntries(core.requests),
        inFlight: core.inFlight.current,
      }),
    };
  } catch (error) {
    http.close();
    await grpc?.shutdown(0);
    await sink.close(0);
    await metrics.shutdown();
    throw error;
  }
}
