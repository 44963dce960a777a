/**
 * Configuration resolved in one place: options > environment > defaults. Opt-outs are additive: any one source
 * turns telemetry off and no other source turns it back on. Functions take the environment as an argument so
 * tests pass plain objects.
 */
import { DEFAULT_WRITE_KEY, DEFAULTS } from './defaults.js';
import { log } from '../util/log.js';
import type { SegmentExporterOptions, SettingsSources, SqlDialect } from './types.js';

/** The process environment as a plain record. */
export type Env = Readonly<Record<string, string | undefined>>;

/** What decided that telemetry is off. */
export type OptOutSource = '--disable-telemetry' | 'DISABLE_TELEMETRY' | 'DO_NOT_TRACK' | 'OTEL_SDK_DISABLED' | 'option';

/** Where the write key came from (never the key itself). */
export type WriteKeySource = 'option' | 'env' | 'default' | 'none';

/**
 * What the exporter does with Track messages:
 * `segment` sends them, `debug` prints them, `disabled` (opted out) and `no_key` (no write key) drop them.
 */
export type Mode = 'segment' | 'debug' | 'disabled' | 'no_key';

/** Fully resolved configuration of one exporter. */
export interface Settings {
  mode: Mode;
  optOut: OptOutSource | undefined;
  writeKey: string;
  writeKeySource: WriteKeySource;
  host: string;
  hostSource: 'option' | 'env' | 'default';
  userId: string | undefined;
  dialect: SqlDialect | undefined;
  shutdownTimeoutMillis: number;
  maxPendingEvents: number;
  flushAt: number;
  flushIntervalMillis: number;
  httpRequestTimeoutMillis: number;
  maxRetries: number;
}

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'on']);
const FALSE_WORDS = new Set(['', '0', 'false', 'no', 'off']);

/**
 * Reads a boolean variable: "1"/"true"/"yes"/"on" are true, "0"/"false"/"no"/"off"/"" and unset are false.
 * Any other value is warned about and gets `whenUnrecognised`.
 */
export function envFlag(env: Env, name: string, whenUnrecognised: boolean): boolean {
  const raw = env[name];
  if (raw === undefined) return false;
  const value = raw.trim().toLowerCase();
  if (TRUE_WORDS.has(value)) return true;
  if (FALSE_WORDS.has(value)) return false;
  log.warn(`${name} has an unrecognised value; treating it as ${String(whenUnrecognised)}`);
  return whenUnrecognised;
}

/**
 * The first source that opts out of telemetry, or undefined when telemetry is on. Unrecognised values of
 * DISABLE_TELEMETRY and DO_NOT_TRACK opt out (the user meant something); OTEL_SDK_DISABLED follows the
 * OpenTelemetry specification, where only "true" disables.
 */
export function optOutSource(env: Env, argv: readonly string[], optionDisabled = false): OptOutSource | undefined {
  if (argv.includes('--disable-telemetry')) return '--disable-telemetry';
  if (envFlag(env, 'DISABLE_TELEMETRY', true)) return 'DISABLE_TELEMETRY';
  if (envFlag(env, 'DO_NOT_TRACK', true)) return 'DO_NOT_TRACK';
  if (env['OTEL_SDK_DISABLED']?.trim().toLowerCase() === 'true') return 'OTEL_SDK_DISABLED';
  if (optionDisabled) return 'option';
  return undefined;
}

