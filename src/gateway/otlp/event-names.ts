/**
 * The telemetry event names as UTF-8 bytes, so the protobuf decoder can tell a telemetry event by comparing
 * name bytes in place, without decoding the name of every event it skips. The set is the catalogue's
 * (`isTelemetryEvent`); this only indexes it by byte length.
 */
import { TELEMETRY_EVENTS, isTelemetryEvent, type TelemetryEvent } from '../../catalogue/index.js';

interface EncodedName {
  bytes: Uint8Array;
  name: TelemetryEvent;
}

const encoder = new TextEncoder();
const BY_LENGTH: EncodedName[][] = [];
for (const name of TELEMETRY_EVENTS) {
  if (!isTelemetryEvent(name)) continue;
  const bytes = encoder.encode(name);
  (BY_LENGTH[bytes.length] ??= []).push({ bytes, name });
}

/** The telemetry event whose name is exactly buf[start, end), or undefined. */
export function telemetryEventAt(buf: Uint8Array, start: number, end: number): TelemetryEvent | undefined {
  const candidates = BY_LENGTH[end - start];
  if (candidates === undefined) return undefined;
  for (const { bytes, name } of candidates) {
    let i = 0;
    while (i < bytes.length && buf[start + i] === bytes[i]) i++;
    if (i === bytes.length) return name;
  }
  return undefined;
}
