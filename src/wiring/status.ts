/**
 * What the bridge would do in this environment, for `otel-segment-bridge status`: a pure function of the
 * environment and argv (it reads OTEL_CONFIG_FILE's file, nothing else), so tests pass plain objects.
 */
import { EVENT_DESCRIPTIONS, PROPERTY_SPECS, TELEMETRY_EVENTS } from '../catalogue/index.js';
import { readYaml } from './config-file.js';
import { FILE_EXPORTERS, processorEntries, segmentOptionsFromConfig } from './config-processors.js';
import type { ProcessorEntry } from './config-processors.js';
import { chooseExporters } from './exporters-from-env.js';
import { processAnonymousId } from '../exporter/identity.js';
import { optOutSource, resolveSettings } from '../exporter/settings.js';
import type { Env, Mode, OptOutSource } from '../exporter/settings.js';
import type { SegmentExporterOptions } from '../exporter/types.js';

/** Where a setting came from; `file` is the OTEL_CONFIG_FILE's segment entry. */
export type StatusSource = 'option' | 'env' | 'default' | 'none' | 'file';

export interface TelemetryStatus {
  telemetry: 'on' | 'off';
  /** The flag or variable that turned telemetry off, or `default` when none did. */
  decidedBy: OptOutSource | 'default';
  /** What happens to Track messages: sent, printed (debug), dropped for want of a write key, or off. */
  delivery: Mode;
  host: string;
  hostSource: StatusSource;
  /** Where the write key comes from; the key itself is never reported. */
  writeKeySource: StatusSource;
  userIdSet: boolean;
  /** This process's anonymousId (each process has its own). */
  anonymousId: string;
  exporters: {
    from: 'OTEL_TRACES_EXPORTER' | 'OTEL_CONFIG_FILE' | 'default';
    file: string | undefined;
    /** Exporters that would start, e.g. `segment`, `otlp (http/protobuf → http://…/v1/traces)`. */
    started: string[];
    /** Exporters named but left out, and why. */
    problems: string[];
  };
  events: { name: string; description: string }[];
  properties: { name: string; values: readonly string[] | undefined }[];
}

// Mirrors the configuration spec's ${VAR} / ${VAR:-default} for display; starting the SDK uses the real one.
function substitute(props: Record<string, unknown>, env: Env): Record<string, unknown> {
  const one = (value: unknown): unknown =>
    typeof value !== 'string'
      ? value
      : value.replace(/\$\{(?:env:)?([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_all, name: string, fallback?: string) => {
          const found = env[name];
          return found !== undefined && found !== '' ? found : (fallback ?? '');
        });
  return Object.fromEntries(Object.entries(props).map(([key, value]) => [key, one(value)]));
}

interface ExporterPlan {
  exporters: TelemetryStatus['exporters'];
  /** The options of the file's segment entry, when there is one. */
  fileOptions: SegmentExporterOptions | undefined;
}

function describe(entry: ProcessorEntry, env: Env): string {
  if (entry.exporter !== 'otlp_http') return entry.exporter;
  const props = substitute(entry.exporterProps, env);
  const endpoint = typeof props['endpoint'] === 'string' ? props['endpoint'] : 'the OTEL_EXPORTER_OTLP_* endpoint';
  return `otlp_http (${typeof props['encoding'] === 'string' ? props['encoding'] : 'protobuf'} → ${endpoint})`;
}

function planFromFile(path: string, env: Env): ExporterPlan {
  const exporters = { from: 'OTEL_CONFIG_FILE' as const, file: path, started: [] as string[], problems: [] as string[] };
  let fileOptions: SegmentExporterOptions | undefined;
  try {
    const model = readYaml(path) as { disabled?: unknown; tracer_provider?: { processors?: [] } } | null;
    for (const entry of processorEntries(model?.tracer_provider?.processors ?? [])) {
      if (entry.kind !== 'batch' && entry.kind !== 'simple') exporters.problems.push(`${entry.where}: unsupported processor "${entry.kind}"`);
      if (!FILE_EXPORTERS.includes(entry.exporter)) exporters.problems.push(`${entry.where}: unsupported exporter "${entry.exporter}"`);
      if (entry.exporter === 'segment') fileOptions = segmentOptionsFromConfig(substitute(entry.exporterProps, env), entry.where);
      exporters.started.push(describe(entry, env));
    }
    if (model?.disabled === true) exporters.problems.push('the file says disabled: true');
  } catch (error) {
    exporters.problems.push(error instanceof Error ? error.message : String(error));
  }
  // The register entry refuses a file with any problem as a whole.
  if (exporters.problems.length > 0) exporters.started = [];
  return { exporters, fileOptions };
}

function planFromEnv(env: Env): ExporterPlan {
  const choice = chooseExporters(env);
  const started = choice.exporters.map((name) =>
    name === 'otlp' && choice.otlp !== undefined ? `otlp (${choice.otlp.protocol} → ${choice.otlp.endpoint})` : name,
  );
  const from = env['OTEL_TRACES_EXPORTER'] === undefined ? 'default' : 'OTEL_TRACES_EXPORTER';
  return { exporters: { from, file: undefined, started, problems: choice.problems }, fileOptions: undefined };
}

/** The bridge's status in this environment. */
export function telemetryStatus(env: Env, argv: readonly string[]): TelemetryStatus {
  const path = env['OTEL_CONFIG_FILE'];
  const plan = path !== undefined && path.trim() !== '' ? planFromFile(path, env) : planFromEnv(env);
  const optOut = optOutSource(env, argv, plan.fileOptions?.disabled === true);
  if (optOut !== undefined) plan.exporters.started = plan.exporters.started.map((name) => (name === 'segment' ? `segment (off: ${optOut})` : name));
  let settings;
  try {
    settings = resolveSettings(plan.fileOptions ?? {}, { env, argv });
  } catch (error) {
    plan.exporters.problems.push(`segment: ${error instanceof Error ? error.message : String(error)}`);
    if (plan.fileOptions !== undefined) plan.exporters.started = [];
    settings = resolveSettings({}, { env, argv });
  }
  const fileSource = (source: StatusSource): StatusSource => (plan.fileOptions !== undefined && source === 'option' ? 'file' : source);
  return {
    telemetry: optOut === undefined ? 'on' : 'off',
    decidedBy: optOut ?? 'default',
    delivery: settings.mode,
    host: settings.host,
    hostSource: fileSource(settings.hostSource),
    writeKeySource: fileSource(settings.writeKeySource),
    userIdSet: settings.userId !== undefined,
    anonymousId: processAnonymousId(),
    exporters: plan.exporters,
    events: TELEMETRY_EVENTS.map((name) => ({ name, description: EVENT_DESCRIPTIONS[name] })),
    properties: Object.entries(PROPERTY_SPECS).map(([name, spec]) => ({ name, values: 'enum' in spec ? spec.enum : undefined })),
  };
}
