/** What every transport (Segment, debug printer, nothing) offers the export pipeline. */
import type { DropReason } from '../exporter/stats.js';
import type { TrackMessage } from '../exporter/types.js';

/** How the messages of one send() ended: each is either delivered or dropped for a reason. Never rejects. */
export interface SendReport {
  delivered: number;
  /** Messages not delivered, by reason (refused for a full queue, rejected by Segment, failed, shutdown, …). */
  dropped: Partial<Record<DropReason, number>>;
  /** The last failure cause, for people (e.g. `HTTP 503`); never a key or a payload. */
  cause?: string;
}

export interface Transport {
  /** How many more events send() would accept now (Infinity when it never refuses). */
  room(): number;
  /**
   * Hands messages over for delivery and returns at once. Never throws; refusals are counted in the stats. The
   * promise settles when every message is delivered or dropped (the gateway acknowledges on it).
   */
  send(messages: readonly TrackMessage[]): Promise<SendReport>;
  /** Resolves when everything handed over so far is settled, or at the deadline, whichever comes first. */
  flush(timeoutMillis: number): Promise<void>;
  /** Delivers what is pending within the deadline, then drops (and counts) the rest. Idempotent. */
  shutdown(timeoutMillis: number): Promise<void>;
  /** Messages accepted but not yet acknowledged by Segment (waiting and in flight): what an exit would lose. */
  unacknowledged(): TrackMessage[];
  /** Milliseconds Segment last asked to wait (429 Retry-After) while that wait lasts, else undefined. */
  throttledFor(): number | undefined;
}
