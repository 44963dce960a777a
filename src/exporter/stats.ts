/** Counters of what the exporter did with each event: the bridge never loses an event without counting it. */

/** Why an event did not reach Segment. */
export type DropReason =
  | 'queue_full'
  | 'opted_out'
  | 'no_write_key'
  | 'invalid_host'
  | 'shutdown'
  | 'rejected'
  | 'delivery_failed'
  | 'oversized';

export const DROP_REASONS: readonly DropReason[] = [
  'queue_full',
  'opted_out',
  'no_write_key',
  'invalid_host',
  'shutdown',
  'rejected',
  'delivery_failed',
  'oversized',
];

/** A copy of the counters at one moment. */
export interface StatsSnapshot {
  /** Events acknowledged by Segment (or printed, in debug mode). */
  sent: number;
  /** Events currently waiting for delivery. */
  pending: number;
  dropped: Record<DropReason, number>;
  /** Property values left out because they did not match the schema. */
  invalidProperties: number;
  /** HTTP requests that failed (status >= 400 or a network error). */
  failedRequests: number;
  /** HTTP requests that repeated an earlier failed one. */
  retries: number;
  /** Repeats of an already reported query or schema, not sent again by design. */
  deduplicated: number;
  /** Messages whose longest property was cut to fit 32 KB (still sent). */
  truncated: number;
}

/** Mutable counters shared by an exporter and its transport. */
export class ExporterStats {
  sent = 0;
  pending = 0;
  invalidProperties = 0;
  failedRequests = 0;
  retries = 0;
  deduplicated = 0;
  truncated = 0;
  readonly dropped: Record<DropReason, number> = Object.fromEntries(DROP_REASONS.map((r) => [r, 0])) as Record<
    DropReason,
    number
  >;

  drop(reason: DropReason, count = 1): void {
    this.dropped[reason] += count;
  }

  snapshot(): StatsSnapshot {
    return {
      sent: this.sent,
      pending: this.pending,
      dropped: { ...this.dropped },
      invalidProperties: this.invalidProperties,
      failedRequests: this.failedRequests,
      retries: this.retries,
      deduplicated: this.deduplicated,
      truncated: this.truncated,
    };
  }
}
