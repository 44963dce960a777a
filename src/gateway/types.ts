/**
 * The gateway's internal contract (issue 12): what the OTLP servers hand to the delivery sink and what they get
 * back. A leaf module: the HTTP and gRPC servers consume it, src/gateway/sink.ts implements GatewaySink.
 */
import type { StatsSnapshot } from '../exporter/stats.js';
import type { OtlpTraces } from './otlp/types.js';

/** What became of one export request's telemetry events. */
export type SubmitOutcome =
  /** 200 (partial_success when rejectedSpans > 0). */
  | { kind: 'accepted'; rejectedSpans: number; errorMessage?: string }
  /** 429/503 with Retry-After; gRPC RESOURCE_EXHAUSTED / UNAVAILABLE with retry information. */
  | { kind: 'retry'; status: 429 | 503; retryAfterSeconds: number; reason: string };

/** Delivers decoded requests to Segment through the exporter's pipeline. */
export interface GatewaySink {
  /** Resolves within ackTimeoutMillis (the sink enforces it); never rejects. */
  submit(traces: OtlpTraces, ackTimeoutMillis: number): Promise<SubmitOutcome>;
  /** True while Segment keeps failing (readyz 503). */
  unhealthy(): boolean;
  /** Delivers what is pending within the deadline, then stops. */
  close(deadlineMillis: number): Promise<void>;
  getStats(): StatsSnapshot;
}
