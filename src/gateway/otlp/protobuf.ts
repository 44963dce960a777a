/**
 * OTLP protobuf → OtlpTraces. Field numbers from opentelemetry-proto (collector/trace/v1/trace_service.proto,
 * trace/v1/trace.proto, resource/v1/resource.proto):
 *   ExportTraceServiceRequest  1 resource_spans
 *   ResourceSpans              1 resource, 2 scope_spans (3 schema_url: skipped)
 *   Resource                   1 attributes
 *   ScopeSpans                 2 spans (1 scope, 3 schema_url: skipped)
 *   Span                       1 trace_id bytes, 2 span_id bytes, 11 events (the rest: skipped)
 *   Span.Event                 1 time_unix_nano fixed64, 2 name, 3 attributes
 * A span is first scanned for an event whose name bytes equal a telemetry event's; only then are its ids and
 * its telemetry events decoded. A span without one costs a walk over its top-level fields, and a resource
 * without such spans is never decoded. Skipped content is checked for framing only. Unknown fields of every
 * wire type are skipped; a repeated singular field keeps its last value, as protobuf parsers do.
 */
import type { Attributes, HrTime } from '@opentelemetry/api';
import { telemetryEventAt } from './event-names.js';
import { readKeyValue } from './protobuf-values.js';
import { FIXED64, LEN, ProtoReader } from './reader.js';
import type { OtlpEvent, OtlpResourceSpans, OtlpSpan, OtlpTraces } from './types.js';

const REQUEST_RESOURCE_SPANS = (1 << 3) | LEN;
const RESOURCE = (1 << 3) | LEN;
const SCOPE_SPANS = (2 << 3) | LEN;
const RESOURCE_ATTRIBUTES = (1 << 3) | LEN;
const SPANS = (2 << 3) | LEN;
const TRACE_ID = (1 << 3) | LEN;
const SPAN_ID = (2 << 3) | LEN;
const EVENTS = (11 << 3) | LEN;
const EVENT_TIME = (1 << 3) | FIXED64;
const EVENT_NAME = (2 << 3) | LEN;
const EVENT_ATTRIBUTES = (3 << 3) | LEN;

const TRACE_ID_BYTES = 16;
const SPAN_ID_BYTES = 8;
const ZERO_TRACE_ID = '0'.repeat(TRACE_ID_BYTES * 2);
const ZERO_SPAN_ID = '0'.repeat(SPAN_ID_BYTES * 2);
const NANOS_PER_SECOND = 1_000_000_000n;

/** Decodes an ExportTraceServiceRequest; throws OtlpDecodeError when the body is not one. */
export function decodeTracesProtobuf(body: Uint8Array): OtlpTraces {
  const r = new ProtoReader(body);
  const out: OtlpTraces = { resourceSpans: [], spanCount: 0 };
  const end = body.length;
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag === REQUEST_RESOURCE_SPANS) {
      const rsEnd = r.lengthEnd(end);
      readResourceSpans(r, rsEnd, out);
      r.pos = rsEnd;
    } else {
      r.skip(tag, end);
    }
  }
  return out;
}

function readResourceSpans(r: ProtoReader, end: number, out: OtlpTraces): void {
  const spans: OtlpSpan[] = [];
  // Where the resource message(s) lie: decoded only if a span here carries a telemetry event.
  const resources: number[] = [];
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag === RESOURCE) {
      const resourceEnd = r.lengthEnd(end);
      resources.push(r.pos, resourceEnd);
      r.pos = resourceEnd;
    } else if (tag === SCOPE_SPANS) {
      const scopeEnd = r.lengthEnd(end);
      out.spanCount += readScopeSpans(r, scopeEnd, spans);
      r.pos = scopeEnd;
    } else {
      r.skip(tag, end);
    }
  }
  if (spans.length === 0) return;
  const resource: Attributes = {};
  // Repeated occurrences of a message field merge; for a repeated field inside, that means appending.
  for (let i = 0; i < resources.length; i += 2) readResource(r, resources[i]!, resources[i + 1]!, resource);
  r.pos = end;
  out.resourceSpans.push({ resource, spans } satisfies OtlpResourceSpans);
}

