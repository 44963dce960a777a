/**
 * The wiring plan: what the register entry starts, as a pure function of the environment (OTEL_TRACES_EXPORTER,
 * OTEL_EXPORTER_OTLP_*, the opt-outs) or of a validated declarative configuration model (OTEL_CONFIG_FILE).
 * build.ts turns a plan into span processors; `status` describes the same plan, so it tells the truth by
 * construction. Sources: the SDK environment variable specification
 * (https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/) and the configuration
 * file format 1.x (https://github.com/open-telemetry/opentelemetry-configuration).
 */
import type { Attributes } from '@opentelemetry/api';
import { DiagLogLevel } from '@opentelemetry/api';
import { optOutSource } from '../exporter/settings.js';
import type { Env, OptOutSource } from '../exporter/settings.js';
import type { TelemetryBatching } from '../exporter/processor.js';
import type { SegmentExporterOptions } from '../exporter/types.js';
import { didYouMean } from '../util/did-you-mean.js';

/** One span processor and its exporter that would start. */
export type ExporterPlan =
  | {
      kind: 'segment';
      processor: 'batch' | 'simple';
      options: SegmentExporterOptions;
      batching: TelemetryBatching;
      where: string;
    }
  | {
      kind: 'otlp';
      processor: 'batch' | 'simple';
      encoding: 'protobuf' | 'json';
      /** Undefined: the OTLP exporter reads OTEL_EXPORTER_OTLP_* itself. */
      endpoint: string | undefined;
      /** Where the spans go, for people. */
      target: string;
      headers?: Record<string, string> | undefined;
      timeoutMillis?: number | undefined;
      compression?: 'gzip' | 'none' | undefined;
      batching: TelemetryBatching;
      where: string;
    }
  | { kind: 'console'; processor: 'batch' | 'simple'; batching: TelemetryBatching; where: string };

/** What the register entry would do in this environment. */
export interface Plan {
  source: 'default' | 'OTEL_TRACES_EXPORTER' | 'OTEL_CONFIG_FILE';
  file: string | undefined;
  /** OTEL_SDK_DISABLED=true or `disabled: true` in the file: no SDK at all. */
  sdkDisabled: boolean;
  /** Telemetry's opt-out source, when one is set (Segment then does not start; other exporters do). */
  optOut: OptOutSource | undefined;
  /** Set when a Segment exporter was named but does not start because telemetry is off: what turned it off. */
  segmentOff: OptOutSource | undefined;
  /** Exporters that would start, in order. */
  exporters: ExporterPlan[];
  /** Exporters named but not started by design, and why (e.g. `segment: telemetry is off (DO_NOT_TRACK)`). */
  off: string[];
  /** Mistakes to fix; each is logged by the register entry and listed by `status`. */
  problems: string[];
  /** Resource attributes from the file; undefined: the SDK's detectors (OTEL_RESOURCE_ATTRIBUTES, host, process). */
  resource: Attributes | undefined;
  schemaUrl: string | undefined;
  /** The file's log_level, as a diag level. */
  logLevel: DiagLogLevel | undefined;
}

/** The exporters OTEL_TRACES_EXPORTER may name (besides `none`). */
const ENV_EXPORTERS: readonly string[] = ['segment', 'otlp', 'console'];
/** The exporters a configuration file may name. */
const FILE_EXPORTERS: readonly string[] = ['segment', 'otlp_http', 'console'];
const OTLP_PROTOCOLS: readonly string[] = ['http/protobuf', 'http/json'];

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

/** True when OTEL_SDK_DISABLED disables the SDK (the specification: only "true", any case). */
function sdkDisabledByEnv(env: Env): boolean {
  return env['OTEL_SDK_DISABLED']?.trim().toLowerCase() === 'true';
}

/** The OTLP traces protocol: OTEL_EXPORTER_OTLP_TRACES_PROTOCOL, else OTEL_EXPORTER_OTLP_PROTOCOL, else http/protobuf. */
function otlpProtocol(env: Env): string {
  return (
    nonEmpty(env['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL']) ??
    nonEmpty(env['OTEL_EXPORTER_OTLP_PROTOCOL']) ??
    'http/protobuf'
  );
}

