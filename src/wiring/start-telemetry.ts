/**
 * startTelemetry: the Node SDK with Segment's processor in one call, for apps that want no wiring of their own.
 * The SDK comes from the app's @opentelemetry/sdk-node (sdk-modules.ts), loaded only when this is called, so
 * importing the package stays light. When the process already has an SDK, none is started: the exporter
 * delivers directly (exporter/registry.ts) and one warning says how to add Segment to that SDK.
 */
import type { Attributes } from '@opentelemetry/api';
import { createSegmentSpanProcessor } from '../exporter/processor.js';
import type { SegmentSpanProcessorOptions } from '../exporter/processor.js';
import { markStandalone, noteResource } from '../exporter/registry.js';
import type { StatsSnapshot } from '../exporter/stats.js';
import { log } from '../util/log.js';
import { resourceAttributesFromEnv } from '../util/resource-env.js';
import type { AnySpanProcessor } from './build.js';
import { shutdownOnExit } from './lifecycle.js';
import { loadSdk } from './sdk-modules.js';
import { otherSdkRegistered, startSdk, warnSecondSdk } from './sdk.js';

/** Options of {@link startTelemetry}. */
export interface TelemetryOptions extends SegmentSpanProcessorOptions {
  /**
   * Attributes added to the resource, e.g. `{ 'readyset.server_version': '1.2.3' }`; they win over what the
   * env, process and host detectors find (OTEL_RESOURCE_ATTRIBUTES included).
   */
  resourceAttributes?: Attributes;
  /** Further span processors to run beside Segment's, e.g. a BatchSpanProcessor around an OTLP exporter. */
  spanProcessors?: object[];
  /** Shut down on SIGTERM, SIGINT and normal exit, so the last events are delivered. Default true. */
  shutdownOnExit?: boolean;
}

/** What {@link startTelemetry} returns. */
export interface TelemetryHandle {
  /** Delivers what is pending (within the exporter's shutdownTimeoutMillis) and stops. Idempotent. */
  shutdown(): Promise<void>;
  /** Counters of sent, pending and dropped events. */
  getStats(): StatsSnapshot;
}

interface ResourcesModule {
  defaultResource(): { merge(other: unknown): unknown };
  detectResources(config: { detectors: unknown[] }): unknown;
  resourceFromAttributes(attributes: Attributes): unknown;
  envDetector: unknown;
  processDetector: unknown;
  hostDetector: unknown;
}

/** Starts the OpenTelemetry Node SDK with Segment's processor (and `spanProcessors`), registered globally. */
export function startTelemetry(options: TelemetryOptions = {}): TelemetryHandle {
  const { resourceAttributes = {}, spanProcessors = [], shutdownOnExit: onExit = true, ...processorOptions } = options;
  noteResource({ ...resourceAttributesFromEnv(process.env), ...resourceAttributes });
  const processor = createSegmentSpanProcessor(processorOptions);
  let stop: () => Promise<void>;
  if (otherSdkRegistered()) {
    warnSecondSdk('startTelemetry(): this process already has an OpenTelemetry SDK, so none is started');
    markStandalone(processor.exporter);
    stop = () => processor.shutdown();
  } else {
    const sdk = loadSdk('startTelemetry()');
    const resources = sdk.load<ResourcesModule>('@opentelemetry/resources');
    const detected = resources.detectResources({
      detectors: [resources.envDetector, resources.processDetector, resources.hostDetector],
    });
    const resource = resources.defaultResource().merge(detected) as { merge(other: unknown): unknown };
    const started = startSdk(sdk, {
      spanProcessors: [processor, ...(spanProcessors as AnySpanProcessor[])],
      resource: resource.merge(resources.resourceFromAttributes(resourceAttributes)),
      detectResources: false,
      metricsAndLogsFromEnv: false,
    });
    stop = () => started.shutdown();
  }
  let stopping: Promise<void> | undefined;
  const dispose = onExit ? shutdownOnExit(() => handle.shutdown()) : undefined;
  const handle: TelemetryHandle = {
    shutdown() {
      dispose?.();
      stopping ??= stop().catch((error: unknown) => log.error('shutdown failed', error));
      return stopping;
    },
    getStats: () => processor.exporter.getStats(),
  };
  return handle;
}