function readResource(r: ProtoReader, start: number, end: number, into: Attributes): void {
  r.pos = start;
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag === RESOURCE_ATTRIBUTES) {
      const kvEnd = r.lengthEnd(end);
      readKeyValue(r, kvEnd, into);
      r.pos = kvEnd;
    } else {
      r.skip(tag, end);
    }
  }
}

/** Reads the spans of one ScopeSpans into `into` (those with telemetry events); returns how many it held. */
function readScopeSpans(r: ProtoReader, end: number, into: OtlpSpan[]): number {
  let count = 0;
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag === SPANS) {
      const spanEnd = r.lengthEnd(end);
      count++;
      const start = r.pos;
      if (hasTelemetryEvent(r, spanEnd)) into.push(readSpan(r, start, spanEnd));
      r.pos = spanEnd;
    } else {
      r.skip(tag, end);
    }
  }
  return count;
}

/** The skip path: walks a span's top-level fields and compares its events' name bytes. */
function hasTelemetryEvent(r: ProtoReader, end: number): boolean {
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag === EVENTS) {
      const eventEnd = r.lengthEnd(end);
      if (telemetryName(r, eventEnd) !== undefined) return true;
      r.pos = eventEnd;
    } else {
      r.skip(tag, end);
    }
  }
  return false;
}

/** The telemetry event an Event message (ending at `end`) names, by its last name field; leaves pos at end. */
function telemetryName(r: ProtoReader, end: number): string | undefined {
  let nameStart = -1;
  let nameEnd = -1;
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag === EVENT_NAME) {
      nameEnd = r.lengthEnd(end);
      nameStart = r.pos;
      r.pos = nameEnd;
    } else {
      r.skip(tag, end);
    }
  }
  return nameStart < 0 ? undefined : telemetryEventAt(r.buf, nameStart, nameEnd);
}

function readSpan(r: ProtoReader, start: number, end: number): OtlpSpan {
  const span: OtlpSpan = {
    traceId: ZERO_TRACE_ID,
    spanId: ZERO_SPAN_ID,
    events: [],
  };
  let index = 0;
  r.pos = start;
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag === TRACE_ID) {
      span.traceId = readId(r, end, TRACE_ID_BYTES, ZERO_TRACE_ID, 'trace_id');
    } else if (tag === SPAN_ID) {
      span.spanId = readId(r, end, SPAN_ID_BYTES, ZERO_SPAN_ID, 'span_id');
    } else if (tag === EVENTS) {
      const eventEnd = r.lengthEnd(end);
      const event = readEvent(r, eventEnd, index++);
      if (event !== undefined) span.events.push(event);
      r.pos = eventEnd;
    } else {
      r.skip(tag, end);
    }
  }
  return span;
}

/** An id as hex: empty means unset (zeros), any other length than `size` bytes is invalid. */
function readId(r: ProtoReader, end: number, size: number, zero: string, field: string): string {
  const idEnd = r.lengthEnd(end);
  const start = r.pos;
  r.pos = idEnd;
  if (idEnd === start) return zero;
  if (idEnd - start !== size) r.fail(`${field} of ${idEnd - start} bytes instead of ${size}`);
  return r.hex(start, idEnd);
}

/** Decodes an Event message when it is a telemetry event; undefined (and unread beyond its name) otherwise. */
function readEvent(r: ProtoReader, end: number, index: number): OtlpEvent | undefined {
  const start = r.pos;
  const name = telemetryName(r, end);
  if (name === undefined) return undefined;
  let lo = 0;
  let hi = 0;
  const attributes: Attributes = {};
  r.pos = start;
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag === EVENT_TIME) {
      r.fixed64(end);
      lo = r.lo;
      hi = r.hi;
    } else if (tag === EVENT_ATTRIBUTES) {
      const kvEnd = r.lengthEnd(end);
      readKeyValue(r, kvEnd, attributes);
      r.pos = kvEnd;
    } else {
      r.skip(tag, end);
    }
  }
  return { index, name, time: hrTime(lo, hi), attributes };
}

/** Unsigned 64-bit nanoseconds since the epoch as an exact HrTime (past 2^53 ns, so through BigInt). */
function hrTime(lo: number, hi: number): HrTime {
  const nanos = (BigInt(hi) << 32n) | BigInt(lo);
  return [Number(nanos / NANOS_PER_SECOND), Number(nanos % NANOS_PER_SECOND)];
}
