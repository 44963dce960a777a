/** The per-process anonymous id: one random UUID v4 shared by every exporter in the process. */
import { randomUUID } from 'node:crypto';

// A global symbol, so the ESM and CommonJS builds loaded side by side still share one id.
const KEY = Symbol.for('otel-segment-bridge.anonymousId');

/** This process's anonymousId (a UUID v4 made on first use). */
export function processAnonymousId(): string {
  const store = globalThis as unknown as Record<symbol, string | undefined>;
  return (store[KEY] ??= randomUUID());
}
