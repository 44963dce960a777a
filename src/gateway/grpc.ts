/**
 * OTLP/gRPC: opentelemetry.proto.collector.trace.v1.TraceService/Export on its own port, with @grpc/grpc-js
 * (an optional peer, loaded only when gRPC is on). The service is registered with identity (de)serializers and
 * the gateway's own protobuf decoder, so no .proto file is loaded. grpc-js inflates gzip itself and bounds the
 * inflated message by grpc.max_receive_message_length (RESOURCE_EXHAUSTED past it).
 *
 *   OK + ExportTraceServiceResponse (partial_success) · INVALID_ARGUMENT: does not decode
 *   UNAUTHENTICATED: `authorization: Bearer <token>` metadata missing or wrong
 *   RESOURCE_EXHAUSTED (sink 429, in-flight cap) / UNAVAILABLE (sink 503, draining), both with a
 *   google.rpc.RetryInfo in grpc-status-details-bin and a `retry-after` (seconds) metadata entry.
 */
import type * as Grpc from '@grpc/grpc-js';
import { decodeTracesProtobuf, encodeExportResponse } from './otlp/index.js';
import { OtlpDecodeError } from './otlp/types.js';
import type { OtlpTraces } from './otlp/types.js';
import type { GatewayCore } from './core.js';

export const EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

/** google.rpc.Code values used here (same numbers as grpc.status). */
const Code = {
  OK: 0,
  INVALID_ARGUMENT: 3,
  RESOURCE_EXHAUSTED: 8,
  UNAVAILABLE: 14,
  INTERNAL: 13,
  UNAUTHENTICATED: 16,
} as const;
const CODE_NAME: Record<number, string> = Object.fromEntries(Object.entries(Code).map(([name, code]) => [code, name]));

/** Loads @grpc/grpc-js, or throws naming what to install. */
export async function loadGrpc(): Promise<typeof Grpc> {
  try {
    return await import('@grpc/grpc-js');
  } catch {
    throw new Error(
      'OTLP/gRPC needs @grpc/grpc-js: run "npm i @grpc/grpc-js", or pass --grpc-port 0 (grpcPort: 0) to turn gRPC off',
    );
  }
}

function varint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

function field(number: number, bytes: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([(number << 3) | 2, ...varint(bytes.length)]), bytes]);
}

/**
 * google.rpc.Status { code = 1; message = 2; details = 3 (Any) } whose one detail is a google.rpc.RetryInfo
 * { retry_delay = 1 (google.protobuf.Duration { seconds = 1 }) }: what grpc-status-details-bin carries.
 */
function retryStatusDetails(code: number, message: string, retryAfterSeconds: number): Buffer {
  const duration = Buffer.from([0x08, ...varint(retryAfterSeconds)]);
  const retryInfo = field(1, duration);
  const any = Buffer.concat([field(1, Buffer.from('type.googleapis.com/google.rpc.RetryInfo')), field(2, retryInfo)]);
  return Buffer.concat([Buffer.from([0x08, ...varint(code)]), field(2, Buffer.from(message, 'utf8')), field(3, any)]);
}

export interface GrpcServer {
  /** host:port as bound. */
  address: string;
  /** Stops accepting; calls in flight finish (bounded by the caller). */
  shutdown(deadlineMillis: number): Promise<void>;
}

