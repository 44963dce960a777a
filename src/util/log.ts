/** The bridge's diag logger, and warnings that are said once per cause instead of once per event. */
import { diag } from '@opentelemetry/api';

/** Component logger: every message is prefixed with the package name. */
export const log = diag.createComponentLogger({ namespace: 'otel-segment-bridge' });

const MAX_REMEMBERED = 1024;
const said = new Set<string>();

/**
 * Logs `message` at `level` the first time `key` is seen in this process. The set of keys is bounded: past
 * 1024 distinct causes, further ones are logged every time rather than remembered.
 */
export function once(level: 'warn' | 'error' | 'info', key: string, message: string): void {
  if (said.has(key)) return;
  if (said.size < MAX_REMEMBERED) said.add(key);
  log[level](message);
}
