/**
 * Gateway settings resolved in one place: options > environment > defaults, with every default here. The
 * environment is passed in, so tests use plain objects. A bad code option throws; the CLI turns flags into
 * options first (parseByteSize, parseDuration), so a bad flag throws too.
 */
import { readFileSync } from 'node:fs';
import type { SegmentExporterOptions } from '../exporter/types.js';
import type { GatewaySink } from './types.js';

/** Every gateway default. */
export const GATEWAY_DEFAULTS = {
  port: 4318,
  grpcPort: 4317,
  host: '127.0.0.1',
  maxBodyBytes: 20 * 1024 * 1024,
  ackTimeoutMillis: 5_000,
  drainTimeoutMillis: 10_000,
  maxInFlight: 64,
  /**
   * The exporter's flushIntervalMillis in the gateway (the exporter's own default is 1000): each OTLP request
   * waits for Segment's answer, so a partial Segment batch goes out after 20 ms instead of holding the ack 1 s.
   */
  flushIntervalMillis: 20,
} as const;

/** Options of {@link startGateway}: the CLI flags in camelCase, plus the exporter's options. */
export interface GatewayOptions extends SegmentExporterOptions {
  /** OTLP/HTTP port (`--port`); 0 picks a free one. Default 4318. */
  port?: number;
  /** OTLP/gRPC port (`--grpc-port`); 0 turns gRPC off. Default 4317. */
  grpcPort?: number;
  /** Address both ports listen on (`--host`). Default 127.0.0.1; a container passes 0.0.0.0. */
  host?: string;
  /** Largest request body in bytes, checked before and after decompression (`--max-body`). Default 20 MiB. */
  maxBodyBytes?: number;
  /** Longest wait for Segment before answering 503 (`--ack-timeout`), in milliseconds. Default 5000. */
  ackTimeoutMillis?: number;
  /** Bound of close(): delivering what is pending (`--drain-timeout`), in milliseconds. Default 10000. */
  drainTimeoutMillis?: number;
  /** Export requests handled at once (both ports together); beyond it 429 / RESOURCE_EXHAUSTED. Default 64. */
  maxInFlight?: number;
  /** Bearer token every export request must carry. Default: RS_GATEWAY_TOKEN. */
  token?: string;
  /** PEM certificate file that turns on TLS for both ports. Default: RS_GATEWAY_TLS_CERT. */
  tlsCert?: string;
  /** PEM private key file for tlsCert. Default: RS_GATEWAY_TLS_KEY. */
  tlsKey?: string;
  /** @internal Delivery sink; tests pass a fake. Default: the exporter's pipeline (createGatewaySink). */
  sink?: GatewaySink;
}

/** The gateway's own settings, resolved. */
export interface GatewaySettings {
  port: number;
  grpcPort: number;
  host: string;
  maxBodyBytes: number;
  ackTimeoutMillis: number;
  drainTimeoutMillis: number;
  maxInFlight: number;
  token: string | undefined;
  tls: { cert: Buffer; key: Buffer } | undefined;
}

type Env = Readonly<Record<string, string | undefined>>;

function integer(
  name: string,
  value: number | undefined,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new TypeError(`${name} must be an integer from ${min} to ${max}`);
  }
  return value;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** True for addresses only this machine can reach. */
function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function readPem(what: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new Error(`cannot read the TLS ${what} file ${path} (${code})`);
  }
}

/** Resolves the gateway's settings. Throws on a bad option, a half TLS configuration or a public host without a token. */
export function resolveGatewaySettings(options: GatewayOptions, env: Env): GatewaySettings {
  const host = nonEmpty(options.host) ?? GATEWAY_DEFAULTS.host;
  const token = nonEmpty(options.token) ?? nonEmpty(env['RS_GATEWAY_TOKEN']);
  // Anyone who reaches the port could send events under the gateway's write key: off loopback, a token is required.
  if (token === undefined && !isLoopbackHost(host)) {
    throw new Error(`RS_GATEWAY_TOKEN is required when the gateway listens on ${host} (not a loopback address)`);
  }
  const certPath = nonEmpty(options.tlsCert) ?? nonEmpty(env['RS_GATEWAY_TLS_CERT']);
  const keyPath = nonEmpty(options.tlsKey) ?? nonEmpty(env['RS_GATEWAY_TLS_KEY']);
  if ((certPath === undefined) !== (keyPath === undefined)) {
    throw new Error('TLS needs both RS_GATEWAY_TLS_CERT and RS_GATEWAY_TLS_KEY (or tlsCert and tlsKey)');
  }
  const tls =
    certPath !== undefined && keyPath !== undefined
      ? { cert: readPem('certificate', certPath), key: readPem('key', keyPath) }
      : undefined;
  return {
    port: integer('port', options.port, GATEWAY_DEFAULTS.port, 0, 65535),
    grpcPort: integer('grpcPort', options.grpcPort, GATEWAY_DEFAULTS.grpcPort, 0, 65535),
    host,
    maxBodyBytes: integer('maxBodyBytes', options.maxBodyBytes, GATEWAY_DEFAULTS.maxBodyBytes, 1024, 2 ** 31 - 1),
    ackTimeoutMillis: integer('ackTimeoutMillis', options.ackTimeoutMillis, GATEWAY_DEFAULTS.ackTimeoutMillis, 1),
    drainTimeoutMillis: integer(
      'drainTimeoutMillis',
      options.drainTimeoutMillis,
      GATEWAY_DEFAULTS.drainTimeoutMillis,
      0,
    ),
    maxInFlight: integer('maxInFlight', options.maxInFlight, GATEWAY_DEFAULTS.maxInFlight, 1),
    token,
    tls,
  };
}

const BYTE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

/** Parses a byte size: `1048576`, `512KiB`, `1MiB`, `20MB` (KB/MB/GB are powers of 1000, KiB/MiB/GiB of 1024). */
export function parseByteSize(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = BYTE_UNITS[match?.[2]?.toLowerCase() ?? 'none'];
  if (match === null || unit === undefined)
    throw new Error(`"${text}" is not a size (examples: 1048576, 512KiB, 20MiB)`);
  return Math.floor(Number(match[1]) * unit);
}

const TIME_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

/** Parses a duration with its unit: `500ms`, `5s`, `1m`. A bare number is refused: seconds or milliseconds would be a guess. */
export function parseDuration(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)\s*$/i.exec(text);
  const unit = TIME_UNITS[match?.[2]?.toLowerCase() ?? 'none'];
  if (match === null || unit === undefined)
    throw new Error(`"${text}" is not a duration with a unit (examples: 500ms, 5s, 1m)`);
  return Math.round(Number(match[1]) * unit);
}