/** Where OTLP traces go, as the OTLP exporters work it out from the same variables. */
function otlpTracesEndpoint(env: Env): string {
  const traces = nonEmpty(env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']);
  if (traces !== undefined) return traces;
  const base = nonEmpty(env['OTEL_EXPORTER_OTLP_ENDPOINT']) ?? 'http://localhost:4318';
  return base.replace(/\/+$/, '') + '/v1/traces';
}

function emptyPlan(source: Plan['source'], file: string | undefined, env: Env, argv: readonly string[]): Plan {
  return {
    source,
    file,
    sdkDisabled: sdkDisabledByEnv(env),
    optOut: optOutSource(env, argv),
    segmentOff: undefined,
    exporters: [],
    off: [],
    problems: [],
    resource: undefined,
    schemaUrl: undefined,
    logLevel: undefined,
  };
}

/** Segment's plan entry, or an `off` line when telemetry is opted out. */
function addSegment(
  plan: Plan,
  entry: Extract<ExporterPlan, { kind: 'segment' }>,
  env: Env,
  argv: readonly string[],
): void {
  const optOut = optOutSource(env, argv, entry.options.disabled === true);
  if (optOut === undefined) {
    plan.exporters.push(entry);
    return;
  }
  plan.off.push(`segment: telemetry is off (${optOut})`);
  plan.segmentOff ??= optOut;
}

/** The plan OTEL_TRACES_EXPORTER asks for: a comma list of segment (the default), otlp, console, none. */
export function planFromEnv(env: Env, argv: readonly string[]): Plan {
  const raw = env['OTEL_TRACES_EXPORTER'];
  const plan = emptyPlan(
    raw === undefined || raw.trim() === '' ? 'default' : 'OTEL_TRACES_EXPORTER',
    undefined,
    env,
    argv,
  );
  if (plan.sdkDisabled) return plan;
  const names = [...new Set((raw ?? '').split(',').map((name) => name.trim().toLowerCase()))].filter((n) => n !== '');
  if (names.includes('none')) {
    if (names.length > 1) plan.problems.push('OTEL_TRACES_EXPORTER names "none" beside other exporters; none starts');
    return plan;
  }
  for (const name of names.filter((n) => !ENV_EXPORTERS.includes(n))) {
    plan.problems.push(
      `OTEL_TRACES_EXPORTER: "${name}" is not an exporter the bridge knows${didYouMean(name, [...ENV_EXPORTERS, 'none'])}; ` +
        `known: ${ENV_EXPORTERS.join(', ')}, none`,
    );
  }
  const batching = {};
  for (const name of names.length === 0 ? ['segment'] : names) {
    const where = `OTEL_TRACES_EXPORTER ${name}`;
    if (name === 'segment')
      addSegment(plan, { kind: 'segment', processor: 'batch', options: {}, batching, where }, env, argv);
    if (name === 'console') plan.exporters.push({ kind: 'console', processor: 'simple', batching, where });
    if (name === 'otlp') {
      const protocol = otlpProtocol(env);
      if (!OTLP_PROTOCOLS.includes(protocol)) {
        plan.problems.push(
          `OTLP protocol "${protocol}" is not supported (supported: ${OTLP_PROTOCOLS.join(', ')}); otlp does not start`,
        );
        continue;
      }
      const encoding = protocol === 'http/json' ? 'json' : 'protobuf';
      plan.exporters.push({
        kind: 'otlp',
        processor: 'batch',
        encoding,
        endpoint: undefined,
        target: otlpTracesEndpoint(env),
        batching,
        where,
      });
    }
  }
  return plan;
}

/** The parts of a validated configuration model the plan reads (file format 1.x). */
export interface ConfigModelLike {
  file_format?: string | null;
  disabled?: boolean | null;
  log_level?: string | null;
  resource?: {
    attributes?: { name: string; value: unknown }[] | null;
    attributes_list?: string | null;
    schema_url?: string | null;
  } | null;
  tracer_provider?: { processors?: readonly unknown[] | null } | null;
  [key: string]: unknown;
}

const HANDLED: Record<string, readonly string[]> = {
  '': ['file_format', 'disabled', 'log_level', 'resource', 'tracer_provider'],
  'tracer_provider.': ['processors'],
  'resource.': ['attributes', 'attributes_list', 'schema_url', 'detection/development'],
};

const LOG_LEVELS: readonly [string, DiagLogLevel][] = [
  ['trace', DiagLogLevel.VERBOSE],
  ['debug', DiagLogLevel.DEBUG],
  ['info', DiagLogLevel.INFO],
  ['warn', DiagLogLevel.WARN],
  ['error', DiagLogLevel.ERROR],
  ['fatal', DiagLogLevel.ERROR],
];

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

const BATCH_OPTIONS = {
  schedule_delay: 'scheduledDelayMillis',
  max_queue_size: 'maxQueueSize',
  max_export_batch_size: 'maxExportBatchSize',
} as const satisfies Record<string, keyof TelemetryBatching>;

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

function single(value: unknown, where: string, what: string): [string, Record<string, unknown>] {
  const entries = Object.entries(record(value));
  const [first] = entries;
  if (first === undefined || entries.length !== 1) throw new Error(`${where}: a ${what} needs exactly one entry`);
  return [first[0], record(first[1])];
}

/** A `segment:` entry's snake_case options as exporter options; null values are left out. */
function segmentOptionsFromConfig(props: Record<string, unknown>, where: string): SegmentExporterOptions {
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(props)) {
    const name = (SEGMENT_OPTIONS as Record<string, string>)[key];
    if (name === undefined) {
      const known = Object.keys(SEGMENT_OPTIONS);
      throw new Error(`${where}: unknown option "${key}"${didYouMean(key, known)} (known: ${known.join(', ')})`);
    }
    if (value === null || value === undefined) continue;
    // An unquoted ${VAR} that looks like a number is substituted as one; these options are strings.
    const scalar = typeof value === 'number' || typeof value === 'boolean';
    options[name] = STRING_OPTIONS.has(name) && scalar ? String(value) : value;
  }
  return options;
}

