/** Checks a received message against the telemetry schema, the way Segment's side of the wire would see it. */
import { checkProperty, isTelemetryEvent } from '../catalogue/index.js';

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Problems of one message of a batch; empty when it is a valid telemetry Track body. */
export function validateTrackMessage(message: unknown): string[] {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return ['message is not an object'];
  const m = message as Record<string, unknown>;
  const errors: string[] = [];
  if (m['type'] !== 'track') errors.push(`type is ${JSON.stringify(m['type'])}, not "track"`);
  if (typeof m['anonymousId'] !== 'string' || m['anonymousId'] === '') errors.push('anonymousId is missing');
  if (m['userId'] !== undefined && typeof m['userId'] !== 'string') errors.push('userId is not a string');
  if (!isTelemetryEvent(m['event'])) errors.push(`event ${JSON.stringify(m['event'])} is not a telemetry event`);
  const timestamp = m['timestamp'];
  if (typeof timestamp !== 'string' || !ISO_DATE_TIME.test(timestamp) || Number.isNaN(Date.parse(timestamp))) {
    errors.push('timestamp is not an ISO 8601 date-time');
  }
  const properties = m['properties'];
  if (properties !== undefined) {
    if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) {
      errors.push('properties is not an object');
    } else {
      for (const [name, value] of Object.entries(properties)) {
        const problem = checkProperty(name, value);
        if (problem !== undefined) errors.push(`property ${name}: ${problem}`);
      }
    }
  }
  return errors;
}
