/**
 * SegmentSpanExporter: an OpenTelemetry SpanExporter that sends ReadySet telemetry span events to Segment as
 * Track calls. It holds the lifecycle only; the mapping is in transform.ts, delivery in transport/.
 *
 * The export callback means "accepted for delivery": SUCCESS once the batch's telemetry events are handed to the
 * bounded delivery queue (or printed, or dropped and counted: telemetry off, queue full), FAILED with an error
 * only after shutdown or on an internal error. Delivery itself continues in the
 * background with Segment's retries, which can outlast the batch processor's export timeout; its outcomes are
 * counted (getStats()) and logged once per cause through the diag logger.
 */
import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { processAnonymousId } from './identity.js';
import { log, once } from '../util/log.js';
import { Deduper } from './dedupe.js';
import { ensureInstruments, retire, track } from './metrics.js';
import { resolveSettings } from './settings.js';
import type { Settings } from './settings.js';
import { ExporterStats } from './stats.js';
import type { StatsSnapshot } from './stats.js';
import { countTelemetryEvents, toTrackMessages } from './transform.js';
import type { Identity, Problem, SpanLike, TrackMessage } from './transform.js';
import { fitMessage } from './size.js';
import { DebugTransport } from '../transport/debug.js';
import { dropQueueFull, SegmentTransport } from '../transport/segment.js';
import { SilentTransport } from '../transport/silent.js';
import type { Transport } from '../transport/types.js';
import type { SegmentExporterOptions, SettingsSources } from './types.js';

function createTransport(settings: Settings, stats: ExporterStats, options: SegmentExporterOptions): Transport {
  switch (settings.mode) {
    case 'disabled':
      log.debug(`telemetry is off (${settings.optOut ?? 'option'}): nothing will be sent`);
      return new SilentTransport(stats, 'opted_out');
    case 'no_key':
      once('info', 'no_write_key', 'no Segment write key (RS_SEGMENT_WRITE_KEY): telemetry events are recorded but not sent');
      return new SilentTransport(stats, 'no_write_key');
    case 'debug':
      return new DebugTransport(stats, options.debugWrite);
    case 'segment':
      return new SegmentTransport(settings, stats, options.httpClient);
  }
}

function problemKey(problem: Problem): string {
  return `property:${problem.event}:${problem.attribute}:${problem.problem}`;
}

/** Exports ReadySet telemetry span events to Segment as Track messages. */
export class SegmentSpanExporter implements SpanExporter {
  private readonly settings: Settings;
  private readonly identity: Identity;
  private readonly stats = new ExporterStats();
  private readonly transport: Transport;
  private readonly deduper = new Deduper();
  private shutdownPromise: Promise<void> | undefined;

  /**
   * @param options override the environment (see README, "Configuration"); a bad option throws a TypeError.
   * @param sources where the environment is read from (default process.env and process.argv).
   */
  constructor(options: SegmentExporterOptions = {}, sources: SettingsSources = {}) {
    this.settings = resolveSettings(options, sources);
    this.identity = { anonymousId: processAnonymousId(), userId: this.settings.userId, dialect: this.settings.dialect };
    this.transport = createTransport(this.settings, this.stats, options);
    track(this.stats);
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
      done(this.accept(spans));
    } catch (error) {
      done({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) });
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
      .finally(() => retire(this.stats));
    return this.shutdownPromise;
  }

  /** Counters of sent, pending and dropped events. */
  getStats(): StatsSnapshot {
    return this.stats.snapshot();
  }

  private accept(spans: readonly SpanLike[]): ExportResult {
    // During an outage the queue stays full: count the refused events without mapping them.
    if (this.transport.room() === 0) {
      dropQueueFull(this.stats, countTelemetryEvents(spans), this.settings.maxPendingEvents);
      return { code: ExportResultCode.SUCCESS };
    }
    const { messages: mapped, problems } = toTrackMessages(spans, this.identity);
    for (const problem of problems) {
      this.stats.invalidProperties++;
      once('warn', problemKey(problem), `${problem.event}: dropped attribute ${problem.attribute} (${problem.problem})`);
    }
    // De-duplicate on the whole anonymized text, then cut what is over Segment's limit.
    const messages: TrackMessage[] = [];
    for (const message of mapped) {
      if (!this.deduper.firstTime(message)) {
        this.stats.deduplicated++;
        continue;
      }
      const fitted = fitMessage(message);
      if (fitted.truncated) {
        this.stats.truncated++;
        once('info', 'truncated', 'a telemetry event over 32 KB had its longest property truncated (counted)');
      }
      messages.push(fitted.message);
    }
    // Events refused for a full queue are counted and logged once by the transport. They are not reported as
    // FAILED: a BatchSpanProcessor would then log an error per batch and, at the end, skip our shutdown().
    if (messages.length > 0) this.transport.send(messages);
    return { code: ExportResultCode.SUCCESS };
  }

  private logSummary(): void {
    const s = this.stats.snapshot();
    const dropped = Object.entries(s.dropped).filter(([, n]) => n > 0).map(([reason, n]) => `${reason}=${n}`);
    log.info(
      `shutdown: sent=${s.sent} dropped=[${dropped.join(' ')}] invalidProperties=${s.invalidProperties} failedRequests=${s.failedRequests} retries=${s.retries}`,
    );
  }
}
