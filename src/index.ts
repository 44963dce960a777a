/** otel-segment-bridge: ReadySet product telemetry as OpenTelemetry span events, exported to Segment. */
export { SegmentSpanExporter } from './exporter.js';
export { anonymizeSql, REDACTED_SQL } from './anonymize/index.js';
export type { AnonymizeOptions } from './anonymize/index.js';
export { createSegmentSpanProcessor, SegmentSpanProcessor, startTelemetry } from './processor.js';
export type { SegmentSpanProcessorOptions, TelemetryHandle, TelemetryOptions } from './processor.js';
export { telemetryStatus } from './status.js';
export type { StatusSource, TelemetryStatus } from './status.js';
export { recordTelemetry, TELEMETRY_SPAN_NAME } from './record.js';
export { EVENT_DESCRIPTIONS, PROPERTY_SPECS, TELEMETRY_EVENTS, TELEMETRY_PROPERTIES, isTelemetryEvent } from './catalogue.js';
export type { TelemetryEvent, TelemetryProperties, TelemetryPropertyName } from './catalogue.js';
export type { SegmentExporterOptions, SettingsSources, SqlDialect } from './types.js';
export type { StatsSnapshot, DropReason } from './stats.js';
export type { TrackMessage } from './transform.js';
export { startReceiver } from './sink/receiver.js';
export type { Receiver, ReceiverOptions, ReceivedMessage, Fault } from './sink/receiver.js';
export { processAnonymousId } from './identity.js';
export { VERSION } from './version.js';
