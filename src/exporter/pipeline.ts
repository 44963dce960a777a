/**
 * The export pipeline after the span processor: map (transform.ts) → de-duplicate → fit Segment's size limit →
 * hand to the transport. The in-process exporter and the gateway both deliver through one of these, so both
 * validate, anonymize, de-duplicate, cut and count alike.
 */
import { describeProblem } from '../catalogue/index.js';
import type { SendReport, Transport } from '../transport/types.js';
import { once } from '../util/log.js';
import { Deduper } from './dedupe.js';
import { queryIdFor } from './privacy.js';
import { messageIdFor } from './message-id.js';
import { fitMessage } from './size.js';
import type { ExporterStats } from './stats.js';
import { countTelemetryEvents, toTrackMessages } from './transform.js';
import type { Identity } from './transform.js';
import type { SpanLike, TrackMessage } from './types.js';

/** What one delivery call did. */
export interface Delivery {
  /** Telemetry events handed to the transport. */
  handed: number;
  /** Repeats of an already reported query or schema, not sent again. */
  deduplicated: number;
  /** Settles when the transport delivered or dropped every handed event. Never rejects. */
  report: Promise<SendReport>;
}

const NOTHING: Promise<SendReport> = Promise.resolve({ delivered: 0, dropped: {} });

/**
 * When `dedupeOnDelivery` is set (the gateway), a query or schema counts as reported only once Segment took it,
 * so a request the gateway refused and the client repeats is not de-duplicated away.
 */
export interface PipelineOptions {
  dedupeOnDelivery?: boolean;
}

export class Pipeline {
  private readonly deduper = new Deduper();

  constructor(
    private readonly transport: Transport,
    private readonly stats: ExporterStats,
    private readonly maxPendingEvents: number,
    private readonly options: PipelineOptions = {},
  ) {}

  /** Maps the spans' telemetry events for `identity` and hands them over; never throws for bad input. */
  deliver(spans: readonly SpanLike[], identity: Identity): Delivery {
    // During an outage the queue stays full: count the refused events without mapping them.
    if (this.transport.room() === 0) {
      const count = countTelemetryEvents(spans);
      if (count > 0) return { handed: 0, deduplicated: 0, report: Promise.resolve(this.refuse(count)) };
      return { handed: 0, deduplicated: 0, report: NOTHING };
    }
    const { messages: mapped, problems } = toTrackMessages(spans, identity);
    for (const { event, attribute, problem } of problems) {
      this.stats.invalidProperties++;
      const name = attribute.replace(/^readyset\./, '');
      once(
        'warn',
        `property:${event}:${attribute}:${problem}`,
        `${event}: dropped attribute ${attribute}: ${describeProblem(name, problem)}`,
      );
    }
    const messages: TrackMessage[] = [];
    let deduplicated = 0;
    for (const message of mapped) {
      const repeat =
        this.options.dedupeOnDelivery === true ? this.deduper.has(message) : !this.deduper.firstTime(message);
      if (repeat) {
        this.stats.deduplicated++;
        deduplicated++;
        continue;
      }
      messages.push(this.fit(message));
    }
    if (messages.length === 0) return { handed: 0, deduplicated, report: NOTHING };
    const report = this.transport.send(messages);
    if (this.options.dedupeOnDelivery === true) {
      void report.then((r) => {
        // Remember only what was delivered: every message of a fully delivered send.
        if (r.delivered === messages.length) for (const message of messages) this.deduper.remember(message);
      });
    }
    return { handed: messages.length, deduplicated, report };
  }

  /** Counts events refused for a full queue (said once). */
  refuse(count: number): SendReport {
    this.stats.drop('queue_full', count);
    once(
      'warn',
      'queue_full',
      `more than ${this.maxPendingEvents} events wait for delivery; dropping new ones (counted)`,
    );
    return { delivered: 0, dropped: { queue_full: count }, cause: 'queue full' };
  }

  /** Cuts what is over Segment's 32 KB; a cut query gets the id of the text actually sent. */
  private fit(message: TrackMessage): TrackMessage {
    const fitted = fitMessage(message);
    if (!fitted.truncated) return message;
    this.stats.truncated++;
    once('info', 'truncated', 'a telemetry event over 32 KB had its longest property truncated (counted)');
    const out = fitted.message;
    const sent = out.properties.proxied_query;
    if (sent !== undefined && sent !== message.properties.proxied_query) {
      out.properties = { ...out.properties, query_id: queryIdFor(sent) };
      out.messageId = messageIdFor(out.anonymousId, out.event, out.properties, {
        traceId: '',
        spanId: '',
        eventIndex: 0,
      });
    }
    return out;
  }
}
