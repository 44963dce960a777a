/**
 * Delivery through @segment/analytics-node, with a bound on what waits for delivery, outcomes counted per
 * event, one log line per distinct failure cause, and a shutdown that honours its deadline.
 */
import { Analytics } from '@segment/analytics-node';
import type { HTTPClient } from '@segment/analytics-node';
import { withDeadline } from '../util/deadline.js';
import { log, once } from '../util/log.js';
import type { Settings } from '../exporter/settings.js';
import type { DropReason, ExporterStats } from '../exporter/stats.js';
import type { TrackMessage } from '../exporter/transform.js';
import { BridgeHttpClient } from './http-client.js';
import { Fifo } from './fifo.js';
import { isRetryableStatus } from './retry-policy.js';
import type { Transport } from './types.js';


/** Counts events refused because maxPendingEvents wait for delivery already; says so once per process. */
export function dropQueueFull(stats: ExporterStats, count: number, max: number): void {
  stats.drop('queue_full', count);
  once('warn', 'queue_full', `more than ${max} events wait for delivery; dropping new ones (counted)`);
}

/** Why Segment did not take an event, from analytics-node's failure reason. */
export function classifyFailure(reason: unknown): { drop: DropReason; cause: string } {
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
}

// analytics-node keeps abort() on its publisher; it is what closeAndFlush() calls when its timeout passes.
interface AbortablePublisher {
  _publisher?: { abort?: () => void };
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
  private readonly waiting = new Fifo<TrackMessage>();
  private inFlight = 0;
  private readonly window: number;
  private draining: Promise<void> | undefined;
  private closing: Promise<void> | undefined;
  private closed = false;
  /** Set when the shutdown deadline passed: failures from then on are shutdown drops. */
  private aborted = false;
  private final = false;

  constructor(
    private readonly settings: Settings,
    private readonly stats: ExporterStats,
    httpClient?: HTTPClient,
  ) {
    this.http = new BridgeHttpClient(stats, settings.maxRetries, httpClient);
    this.window = settings.flushAt * BATCHES_IN_FLIGHT;
    this.analytics = new Analytics({
      writeKey: settings.writeKey,
      host: settings.host,
      path: '/v1/batch',
      flushAt: settings.flushAt,
      flushInterval: settings.flushIntervalMillis,
      httpRequestTimeout: settings.httpRequestTimeoutMillis,
      // Retries happen in BridgeHttpClient, on timers the shutdown deadline can stop.
      maxRetries: 0,
      httpClient: this.http,
    });
    this.analytics.on('track', () => this.settle(undefined));
    this.analytics.on('error', (error: DeliveryError) => this.settle(error));
  }

  room(): number {
    return this.closed ? 0 : Math.max(0, this.settings.maxPendingEvents - this.stats.pending);
  }

  send(messages: readonly TrackMessage[]): void {
    for (const message of messages) {
      if (this.closed) {
        this.stats.drop('shutdown');
        continue;
      }
      if (this.stats.pending >= this.settings.maxPendingEvents) {
        dropQueueFull(this.stats, 1, this.settings.maxPendingEvents);
        continue;
      }
      this.stats.pending++;
      this.waiting.push(message);
    }
    this.pump();
  }

  /** Hands waiting events to analytics-node while fewer than `window` are in its hands. */
  private pump(): void {
    while (this.inFlight < this.window && !this.final) {
      const message = this.waiting.shift();
      if (message === undefined) return;
      this.inFlight++;
      this.analytics.track(message);
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
    this.waiting.clear();
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
      if (this.inFlight === 0) {
        this.pump();
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  }

  private settle(error: DeliveryError | undefined): void {
    if (this.final) return;
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.stats.pending = Math.max(0, this.stats.pending - 1);
    this.pump();
    if (error === undefined) {
      this.stats.sent++;
      return;
    }
    const { drop, cause } = this.aborted ? { drop: 'shutdown' as const, cause: 'shutdown deadline' } : classifyFailure(error.reason);
    this.stats.drop(drop);
    if (drop === 'rejected') once('error', `segment:${cause}`, `Segment rejected events (${cause}); check the write key and payloads`);
    else if (drop !== 'shutdown') once('warn', `segment:${cause}`, `events could not be delivered to Segment: ${cause}`);
  }
}
