/**
 * SegmentSpanExporter: an OpenTelemetry SpanExporter that sends ReadySet telemetry span events to Segment as
 * Track calls. It holds the lifecycle only; the mapping is transform.ts, the rest of the way pipeline.ts, and
 * delivery transport/. It depends on the OpenTelemetry API alone, so it fits SDK 2.x and 3.x: in 3.x,
 * `new BatchSpanProcessor(exporter)` reads its options from the exporter, whose `exporter` property is itself.
 *
 * The export callback means "accepted for delivery": SUCCESS once the batch's telemetry events are handed to the
 * bounded delivery queue (or printed, or dropped and counted: telemetry off, queue full), FAILED with an error
 * only after shutdown or on an internal error. Delivery itself continues in the background with Segment's
 * retries, which can outlast the batch processor's export timeout; its outcomes are counted (getStats()) and
 * logged once per cause through the diag logger.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Attributes } from '@opentelemetry/api';
import { TraceFlags } from '@opentelemetry/api';
import { DebugTransport } from '../transport/debug.js';
import { rescueOnExit } from '../transport/exit-rescue.js';
import type { RescueJob } from '../transport/exit-rescue.js';
import { SegmentTransport } from '../transport/segment.js';
import { SilentTransport } from '../transport/silent.js';
import type { Transport } from '../transport/types.js';
import { log, once } from '../util/log.js';
import { resourceAttributesFromEnv } from '../util/resource-env.js';
import { warnOnce } from '../util/warnings.js';
import { processAnonymousId } from './identity.js';
import { ensureInstruments, retire, track } from './metrics.js';
import { Pipeline } from './pipeline.js';
import { addDirectSink, noteDialect } from './registry.js';
import type { DirectSink } from './registry.js';
import { resolveSettings } from './settings.js';
import type { Env, Settings } from './settings.js';
import { ExporterStats } from './stats.js';
import type { StatsSnapshot } from './stats.js';
import { countTelemetryEvents } from './transform.js';
import type { Identity } from './transform.js';
import { ExportResultCode } from './types.js';
import type { ExportResult, SegmentExporterOptions, SettingsSources, SpanEventLike, SpanLike } from './types.js';

const NO_KEY_MESSAGE = 'no Segment write key (RS_SEGMENT_WRITE_KEY): telemetry events are recorded but not sent';

/** The transport the settings call for. */
export function createTransport(settings: Settings, stats: ExporterStats, options: SegmentExporterOptions): Transport {
  switch (settings.mode) {
    case 'disabled':
      log.debug(`telemetry is off (${settings.optOut ?? 'option'}): nothing will be sent`);
      return new SilentTransport(stats, 'opted_out');
    case 'no_key':
      // Said when events arrive, not now: a diag logger installed after the exporter still shows it.
      return new SilentTransport(stats, 'no_write_key', () => {
        once('warn', 'no_write_key', NO_KEY_MESSAGE);
        warnOnce('OTEL_SEGMENT_BRIDGE_NO_WRITE_KEY', NO_KEY_MESSAGE);
      });
    case 'invalid_host': {
      const message = `${settings.hostProblem ?? 'the Segment host is unusable'}: telemetry events are not sent`;
      log.error(message);
      return new SilentTransport(stats, 'invalid_host', () => warnOnce('OTEL_SEGMENT_BRIDGE_INVALID_HOST', message));
    }
    case 'debug':
      return new DebugTransport(stats, options.debugWrite);
    case 'segment':
      return new SegmentTransport(settings, stats, options.httpClient);
  }
}

/** A span holding one event that reached the exporter directly (see registry.ts), with ids of its own. */
function directSpan(event: SpanEventLike, resource: Attributes): SpanLike {
  const context = {
    traceId: randomBytes(16).toString('hex'),
    spanId: randomBytes(8).toString('hex'),
    traceFlags: TraceFlags.SAMPLED,
  };
  return { events: [event], resource: { attributes: resource }, spanContext: () => context };
}

/** Exports ReadySet telemetry span events to Segment as Track messages. */
export class SegmentSpanExporter implements DirectSink {
  private readonly settings: Settings;
  private readonly env: Env;
  private readonly identity: Identity;
  private readonly stats = new ExporterStats();
  private readonly transport: Transport;
  private readonly pipeline: Pipeline;
  /** @internal Where events go (a digest of the write key and URL); see registry.ts. */
  readonly destination: string;
  private readonly exitFlushes = new Set<() => void>();
  private readonly disposers: (() => void)[] = [];
  private shutdownPromise: Promise<void> | undefined;

