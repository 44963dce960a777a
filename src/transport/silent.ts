/** The transport of an exporter that must not send: telemetry opted out, or no write key. */
import type { DropReason, ExporterStats } from '../exporter/stats.js';
import type { TrackMessage } from '../exporter/transform.js';
import type { Transport } from './types.js';

export class SilentTransport implements Transport {
  constructor(
    private readonly stats: ExporterStats,
    private readonly reason: DropReason,
  ) {}

  room(): number {
    return Infinity;
  }

  send(messages: readonly TrackMessage[]): void {
    this.stats.drop(this.reason, messages.length);
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
