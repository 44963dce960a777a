/** What every transport (Segment, debug printer, nothing) offers the exporter. */
import type { TrackMessage } from '../exporter/transform.js';

export interface Transport {
  /** How many more events send() would accept now (Infinity when it never refuses). */
  room(): number;
  /** Hands messages over for delivery. Never throws; refusals are counted in the stats. */
  send(messages: readonly TrackMessage[]): void;
  /** Resolves when everything handed over so far is settled, or at the deadline, whichever comes first. */
  flush(timeoutMillis: number): Promise<void>;
  /** Delivers what is pending within the deadline, then drops (and counts) the rest. Idempotent. */
  shutdown(timeoutMillis: number): Promise<void>;
}
