/**
 * Starts the OpenTelemetry Node SDK with the span processors the bridge chose, and sets up the diag logger the
 * way every wiring path shares.
 */
import { diag, DiagConsoleLogger, DiagLogLevel } from '@opentelemetry/api';
import { diagLogLevelFromString } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { NodeSDKConfiguration } from '@opentelemetry/sdk-node';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Env } from '../exporter/settings.js';

/** What the SDK is started with. */
export interface SdkPlan {
  spanProcessors: SpanProcessor[];
  /** The resource; undefined means NodeSDK's default. */
  resource: Resource | undefined;
  /** Merge what the env, process and host detectors find (OTEL_RESOURCE_ATTRIBUTES included). */
  detectResources: boolean;
  /**
   * Let NodeSDK start metric readers and log processors when OTEL_METRICS_EXPORTER / OTEL_LOGS_EXPORTER name
   * them. When false, or when those variables are unset, none are started: NodeSDK's own default would send
   * OTLP metrics to localhost:4318 every minute, uninvited.
   */
  metricsAndLogsFromEnv: boolean;
}

/** True when the variable is set to something other than blanks. */
export function isSet(env: Env, name: string): boolean {
  return (env[name] ?? '').trim() !== '';
}

/**
 * Sends diag output (the bridge's and OpenTelemetry's) to the console at OTEL_LOG_LEVEL, default `warn`, so a
 * broken configuration is reported even when the user set up no logger.
 */
export function installDiagLogger(env: Env, level?: DiagLogLevel): void {
  const fromEnv = diagLogLevelFromString(env['OTEL_LOG_LEVEL']?.trim());
  diag.setLogger(new DiagConsoleLogger(), { logLevel: level ?? fromEnv ?? DiagLogLevel.WARN, suppressOverrideMessage: true });
}

/** Starts and returns a NodeSDK registered as the global tracer provider. */
export function startSdk(plan: SdkPlan, env: Env = process.env): NodeSDK {
  const config: Partial<NodeSDKConfiguration> = {
    spanProcessors: plan.spanProcessors,
    instrumentations: [],
    autoDetectResources: plan.detectResources,
  };
  if (plan.resource !== undefined) config.resource = plan.resource;
  if (!plan.metricsAndLogsFromEnv || !isSet(env, 'OTEL_METRICS_EXPORTER')) config.metricReaders = [];
  if (!plan.metricsAndLogsFromEnv || !isSet(env, 'OTEL_LOGS_EXPORTER')) config.logRecordProcessors = [];
  // NodeSDK installs its own console logger when OTEL_LOG_LEVEL is set; handing over avoids its warning that
  // one logger overwrites another.
  if (isSet(env, 'OTEL_LOG_LEVEL')) diag.disable();
  const sdk = new NodeSDK(config);
  sdk.start();
  return sdk;
}
