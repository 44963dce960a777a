/**
 * Delivery through @segment/analytics-node, with a bound on what waits for delivery, outcomes counted per
 * event, one log line per distinct failure cause, and a shutdown that honours its deadline.
 */
import { Analytics } from '@segment/analytics-node';
import type { HTTPClient } from '@segment/analytics-node';
import { log, once } from '../log.js';
import type { Settings } from '../settings.js';
import type { DropReason, ExporterStats } from '../stats.js';
import type { TrackMessage } from '../transform.js';
import { BridgeHttpClient } from './http-client.js';
import { isRetryableStatus } from './retry-policy.js';
import type { Transport } from './types.js';

/** Resolves true when `promise` settles first, false when `millis` pass first. */
export function withDeadline(promise: Promise<unknown>, millis: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), millis);
  });
  return Promise.race([promise.then(() => true, () => true), deadline]).finally(() => clearTimeout(timer));
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

export class SegmentTransport implements Transport {
  private readonly analytics: Analytics;
  private readonly http: BridgeHttpClient;
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

  send(messages: readonly TrackMessage[]): void {
    for (const message of messages) {
      if (this.closed) {
        this.stats.drop('shutdown');
        continue;
      }
      if (this.stats.pending >= this.settings.maxPendingEvents) {
        this.stats.drop('queue_full');
        once('warn', 'queue_full', `more than ${this.settings.maxPendingEvents} events wait for delivery; dropping new ones (counted)`);
        continue;
      }
      this.stats.pending++;
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
    if (this.stats.pending > 0) {
      this.stats.drop('shutdown', this.stats.pending);
      this.stats.pending = 0;
    }
    if (this.stats.dropped.shutdown > 0) {
      log.warn(`${this.stats.dropped.shutdown} events were still undelivered at the shutdown deadline and are dropped`);
    }
  }

  /** analytics.flush() without a timeout (its timeout would abort delivery); one at a time, as it requires. */
  private drain(): Promise<void> {
    this.draining ??= this.analytics.flush({}).finally(() => {
      this.draining = undefined;
    });
    return this.draining;
  }

  private settle(error: DeliveryError | undefined): void {
    if (this.final) return;
    this.stats.pending = Math.max(0, this.stats.pending - 1);
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