/** Starts the gRPC port. */
export async function startGrpcServer(core: GatewayCore): Promise<GrpcServer> {
  const grpc = await loadGrpc();
  const { settings } = core;
  const server = new grpc.Server({
    'grpc.max_receive_message_length': settings.maxBodyBytes,
    'grpc.max_concurrent_streams': Math.max(settings.maxInFlight * 2, 100),
  });
  const identity = (b: Buffer): Buffer => b;
  const definition: Grpc.ServiceDefinition = {
    Export: {
      path: EXPORT_PATH,
      requestStream: false,
      responseStream: false,
      requestSerialize: identity,
      requestDeserialize: identity,
      responseSerialize: identity,
      responseDeserialize: identity,
      originalName: 'export',
    },
  };

  function fail(
    callback: Grpc.sendUnaryData<Buffer>,
    code: number,
    details: string,
    retryAfterSeconds?: number,
  ): number {
    const metadata = new grpc.Metadata();
    if (retryAfterSeconds !== undefined) {
      metadata.set('grpc-status-details-bin', retryStatusDetails(code, details, retryAfterSeconds));
      metadata.set('retry-after', String(retryAfterSeconds));
    }
    callback({ code, details, metadata }, null);
    return code;
  }

  async function exportCall(
    call: Grpc.ServerUnaryCall<Buffer, Buffer>,
    callback: Grpc.sendUnaryData<Buffer>,
  ): Promise<number> {
    if (core.draining) return fail(callback, Code.UNAVAILABLE, 'the gateway is shutting down', 1);
    const authorization = call.metadata.get('authorization')[0];
    if (!core.checkToken(typeof authorization === 'string' ? authorization : undefined)) {
      core.problem('grpc-401', 'refused OTLP/gRPC calls without the right bearer token (UNAUTHENTICATED)');
      return fail(callback, Code.UNAUTHENTICATED, 'missing or wrong bearer token');
    }
    if (!core.inFlight.tryEnter()) {
      core.problem(
        'grpc-cap',
        `reached the cap of ${core.inFlight.max} export requests in flight; answered RESOURCE_EXHAUSTED`,
      );
      return fail(callback, Code.RESOURCE_EXHAUSTED, 'too many requests in flight', 1);
    }
    try {
      let traces: OtlpTraces;
      try {
        traces = decodeTracesProtobuf(call.request);
      } catch (error) {
        const message = error instanceof OtlpDecodeError ? error.message : 'message does not decode';
        core.problem('grpc-400', `refused OTLP/gRPC messages that do not decode (INVALID_ARGUMENT), first: ${message}`);
        return fail(callback, Code.INVALID_ARGUMENT, message);
      }
      const outcome = await core.submit(traces);
      if (outcome.kind === 'retry') {
        const code = outcome.status === 429 ? Code.RESOURCE_EXHAUSTED : Code.UNAVAILABLE;
        return fail(callback, code, outcome.reason, Math.max(1, Math.ceil(outcome.retryAfterSeconds)));
      }
      const partial =
        outcome.rejectedSpans > 0
          ? { rejectedSpans: outcome.rejectedSpans, errorMessage: outcome.errorMessage ?? '' }
          : undefined;
      callback(null, Buffer.from(encodeExportResponse('protobuf', partial)));
      return Code.OK;
    } finally {
      core.inFlight.leave();
    }
  }

  server.addService(definition, {
    Export: (call: Grpc.ServerUnaryCall<Buffer, Buffer>, callback: Grpc.sendUnaryData<Buffer>) => {
      const bytes = call.request?.length ?? 0;
      exportCall(call, callback).then(
        (code) => core.count('grpc', CODE_NAME[code] ?? String(code), bytes),
        (error: unknown) => {
          core.problem(
            'grpc-500',
            `internal error answering an OTLP/gRPC call: ${error instanceof Error ? error.message : String(error)}`,
          );
          callback({ code: Code.INTERNAL, details: 'internal error' }, null);
          core.count('grpc', 'INTERNAL', bytes);
        },
      );
    },
  });

  const credentials =
    settings.tls === undefined
      ? grpc.ServerCredentials.createInsecure()
      : grpc.ServerCredentials.createSsl(
          null,
          [{ cert_chain: settings.tls.cert, private_key: settings.tls.key }],
          false,
        );
  const host = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${host}:${settings.grpcPort}`, credentials, (error, bound) =>
      error === null ? resolve(bound) : reject(error),
    );
  });
  return {
    address: `${host}:${port}`,
    shutdown(deadlineMillis) {
      return new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, deadlineMillis);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
  };
}
