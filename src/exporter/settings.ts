/**
 * Configuration resolved in one place: options > environment > defaults. Opt-outs are additive: any one source
 * turns telemetry off and no other source turns it back on. Functions take the environment as an argument so
 * tests pass plain objects.
 */
import { log } from '../util/log.js';
import { readPersistentOptOut } from '../util/user-config.js';
import { DEFAULT_WRITE_KEY, DEFAULTS } from './defaults.js';
import type { BackendDialect, SegmentExporterOptions, SettingsSources } from './types.js';

/** The process environment as a plain record. */
export type Env = Readonly<Record<string, string | undefined>>;

/** What decided that telemetry is off. */
export type OptOutSource =
  | '--disable-telemetry'
  | 'DISABLE_TELEMETRY'
  | 'DO_NOT_TRACK'
  | 'OTEL_SDK_DISABLED'
  | 'otel-segment-bridge disable'
  | 'option';

/** Where the write key came from (never the key itself). */
export type WriteKeySource = 'option' | 'env' | 'default' | 'none';

/**
 * What the exporter does with Track messages: `segment` sends them, `debug` prints them, `disabled` (opted
 * out), `no_key` (no write key) and `invalid_host` (RS_SEGMENT_HOST unusable) drop them.
 */
export type Mode = 'segment' | 'debug' | 'disabled' | 'no_key' | 'invalid_host';

