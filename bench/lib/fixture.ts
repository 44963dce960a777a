/** What the child programs in bench/fixtures share: arguments, a counting receiver, a counting diag logger. */
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { startReceiver } from '../../src/devtools/receiver.js';
import type { Receiver, ReceiverOptions } from '../../src/devtools/receiver.js';
import { epochMs } from './child.js';
import { peakRssMb } from './memory.js';

/** The number after `--name` on the command line, or `fallback`. */
export function numberArg(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  const value = index >= 0 ? Number(process.argv[index + 1]) : Number.NaN;
  return Number.isFinite(value) ? value : fallback;
}

/** The word after `--name` on the command line, or `fallback`. */
export function stringArg(name: string, fallback: string): string {
  const index = process.argv.indexOf(name);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}

export function sleep(millis: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, millis));
}

/** `promise`'s value, or `fallback` once `millis` pass first (the timer is cleared either way). */
export async function within<T>(promise: Promise<T>, millis: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<T>((resolve) => (timer = setTimeout(() => resolve(fallback), millis)));
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A loopback receiver that also counts distinct messageIds and notes when the `expected`-th one arrived. */
export interface CountingReceiver {
  receiver: Receiver;
  distinct(): number;
  duplicates(): number;
  /** Resolves with epochMs() of the arrival of the `expected`-th distinct message. */
  allArrived: Promise<number>;
}

export async function countingReceiver(expected: number, options: ReceiverOptions = {}): Promise<CountingReceiver> {
  const ids = new Set<unknown>();
  let duplicates = 0;
  let arrived: (at: number) => void = () => undefined;
  const allArrived = new Promise<number>((resolve) => (arrived = resolve));
  const receiver = await startReceiver({
    ...options,
    onMessage(message) {
      const id = message.body['messageId'];
      if (ids.has(id)) duplicates++;
      else ids.add(id);
      if (ids.size === expected) arrived(epochMs());
    },
  });
  return { receiver, distinct: () => ids.size, duplicates: () => duplicates, allArrived };
}

/** Counts diag warnings and errors (OpenTelemetry's and the bridge's) instead of printing them. */
export function countDiag(): { warn: number; error: number; lastError: string } {
  const counts = { warn: 0, error: 0, lastError: '' };
  const ignore = (): void => undefined;
  diag.setLogger(
    {
      error: (message: string) => {
        counts.error++;
        counts.lastError = message;
      },
      warn: () => void counts.warn++,
      info: ignore,
      debug: ignore,
      verbose: ignore,
    },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
  return counts;
}

/**
 * Records `events` with `record(i)` in chunks of `chunk`, yielding to the event loop between chunks as a busy
 * application would; `beforeChunk` may wait (backpressure). Resolves to the number of waits it reported.
 */
export async function recordInChunks(
  events: number,
  chunk: number,
  record: (i: number) => void,
  beforeChunk: (recorded: number) => Promise<number> = () => Promise.resolve(0),
): Promise<number> {
  let waits = 0;
  for (let i = 0; i < events;) {
    waits += await beforeChunk(i);
    const end = Math.min(events, i + chunk);
    for (; i < end; i++) record(i);
    await yieldToLoop();
  }
  return waits;
}

/** The timing and memory fields every delivery fixture reports. */
export function timingFields(
  events: number,
  started: number,
  recordedAt: number,
  flushed: number,
  rssBefore: number,
): Record<string, number> {
  return {
    events,
    started,
    flushed,
    flush_seconds: (flushed - started) / 1000,
    record_seconds: (recordedAt - started) / 1000,
    peak_rss_mb: peakRssMb(),
    rss_before_mb: rssBefore,
  };
}
