/**
 * What the gateway keeps of an OTLP traces request: the leaf types its decoders produce and its sink reads.
 * The wire format is opentelemetry-proto's ExportTraceServiceRequest
 * (https://github.com/open-telemetry/opentelemetry-proto/blob/main/opentelemetry/proto/collector/trace/v1/trace_service.proto),
 * in protobuf or in OTLP/JSON (https://github.com/open-telemetry/opentelemetry-proto/blob/main/docs/specification.md).
 * Only telemetry events survive decoding; everything else in the request is skipped.
 */
import type { Attributes, HrTime } from '@opentelemetry/api';

/** One telemetry span event. */
export interface OtlpEvent {
  /** Position among ALL the span's events, telemetry or not (part of the stable messageId). */
  index: number;
  name: string;
  time: HrTime;
  attributes: Attributes;
}

/** A span that carries at least one telemetry event. */
export interface OtlpSpan {
  /** 32 lowercase hex digits (all zeros when the request left it empty). */
  traceId: string;
  /** 16 lowercase hex digits (all zeros when the request left it empty). */
  spanId: string;
  /** The telemetry events only, in wire order. */
  events: OtlpEvent[];
}

/** One resource and its spans that carry telemetry events (resources without such spans are left out). */
export interface OtlpResourceSpans {
  resource: Attributes;
  spans: OtlpSpan[];
}

/** A decoded ExportTraceServiceRequest. */
export interface OtlpTraces {
  resourceSpans: OtlpResourceSpans[];
  /** Every span of the request, with or without telemetry events. */
  spanCount: number;
}

/** The request body does not decode; the message is safe to return to the client (it echoes no payload). */
export class OtlpDecodeError extends Error {
  override readonly name = 'OtlpDecodeError';
}
