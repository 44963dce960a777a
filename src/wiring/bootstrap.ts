/**
 * What the register entry does: start the OpenTelemetry Node SDK as OTEL_CONFIG_FILE or, without it,
 * OTEL_TRACES_EXPORTER says, and shut it down when the process ends. Never throws: a configuration problem is
 * one diag error, and the program runs on without tracing.
 */
import { planFromConfig, loadConfigFile } from './config-file.js';
import { spanProcessorsFromEnv } from './exporters-from-env.js';
import { shutdownOnExit } from './lifecycle.js';
import { log } from '../util/log.js';
import { installDiagLogger, isSet, startSdk } from './sdk.js';
import type { SdkPlan } from './sdk.js';
import type { Env } from '../exporter/settings.js';

// A global symbol, so loading both builds (or both --require and --import) starts one SDK.
const STARTED = Symbol.for('otel-segment-bridge.register');

const TRACING_OFF = '(tracing is off; the program runs on without it)';

function message(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/[\s:]+$/, '');
}

function planFromFile(path: string, env: Env, argv: readonly string[]): SdkPlan | undefined {
  let plan;
  try {
    plan = planFromConfig(loadConfigFile(path), path, env, argv);
  } catch (error) {
    log.error(`OTEL_CONFIG_FILE ${path}: ${message(error)} ${TRACING_OFF}`);
    return undefined;
  }
  if (plan.logLevel !== undefined && !isSet(env, 'OTEL_LOG_LEVEL')) installDiagLogger(env, plan.logLevel);
  if (plan.disabled) {
    log.info(`OTEL_CONFIG_FILE ${path} says disabled: true; tracing is off`);
    return undefined;
  }
  return { spanProcessors: plan.spanProcessors, resource: plan.resource, detectResources: false, metricsAndLogsFromEnv: false };
}

function planFromEnv(env: Env, argv: readonly string[]): SdkPlan {
  return { spanProcessors: spanProcessorsFromEnv(env, argv), resource: undefined, detectResources: true, metricsAndLogsFromEnv: true };
}

/** Starts the SDK once per process, from process.env (OTEL_CONFIG_FILE is read by @opentelemetry/configuration). */
export function startFromEnvironment(env: Env = process.env, argv: readonly string[] = process.argv): void {
  const store = globalThis as unknown as Record<symbol, boolean | undefined>;
  if (store[STARTED] === true) return;
  store[STARTED] = true;
  try {
    installDiagLogger(env);
    const path = env['OTEL_CONFIG_FILE'];
    const plan = path !== undefined && path.trim() !== '' ? planFromFile(path, env, argv) : planFromEnv(env, argv);
    if (plan === undefined) return;
    const metricsOrLogs = plan.metricsAndLogsFromEnv && (isSet(env, 'OTEL_METRICS_EXPORTER') || isSet(env, 'OTEL_LOGS_EXPORTER'));
    if (plan.spanProcessors.length === 0 && !metricsOrLogs) {
      log.debug('no exporter to start; the OpenTelemetry SDK is not started');
      return;
    }
    const sdk = startSdk(plan, env);
    shutdownOnExit(() => sdk.shutdown());
  } catch (error) {
    log.error(`could not start the OpenTelemetry SDK: ${message(error)} ${TRACING_OFF}`);
  }
}