  /**
   * @param options override the environment (see README, "Options"); a bad option throws a TypeError.
   * @param sources where the environment is read from (default process.env and process.argv).
   */
  constructor(options: SegmentExporterOptions = {}, sources: SettingsSources = {}) {
    this.settings = resolveSettings(options, sources);
    this.env = sources.env ?? process.env;
    this.identity = { anonymousId: processAnonymousId(), userId: this.settings.userId, dialect: this.settings.dialect };
    this.transport = createTransport(this.settings, this.stats, options);
    this.pipeline = new Pipeline(this.transport, this.stats, this.settings.maxPendingEvents);
    this.destination = createHash('sha256')
      .update(`${this.settings.writeKey}\u0000${this.settings.batchUrl}`)
      .digest('hex');
    track(this.stats);
    // recordTelemetry anonymizes with the same dialect decision: the option is part of it.
    noteDialect(this.settings.dialect);
    this.disposers.push(addDirectSink(this));
    if (this.settings.mode === 'segment') this.disposers.push(rescueOnExit(() => this.rescueJob()));
  }

  /**
   * Itself: OpenTelemetry JS 3.x's BatchSpanProcessor and SimpleSpanProcessor take `{ exporter, ...options }`,
   * so `new BatchSpanProcessor(new SegmentSpanExporter())` works on 3.x as it does on 2.x.
   */
  get exporter(): this {
    return this;
  }

  /** Maps the spans' telemetry events to Track messages and hands them over; calls back exactly once. */
  export(spans: readonly SpanLike[], resultCallback: (result: ExportResult) => void): void {
    let called = false;
    const done = (result: ExportResult): void => {
      if (called) return;
      called = true;
      try {
        resultCallback(result);
      } catch (error) {
        log.error('export result callback threw', error);
      }
    };
    if (this.shutdownPromise !== undefined) {
      done({ code: ExportResultCode.FAILED, error: new Error('SegmentSpanExporter is shut down') });
      return;
    }
    try {
      ensureInstruments();
      // Events refused for a full queue are counted and logged once. They are not reported as FAILED: a
      // BatchSpanProcessor would then log an error per batch and, at the end, skip our shutdown().
      this.pipeline.deliver(spans, this.identity);
      done({ code: ExportResultCode.SUCCESS });
    } catch (error) {
      done({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) });
    }
  }

  /** @internal Counts the telemetry events of a span a full processor queue refused. */
  refuse(span: SpanLike): void {
    this.pipeline.refuse(countTelemetryEvents([span]));
  }

  /** Takes one event that no Segment span processor will see (sampled out, another SDK); see registry.ts. */
  deliverDirect(event: SpanEventLike, resource: Attributes | undefined): void {
    if (this.shutdownPromise !== undefined) {
      this.stats.drop('shutdown');
      return;
    }
    try {
      this.pipeline.deliver([directSpan(event, resource ?? resourceAttributesFromEnv(this.env))], this.identity);
    } catch (error) {
      log.error('direct delivery failed', error);
    }
  }

  /** Resolves when the events handed over so far are delivered, or after shutdownTimeoutMillis. Never rejects. */
  async forceFlush(): Promise<void> {
    try {
      await this.transport.flush(this.settings.shutdownTimeoutMillis);
    } catch (error) {
      log.error('forceFlush failed', error);
    }
  }

  /** Delivers what is pending within shutdownTimeoutMillis, then stops. Idempotent; never rejects. */
  shutdown(): Promise<void> {
    this.shutdownPromise ??= this.transport
      .shutdown(this.settings.shutdownTimeoutMillis)
      .then(
        () => this.logSummary(),
        (error: unknown) => log.error('shutdown failed', error),
      )
      .finally(() => {
        for (const dispose of this.disposers.splice(0)) dispose();
        retire(this.stats);
      });
    return this.shutdownPromise;
  }

  /** Counters of sent, pending and dropped events. */
  getStats(): StatsSnapshot {
    return this.stats.snapshot();
  }

  /**
   * @internal Registers a function that synchronously exports what a span processor still queues, run when the
   * process exits without a shutdown (process.exit()); returns its removal.
   */
  onExitFlush(flush: () => void): () => void {
    this.exitFlushes.add(flush);
    return () => this.exitFlushes.delete(flush);
  }

  /** What is still undelivered at process exit: queued spans mapped now, and what Segment has not acknowledged. */
  private rescueJob(): RescueJob | undefined {
    if (this.shutdownPromise !== undefined && this.stats.pending === 0) return undefined;
    for (const flush of this.exitFlushes) flush();
    const messages = this.transport.unacknowledged();
    if (messages.length === 0) return undefined;
    return {
      writeKey: this.settings.writeKey,
      url: this.settings.batchUrl,
      messages,
      timeoutMillis: Math.min(this.settings.shutdownTimeoutMillis, 10_000),
    };
  }

  private logSummary(): void {
    const s = this.stats.snapshot();
    const dropped = Object.entries(s.dropped)
      .filter(([, n]) => n > 0)
      .map(([reason, n]) => `${reason}=${n}`);
    log.info(
      `shutdown: sent=${s.sent} dropped=[${dropped.join(' ')}] invalidProperties=${s.invalidProperties} ` +
        `failedRequests=${s.failedRequests} retries=${s.retries}`,
    );
  }
}