function batchingFrom(props: Record<string, unknown>): TelemetryBatching {
  const batching: TelemetryBatching = {};
  for (const [key, name] of Object.entries(BATCH_OPTIONS)) {
    const value = props[key];
    if (typeof value === 'number') batching[name] = value;
  }
  return batching;
}

function otlpFromConfig(
  props: Record<string, unknown>,
  kind: 'batch' | 'simple',
  batching: TelemetryBatching,
  where: string,
  plan: Plan,
): void {
  const endpoint = typeof props['endpoint'] === 'string' ? props['endpoint'].trim() : '';
  if (endpoint === '') {
    // The shipped file says `endpoint: ${OTEL_EXPORTER_OTLP_TRACES_ENDPOINT:-}`: OTLP only where a collector is named.
    plan.off.push(`${where}: no endpoint (set OTEL_EXPORTER_OTLP_TRACES_ENDPOINT to turn it on)`);
    return;
  }
  if (props['tls'] !== undefined && props['tls'] !== null)
    plan.problems.push(`${where}: tls is not supported by the bridge`);
  const compression = props['compression'] ?? 'none';
  if (compression !== 'none' && compression !== 'gzip')
    throw new Error(`${where}: unknown compression ${JSON.stringify(compression)} (known: none, gzip)`);
  const encoding = props['encoding'] ?? 'protobuf';
  if (encoding !== 'protobuf' && encoding !== 'json')
    throw new Error(`${where}: unknown encoding ${JSON.stringify(encoding)} (known: protobuf, json)`);
  const headers: Record<string, string> = {};
  for (const header of Array.isArray(props['headers']) ? (props['headers'] as unknown[]) : []) {
    const { name, value } = record(header);
    if (typeof name === 'string' && typeof value === 'string') headers[name] = value;
  }
  for (const pair of typeof props['headers_list'] === 'string' ? props['headers_list'].split(',') : []) {
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq).trim();
    if (eq > 0 && headers[name] === undefined) headers[name] = pair.slice(eq + 1).trim();
  }
  plan.exporters.push({
    kind: 'otlp',
    processor: kind,
    encoding,
    endpoint,
    target: endpoint,
    headers,
    timeoutMillis: typeof props['timeout'] === 'number' ? props['timeout'] : undefined,
    compression,
    batching,
    where,
  });
}

