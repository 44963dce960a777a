/**
 * Delivery through @segment/analytics-node, with a bound on what waits for delivery, outcomes counted per
 * event, one log line per distinct failure cause, and a shutdown that honours its deadline.
 */
import { Analytics } from '@segment/analytics-node';
import type { HTTPClient } from '@segment/analytics-node';
import { withDeadline } from '../util/deadline.js';
import { log, once } from '../util/log.js';
import { warnOnce } from '../util/warnings.js';
import type { Settings } from '../exporter/settings.js';
import type { DropReason, ExporterStats } from '../exporter/stats.js';
import type { TrackMessage } from '../exporter/types.js';
import { BridgeHttpClient } from './http-client.js';
import { Fifo } from './fifo.js';
import { isRetryableStatus } from './retry-policy.js';
import type { SendReport, Transport } from './types.js';

/** Counts events refused because maxPendingEvents wait for delivery already; says so once per process. */
function dropQueueFull(stats: ExporterStats, count: number, max: number): void {
  stats.drop('queue_full', count);
  once('warn', 'queue_full', `more than ${max} events wait for delivery; dropping new ones (counted)`);
}

/** Why Segment did not take an event, from analytics-node's failure reason. */
function classifyFailure(reason: unknown): { drop: DropReason; cause: string } {
  const message = reason instanceof Error ? reason.message : String(reason);
  const status = /^\[(\d{3})\]/.exec(message)?.[1];
  if (status !== undefined && !isRetryableStatus(Number(status))) return { drop: 'rejected', cause: `HTTP ${status}` };
  if (message.includes('maximum event size')) return { drop: 'oversized', cause: 'event over 32 KB' };
  if (status !== undefined) return { drop: 'delivery_failed', cause: `HTTP ${status}` };
  const code = (reason as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  return { drop: 'delivery_failed', cause: typeof code === 'string' ? `${message} (${code})` : message };
}

interface DeliveryError {
  code?: string;
  reason?: unknown;
  ctx?: { event?: { messageId?: string } };
}

/** The settings the Segment transport uses. */
export type SegmentTransportSettings = Pick<
  Settings,
  | 'writeKey'
  | 'batchUrl'
  | 'flushAt'
  | 'flushIntervalMillis'
  | 'httpRequestTimeoutMillis'
  | 'maxRetries'
  | 'maxPendingEvents'
>;

// analytics-node keeps abort() on its publisher; it is what closeAndFlush() calls when its timeout passes.
interface AbortablePublisher {
  _publisher?: { abort?: () => void };
}

/** The outcome of one send(): settles when its last message is delivered or dropped. */
class SendTracker {
  readonly report: SendReport = { delivered: 0, dropped: {} };
  readonly done: Promise<SendReport>;
  private resolve!: (report: SendReport) => void;

  constructor(private remaining: number) {
    this.done = new Promise((resolve) => (this.resolve = resolve));
    if (remaining === 0) this.resolve(this.report);
  }

  settle(drop: DropReason | undefined, cause?: string): void {
    if (drop === undefined) this.report.delivered++;
    else this.report.dropped[drop] = (this.report.dropped[drop] ?? 0) + 1;
    if (cause !== undefined) this.report.cause = cause;
    if (--this.remaining === 0) this.resolve(this.report);
  }
}

/** One accepted message and the send() it came with. */
interface Entry {
  message: TrackMessage;
  tracker: SendTracker;
}

/**
 * Batches handed to analytics-node at once, at most. analytics-node keeps about 14 KB per event it holds (a
 * Context with its stats, logs and promises); the bridge keeps the rest of the pending events as plain messages
 * (well under 1 KB each) and feeds them in as analytics-node settles earlier ones. A Segment outage then costs
 * a few MB, not maxPendingEvents × 14 KB.
 */
export const BATCHES_IN_FLIGHT = 2;

export class SegmentTransport implements Transport {
  private readonly analytics: Analytics;
  private readonly http: BridgeHttpClient;
  /** Accepted events not yet handed to analytics-node. */
  private readonly waiting = new Fifo<Entry>();
  /** Events in analytics-node's hands, by messageId (a retried event may be there twice). */
  private readonly inFlight = new Map<string, Entry[]>();
  private inFlightCount = 0;
  private readonly window: number;
  private draining: Promise<void> | undefined;
  private closing: Promise<void> | undefined;
  private closed = false;
  /** Set when the shutdown deadline passed: failures from then on are shutdown drops. */
  private aborted = false;
  private final = false;

  constructor(
    private readonly settings: SegmentTransportSettings,
    private readonly stats: ExporterStats,
    httpClient?: HTTPClient,
  ) {
    this.http = new BridgeHttpClient(stats, settings.maxRetries, httpClient);
    this.window = settings.flushAt * BATCHES_IN_FLIGHT;
    const url = new URL(settings.batchUrl);
    this.analytics = new Analytics({
      writeKey: settings.writeKey,
      // analytics-node resolves the path against the host (new URL(path, host)): a path in the host would be lost.
      host: url.origin,
      path: url.pathname,
      flushAt: settings.flushAt,
      flushInterval: settings.flushIntervalMillis,
      httpRequestTimeout: settings.httpRequestTimeoutMillis,
      // Retries happen in BridgeHttpClient, on timers the shutdown deadline can stop.
      maxRetries: 0,
      httpClient: this.http,
    });
    this.analytics.on('track', (ctx: { event?: { messageId?: string } }) =>
      this.settle(ctx.event?.messageId, undefined),
    );
    this.analytics.on('error', (error: DeliveryError) => this.settle(error.ctx?.event?.messageId, error));
  }

  room(): number {
    return this.closed ? 0 : Math.max(0, this.settings.maxPendingEvents - this.stats.pending);
  }

  send(messages: readonly TrackMessage[]): Promise<SendReport> {
    const tracker = new SendTracker(messages.length);
    for (const message of messages) {
      if (this.closed) {
        this.stats.drop('shutdown');
        tracker.settle('shutdown', 'shut down');
        continue;
      }
      if (this.stats.pending >= this.settings.maxPendingEvents) {
        dropQueueFull(this.stats, 1, this.settings.maxPendingEvents);
        tracker.settle('queue_full', 'queue full');
        continue;
      }
      this.stats.pending++;
      this.waiting.push({ message, tracker });
    }
    this.pump();
    return tracker.done;
  }

  unacknowledged(): TrackMessage[] {
    const messages: TrackMessage[] = [];
    for (const entries of this.inFlight.values()) for (const entry of entries) messages.push(entry.message);
    for (const entry of this.waiting.peekAll()) messages.push(entry.message);
    return messages;
  }

  throttledFor(): number | undefined {
    return this.http.throttledFor();
  }

  /** Hands waiting events to analytics-node while fewer than `window` are in its hands. */
  private pump(): void {
    while (this.inFlightCount < this.window && !this.final) {
      const entry = this.waiting.shift();
      if (entry === undefined) return;
      this.inFlightCount++;
      const id = entry.message.messageId;
      const same = this.inFlight.get(id);
      if (same === undefined) this.inFlight.set(id, [entry]);
      else same.push(entry);
      this.analytics.track(entry.message);
    }
  }

  async flush(timeoutMillis: number): Promise<void> {
    if (this.stats.pending === 0) return;
    await withDeadline(this.drain(), timeoutMillis);
  }

  shutdown(timeoutMillis: number): Promise<void> {
    this.closed = true;
    this.closing ??= this.close(timeoutMillis);
    return this.closing;
  }

  private async close(timeoutMillis: number): Promise<void> {
    if (this.stats.pending > 0 && !(await withDeadline(this.drain(), timeoutMillis))) {
      this.aborted = true;
      (this.analytics as unknown as AbortablePublisher)._publisher?.abort?.();
      this.http.abortAll();
      // Aborted batches settle within a few ticks; whatever has not by then is counted here, once.
      await withDeadline(this.drain(), 50);
    }
    this.final = true;
    for (const entry of this.waiting.clear()) entry.tracker.settle('shutdown', 'shutdown deadline');
    for (const entries of this.inFlight.values())
      for (const entry of entries) entry.tracker.settle('shutdown', 'shutdown deadline');
    this.inFlight.clear();
    if (this.stats.pending > 0) {
      this.stats.drop('shutdown', this.stats.pending);
      this.stats.pending = 0;
    }
    if (this.stats.dropped.shutdown > 0) {
      log.warn(`${this.stats.dropped.shutdown} events were still undelivered at the shutdown deadline and are dropped`);
    }
  }

  /** Sends what is pending now and resolves once nothing is; callers race it against their deadline. */
  private drain(): Promise<void> {
    this.draining ??= this.drainLoop().finally(() => {
      this.draining = undefined;
    });
    return this.draining;
  }

  private async drainLoop(): Promise<void> {
    while (this.stats.pending > 0 && !this.final) {
      // Without a timeout: analytics-node's timeout would abort delivery. One call at a time, as it requires.
      await this.analytics.flush({});
      // Events fed in while it flushed are flushed by the next round; yield so a stuck state cannot spin.
      if (this.inFlightCount === 0) {
        this.pump();
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  }

  /** The in-flight entry a settled analytics-node event belongs to (the oldest, when the id is there twice). */
  private take(messageId: string | undefined): Entry | undefined {
    const key = messageId ?? this.inFlight.keys().next().value;
    if (key === undefined) return undefined;
    const entries = this.inFlight.get(key);
    const entry = entries?.shift();
    if (entries !== undefined && entries.length === 0) this.inFlight.delete(key);
    return entry;
  }

  private settle(messageId: string | undefined, error: DeliveryError | undefined): void {
    if (this.final) return;
    const entry = this.take(messageId);
    this.inFlightCount = Math.max(0, this.inFlightCount - 1);
    this.stats.pending = Math.max(0, this.stats.pending - 1);
    this.pump();
    if (error === undefined) {
      this.stats.sent++;
      entry?.tracker.settle(undefined);
      return;
    }
    const { drop, cause } = this.aborted
      ? { drop: 'shutdown' as const, cause: 'shutdown deadline' }
      : classifyFailure(error.reason);
    this.stats.drop(drop);
    entry?.tracker.settle(drop, cause);
    if (drop === 'rejected') this.onRejected(cause);
    else if (drop !== 'shutdown')
      once('warn', `segment:${cause}`, `events could not be delivered to Segment: ${cause}`);
  }

  /** A key or payload Segment refuses for good: said once, also without a diag logger (a process warning). */
  private onRejected(cause: string): void {
    const auth = cause === 'HTTP 401' || cause === 'HTTP 403';
    const message = auth
      ? `Segment rejected the write key (${cause}); telemetry events are dropped: check RS_SEGMENT_WRITE_KEY`
      : `Segment rejected events (${cause}); they are dropped`;
    once('error', `segment:${cause}`, message);
    if (auth) warnOnce('OTEL_SEGMENT_BRIDGE_WRITE_KEY_REJECTED', message);
  }
}
