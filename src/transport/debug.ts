/** Debug mode: each Track payload becomes one JSON line (on stderr by default); nothing is sent. */
import type { ExporterStats } from '../exporter/stats.js';
import type { TrackMessage } from '../exporter/types.js';
import type { SendReport, Transport } from './types.js';

/** Shown instead of the userId: RS_API_KEY is a credential and is never printed. */
export const REDACTED_USER_ID = '[RS_API_KEY]';

/** The debug line of one message: the Track payload as Segment would receive it, userId redacted. */
function debugLine(message: TrackMessage): string {
  const payload = { type: 'track', ...message, ...(message.userId === undefined ? {} : { userId: REDACTED_USER_ID }) };
  return JSON.stringify(payload);
}

export class DebugTransport implements Transport {
  constructor(
    private readonly stats: ExporterStats,
    private readonly write: (line: string) => void = (line) => process.stderr.write(line + '\n'),
  ) {}

  room(): number {
    return Infinity;
  }

  send(messages: readonly TrackMessage[]): Promise<SendReport> {
    for (const message of messages) {
      this.write(debugLine(message));
      this.stats.sent++;
    }
    return Promise.resolve({ delivered: messages.length, dropped: {} });
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
