/**
 * Misconfiguration that must be visible without a diag logger: one `process.emitWarning` per cause per process,
 * with a code users can filter (`node --disable-warning=OTEL_SEGMENT_BRIDGE_NO_WRITE_KEY`), plus a count of how
 * often the cause occurred. The diag line is the caller's. Shared across the ESM and CommonJS builds through a
 * global symbol, so a process warns once however it loaded the bridge.
 */

/** The codes of the bridge's process warnings. */
export type WarningCode =
  | 'OTEL_SEGMENT_BRIDGE_NO_WRITE_KEY'
  | 'OTEL_SEGMENT_BRIDGE_WRITE_KEY_REJECTED'
  | 'OTEL_SEGMENT_BRIDGE_INVALID_HOST'
  | 'OTEL_SEGMENT_BRIDGE_SECOND_SDK';

interface WarningState {
  counts: Map<string, number>;
}

const KEY = Symbol.for('otel-segment-bridge.warnings');

function state(): WarningState {
  const store = globalThis as unknown as Record<symbol, WarningState | undefined>;
  return (store[KEY] ??= { counts: new Map() });
}

/** Counts the cause; the first time in this process, emits a process warning with that code. Never throws. */
export function warnOnce(code: WarningCode, message: string): void {
  const counts = state().counts;
  const seen = counts.get(code) ?? 0;
  counts.set(code, seen + 1);
  if (seen > 0) return;
  try {
    process.emitWarning(message, { type: 'OtelSegmentBridgeWarning', code });
  } catch {
    // A host that made warnings throw (--throw-deprecation does not, but a custom handler might) keeps running.
  }
}

/** How often each cause occurred in this process. */
export function warningCounts(): Record<string, number> {
  return Object.fromEntries(state().counts);
}
