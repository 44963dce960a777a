/**
 * The HTTP client @segment/analytics-node sends through. It owns retries (analytics-node is configured with
 * maxRetries 0) so that every wait is an unref'd timer that the shutdown deadline can cut short: fetch with a
 * per-request timeout, backoff and Retry-After, requests never traced back into the span pipeline, outcomes
 * counted, and everything in flight abortable at once.
 */
import { setMaxListeners } from 'node:events';
import { context } from '@opentelemetry/api';
import type { HTTPClient, HTTPClientRequest, HTTPResponse } from '@segment/analytics-node';
import type { ExporterStats } from '../exporter/stats.js';
import { suppressTracing } from '../util/suppress-tracing.js';
import { splitBatchBody } from './batch-split.js';
import { backoffMillis, isRetryableStatus, retryAfterMillis } from './retry-policy.js';

/** Waits `millis` on an unref'd timer; rejects with the signal's reason when it aborts first. */
function sleep(millis: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, millis);
    timer.unref();
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function headerValue(headers: HTTPResponse['headers'], name: string): string | undefined {
  if (headers === undefined) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const value = (headers as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

export class BridgeHttpClient implements HTTPClient {
  private readonly stopped = new AbortController();
  /** Until when Segment asked to wait (429 with Retry-After), and for how long. */
  private throttle: { until: number; millis: number } | undefined;

  constructor(
    private readonly stats: ExporterStats,
    private readonly maxRetries: number,
    private readonly inner?: HTTPClient,
  ) {
    // Every batch waiting to retry listens for the shutdown: many may wait at once during an outage.
    setMaxListeners(0, this.stopped.signal);
  }

  makeRequest(request: HTTPClientRequest): Promise<HTTPResponse> {
    // Segment's own requests must not become spans that come back to this exporter.
    return context.with(suppressTracing(context.active()), () => this.deliverAll(request));
  }

  /** Sends a batch over Segment's 500 KB limit as several requests; the first failure fails the whole. */
  private async deliverAll(request: HTTPClientRequest): Promise<HTTPResponse> {
    const bodies = splitBatchBody(request.body);
    let response: HTTPResponse | undefined;
    for (const body of bodies) {
      response = await this.deliver(bodies.length === 1 ? request : { ...request, body });
      if (response.status >= 400) return response;
    }
    return response as HTTPResponse;
  }

  /** The Retry-After Segment last asked for, while that wait lasts. */
  throttledFor(): number | undefined {
    const throttle = this.throttle;
    return throttle !== undefined && throttle.until > Date.now() ? throttle.until - Date.now() : undefined;
  }

  /** Aborts every request and wait in flight, and refuses new ones. */
  abortAll(): void {
    this.stopped.abort(new Error('shutdown deadline passed'));
  }

  /**
   * Sends until Segment answers with success or a final status (returned to analytics-node as is), or gives up
   * after maxRetries counted retries (throws the last error). Waits asked for by Retry-After are not counted, up
   * to 20 of them.
   */
  private async deliver(request: HTTPClientRequest): Promise<HTTPResponse> {
    let counted = 0;
    for (let attempt = 0; ; attempt++) {
      const { response, error } = await this.attempt(
        attempt === 0 ? request : { ...request, headers: { ...request.headers, 'X-Retry-Count': String(attempt) } },
      );
      if (response !== undefined && (response.status < 400 || !isRetryableStatus(response.status))) return response;
      if (this.stopped.signal.aborted) throw this.stopped.signal.reason as Error;
      const failure = error ?? new Error(`[${response?.status}] ${response?.statusText ?? ''}`);
      const asked =
        response?.status === 429 ? retryAfterMillis(headerValue(response.headers, 'retry-after')) : undefined;
      if (asked !== undefined) this.throttle = { until: Date.now() + asked, millis: asked };
      if (asked === undefined) counted++;
      if (counted > this.maxRetries || attempt >= this.maxRetries + 20) throw failure;
      this.stats.retries++;
      await sleep(asked ?? backoffMillis(counted - 1), this.stopped.signal);
    }
  }

  private async attempt(request: HTTPClientRequest): Promise<{ response?: HTTPResponse; error?: Error }> {
    try {
      if (this.stopped.signal.aborted) throw this.stopped.signal.reason as Error;
      const response = this.inner ? await this.inner.makeRequest(request) : await this.fetch(request);
      if (response.status >= 400) this.stats.failedRequests++;
      return { response };
    } catch (error) {
      this.stats.failedRequests++;
      return { error: error instanceof Error ? error : new Error(String(error)) };
    }
  }

  private async fetch(request: HTTPClientRequest): Promise<HTTPResponse> {
    const signal = AbortSignal.any([AbortSignal.timeout(request.httpRequestTimeout), this.stopped.signal]);
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal,
    });
    // Reading the body frees the connection for keep-alive; Segment's answers are a few bytes.
    const body = await response.text();
    return {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
      text: () => Promise.resolve(body),
    };
  }
}