/** Fully resolved configuration of one exporter. */
export interface Settings {
  mode: Mode;
  optOut: OptOutSource | undefined;
  writeKey: string;
  writeKeySource: WriteKeySource;
  /** The Segment host as configured (normalised), or the raw value when it is unusable. */
  host: string;
  hostSource: 'option' | 'env' | 'default';
  /** Where batches are posted: `<host><path>/v1/batch`. Empty when the host is unusable. */
  batchUrl: string;
  /** Why the host is unusable, when it is. */
  hostProblem: string | undefined;
  userId: string | undefined;
  dialect: BackendDialect | undefined;
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

/** `--disable-telemetry`, or `--disable-telemetry=<value>` with a value that is not false (`=0`, `=false`, …). */
function disablesTelemetry(arg: string): boolean {
  if (arg === '--disable-telemetry') return true;
  if (!arg.startsWith('--disable-telemetry=')) return false;
  return !FALSE_WORDS.has(arg.slice('--disable-telemetry='.length).trim().toLowerCase());
}

/**
 * The first source that opts out of telemetry, or undefined when telemetry is on. Unrecognised values of
 * DISABLE_TELEMETRY and DO_NOT_TRACK opt out (the user meant something); OTEL_SDK_DISABLED follows the
 * OpenTelemetry specification, where only "true" disables.
 */
export function optOutSource(env: Env, argv: readonly string[], optionDisabled = false): OptOutSource | undefined {
  if (argv.some(disablesTelemetry)) return '--disable-telemetry';
  if (envFlag(env, 'DISABLE_TELEMETRY', true)) return 'DISABLE_TELEMETRY';
  if (envFlag(env, 'DO_NOT_TRACK', true)) return 'DO_NOT_TRACK';
  if (env['OTEL_SDK_DISABLED']?.trim().toLowerCase() === 'true') return 'OTEL_SDK_DISABLED';
  if (readPersistentOptOut(env)) return 'otel-segment-bridge disable';
  if (optionDisabled) return 'option';
  return undefined;
}

/** True when debug mode is on (option or RS_TELEMETRY_DEBUG). */
function debugMode(env: Env, optionDebug = false): boolean {
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

/** A usable Segment host, normalised, or the reason it is not usable. */
export type ParsedHost = { host: string; batchUrl: string } | { problem: string };

/**
 * Reads a Segment host: a value without a scheme means `https://<value>`; a path is kept, so batches go to
 * `<host><path>/v1/batch`. Query, fragment and credentials are refused (they would be lost or leak).
 */
export function parseHost(value: string): ParsedHost {
  const trimmed = value.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return { problem: 'not a URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { problem: `scheme ${url.protocol} is not http(s)` };
  if (url.hostname === '') return { problem: 'no host name' };
  if (url.search !== '' || url.hash !== '') return { problem: 'a query or fragment is not allowed' };
  if (url.username !== '' || url.password !== '') return { problem: 'credentials in the URL are not allowed' };
  const host = url.href.replace(/\/+$/, '');
  return { host, batchUrl: `${host}/v1/batch` };
}

/** True when the URL's host is a loopback address. */
function isLoopback(host: string): boolean {
  const hostname = new URL(host).hostname;
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

interface ResolvedHost {
  host: string;
  source: Settings['hostSource'];
  batchUrl: string;
  problem: string | undefined;
}

function resolveHost(option: string | undefined, env: Env): ResolvedHost {
  if (option !== undefined) {
    const parsed = typeof option === 'string' ? parseHost(option) : { problem: 'not a string' };
    if ('problem' in parsed) throw new TypeError(`host must be an http(s) URL (${parsed.problem})`);
    return { ...parsed, source: 'option', problem: undefined };
  }
  const raw = nonEmpty(env['RS_SEGMENT_HOST']);
  if (raw !== undefined) {
    // Never fall back to the default host: that would send the configured write key to another region.
    const parsed = parseHost(raw);
    if ('problem' in parsed)
      return { host: raw, source: 'env', batchUrl: '', problem: `RS_SEGMENT_HOST is unusable (${parsed.problem})` };
    return { ...parsed, source: 'env', problem: undefined };
  }
  return { host: DEFAULTS.host, source: 'default', batchUrl: `${DEFAULTS.host}/v1/batch`, problem: undefined };
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

function resolveDialect(option: BackendDialect | undefined): BackendDialect | undefined {
  if (option === undefined || option === 'mysql' || option === 'postgres') return option;
  throw new TypeError("dialect must be 'mysql' or 'postgres'");
}

function resolveMode(
  optOut: OptOutSource | undefined,
  debug: boolean,
  writeKeySource: WriteKeySource,
  hostProblem: string | undefined,
): Mode {
  if (optOut !== undefined) return 'disabled';
  if (debug) return 'debug';
  if (writeKeySource === 'none') return 'no_key';
  return hostProblem === undefined ? 'segment' : 'invalid_host';
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
  const { host, source: hostSource, batchUrl, problem: hostProblem } = resolveHost(options.host, env);
  if (hostProblem === undefined && host.startsWith('http:') && !isLoopback(host)) {
    log.warn(`Segment host ${host} is plain http: telemetry will cross the network unencrypted`);
  }
  if (options.userId !== undefined && typeof options.userId !== 'string')
    throw new TypeError('userId must be a string');
  return {
    mode: resolveMode(optOut, debugMode(env, options.debug === true), source, hostProblem),
    optOut,
    writeKey: key,
    writeKeySource: source,
    host,
    hostSource,
    batchUrl,
    hostProblem,
    userId: nonEmpty(options.userId) ?? nonEmpty(env['RS_API_KEY']),
    dialect: resolveDialect(options.dialect),
    shutdownTimeoutMillis: positiveInt(
      'shutdownTimeoutMillis',
      options.shutdownTimeoutMillis,
      DEFAULTS.shutdownTimeoutMillis,
    ),
    maxPendingEvents: positiveInt('maxPendingEvents', options.maxPendingEvents, DEFAULTS.maxPendingEvents),
    flushAt: positiveInt('flushAt', options.flushAt, DEFAULTS.flushAt),
    flushIntervalMillis: positiveInt('flushIntervalMillis', options.flushIntervalMillis, DEFAULTS.flushIntervalMillis),
    httpRequestTimeoutMillis: positiveInt(
      'httpRequestTimeoutMillis',
      options.httpRequestTimeoutMillis,
      DEFAULTS.httpRequestTimeoutMillis,
    ),
    maxRetries: nonNegativeInt('maxRetries', options.maxRetries, DEFAULTS.maxRetries),
  };
}
