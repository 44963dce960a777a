/**
 * Starting the app's OpenTelemetry Node SDK for the bridge, and the rules every wiring path shares: the diag
 * logger, and coexistence with an SDK the application registers itself (before the bridge, or after the
 * register entry): the application's tracing always keeps working, and telemetry still reaches Segment through
 * the exporter's direct path (exporter/registry.ts).
 */
import {
  context,
  diag,
  DiagConsoleLogger,
  DiagLogLevel,
  propagation,
  ProxyTracerProvider,
  trace,
} from '@opentelemetry/api';
import type { Env } from '../exporter/settings.js';
import { once } from '../util/log.js';
import { warnOnce } from '../util/warnings.js';
import type { AnySpanProcessor } from './build.js';
import type { SdkModules } from './sdk-modules.js';

/** What the SDK is started with. */
export interface SdkStart {
  spanProcessors: AnySpanProcessor[];
  /** The resource; undefined means NodeSDK's default. */
  resource: unknown;
  /** Merge what the env, process and host detectors find (OTEL_RESOURCE_ATTRIBUTES included). */
  detectResources: boolean;
  /**
   * Let NodeSDK start metric readers and log processors when OTEL_METRICS_EXPORTER / OTEL_LOGS_EXPORTER name
   * them. When false, or when those variables are unset, none are started: NodeSDK's own default would send
   * OTLP metrics to localhost:4318 every minute, uninvited.
   */
  metricsAndLogsFromEnv: boolean;
}

/** A started SDK. */
export interface StartedSdk {
  shutdown(): Promise<void>;
}

/** How to add Segment to an SDK the application builds: said whenever the bridge cannot start its own. */
const ADD_TO_YOUR_SDK =
  "add Segment to your SDK instead: spanProcessors: [createSegmentSpanProcessor()] (import { createSegmentSpanProcessor } from 'otel-segment-bridge')";

/** True when the variable is set to something other than blanks. */
export function isSet(env: Env, name: string): boolean {
  return (env[name] ?? '').trim() !== '';
}

const LEVELS: Record<string, DiagLogLevel> = {
  NONE: DiagLogLevel.NONE,
  ERROR: DiagLogLevel.ERROR,
  WARN: DiagLogLevel.WARN,
  INFO: DiagLogLevel.INFO,
  DEBUG: DiagLogLevel.DEBUG,
  VERBOSE: DiagLogLevel.VERBOSE,
  ALL: DiagLogLevel.ALL,
};

/** OTEL_LOG_LEVEL as a diag level (the specification's names, any case), or undefined. */
function logLevelFromEnv(env: Env): DiagLogLevel | undefined {
  return LEVELS[(env['OTEL_LOG_LEVEL'] ?? '').trim().toUpperCase()];
}

/**
 * Sends diag output (the bridge's and OpenTelemetry's) to the console at OTEL_LOG_LEVEL, default `warn`, so a
 * broken configuration is reported even when the user set up no logger. Used by the register entry only: an
 * app that calls startTelemetry keeps its own logger.
 */
export function installDiagLogger(env: Env, level?: DiagLogLevel): void {
  diag.setLogger(new DiagConsoleLogger(), {
    logLevel: level ?? logLevelFromEnv(env) ?? DiagLogLevel.WARN,
    suppressOverrideMessage: true,
  });
}

/**
 * True when some SDK already registered a global tracer provider. The API always hands out its proxy; a
 * registration sets the proxy's delegate, which is otherwise the API's no-op provider.
 */
export function otherSdkRegistered(): boolean {
  const provider = trace.getTracerProvider() as { getDelegate?: () => unknown };
  if (typeof provider.getDelegate !== 'function') return true;
  const delegate = provider.getDelegate() as object | undefined;
  const noop = new ProxyTracerProvider().getDelegate();
  return delegate !== undefined && delegate !== noop && delegate.constructor.name !== noop.constructor.name;
}

/** Says once, also without a diag logger, that the bridge is not the process's SDK, and what to do. */
export function warnSecondSdk(what: string): void {
  const message = `${what}; Segment telemetry is still delivered, but ${ADD_TO_YOUR_SDK}`;
  once('warn', 'second-sdk', message);
  warnOnce('OTEL_SEGMENT_BRIDGE_SECOND_SDK', message);
}

/**
 * Lets an SDK the application registers after the register entry take over the API's globals: the bridge's
 * own registration steps aside (its Segment exporter keeps delivering directly), so the app's spans go to the
 * app's exporters. Works where the app uses the same @opentelemetry/api module as the bridge (one npm tree).
 */
export function yieldGlobalsToApp(onYield: () => boolean): void {
  const apis = [
    [trace, 'setGlobalTracerProvider'],
    [context, 'setGlobalContextManager'],
    [propagation, 'setGlobalPropagator'],
  ] as const;
  for (const [api, method] of apis) {
    const target = api as unknown as Record<string, (value: unknown) => boolean> & { disable(): void };
    const original = target[method]?.bind(api);
    if (original === undefined) continue;
    target[method] = (value: unknown): boolean => {
      target[method] = original;
      api.disable();
      const appHasSegment = onYield();
      const what =
        'the application registered its own OpenTelemetry SDK after otel-segment-bridge/register; the bridge stepped aside';
      if (appHasSegment) once('info', 'second-sdk', `${what}; telemetry goes through your SDK's Segment processor`);
      else warnSecondSdk(what);
      return original(value);
    };
  }
}

/** Starts NodeSDK registered as the global tracer provider. */
export function startSdk(sdk: SdkModules, start: SdkStart, env: Env = process.env): StartedSdk {
  const config: Record<string, unknown> = {
    spanProcessors: start.spanProcessors,
    instrumentations: [],
    autoDetectResources: start.detectResources,
  };
  if (start.resource !== undefined) config['resource'] = start.resource;
  if (!start.metricsAndLogsFromEnv || !isSet(env, 'OTEL_METRICS_EXPORTER')) config['metricReaders'] = [];
  if (!start.metricsAndLogsFromEnv || !isSet(env, 'OTEL_LOGS_EXPORTER')) config['logRecordProcessors'] = [];
  // NodeSDK installs its own console logger when OTEL_LOG_LEVEL is set; handing over avoids its warning that
  // one logger overwrites another.
  if (isSet(env, 'OTEL_LOG_LEVEL')) diag.disable();
  const NodeSDK = sdk.sdkNode.NodeSDK as unknown as new (
    config: Record<string, unknown>,
  ) => StartedSdk & { start(): void };
  const node = new NodeSDK(config);
  node.start();
  return node;
}
