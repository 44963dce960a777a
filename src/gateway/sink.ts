/**
 * The gateway's delivery sink: decoded OTLP requests → the exporter's own pipeline (transform, anonymization,
 * dedupe, size limits, transport) → Segment, with an answer for the client that is safe to act on:
 * - `accepted` only once Segment took the request's telemetry events (or there were none); events refused for
 *   good (no anonymousId, a payload Segment rejects) are counted in partial_success;
 * - `retry` 429 when the pending bound is reached or Segment asked to slow down (its Retry-After), 503 when
 *   Segment fails or is slower than the ack deadline. The client (the Collector's retry and persistent queue)
 *   then owns durability; its repeats carry the same messageIds, which Segment de-duplicates.
 * Identity comes from the producer's resource: readyset.anonymous_id, else service.instance.id; userId from
 * readyset.user_id, else RS_API_KEY. The write key is the gateway's own and never comes from the wire.
 */
import type { Attributes } from '@opentelemetry/api';
import { createTransport } from '../exporter/exporter.js';
import { ensureInstruments, retire, track } from '../exporter/metrics.js';
import { Pipeline } from '../exporter/pipeline.js';
import { resolveSettings } from '../exporter/settings.js';
import { ExporterStats } from '../exporter/stats.js';
import type { Identity } from '../exporter/transform.js';
import type { SegmentExporterOptions, SettingsSources, SpanEventLike, SpanLike } from '../exporter/types.js';
import type { SendReport } from '../transport/types.js';
import { withDeadline } from '../util/deadline.js';
import { once } from '../util/log.js';
import type { OtlpResourceSpans, OtlpTraces } from './otlp/types.js';
import type { GatewaySink, SubmitOutcome } from './types.js';

/** Resource attributes that name the reporter. */
const ANONYMOUS_ID_ATTRIBUTES = ['readyset.anonymous_id', 'service.instance.id'] as const;
const USER_ID_ATTRIBUTE = 'readyset.user_id';

/** Consecutive failed requests after which the gateway reports itself unready. */
const UNHEALTHY_AFTER_FAILURES = 3;
/** Retry-After when the gateway has no better figure. */
const DEFAULT_RETRY_SECONDS = 5;

function stringAttribute(attributes: Attributes, name: string): string | undefined {
  const value = attributes[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** A decoded span in the exporter's span shape: events at their wire positions, so messageIds match. */
function asSpans(group: OtlpResourceSpans): SpanLike[] {
  const resource = { attributes: group.resource };
  return group.spans.map((span) => {
    const events: SpanEventLike[] = [];
    for (const event of span.events)
      events[event.index] = { name: event.name, time: event.time, attributes: event.attributes };
    const context = { traceId: span.traceId, spanId: span.spanId, traceFlags: 1 };
    return { events, resource, spanContext: () => context };
  });
}

function eventCount(group: OtlpResourceSpans): number {
  return group.spans.reduce((n, span) => n + span.events.length, 0);
}

function seconds(millis: number | undefined): number {
  return millis === undefined ? DEFAULT_RETRY_SECONDS : Math.max(1, Math.ceil(millis / 1000));
}

/** Creates the sink; throws when the gateway could not deliver at all (no write key, unusable host). */
export function createGatewaySink(options: SegmentExporterOptions = {}, sources: SettingsSources = {}): GatewaySink {
  const settings = resolveSettings(options, sources);
  if (settings.mode === 'no_key') throw new Error('the gateway needs a Segment write key: set RS_SEGMENT_WRITE_KEY');
  if (settings.mode === 'invalid_host') throw new Error(settings.hostProblem ?? 'RS_SEGMENT_HOST is unusable');
  const stats = new ExporterStats();
  const transport = createTransport(settings, stats, options);
  const pipeline = new Pipeline(transport, stats, settings.maxPendingEvents, { dedupeOnDelivery: true });
  track(stats);
  let failures = 0;

  function identityOf(resource: Attributes): Identity | undefined {
    const anonymousId = ANONYMOUS_ID_ATTRIBUTES.map((name) => stringAttribute(resource, name)).find(
      (v) => v !== undefined,
    );
    if (anonymousId === undefined) return undefined;
    return {
      anonymousId,
      userId: stringAttribute(resource, USER_ID_ATTRIBUTE) ?? settings.userId,
      dialect: settings.dialect,
    };
  }

  function outcomeOf(reports: SendReport[], rejected: number, reasons: string[]): SubmitOutcome {
    let permanent = 0;
    let retryable: 429 | 503 | undefined;
    let cause: string | undefined;
    for (const report of reports) {
      const d = report.dropped;
      permanent += (d.rejected ?? 0) + (d.oversized ?? 0);
      if ((d.queue_full ?? 0) > 0) retryable = 429;
      else if ((d.delivery_failed ?? 0) + (d.shutdown ?? 0) > 0) retryable ??= 503;
      cause = report.cause ?? cause;
    }
    if (retryable !== undefined) {
      failures++;
      const throttle = transport.throttledFor();
      const status = throttle !== undefined ? 429 : retryable;
      return {
        kind: 'retry',
        status,
        retryAfterSeconds: seconds(throttle),
        reason: cause ?? 'Segment did not take the events',
      };
    }
    failures = 0;
    if (permanent > 0) reasons.push(`${permanent} telemetry events were refused by Segment (${cause ?? 'rejected'})`);
    const total = rejected + permanent;
    return total === 0
      ? { kind: 'accepted', rejectedSpans: 0 }
      : { kind: 'accepted', rejectedSpans: total, errorMessage: reasons.join('; ') };
  }

  return {
    async submit(traces: OtlpTraces, ackTimeoutMillis: number): Promise<SubmitOutcome> {
      ensureInstruments();
      if (traces.resourceSpans.length === 0) return { kind: 'accepted', rejectedSpans: 0 };
      if (transport.room() === 0) {
        return {
          kind: 'retry',
          status: 429,
          retryAfterSeconds: seconds(transport.throttledFor()),
          reason: 'too many events wait for delivery',
        };
      }
      const reports: Promise<SendReport>[] = [];
      const reasons: string[] = [];
      let rejected = 0;
      for (const group of traces.resourceSpans) {
        const identity = identityOf(group.resource);
        if (identity === undefined) {
          rejected += eventCount(group);
          once(
            'warn',
            'gateway:no-anonymous-id',
            'telemetry events without readyset.anonymous_id or service.instance.id are refused',
          );
          continue;
        }
        reports.push(pipeline.deliver(asSpans(group), identity).report);
      }
      if (rejected > 0)
        reasons.push(
          `${rejected} telemetry events carry no reporter id: set the resource attribute readyset.anonymous_id (or service.instance.id)`,
        );
      const all = Promise.all(reports);
      if (!(await withDeadline(all, ackTimeoutMillis, true))) {
        failures++;
        const throttle = transport.throttledFor();
        if (throttle !== undefined)
          return {
            kind: 'retry',
            status: 429,
            retryAfterSeconds: seconds(throttle),
            reason: 'Segment asked to slow down',
          };
        return {
          kind: 'retry',
          status: 503,
          retryAfterSeconds: DEFAULT_RETRY_SECONDS,
          reason: 'Segment did not answer within the ack deadline',
        };
      }
      return outcomeOf(await all, rejected, reasons);
    },
    unhealthy: () => failures >= UNHEALTHY_AFTER_FAILURES,
    async close(deadlineMillis: number): Promise<void> {
      await transport.shutdown(Math.max(1, deadlineMillis));
      retire(stats);
    },
    getStats: () => stats.snapshot(),
  };
}