function ignoredSections(model: ConfigModelLike): string[] {
  return Object.entries(HANDLED).flatMap(([prefix, handled]) => {
    const section: unknown = prefix === '' ? model : model[prefix.slice(0, -1)];
    if (section === null || typeof section !== 'object') return [];
    return Object.keys(section)
      .filter((key) => !handled.includes(key))
      .map((key) => prefix + key);
  });
}

/**
 * The plan a validated configuration model describes. A mistake in the file is a problem and the register
 * entry starts nothing from such a file (its error says why); sections the bridge does not build are ignored
 * with a note.
 */
export function planFromConfig(model: ConfigModelLike, file: string, env: Env, argv: readonly string[]): Plan {
  const plan = emptyPlan('OTEL_CONFIG_FILE', file, env, argv);
  // @opentelemetry/configuration has validated the file; a model that still names another format is refused too.
  const format = model.file_format === undefined || model.file_format === null ? '1' : String(model.file_format);
  if (!/^1(\.|$)/.test(format)) {
    plan.problems.push(`file_format "${format}" is not supported (supported: 1.x)`);
    return plan;
  }
  const ignored = ignoredSections(model);
  if (ignored.length > 0)
    plan.off.push(`ignoring ${ignored.join(', ')} (the bridge builds the resource and span processors only)`);
  const level = model.log_level ?? undefined;
  plan.logLevel = level === undefined ? undefined : LOG_LEVELS.find(([prefix]) => level.startsWith(prefix))?.[1];
  if (model.disabled === true) plan.sdkDisabled = true;
  if (plan.sdkDisabled) return plan;
  const attributes: Attributes = {};
  for (const { name, value } of model.resource?.attributes ?? [])
    if (value !== null && value !== undefined) attributes[name] = value as string;
  for (const pair of (model.resource?.attributes_list ?? '').split(',')) {
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq).trim();
    if (eq > 0 && attributes[name] === undefined) attributes[name] = decodeURIComponent(pair.slice(eq + 1).trim());
  }
  plan.resource = attributes;
  plan.schemaUrl = model.resource?.schema_url ?? undefined;
  (model.tracer_provider?.processors ?? []).forEach((processor, index) => {
    try {
      const [kind, props] = single(processor, `tracer_provider.processors[${index}]`, 'processor');
      const where = `tracer_provider.processors[${index}].${kind}`;
      if (kind !== 'batch' && kind !== 'simple')
        throw new Error(`${where}: unsupported processor "${kind}" (supported: batch, simple)`);
      const [exporter, exporterProps] = single(props['exporter'], `${where}.exporter`, 'exporter');
      const at = `${where}.exporter.${exporter}`;
      const batching = batchingFrom(props);
      if (exporter === 'segment') {
        const options = segmentOptionsFromConfig(exporterProps, at);
        addSegment(plan, { kind: 'segment', processor: kind, options, batching, where: at }, env, argv);
      } else if (exporter === 'otlp_http') otlpFromConfig(exporterProps, kind, batching, at, plan);
      else if (exporter === 'console') plan.exporters.push({ kind: 'console', processor: kind, batching, where: at });
      else {
        throw new Error(
          `${at}: unsupported exporter "${exporter}"${didYouMean(exporter, FILE_EXPORTERS)} (supported: ${FILE_EXPORTERS.join(', ')})`,
        );
      }
    } catch (error) {
      plan.problems.push(error instanceof Error ? error.message : String(error));
    }
  });
  // The register entry refuses a file with a mistake as a whole: nothing of it starts.
  if (plan.problems.length > 0) plan.exporters = [];
  return plan;
}
