/**
 * OTLP traces in and responses out, for the gateway: decoders of ExportTraceServiceRequest (protobuf and
 * OTLP/JSON) that keep only telemetry span events, and encoders of ExportTraceServiceResponse and google.rpc.Status.
 */
export { encodeExportResponse, encodeStatus } from './encode.js';
export type { OtlpFormat, PartialSuccess } from './encode.js';
export { decodeTracesJson } from './json.js';
export { decodeTracesProtobuf } from './protobuf.js';
export { OtlpDecodeError } from './types.js';
export type { OtlpEvent, OtlpResourceSpans, OtlpSpan, OtlpTraces } from './types.js';
