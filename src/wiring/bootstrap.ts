/**
 * What the register entry does: build the plan (plan.ts) from OTEL_CONFIG_FILE or, without it,
 * OTEL_TRACES_EXPORTER; build it with the app's SDK line; start NodeSDK; shut it down when the process ends.
 * Never throws: a configuration problem is one diag error, and the program runs on without tracing. It never
 * breaks an app with its own SDK: registered before, the bridge starts no SDK; registered after, the bridge
 * steps aside (sdk.ts). Either way Segment telemetry is still delivered, through the exporter's direct path.
 */
import { SegmentSpanExporter } from '../exporter/exporter.js';
import { markStandalone, noExporterComing, noteResource, sinkCount } from '../exporter/registry.js';
import type { Env } from '../exporter/settings.js';
import { log } from '../util/log.js';
import { resourceAttributesFromEnv } from '../util/resource-env.js';
import { warnOnce } from '../util/warnings.js';
import { build } from './build.js';
import { loadConfigModel } from './config-file.js';
import { shutdownOnExit } from './lifecycle.js';
import { planFromConfig, planFromEnv } from './plan.js';
import type { Plan } from './plan.js';
import { loadSdk } from './sdk-modules.js';
import { installDiagLogger, isSet, otherSdkRegistered, startSdk, warnSecondSdk, yieldGlobalsToApp } from './sdk.js';

// A global symbol, so loading both builds (or both --require and --import) starts one SDK.
const STARTED = Symbol.for('otel-segment-bridge.register');

const TRACING_OFF = '(tracing is off; the program runs on without it)';

function message(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/[\s:]+$/, '');
}

/** The plan of this environment; a file that cannot be read or validated is one problem. */
export function planOf(env: Env, argv: readonly string[]): Plan {
  const path = env['OTEL_CONFIG_FILE']?.trim();
  if (path === undefined || path === '') return planFromEnv(env, argv);
  try {
    return planFromConfig(loadConfigModel(path, env), path, env, argv);
  } catch (error) {
    const plan = planFromEnv({}, argv);
    return { ...plan, source: 'OTEL_CONFIG_FILE', file: path, exporters: [], off: [], problems: [message(error)] };
  }
}

/** Telemetry without an SDK of the bridge's own: the exporter alone, taking events directly. */
function segmentAlone(plan: Plan, env: Env, argv: readonly string[]): void {
  const entry = plan.exporters.find((e) => e.kind === 'segment');
  if (entry === undefined) return;
  noteResource(plan.resource ?? resourceAttributesFromEnv(env));
  const exporter = new SegmentSpanExporter(entry.options, { env, argv });
  markStandalone(exporter);
  shutdownOnExit(() => exporter.shutdown());
}

/** Starts the SDK once per process, from the environment. */
export function startFromEnvironment(env: Env = process.env, argv: readonly string[] = process.argv): void {
  const store = globalThis as unknown as Record<symbol, boolean | undefined>;
  if (store[STARTED] === true) return;
  store[STARTED] = true;
  try {
    installDiagLogger(env);
    const plan = planOf(env, argv);
    // Opted out: recorded events are not kept for an exporter, since none may send them. (Without an opt-out an
    // app may still build its own exporter later: the bounded buffer keeps what comes before it.)
    if (plan.sdkDisabled || plan.optOut !== undefined) noExporterComing();
    if (plan.logLevel !== undefined && !isSet(env, 'OTEL_LOG_LEVEL')) installDiagLogger(env, plan.logLevel);
    if (plan.source === 'OTEL_CONFIG_FILE' && plan.problems.length > 0) {
      log.error(`OTEL_CONFIG_FILE ${plan.file ?? ''}: ${plan.problems.join('; ')} ${TRACING_OFF}`);
      return;
    }
    for (const problem of plan.problems) log.warn(problem);
    for (const off of plan.off) log.debug(off);
    if (plan.sdkDisabled) {
      log.info('the OpenTelemetry SDK is disabled (OTEL_SDK_DISABLED, or disabled: true in the file); nothing starts');
      return;
    }
    const metricsOrLogs =
      plan.source !== 'OTEL_CONFIG_FILE' && (isSet(env, 'OTEL_METRICS_EXPORTER') || isSet(env, 'OTEL_LOGS_EXPORTER'));
    if (plan.exporters.length === 0 && !metricsOrLogs) {
      log.debug('no exporter to start; the OpenTelemetry SDK is not started');
      return;
    }
    if (otherSdkRegistered()) {
      warnSecondSdk(
        'an OpenTelemetry SDK was registered before otel-segment-bridge/register; the bridge starts none of its own',
      );
      segmentAlone(plan, env, argv);
      return;
    }
    noteResource(plan.resource ?? resourceAttributesFromEnv(env));
    const sdk = loadSdk('otel-segment-bridge/register');
    const built = build(plan, sdk, env, argv);
    for (const problem of built.segmentProblems) {
      log.error(`${problem}: the Segment exporter does not start; the other exporters do`);
      if (/host/.test(problem))
        warnOnce('OTEL_SEGMENT_BRIDGE_INVALID_HOST', `${problem}: telemetry events are not sent`);
    }
    const started = startSdk(
      sdk,
      {
        spanProcessors: built.spanProcessors,
        resource: built.resource,
        detectResources: built.resource === undefined,
        metricsAndLogsFromEnv: plan.source !== 'OTEL_CONFIG_FILE',
      },
      env,
    );
    // If the app registers its own SDK later, the bridge's Segment exporters keep delivering beside it.
    const ours = built.segment.length;
    yieldGlobalsToApp(() => {
      for (const processor of built.segment) markStandalone(processor.exporter);
      // The app's SDK has a Segment processor of its own when it made one (more exporters than ours exist).
      return sinkCount() > ours;
    });
    shutdownOnExit(() => started.shutdown());
  } catch (error) {
    log.error(`could not start the OpenTelemetry SDK: ${message(error)} ${TRACING_OFF}`);
  }
}
