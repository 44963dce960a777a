/**
 * The per-user setting written by `otel-segment-bridge disable` and removed by `enable`: a JSON file
 * `{"disableTelemetry": true}` in the user's config directory ($XDG_CONFIG_HOME/otel-segment-bridge/config.json,
 * else ~/.config/otel-segment-bridge/config.json; %APPDATA%\otel-segment-bridge\config.json on Windows).
 *
 * Fail-safe: a file that exists but cannot be read or parsed, or whose disableTelemetry is not a boolean, counts
 * as an opt-out (the user wrote something there), with one warning that names the file.
 */
import { mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { once } from './log.js';

/** The process environment as a plain record (the same shape as the exporter's Env). */
type Env = Readonly<Record<string, string | undefined>>;

const DIRECTORY = 'otel-segment-bridge';
const FILE = 'config.json';
const KEY = 'disableTelemetry';
/** A config file larger than this is not ours to parse: it counts as corrupt. */
const MAX_FILE_BYTES = 64 * 1024;

/** Where the per-user config file lives for `env` (it may not exist). */
export function userConfigPath(env: Env, platform: NodeJS.Platform = process.platform): string {
  const xdg = env['XDG_CONFIG_HOME']?.trim();
  // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  if (xdg !== undefined && xdg !== '' && isAbsolute(xdg)) return join(xdg, DIRECTORY, FILE);
  const appData = env['APPDATA']?.trim();
  if (platform === 'win32' && appData !== undefined && appData !== '') return join(appData, DIRECTORY, FILE);
  const home = env['HOME']?.trim() || env['USERPROFILE']?.trim() || homedir();
  return join(home, '.config', DIRECTORY, FILE);
}

type ReadResult =
  { kind: 'absent' } | { kind: 'ok'; config: Record<string, unknown> } | { kind: 'corrupt'; reason: string };

function readConfig(path: string): ReadResult {
  let text: string;
  try {
    if (statSync(path).size > MAX_FILE_BYTES) return { kind: 'corrupt', reason: `larger than ${MAX_FILE_BYTES} bytes` };
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'absent' };
    return { kind: 'corrupt', reason: `unreadable (${code ?? String(error)})` };
  }
  try {
    const config: unknown = JSON.parse(text);
    if (typeof config !== 'object' || config === null || Array.isArray(config))
      return { kind: 'corrupt', reason: 'not a JSON object' };
    return { kind: 'ok', config: config as Record<string, unknown> };
  } catch {
    return { kind: 'corrupt', reason: 'not valid JSON' };
  }
}

/** True when the user ran `otel-segment-bridge disable` (or the file is there but unusable). Never throws. */
export function readPersistentOptOut(env: Env): boolean {
  let path: string;
  try {
    path = userConfigPath(env);
  } catch {
    return false; // no home directory at all: nowhere a setting could have been written
  }
  const result = readConfig(path);
  if (result.kind === 'absent') return false;
  if (result.kind === 'ok') {
    const value = result.config[KEY];
    if (value === undefined || typeof value === 'boolean') return value === true;
    once('warn', `user-config:${path}`, `${path}: ${KEY} is not true or false; treating telemetry as disabled`);
    return true;
  }
  once(
    'warn',
    `user-config:${path}`,
    `${path} is ${result.reason}; treating telemetry as disabled (delete the file to reset)`,
  );
  return true;
}

/**
 * Writes (`disabled` true) or removes (false) the per-user opt-out. Other keys of the file are kept; a file
 * left empty, or one that was unusable, is deleted on removal. Throws when the file cannot be written.
 */
export function writePersistentOptOut(env: Env, disabled: boolean): void {
  const path = userConfigPath(env);
  const current = readConfig(path);
  const config: Record<string, unknown> = current.kind === 'ok' ? { ...current.config } : {};
  if (disabled) {
    config[KEY] = true;
  } else {
    if (current.kind === 'absent') return;
    delete config[KEY];
    if (Object.keys(config).length === 0) {
      unlinkSync(path);
      return;
    }
  }
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  // Write then rename, so a reader never sees half a file.
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(config, null, 2) + '\n', { mode: 0o600 });
  renameSync(temporary, path);
}
