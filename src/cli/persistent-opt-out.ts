/**
 * `otel-segment-bridge disable` and `enable`: write and remove the per-user opt-out (src/util/user-config.ts).
 * `enable` only undoes `disable`; an opt-out in the environment still applies, and it says so.
 */
import { optOutSource } from '../exporter/settings.js';
import type { Env } from '../exporter/settings.js';
import { readPersistentOptOut, userConfigPath, writePersistentOptOut } from '../util/user-config.js';
import { atMost, parseArgs } from './args.js';

export const DISABLE_HELP = `Usage: otel-segment-bridge disable

Turns telemetry off for your user account, for every program that uses otel-segment-bridge: writes
{"disableTelemetry": true} to $XDG_CONFIG_HOME/otel-segment-bridge/config.json (else
~/.config/otel-segment-bridge/config.json; %APPDATA%\\otel-segment-bridge\\config.json on Windows).
Nothing is sent to Segment while it is there. Undo with "otel-segment-bridge enable".

  -h, --help   show this help`;

export const ENABLE_HELP = `Usage: otel-segment-bridge enable

Removes the per-user opt-out written by "otel-segment-bridge disable". It does not override any other opt-out:
--disable-telemetry, DISABLE_TELEMETRY, DO_NOT_TRACK and OTEL_SDK_DISABLED still turn telemetry off.

  -h, --help   show this help`;

function parse(args: readonly string[], help: string, out: (line: string) => void): boolean {
  const { flags, positional } = parseArgs(args, [], ['help']);
  if (flags.has('help')) {
    out(help);
    return false;
  }
  atMost(positional, 0);
  return true;
}

export function runDisable(args: readonly string[], out: (line: string) => void, env: Env = process.env): number {
  if (!parse(args, DISABLE_HELP, out)) return 0;
  const path = userConfigPath(env);
  const already = readPersistentOptOut(env);
  writePersistentOptOut(env, true);
  out(
    already
      ? `Telemetry was already disabled for this user (${path}).`
      : `Telemetry disabled for this user: wrote ${path}`,
  );
  out('Undo with: otel-segment-bridge enable');
  return 0;
}

export function runEnable(args: readonly string[], out: (line: string) => void, env: Env = process.env): number {
  if (!parse(args, ENABLE_HELP, out)) return 0;
  const path = userConfigPath(env);
  const was = readPersistentOptOut(env);
  writePersistentOptOut(env, false);
  out(was ? `Removed the per-user opt-out (${path}).` : `No per-user opt-out was set (${path}).`);
  const other = optOutSource(env, []);
  if (other !== undefined) {
    out(`Telemetry stays off: ${other} is set in this environment, and enable does not override it.`);
  }
  return 0;
}
