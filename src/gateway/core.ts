/**
 * What both OTLP ports share once a request is decoded: the token check, the in-flight cap, the draining flag,
 * the hand-over to the sink with a last-resort deadline, request counts, and logging once per problem cause
 * (never per request: /metrics counts every request).
 */
import { once } from '../util/log.js';
import { bearerChecker } from './auth.js';
import { InFlight } from './limits.js';
import type { GatewaySettings } from './options.js';
import type { OtlpTraces } from './otlp/types.js';
import type { GatewaySink, SubmitOutcome } from './types.js';

export type Protocol = 'http' | 'grpc';

/** Extra wait past the ack deadline before the gateway stops trusting the sink to answer. */
const SINK_GRACE_MILLIS = 1_000;

/** The state and steps the HTTP and gRPC servers share. */
export interface GatewayCore {
  readonly settings: GatewaySettings;
  readonly sink: GatewaySink;
  readonly inFlight: InFlight;
  /** True once close() began: readyz 503, new export requests 503. */
  draining: boolean;
  checkToken(authorization: string | undefined): boolean;
  /** Hands decoded traces to the sink; a request without telemetry events is acknowledged at once. Never rejects. */
  submit(traces: OtlpTraces): Promise<SubmitOutcome>;
  /** Counts one answered export request and the bytes it carried on the wire. */
  count(protocol: Protocol, status: string, wireBytes: number): void;
  /** Logs `message` once per `cause`. */
  problem(cause: string, message: string): void;
  /** Answered export requests by "<protocol> <status>", e.g. "http 200", "grpc UNAVAILABLE". */
  readonly requests: Map<string, number>;
  /** Observers of each answered request (the metrics). */
  readonly onCount: ((protocol: Protocol, status: string, wireBytes: number) => void)[];
}

export function createCore(settings: GatewaySettings, sink: GatewaySink): GatewayCore {
  const requests = new Map<string, number>();
  const onCount: GatewayCore['onCount'] = [];
  const core: GatewayCore = {
    settings,
    sink,
    inFlight: new InFlight(settings.maxInFlight),
    draining: false,
    checkToken: bearerChecker(settings.token),
    requests,
    onCount,
    submit(traces) {
      if (traces.resourceSpans.length === 0) return Promise.resolve({ kind: 'accepted', rejectedSpans: 0 });
      const late: SubmitOutcome = {
        kind: 'retry',
        status: 503,
        retryAfterSeconds: 1,
        reason: 'delivery did not answer in time',
      };
      let timer: NodeJS.Timeout | undefined;
      const guard = new Promise<SubmitOutcome>((resolve) => {
        timer = setTimeout(() => {
          core.problem('sink-late', 'the delivery sink did not answer within the ack deadline; answered 503');
          resolve(late);
        }, settings.ackTimeoutMillis + SINK_GRACE_MILLIS);
      });
      const answer = sink.submit(traces, settings.ackTimeoutMillis).catch((error: unknown) => {
        core.problem(
          'sink-error',
          `the delivery sink failed (${error instanceof Error ? error.message : String(error)}); answered 503`,
        );
        return late;
      });
      return Promise.race([answer, guard]).finally(() => clearTimeout(timer));
    },
    count(protocol, status, wireBytes) {
      const key = `${protocol} ${status}`;
      requests.set(key, (requests.get(key) ?? 0) + 1);
      for (const observe of onCount) observe(protocol, status, wireBytes);
    },
    problem(cause, message) {
      once('warn', `gateway:${cause}`, `gateway: ${message} (said once per cause; /metrics counts every request)`);
    },
  };
  return core;
}
