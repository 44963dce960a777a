/**
 * What the bridge would do in this environment, for `otel-segment-bridge status`: it describes the very plan the
 * register entry builds from (plan.ts, through bootstrap's planOf), plus the Segment settings that plan's
 * exporter would resolve. Pure apart from reading OTEL_CONFIG_FILE's file; tests pass plain objects.
 */
import { EVENT_DESCRIPTIONS, PROPERTY_SPECS, TELEMETRY_EVENTS } from '../catalogue/index.js';
import { resolveSettings } from '../exporter/settings.js';
import type { Env, Mode, OptOutSource } from '../exporter/settings.js';
import type { SegmentExporterOptions } from '../exporter/types.js';
import { planOf } from './bootstrap.js';
import type { ExporterPlan, Plan } from './plan.js';

/** Where a setting came from; `file` is the OTEL_CONFIG_FILE's segment entry. */
export type StatusSource = 'option' | 'env' | 'default' | 'none' | 'file';

/** The verdict, and the exit code `status` ends with. */
export type StatusVerdict = 'sending' | 'off' | 'misconfigured';

/** Exit codes of `otel-segment-bridge status`. */
export const STATUS_EXIT_CODES: Readonly<Record<StatusVerdict, number>> = { sending: 0, off: 1, misconfigured: 3 };

export interface TelemetryStatus {
  /** sending: Track calls would go to Segment as described; off: by an opt-out or by choice; misconfigured: fix `problems`. */
  verdict: StatusVerdict;
  telemetry: 'on' | 'off';
  /** The flag or variable that turned telemetry off, or `default` when none did. */
  decidedBy: OptOutSource | 'default';
  /** What the Segment exporter would do with Track messages; `none` when no Segment exporter would start. */
  delivery: Mode | 'none';
  /** The host as configured, and the URL batches would be posted to (empty when the host is unusable). */
  host: string;
  batchUrl: string;
  hostSource: StatusSource;
  /** Where the write key comes from; the key itself is never reported. */
  writeKeySource: StatusSource;
  userIdSet: boolean;
  exporters: {
    from: Plan['source'];
    file: string | undefined;
    /** Exporters that would start, e.g. `segment`, `otlp (http/protobuf → http://…/v1/traces)`. */
    started: string[];
    /** Exporters named but not started by design, and why. */
    off: string[];
  };
  /** Everything to fix; non-empty means `misconfigured`. */
  problems: string[];
  events: { name: string; description: string }[];
  properties: { name: string; values: readonly string[] | undefined }[];
}

function describe(entry: ExporterPlan): string {
  if (entry.kind === 'otlp')
    return `otlp (${entry.encoding === 'json' ? 'http/json' : 'http/protobuf'} → ${entry.target})`;
  return entry.kind;
}

function segmentOptions(plan: Plan): SegmentExporterOptions | undefined {
  const entry = plan.exporters.find((e) => e.kind === 'segment');
  return entry?.kind === 'segment' ? entry.options : undefined;
}

/** The bridge's status in this environment. */
export function telemetryStatus(env: Env, argv: readonly string[]): TelemetryStatus {
  const plan = planOf(env, argv);
  const problems = [...plan.problems];
  const options = segmentOptions(plan);
  const fromFile = plan.source === 'OTEL_CONFIG_FILE' && options !== undefined;
  let settings;
  let segmentBuilds = true;
  try {
    settings = resolveSettings(options ?? {}, { env, argv });
  } catch (error) {
    // As the register entry does: this Segment exporter does not start; the others do.
    problems.push(`segment: ${error instanceof Error ? error.message : String(error)}`);
    settings = resolveSettings({}, { env, argv });
    segmentBuilds = false;
  }
  const segmentStarts = options !== undefined && !plan.sdkDisabled && segmentBuilds;
  const optOut = plan.sdkDisabled
    ? (plan.optOut ?? 'OTEL_SDK_DISABLED')
    : (plan.segmentOff ?? settings.optOut ?? plan.optOut);
  if (segmentStarts && settings.mode === 'no_key') problems.push('no Segment write key: set RS_SEGMENT_WRITE_KEY');
  if (segmentStarts && settings.hostProblem !== undefined) problems.push(settings.hostProblem);
  const delivery = segmentStarts
    ? settings.mode
    : plan.segmentOff !== undefined && !plan.sdkDisabled
      ? 'disabled'
      : 'none';
  const verdict: StatusVerdict = problems.length > 0 ? 'misconfigured' : delivery === 'segment' ? 'sending' : 'off';
  const source = (s: StatusSource): StatusSource => (fromFile && s === 'option' ? 'file' : s);
  const started = plan.sdkDisabled
    ? []
    : plan.exporters.filter((e) => e.kind !== 'segment' || segmentBuilds).map(describe);
  const off = plan.sdkDisabled ? ['the OpenTelemetry SDK is disabled: no exporter starts', ...plan.off] : plan.off;
  return {
    verdict,
    telemetry: optOut === undefined && delivery !== 'none' ? 'on' : 'off',
    decidedBy: optOut ?? 'default',
    delivery,
    host: settings.host,
    batchUrl: settings.batchUrl,
    hostSource: source(settings.hostSource),
    writeKeySource: source(settings.writeKeySource),
    userIdSet: settings.userId !== undefined,
    exporters: { from: plan.source, file: plan.file, started, off },
    problems,
    events: TELEMETRY_EVENTS.map((name) => ({ name, description: EVENT_DESCRIPTIONS[name] })),
    properties: Object.entries(PROPERTY_SPECS).map(([name, spec]) => ({
      name,
      values: 'enum' in spec ? spec.enum : undefined,
    })),
  };
}
