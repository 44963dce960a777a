/** The transport of an exporter that must not send: telemetry opted out, or no write key. */
import type { DropReason, ExporterStats } from '../exporter/stats.js';
import type { TrackMessage } from '../exporter/types.js';
import type { SendReport, Transport } from './types.js';

export class SilentTransport implements Transport {
  constructor(
    private readonly stats: ExporterStats,
    private readonly reason: DropReason,
    /** Called with the number of events each time some are dropped (the exporter warns once). */
    private readonly onDrop: (count: number) => void = () => undefined,
  ) {}

  room(): number {
    return Infinity;
  }

  send(messages: readonly TrackMessage[]): Promise<SendReport> {
    this.stats.drop(this.reason, messages.length);
    if (messages.length > 0) this.onDrop(messages.length);
    return Promise.resolve({ delivered: 0, dropped: { [this.reason]: messages.length } });
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }

  unacknowledged(): TrackMessage[] {
    return [];
  }

  throttledFor(): undefined {
    return undefined;
  }
}
