/** `otel-segment-bridge status`: whether telemetry is on, where it goes, and what it may contain. */
import { telemetryStatus } from '../wiring/status.js';
import type { StatusSource, TelemetryStatus } from '../wiring/status.js';
import type { Env } from '../exporter/settings.js';
import { parseArgs } from './args.js';

export const STATUS_HELP = `Usage: otel-segment-bridge status [--json] [--disable-telemetry]

Shows what the bridge does in this environment: whether telemetry is on or off and which flag or variable
decided it; where events go (the host, and where the write key comes from: option, env, default, file or
none; the key itself is never shown); whether a userId (RS_API_KEY) is set; this process's anonymousId; the
exporters OTEL_TRACES_EXPORTER or OTEL_CONFIG_FILE would start; the events and properties that may be sent.

  --json               print the status as JSON
  --disable-telemetry  show the status of a program started with that flag
  --help               show this help`;

const OPT_OUTS = '--disable-telemetry, DISABLE_TELEMETRY, DO_NOT_TRACK, OTEL_SDK_DISABLED';

const DELIVERY: Record<TelemetryStatus['delivery'], string> = {
  segment: 'Track calls are sent to Segment',
  debug: 'Track payloads are printed on stderr instead of sent (RS_TELEMETRY_DEBUG)',
  no_key: 'events are recorded but not sent: no write key',
  disabled: 'nothing is sent',
};

const SOURCE: Record<StatusSource, string> = {
  option: 'from a code option',
  env: 'from the environment',
  default: 'default',
  none: 'none',
  file: 'from OTEL_CONFIG_FILE',
};

const FROM: Record<TelemetryStatus['exporters']['from'], string> = {
  default: 'default: OTEL_TRACES_EXPORTER and OTEL_CONFIG_FILE are unset',
  OTEL_TRACES_EXPORTER: 'from OTEL_TRACES_EXPORTER',
  OTEL_CONFIG_FILE: 'from OTEL_CONFIG_FILE ',
};

function column(rows: [string, string][]): string[] {
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`.trimEnd());
}

/** The status as text for people. */
export function formatStatus(status: TelemetryStatus): string {
  const { exporters } = status;
  const decided = status.decidedBy === 'default' ? `no opt-out is set; checked ${OPT_OUTS}` : `turned off by ${status.decidedBy}`;
  const keySource = status.writeKeySource === 'env' ? 'from RS_SEGMENT_WRITE_KEY' : SOURCE[status.writeKeySource];
  const from = FROM[exporters.from] + (exporters.file ?? '');
  return [
    `Telemetry:     ${status.telemetry} (${decided})`,
    `Delivery:      ${DELIVERY[status.delivery]}`,
    `Host:          ${status.host} (${SOURCE[status.hostSource]})`,
    `Write key:     ${keySource} (never shown)`,
    `User id:       ${status.userIdSet ? 'set' : 'not set'}`,
    `Anonymous id:  ${status.anonymousId} (this process; each process has its own)`,
    `Exporters:     ${exporters.started.length === 0 ? 'none' : exporters.started.join(', ')} (${from})`,
    ...exporters.problems.map((problem) => `  ! ${problem}`),
    '',
    `Events that may be sent (${status.events.length}):`,
    ...column(status.events.map(({ name, description }) => [name, description])),
    '',
    `Properties they may carry (${status.properties.length}):`,
    ...column(status.properties.map(({ name, values }) => [name, values === undefined ? 'string' : values.join(' | ')])),
  ].join('\n');
}

/** Runs the command; `env` and `argv` are where the status is read from. */
export function runStatus(args: readonly string[], out: (line: string) => void, env: Env = process.env, argv: readonly string[] = process.argv): number {
  const { flags, positional } = parseArgs(args, [], ['json', 'help', 'disable-telemetry']);
  if (positional.length > 0) throw new Error(`unexpected argument "${positional[0] ?? ''}"`);
  if (flags.has('help')) {
    out(STATUS_HELP);
    return 0;
  }
  const status = telemetryStatus(env, flags.has('disable-telemetry') ? [...argv, '--disable-telemetry'] : argv);
  out(flags.has('json') ? JSON.stringify(status, null, 2) : formatStatus(status));
  return 0;
}
