/**
 * otel-segment-bridge: ReadySet product telemetry as OpenTelemetry span events, exported to Segment. This entry
 * loads @opentelemetry/api and @segment/analytics-node only; startTelemetry and telemetryStatus load the app's
 * OpenTelemetry SDK when they are called. The gateway is `otel-segment-bridge/gateway`, the receiver's fault
 * hooks `otel-segment-bridge/testing`.
 */
export { SegmentSpanExporter } from './exporter/exporter.js';
export { createSegmentSpanProcessor, SegmentSpanProcessor } from './exporter/processor.js';
export type { SegmentSpanProcessorOptions, TelemetryBatching } from './exporter/processor.js';
export { ExportResultCode } from './exporter/types.js';
export type {
  BackendDialect,
  ExportResult,
  SegmentExporterOptions,
  SettingsSources,
  SpanEventLike,
  SpanLike,
  TrackMessage,
} from './exporter/types.js';
export type { DropReason, StatsSnapshot } from './exporter/stats.js';
export { processAnonymousId } from './exporter/identity.js';
export { recordTelemetry, TELEMETRY_SPAN_NAME } from './record.js';
export { anonymizeSql, REDACTED_SQL } from './anonymize/index.js';
export type { AnonymizeOptions, SqlDialect } from './anonymize/index.js';
export {
  EVENT_DESCRIPTIONS,
  PROPERTY_SPECS,
  TELEMETRY_EVENTS,
  TELEMETRY_PROPERTIES,
  isTelemetryEvent,
} from './catalogue/index.js';
export type { TelemetryEvent, TelemetryProperties, TelemetryPropertyName } from './catalogue/index.js';
export { startTelemetry } from './wiring/start-telemetry.js';
export type { TelemetryHandle, TelemetryOptions } from './wiring/start-telemetry.js';
export { STATUS_EXIT_CODES, telemetryStatus } from './wiring/status.js';
export type { StatusSource, StatusVerdict, TelemetryStatus } from './wiring/status.js';
export { startReceiver } from './devtools/dev-receiver.js';
export type { DevReceiverOptions as ReceiverOptions } from './devtools/dev-receiver.js';
export type { Receiver, ReceivedMessage } from './devtools/receiver.js';
export { VERSION } from './util/version.js';
