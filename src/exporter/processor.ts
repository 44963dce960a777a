/**
 * SegmentSpanProcessor: the span processor to add to an SDK the application builds. It depends on the
 * OpenTelemetry API alone, so OpenTelemetry JS 2.x and 3.x both take it. It:
 * - queues only spans that carry telemetry events, in a bounded queue (a burst of other spans never crowds them
 *   out), and exports them in batches after a short delay;
 * - tells recordTelemetry which spans it will export (registry.ts), and exports them whatever the sampler
 *   decided, so sampling never loses telemetry (the processor sees every recording span);
 * - waits for Segment's answer in forceFlush(), and always shuts its exporter down;
 * - maps what is still queued synchronously when the process exits without a shutdown (process.exit()).
 */
import type { Context } from '@opentelemetry/api';
import { isTelemetryEvent } from '../catalogue/index.js';
import { log } from '../util/log.js';
import { TELEMETRY_BATCHING } from './defaults.js';
import { SegmentSpanExporter } from './exporter.js';
import { markInProcessor, markSeen, noteResource } from './registry.js';
import { ExportResultCode } from './types.js';
import type { SegmentExporterOptions, SettingsSources, SpanLike } from './types.js';

/** Span batching of the processor; unset fields keep the telemetry defaults (defaults.ts). */
export interface TelemetryBatching {
  /** Longest wait before queued spans are exported, in milliseconds. Default 1000. */
  scheduledDelayMillis?: number;
  /** Spans with telemetry events queued at most; more are dropped and counted. Default 2048. */
  maxQueueSize?: number;
  /** Spans per export call. Default 512. (The exporter answers synchronously, so there is no export timeout.) */
  maxExportBatchSize?: number;
}

/** Options of {@link createSegmentSpanProcessor}: the exporter's options plus the span batching. */
export interface SegmentSpanProcessorOptions extends SegmentExporterOptions {
  batching?: TelemetryBatching;
}

/** The span as a processor sees it at start: anything with a resource (SDK 2.x and 3.x Span objects). */
interface StartedSpan {
  readonly resource?: {
    readonly attributes: SpanLike['resource']['attributes'];
    readonly asyncAttributesPending?: boolean;
  };
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0)
    throw new TypeError(`batching.${name} must be a positive integer`);
  return value;
}

function hasTelemetry(span: SpanLike): boolean {
  for (const event of span.events) if (isTelemetryEvent(event.name)) return true;
  return false;
}

/** A span processor that sends the ReadySet telemetry events of the spans it sees to Segment. */
export class SegmentSpanProcessor {
  private readonly queue: SpanLike[] = [];
  private readonly delay: number;
  private readonly maxQueue: number;
  private readonly maxBatch: number;
  private timer: NodeJS.Timeout | undefined;
  private soon: NodeJS.Immediate | undefined;
  private stopping: Promise<void> | undefined;
  private readonly disposeExitFlush: () => void;

  /** @param exporter the exporter the batches go to; its getStats() counts what happened to each event. */
  constructor(
    readonly exporter: SegmentSpanExporter,
    batching: TelemetryBatching = {},
  ) {
    this.delay = positive(
      'scheduledDelayMillis',
      batching.scheduledDelayMillis,
      TELEMETRY_BATCHING.scheduledDelayMillis,
    );
    this.maxQueue = positive('maxQueueSize', batching.maxQueueSize, TELEMETRY_BATCHING.maxQueueSize);
    this.maxBatch = Math.min(
      this.maxQueue,
      positive('maxExportBatchSize', batching.maxExportBatchSize, TELEMETRY_BATCHING.maxExportBatchSize),
    );
    this.disposeExitFlush = exporter.onExitFlush(() => this.exportQueued());
    // Spans this processor sees are marked (onStart): recordTelemetry knows what reaches Segment through it.
    markInProcessor(exporter);
  }

  /** Notes that this span's events reach Segment through this processor, and the resource it runs with. */
  onStart(span: object, _parentContext?: Context): void {
    markSeen(span);
    const resource = (span as StartedSpan).resource;
    if (resource !== undefined && resource.asyncAttributesPending !== true) noteResource(resource.attributes);
  }

  /** Queues the span when one of its events is a telemetry event; other spans are not Segment's business. */
  onEnd(span: SpanLike): void {
    if (this.stopping !== undefined || !hasTelemetry(span)) return;
    if (this.queue.length >= this.maxQueue) {
      this.exporter.refuse(span);
      return;
    }
    this.queue.push(span);
    // Mapping a batch takes a few milliseconds: never inside the application's span.end(), always on a tick of
    // its own, one batch per tick, so the host's event loop stays responsive.
    if (this.queue.length >= this.maxBatch) this.soon ??= setImmediate(() => this.exportBatches());
    else this.timer ??= setTimeout(() => this.exportBatches(), this.delay).unref();
  }

  /** Exports one batch, and schedules the next on a later tick while more are queued. */
  private exportBatches(): void {
    this.soon = undefined;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.exportBatch();
    if (this.queue.length > 0) this.soon = setImmediate(() => this.exportBatches());
  }

  /**
   * Exports what is queued, then waits for Segment's answer (bounded by shutdownTimeoutMillis): the export
   * callback only means "accepted for delivery".
   */
  async forceFlush(): Promise<void> {
    this.exportQueued();
    await this.exporter.forceFlush();
  }

  /** Exports what is queued and shuts the exporter down (delivering within its deadline). Idempotent. */
  shutdown(): Promise<void> {
    this.stopping ??= (async () => {
      this.exportQueued();
      this.disposeExitFlush();
      await this.exporter.shutdown();
    })();
    return this.stopping;
  }

  /** Hands every queued span to the exporter now (forceFlush, shutdown, process exit), in batches. */
  private exportQueued(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.soon !== undefined) clearImmediate(this.soon);
    this.timer = undefined;
    this.soon = undefined;
    while (this.queue.length > 0) this.exportBatch();
  }

  /** Hands the oldest batch to the exporter, which maps it synchronously. */
  private exportBatch(): void {
    const batch = this.queue.splice(0, this.maxBatch);
    if (batch.length === 0) return;
    try {
      this.exporter.export(batch, (result) => {
        if (result.code !== ExportResultCode.SUCCESS) {
          log.debug(`export of ${batch.length} spans failed: ${result.error?.message ?? 'unknown'}`);
        }
      });
    } catch (error) {
      log.error('export failed', error);
    }
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
