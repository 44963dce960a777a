/**
 * The programmatic wiring: createSegmentSpanProcessor for apps that build their own OpenTelemetry SDK, and
 * startTelemetry for apps that want one call.
 */
import type { Attributes } from '@opentelemetry/api';
import { defaultResource, detectResources, envDetector, hostDetector, processDetector, resourceFromAttributes } from '@opentelemetry/resources';
import type { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { BufferConfig, ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { isTelemetryEvent } from '../catalogue/index.js';
import { TELEMETRY_BATCHING } from './defaults.js';
import { SegmentSpanExporter } from './exporter.js';
import { shutdownOnExit } from '../wiring/lifecycle.js';
import { log } from '../util/log.js';
import { startSdk } from '../wiring/sdk.js';
import type { StatsSnapshot } from './stats.js';
import type { SegmentExporterOptions, SettingsSources } from './types.js';

/** The telemetry batching with the settings given (undefined ones keep the telemetry default). */
function tuned(batching: BufferConfig): Required<BufferConfig> {
  const given = Object.entries(batching).filter(([, value]) => value !== undefined);
  return { ...TELEMETRY_BATCHING, ...(Object.fromEntries(given) as BufferConfig) };
}

/** Options of {@link createSegmentSpanProcessor}: the exporter's options plus the span batching. */
export interface SegmentSpanProcessorOptions extends SegmentExporterOptions {
  /** Batching of spans before export. Default: 1 s delay, 2048 queued spans, 512 per export, 10 s timeout. */
  batching?: BufferConfig;
}

/** A BatchSpanProcessor around SegmentSpanExporter that queues only spans carrying telemetry events. */
export class SegmentSpanProcessor extends BatchSpanProcessor {
  /** @param exporter the exporter the batches go to; its getStats() counts what happened to each event. */
  constructor(
    readonly exporter: SegmentSpanExporter,
    batching: BufferConfig = {},
  ) {
    super(exporter, tuned(batching));
  }

  /**
   * Exports what is queued, then waits for Segment's answer (bounded by shutdownTimeoutMillis): a plain
   * BatchSpanProcessor's forceFlush only hands spans to the exporter, whose callback means "accepted".
   */
  override async forceFlush(): Promise<void> {
    await super.forceFlush();
    await this.exporter.forceFlush();
  }

  /** Shuts the exporter down even when the last export failed (BatchSpanProcessor would then skip it). */
  override async shutdown(): Promise<void> {
    try {
      await super.shutdown();
    } finally {
      await this.exporter.shutdown();
    }
  }

  /** Queues the span when one of its events is a telemetry event; other spans are not Segment's business. */
  override onEnd(span: ReadableSpan): void {
    if (span.events.some((event) => isTelemetryEvent(event.name))) super.onEnd(span);
  }
}

/** Creates the span processor that sends ReadySet telemetry events to Segment; add it to your SDK's processors. */
export function createSegmentSpanProcessor(
  options: SegmentSpanProcessorOptions = {},
  sources: SettingsSources = {},
): SegmentSpanProcessor {
  const { batching, ...exporterOptions } = options;
  return new SegmentSpanProcessor(new SegmentSpanExporter(exporterOptions, sources), batching);
}

/** Options of {@link startTelemetry}. */
export interface TelemetryOptions extends SegmentSpanProcessorOptions {
  /**
   * Attributes added to the resource, e.g. `{ 'readyset.server_version': '1.2.3' }`; they win over what the
   * env, process and host detectors find (OTEL_RESOURCE_ATTRIBUTES included).
   */
  resourceAttributes?: Attributes;
  /** Further span processors to run beside Segment's, e.g. a BatchSpanProcessor around an OTLP exporter. */
  spanProcessors?: SpanProcessor[];
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

function resourceWith(attributes: Attributes): Resource {
  const detected = detectResources({ detectors: [envDetector, processDetector, hostDetector] });
  return defaultResource().merge(detected).merge(resourceFromAttributes(attributes));
}

/** Starts the OpenTelemetry Node SDK with Segment's processor (and `spanProcessors`), registered globally. */
export function startTelemetry(options: TelemetryOptions = {}): TelemetryHandle {
  const { resourceAttributes = {}, spanProcessors = [], shutdownOnExit: onExit = true, ...processorOptions } = options;
  const processor = createSegmentSpanProcessor(processorOptions);
  const sdk = startSdk({
    spanProcessors: [processor, ...spanProcessors],
    resource: resourceWith(resourceAttributes),
    detectResources: false,
    metricsAndLogsFromEnv: false,
  });
  let stopping: Promise<void> | undefined;
  const dispose = onExit ? shutdownOnExit(() => handle.shutdown()) : undefined;
  const handle: TelemetryHandle = {
    shutdown() {
      dispose?.();
      stopping ??= sdk.shutdown().catch((error: unknown) => log.error('shutdown failed', error));
      return stopping;
    },
    getStats: () => processor.exporter.getStats(),
  };
  return handle;
}
