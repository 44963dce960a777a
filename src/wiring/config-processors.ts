/**
 * The span processors of a declarative configuration (tracer_provider.processors): `batch` and `simple`, each
 * with a `segment`, `otlp_http` or `console` exporter. A `segment:` entry takes the exporter's options in
 * snake_case. Anything else throws an Error that says where it is.
 */
import { mergeHeadersConfig } from '@opentelemetry/configuration';
import type { BatchSpanProcessorConfigModel, OtlpHttpExporterConfigModel, SpanProcessorConfigModel } from '@opentelemetry/configuration';
import { OTLPTraceExporter as OtlpJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { BatchSpanProcessor, ConsoleSpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { BufferConfig, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { SegmentSpanExporter } from '../exporter/exporter.js';
import { log } from '../util/log.js';
import { createSegmentSpanProcessor } from '../exporter/processor.js';
import { optOutSource } from '../exporter/settings.js';
import type { Env } from '../exporter/settings.js';
import type { SegmentExporterOptions } from '../exporter/types.js';

/** The exporters a configuration file may name. */
export const FILE_EXPORTERS: readonly string[] = ['segment', 'otlp_http', 'console'];

/** One processor of tracer_provider.processors, with where it sits in the file. */
export interface ProcessorEntry {
  where: string;
  kind: string;
  props: Record<string, unknown>;
  exporter: string;
  exporterProps: Record<string, unknown>;
}

const SEGMENT_OPTIONS = {
  write_key: 'writeKey',
  host: 'host',
  user_id: 'userId',
  disabled: 'disabled',
  debug: 'debug',
  dialect: 'dialect',
  shutdown_timeout_millis: 'shutdownTimeoutMillis',
  max_pending_events: 'maxPendingEvents',
  flush_at: 'flushAt',
  flush_interval_millis: 'flushIntervalMillis',
  http_request_timeout_millis: 'httpRequestTimeoutMillis',
  max_retries: 'maxRetries',
} as const satisfies Record<string, keyof SegmentExporterOptions>;

const STRING_OPTIONS: ReadonlySet<string> = new Set(['writeKey', 'host', 'userId', 'dialect']);

function single(value: unknown, where: string, what: string): [string, Record<string, unknown>] {
  const entries: [string, unknown][] = value !== null && typeof value === 'object' ? Object.entries(value) : [];
  const [first] = entries;
  if (first === undefined || entries.length !== 1) throw new Error(`${where}: a ${what} needs exactly one entry`);
  const [name, props] = first;
  return [name, props !== null && typeof props === 'object' ? (props as Record<string, unknown>) : {}];
}

/** Lists tracer_provider.processors with their exporters, unchecked; names are checked by the builders. */
export function processorEntries(processors: readonly SpanProcessorConfigModel[]): ProcessorEntry[] {
  return processors.map((processor, index) => {
    const [kind, props] = single(processor, `tracer_provider.processors[${index}]`, 'processor');
    const where = `tracer_provider.processors[${index}].${kind}`;
    const [exporter, exporterProps] = single(props['exporter'], `${where}.exporter`, 'exporter');
    return { where, kind, props, exporter, exporterProps };
  });
}

/** A `segment:` entry's snake_case options as exporter options; null values are left out. */
export function segmentOptionsFromConfig(props: Record<string, unknown>, where: string): SegmentExporterOptions {
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(props)) {
    const name = (SEGMENT_OPTIONS as Record<string, string>)[key];
    if (name === undefined) throw new Error(`${where}: unknown option "${key}" (known: ${Object.keys(SEGMENT_OPTIONS).join(', ')})`);
    if (value === null || value === undefined) continue;
    // An unquoted ${VAR} that looks like a number is substituted as one; these options are strings.
    const scalar = typeof value === 'number' || typeof value === 'boolean';
    options[name] = STRING_OPTIONS.has(name) && scalar ? String(value) : value;
  }
  return options;
}

type OtlpOptions = NonNullable<ConstructorParameters<typeof OtlpJsonTraceExporter>[0]>;

const BATCH_OPTIONS = {
  schedule_delay: 'scheduledDelayMillis',
  export_timeout: 'exportTimeoutMillis',
  max_queue_size: 'maxQueueSize',
  max_export_batch_size: 'maxExportBatchSize',
} as const satisfies Record<string, keyof BufferConfig>;

/** A `batch:` entry's settings; those left out (or null) keep the processor's defaults. */
function batching(props: Partial<BatchSpanProcessorConfigModel>): BufferConfig {
  const config: BufferConfig = {};
  for (const [key, name] of Object.entries(BATCH_OPTIONS)) {
    const value = props[key as keyof typeof BATCH_OPTIONS];
    if (typeof value === 'number') config[name] = value;
  }
  return config;
}

function otlpHttpExporter(props: NonNullable<OtlpHttpExporterConfigModel>, where: string): SpanExporter {
  if (props.tls !== undefined) log.warn(`${where}: tls is not supported by otel-segment-bridge; ignored`);
  const compression = props.compression ?? 'none';
  if (compression !== 'none' && compression !== 'gzip') throw new Error(`${where}: unknown compression "${compression}" (known: none, gzip)`);
  const options: OtlpOptions = {
    url: props.endpoint ?? undefined,
    headers: mergeHeadersConfig(props.headers, props.headers_list),
    timeoutMillis: props.timeout ?? undefined,
    compression: compression as OtlpOptions['compression'],
  };
  const encoding = props.encoding ?? 'protobuf';
  if (encoding === 'json') return new OtlpJsonTraceExporter(options);
  if (encoding === 'protobuf') return new OtlpProtoTraceExporter(options);
  throw new Error(`${where}: unknown encoding "${String(encoding)}" (known: protobuf, json)`);
}

function exporterFor(entry: ProcessorEntry, where: string): SpanExporter {
  switch (entry.exporter) {
    case 'otlp_http':
      return otlpHttpExporter(entry.exporterProps, where);
    case 'console':
      return new ConsoleSpanExporter();
    default:
      throw new Error(`${where}: unsupported exporter "${entry.exporter}" (supported: ${FILE_EXPORTERS.join(', ')})`);
  }
}

/** Builds one entry's processor; none when it is Segment's and telemetry is off. */
export function processorFromEntry(entry: ProcessorEntry, env: Env, argv: readonly string[]): SpanProcessor | undefined {
  if (entry.kind !== 'batch' && entry.kind !== 'simple') {
    throw new Error(`${entry.where}: unsupported processor "${entry.kind}" (supported: batch, simple)`);
  }
  const where = `${entry.where}.exporter.${entry.exporter}`;
  if (entry.exporter !== 'segment') {
    const exporter = exporterFor(entry, where);
    return entry.kind === 'batch' ? new BatchSpanProcessor(exporter, batching(entry.props)) : new SimpleSpanProcessor(exporter);
  }
  const options = segmentOptionsFromConfig(entry.exporterProps, where);
  const optOut = optOutSource(env, argv, options.disabled === true);
  if (optOut !== undefined) {
    log.debug(`telemetry is off (${optOut}): the Segment exporter of ${entry.where} is not started`);
    return undefined;
  }
  try {
    if (entry.kind === 'simple') return new SimpleSpanProcessor(new SegmentSpanExporter(options, { env, argv }));
    return createSegmentSpanProcessor({ ...options, batching: batching(entry.props) }, { env, argv });
  } catch (error) {
    // The exporter names its options in camelCase; the file names them in snake_case.
    let problem = error instanceof Error ? error.message : String(error);
    for (const [key, name] of Object.entries(SEGMENT_OPTIONS)) problem = problem.replace(new RegExp(`\\b${name}\\b`), key);
    throw new Error(`${where}: ${problem}`);
  }
}
