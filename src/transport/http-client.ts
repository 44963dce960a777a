/**
 * The HTTP client @segment/analytics-node sends through: fetch with a per-request timeout, never traced back
 * into the span pipeline, counted in the stats, and abortable all at once when the shutdown deadline passes.
 */
import { context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import type { HTTPClient, HTTPClientRequest, HTTPResponse } from '@segment/analytics-node';
import type { ExporterStats } from '../stats.js';

export class BridgeHttpClient implements HTTPClient {
  private readonly stopped = new AbortController();

  constructor(
    private readonly stats: ExporterStats,
    private readonly inner?: HTTPClient,
  ) {}

  makeRequest(request: HTTPClientRequest): Promise<HTTPResponse> {
    // Segment's own requests must not become spans that come back to this exporter.
    return context.with(suppressTracing(context.active()), () => this.send(request));
  }

  /** Aborts every request in flight and refuses new ones. */
  abortAll(): void {
    this.stopped.abort(new Error('otel-segment-bridge: shutdown deadline passed'));
  }

  private async send(request: HTTPClientRequest): Promise<HTTPResponse> {
    if ('X-Retry-Count' in request.headers) this.stats.retries++;
    try {
      if (this.stopped.signal.aborted) throw this.stopped.signal.reason;
      const response = this.inner ? await this.inner.makeRequest(request) : await this.fetch(request);
      if (response.status >= 400) this.stats.failedRequests++;
      return response;
    } catch (error) {
      this.stats.failedRequests++;
      throw error;
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
    return { status: response.status, statusText: response.statusText, headers: response.headers, text: () => Promise.resolve(body) };
  }
}
