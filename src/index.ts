/** otel-segment-bridge: ReadySet product telemetry as OpenTelemetry span events, exported to Segment. */
export { SegmentSpanExporter } from './exporter/exporter.js';
export { anonymizeSql, REDACTED_SQL } from './anonymize/index.js';
export type { AnonymizeOptions } from './anonymize/index.js';
export { createSegmentSpanProcessor, SegmentSpanProcessor, startTelemetry } from './exporter/processor.js';
export type { SegmentSpanProcessorOptions, TelemetryHandle, TelemetryOptions } from './exporter/processor.js';
export { telemetryStatus } from './wiring/status.js';
export type { StatusSource, TelemetryStatus } from './wiring/status.js';
export { recordTelemetry, TELEMETRY_SPAN_NAME } from './record.js';
export { EVENT_DESCRIPTIONS, PROPERTY_SPECS, TELEMETRY_EVENTS, TELEMETRY_PROPERTIES, isTelemetryEvent } from './catalogue/index.js';
export type { TelemetryEvent, TelemetryProperties, TelemetryPropertyName } from './catalogue/index.js';
export type { SegmentExporterOptions, SettingsSources, SqlDialect } from './exporter/types.js';
export type { StatsSnapshot, DropReason } from './exporter/stats.js';
export type { TrackMessage } from './exporter/transform.js';
export { startReceiver } from './devtools/receiver.js';
export type { Receiver, ReceiverOptions, ReceivedMessage, Fault } from './devtools/receiver.js';
export { processAnonymousId } from './exporter/identity.js';
export { VERSION } from './util/version.js';
