/**
 * OTEL_TRACES_EXPORTER → span processors: a comma list of `segment` (the default when unset), `otlp`,
 * `console` and `none`. Opting out of telemetry leaves out Segment only; the other exporters keep working.
 */
import { OTLPTraceExporter as OtlpJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { BatchSpanProcessor, ConsoleSpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { log } from '../util/log.js';
import { createSegmentSpanProcessor } from '../exporter/processor.js';
import { optOutSource } from '../exporter/settings.js';
import type { Env } from '../exporter/settings.js';

/** The exporters OTEL_TRACES_EXPORTER may name (besides `none`). */
export type EnvExporter = 'segment' | 'otlp' | 'console';

const ENV_EXPORTERS: readonly string[] = ['segment', 'otlp', 'console'];
const OTLP_PROTOCOLS: readonly string[] = ['http/protobuf', 'http/json'];

/** What OTEL_TRACES_EXPORTER and OTEL_EXPORTER_OTLP_* ask for. */
export interface ExporterChoice {
  /** Exporters to start, in the order named. */
  exporters: EnvExporter[];
  /** The OTLP protocol and endpoint, when `otlp` is among the exporters. */
  otlp: { protocol: string; endpoint: string } | undefined;
  /** Names and values that were ignored, as messages for the user. */
  problems: string[];
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

/** The OTLP traces protocol: OTEL_EXPORTER_OTLP_TRACES_PROTOCOL, else OTEL_EXPORTER_OTLP_PROTOCOL, else http/protobuf. */
export function otlpProtocol(env: Env): string {
  return nonEmpty(env['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL']) ?? nonEmpty(env['OTEL_EXPORTER_OTLP_PROTOCOL']) ?? 'http/protobuf';
}

/** Where OTLP traces go, as the OTLP exporters work it out from the same variables. */
export function otlpTracesEndpoint(env: Env): string {
  const traces = nonEmpty(env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']);
  if (traces !== undefined) return traces;
  const base = nonEmpty(env['OTEL_EXPORTER_OTLP_ENDPOINT']) ?? 'http://localhost:4318';
  return base.replace(/\/+$/, '') + '/v1/traces';
}

/** Reads OTEL_TRACES_EXPORTER (unset or blank means `segment`); pure, so status can show the same choice. */
export function chooseExporters(env: Env): ExporterChoice {
  const names = [...new Set((env['OTEL_TRACES_EXPORTER'] ?? '').split(',').map((name) => name.trim().toLowerCase()))].filter((name) => name !== '');
  const problems: string[] = [];
  if (names.includes('none')) {
    if (names.length > 1) problems.push(`OTEL_TRACES_EXPORTER names "none" beside other exporters; starting none`);
    return { exporters: [], otlp: undefined, problems };
  }
  let exporters = names.length === 0 ? ['segment' as const] : (names.filter((name) => ENV_EXPORTERS.includes(name)) as EnvExporter[]);
  for (const name of names.filter((name) => !ENV_EXPORTERS.includes(name))) {
    problems.push(`OTEL_TRACES_EXPORTER: "${name}" is not supported (supported: segment, otlp, console, none); ignored`);
  }
  const protocol = otlpProtocol(env);
  if (exporters.includes('otlp') && !OTLP_PROTOCOLS.includes(protocol)) {
    problems.push(`OTLP protocol "${protocol}" is not supported (supported: http/protobuf, http/json); the otlp exporter is not started`);
    exporters = exporters.filter((name) => name !== 'otlp');
  }
  const otlp = exporters.includes('otlp') ? { protocol, endpoint: otlpTracesEndpoint(env) } : undefined;
  return { exporters, otlp, problems };
}

function processorsFor(name: EnvExporter, env: Env, argv: readonly string[]): SpanProcessor[] {
  switch (name) {
    case 'segment': {
      const optOut = optOutSource(env, argv);
      if (optOut === undefined) return [createSegmentSpanProcessor({}, { env, argv })];
      log.debug(`telemetry is off (${optOut}): the Segment exporter is not started`);
      return [];
    }
    case 'otlp': {
      // Both exporters read OTEL_EXPORTER_OTLP_* (endpoint, headers, timeout, compression) themselves.
      const exporter = otlpProtocol(env) === 'http/json' ? new OtlpJsonTraceExporter() : new OtlpProtoTraceExporter();
      return [new BatchSpanProcessor(exporter)];
    }
    case 'console':
      return [new SimpleSpanProcessor(new ConsoleSpanExporter())];
  }
}

/** The span processors OTEL_TRACES_EXPORTER asks for; what it names but cannot start is warned about. */
export function spanProcessorsFromEnv(env: Env, argv: readonly string[]): SpanProcessor[] {
  const { exporters, problems } = chooseExporters(env);
  for (const problem of problems) log.warn(problem);
  return exporters.flatMap((name) => processorsFor(name, env, argv));
}
