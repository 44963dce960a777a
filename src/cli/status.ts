/** `otel-segment-bridge status`: whether telemetry is on, where it goes, and what it may contain. */
import { userConfigPath } from '../util/user-config.js';
import { STATUS_EXIT_CODES, telemetryStatus } from '../wiring/status.js';
import type { StatusSource, TelemetryStatus } from '../wiring/status.js';
import type { Env } from '../exporter/settings.js';
import { parseArgs, UsageError } from './args.js';

export const STATUS_HELP = `Usage: otel-segment-bridge status [--json] [--disable-telemetry]

Shows what the bridge would do in this environment, from the same plan the register entry starts from:
whether telemetry is on or off and which flag, variable or setting decided it; the URL Track calls would be
posted to; where the write key comes from (option, env, default, file or none; the key itself is never
shown); whether a userId (RS_API_KEY) is set; the exporters OTEL_TRACES_EXPORTER or OTEL_CONFIG_FILE would
start; every problem to fix; the events and properties that may be sent.

  --json               print the status as JSON
  --disable-telemetry  show the status of a program started with that flag
  -h, --help           show this help

Exit status: 0 telemetry would be sent as shown; 1 it is off (an opt-out, or no Segment exporter chosen);
2 usage error; 3 misconfigured (see the problems listed).`;

const OPT_OUTS = '--disable-telemetry, DISABLE_TELEMETRY, DO_NOT_TRACK, OTEL_SDK_DISABLED, otel-segment-bridge disable';

const DELIVERY: Record<TelemetryStatus['delivery'], string> = {
  segment: 'Track calls are sent to Segment',
  debug: 'Track payloads are printed on stderr instead of sent (RS_TELEMETRY_DEBUG)',
  no_key: 'events are recorded but NOT sent: no write key',
  invalid_host: 'events are recorded but NOT sent: the host is unusable',
  disabled: 'nothing is sent (opted out)',
  none: 'nothing is sent: no Segment exporter would start',
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
function formatStatus(status: TelemetryStatus, settingPath: string): string {
  const { exporters } = status;
  const decided =
    status.decidedBy === 'default' ? `no opt-out is set; checked ${OPT_OUTS}` : `turned off by ${status.decidedBy}`;
  const keySource = status.writeKeySource === 'env' ? 'from RS_SEGMENT_WRITE_KEY' : SOURCE[status.writeKeySource];
  const from = FROM[exporters.from] + (exporters.file ?? '');
  const url = status.batchUrl === '' ? `${status.host} (unusable)` : status.batchUrl;
  return [
    `Telemetry:     ${status.telemetry} (${decided})`,
    `Delivery:      ${DELIVERY[status.delivery]}`,
    `Posts to:      ${url} (host ${SOURCE[status.hostSource]})`,
    `Write key:     ${keySource} (never shown)`,
    `User id:       ${status.userIdSet ? 'set' : 'not set'}`,
    'Anonymous id:  a new random UUID for each process (not stored anywhere)',
    `Exporters:     ${exporters.started.length === 0 ? 'none' : exporters.started.join(', ')} (${from})`,
    ...exporters.off.map((line) => `  - ${line}`),
    ...status.problems.map((problem) => `  ! ${problem}`),
    `Opt out:       otel-segment-bridge disable (writes ${settingPath}), or DO_NOT_TRACK=1`,
    '',
    `Events that may be sent (${status.events.length}):`,
    ...column(status.events.map(({ name, description }) => [name, description])),
    '',
    `Properties they may carry (${status.properties.length}):`,
    ...column(
      status.properties.map(({ name, values }) => [name, values === undefined ? 'string' : values.join(' | ')]),
    ),
  ].join('\n');
}

/** Runs the command; `env` and `argv` are where the status is read from. Exits 0, 1 or 3 (see the help). */
export function runStatus(
  args: readonly string[],
  out: (line: string) => void,
  env: Env = process.env,
  argv: readonly string[] = process.argv,
): number {
  const { flags, positional } = parseArgs(args, [], ['json', 'help', 'disable-telemetry']);
  if (positional.length > 0) throw new UsageError(`unexpected argument "${positional[0] ?? ''}"`);
  if (flags.has('help')) {
    out(STATUS_HELP);
    return 0;
  }
  const status = telemetryStatus(env, flags.has('disable-telemetry') ? [...argv, '--disable-telemetry'] : argv);
  const settingPath = userConfigPath(env);
  out(flags.has('json') ? JSON.stringify({ ...status, settingPath }, null, 2) : formatStatus(status, settingPath));
  return STATUS_EXIT_CODES[status.verdict];
}