/** True when debug mode is on (option or RS_TELEMETRY_DEBUG). */
export function debugMode(env: Env, optionDebug = false): boolean {
  return envFlag(env, 'RS_TELEMETRY_DEBUG', false) || optionDebug;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function resolveWriteKey(option: string | undefined, env: Env): { key: string; source: WriteKeySource } {
  if (option !== undefined) {
    if (typeof option !== 'string') throw new TypeError('writeKey must be a string');
    if (nonEmpty(option) !== undefined) return { key: option.trim(), source: 'option' };
  }
  const fromEnv = nonEmpty(env['RS_SEGMENT_WRITE_KEY']);
  if (fromEnv !== undefined) return { key: fromEnv, source: 'env' };
  if (DEFAULT_WRITE_KEY !== '') return { key: DEFAULT_WRITE_KEY, source: 'default' };
  return { key: '', source: 'none' };
}

/** Normalises a host URL (no trailing slash); undefined when it is not an http(s) URL. */
export function parseHost(value: string): string | undefined {
  try {
    const url = new URL(value.trim());
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') return undefined;
    return url.href.replace(/\/+$/, '');
  } catch {
    return undefined;
  }
}

/** True when the URL's host is a loopback address. */
export function isLoopback(host: string): boolean {
  const hostname = new URL(host).hostname;
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

function resolveHost(option: string | undefined, env: Env): { host: string; source: Settings['hostSource'] } {
  if (option !== undefined) {
    const host = typeof option === 'string' ? parseHost(option) : undefined;
    if (host === undefined) throw new TypeError('host must be an http(s) URL without query, fragment or credentials');
    return { host, source: 'option' };
  }
  const raw = nonEmpty(env['RS_SEGMENT_HOST']);
  if (raw !== undefined) {
    const host = parseHost(raw);
    if (host !== undefined) return { host, source: 'env' };
    log.warn(`RS_SEGMENT_HOST is not an http(s) URL; using ${DEFAULTS.host}`);
  }
  return { host: DEFAULTS.host, source: 'default' };
}

function positiveInt(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new TypeError(`${name} must be a positive integer`);
  }
  return value;
}

function nonNegativeInt(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new TypeError(`${name} must be a non-negative integer`);
  }
  return value;
}

function resolveDialect(option: SqlDialect | undefined): SqlDialect | undefined {
  if (option === undefined || option === 'mysql' || option === 'postgres') return option;
  throw new TypeError("dialect must be 'mysql' or 'postgres'");
}

function resolveMode(optOut: OptOutSource | undefined, debug: boolean, writeKeySource: WriteKeySource): Mode {
  if (optOut !== undefined) return 'disabled';
  if (debug) return 'debug';
  return writeKeySource === 'none' ? 'no_key' : 'segment';
}

/**
 * Resolves the exporter's configuration. A bad option throws a TypeError; a bad environment value is warned
 * about and ignored.
 */
export function resolveSettings(options: SegmentExporterOptions = {}, sources: SettingsSources = {}): Settings {
  const env = sources.env ?? process.env;
  const argv = sources.argv ?? process.argv;
  const optOut = optOutSource(env, argv, options.disabled === true);
  const { key, source } = resolveWriteKey(options.writeKey, env);
  const { host, source: hostSource } = resolveHost(options.host, env);
  if (host.startsWith('http:') && !isLoopback(host)) {
    log.warn(`Segment host ${host} is plain http: telemetry will cross the network unencrypted`);
  }
  if (options.userId !== undefined && typeof options.userId !== 'string') throw new TypeError('userId must be a string');
  return {
    mode: resolveMode(optOut, debugMode(env, options.debug === true), source),
    optOut,
    writeKey: key,
    writeKeySource: source,
    host,
    hostSource,
    userId: nonEmpty(options.userId) ?? nonEmpty(env['RS_API_KEY']),
    dialect: resolveDialect(options.dialect),
    shutdownTimeoutMillis: positiveInt('shutdownTimeoutMillis', options.shutdownTimeoutMillis, DEFAULTS.shutdownTimeoutMillis),
    maxPendingEvents: positiveInt('maxPendingEvents', options.maxPendingEvents, DEFAULTS.maxPendingEvents),
    flushAt: positiveInt('flushAt', options.flushAt, DEFAULTS.flushAt),
    flushIntervalMillis: positiveInt('flushIntervalMillis', options.flushIntervalMillis, DEFAULTS.flushIntervalMillis),
    httpRequestTimeoutMillis: positiveInt('httpRequestTimeoutMillis', options.httpRequestTimeoutMillis, DEFAULTS.httpRequestTimeoutMillis),
    maxRetries: nonNegativeInt('maxRetries', options.maxRetries, DEFAULTS.maxRetries),
  };
}
