/** One readable line per received message, for the sink command and the demo. */
import type { ReceivedMessage } from './receiver.js';

/** Formats a received message; the userId (an API key) is shown only as present or absent. */
export function formatMessage(message: ReceivedMessage): string {
  const b = message.body;
  const time = typeof b['timestamp'] === 'string' ? b['timestamp'] : '?';
  const event = String(b['event']).padEnd(22);
  const anonymous = typeof b['anonymousId'] === 'string' ? b['anonymousId'].slice(0, 8) : '?';
  const user = typeof b['userId'] === 'string' ? 'userId=set' : 'userId=none';
  const properties = Object.entries((b['properties'] ?? {}) as Record<string, unknown>)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(' ');
  const verdict = message.errors.length === 0 ? 'valid' : `INVALID: ${message.errors.join('; ')}`;
  return `${time}  ${event} anon=${anonymous}… ${user}  ${properties}  [${verdict}]`;
}
