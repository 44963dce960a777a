/** `otel-segment-bridge gateway`: OTLP traces in (HTTP and gRPC), telemetry span events out to Segment. */
import { diag, DiagConsoleLogger, DiagLogLevel } from '@opentelemetry/api';
import { GATEWAY_DEFAULTS, parseByteSize, parseDuration } from '../gateway/options.js';
import type { GatewayOptions } from '../gateway/options.js';
import { startGateway } from '../gateway/server.js';
import { parseArgs, UsageError } from './args.js';

export const GATEWAY_HELP = `Usage: otel-segment-bridge gateway [--port N] [--grpc-port N] [--host ADDR] [--max-body SIZE]
                                  [--ack-timeout DURATION] [--drain-timeout DURATION]

Receives OTLP traces (POST /v1/traces, protobuf or JSON, gzip or not; and gRPC TraceService/Export) and sends
their telemetry span events to Segment through the exporter's pipeline. Answers 200 only once Segment accepted
a request's events; 429/503 with Retry-After otherwise, so the sender (an OpenTelemetry Collector) retries.
Also serves GET /healthz, /readyz and /metrics (Prometheus) on the HTTP port. SIGTERM or SIGINT drains and exits 0.

  --port N                 OTLP/HTTP port (default ${GATEWAY_DEFAULTS.port})
  --grpc-port N            OTLP/gRPC port (default ${GATEWAY_DEFAULTS.grpcPort}; 0 turns gRPC off)
  --host ADDR              address to listen on (default ${GATEWAY_DEFAULTS.host}; a container passes 0.0.0.0)
  --max-body SIZE          largest request, before and after gzip: bytes or 512KiB, 20MiB... (default 20MiB)
  --ack-timeout DURATION   longest wait for Segment before answering 503: 500ms, 5s... (default 5s)
  --drain-timeout DURATION bound of delivering what is pending at shutdown (default 10s)
  --help                   show this help

Environment: RS_SEGMENT_WRITE_KEY, RS_SEGMENT_HOST, RS_API_KEY (default userId) and the opt-outs, as for the
exporter; RS_GATEWAY_TOKEN (bearer token every export request must carry; required off loopback);
RS_GATEWAY_TLS_CERT and RS_GATEWAY_TLS_KEY (PEM files: TLS on both ports); OTEL_LOG_LEVEL (default warn).`;

function port(flag: string, value: string | true | undefined): number | undefined {
  if (typeof value !== 'string') return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new UsageError(`--${flag} must be a port number (0-65535)`);
  return n;
}

function parsed<T>(flag: string, value: string | true | undefined, parse: (text: string) => T): T | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    return parse(value);
  } catch (error) {
    throw new UsageError(`--${flag}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The gateway's options from its command line (the environment is read by startGateway). */
export function gatewayOptionsFromArgs(args: readonly string[]): GatewayOptions | 'help' {
  const { flags, positional } = parseArgs(
    args,
    ['port', 'grpc-port', 'host', 'max-body', 'ack-timeout', 'drain-timeout'],
    ['help'],
  );
  if (flags.has('help')) return 'help';
  if (positional.length > 0) throw new UsageError(`unexpected argument "${positional[0] ?? ''}"`);
  const options: GatewayOptions = {};
  const set = <K extends keyof GatewayOptions>(key: K, value: GatewayOptions[K] | undefined): void => {
    if (value !== undefined) options[key] = value;
  };
  set('port', port('port', flags.get('port')));
  set('grpcPort', port('grpc-port', flags.get('grpc-port')));
  const host = flags.get('host');
  set('host', typeof host === 'string' ? host : undefined);
  set('maxBodyBytes', parsed('max-body', flags.get('max-body'), parseByteSize));
  set('ackTimeoutMillis', parsed('ack-timeout', flags.get('ack-timeout'), parseDuration));
  set('drainTimeoutMillis', parsed('drain-timeout', flags.get('drain-timeout'), parseDuration));
  return options;
}

function logLevel(env: NodeJS.ProcessEnv): DiagLogLevel {
  const name = env['OTEL_LOG_LEVEL']?.trim().toUpperCase() ?? '';
  const level = (DiagLogLevel as unknown as Record<string, number | undefined>)[name];
  return typeof level === 'number' ? level : DiagLogLevel.WARN;
}

/** Runs the gateway until SIGTERM or SIGINT; resolves to the exit code. */
export async function runGateway(args: readonly string[], out: (line: string) => void): Promise<number> {
  const options = gatewayOptionsFromArgs(args);
  if (options === 'help') {
    out(GATEWAY_HELP);
    return 0;
  }
  diag.setLogger(new DiagConsoleLogger(), { logLevel: logLevel(process.env), suppressOverrideMessage: true });
  const gateway = await startGateway(options);
  const grpc = gateway.grpcAddress === undefined ? 'OTLP/gRPC off' : `OTLP/gRPC ${gateway.grpcAddress}`;
  const token = process.env['RS_GATEWAY_TOKEN']?.trim() ? 'bearer token required' : 'no token';
  out(
    `otel-segment-bridge gateway listening: OTLP/HTTP ${gateway.url}/v1/traces, ${grpc}, health ${gateway.url}/healthz (${token}; SIGTERM drains)`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await gateway.close();
  return 0;
}
