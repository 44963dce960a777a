/**
 * OTLP/JSON → OtlpTraces, per opentelemetry-proto's docs/specification.md ("JSON Protobuf Encoding"): the
 * protobuf JSON mapping of ExportTraceServiceRequest, with trace and span ids as hex strings (not base64),
 * lowerCamelCase field names (snake_case accepted), int64 as a number or a decimal string, and unknown fields
 * ignored. Enumerations (span kind, status code) are never read, so integers and names both pass. As on the
 * protobuf side, only spans with a telemetry event have their ids and events read.
 */
import type { Attributes, HrTime } from '@opentelemetry/api';
import { isTelemetryEvent } from '../../catalogue/index.js';
import { field, invalid, isObject, object, objects, string, type JsonObject } from './json-fields.js';
import { readAttributes } from './json-values.js';
import { OtlpDecodeError, type OtlpEvent, type OtlpSpan, type OtlpTraces } from './types.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const TRACE_ID = /^[0-9a-fA-F]{32}$/;
const SPAN_ID = /^[0-9a-fA-F]{16}$/;
const ZERO_TRACE_ID = '0'.repeat(32);
const ZERO_SPAN_ID = '0'.repeat(16);
const UINT64 = /^\d{1,20}$/;
const UINT64_MAX = 2n ** 64n - 1n;
const NANOS_PER_SECOND = 1_000_000_000n;

/** Decodes an OTLP/JSON ExportTraceServiceRequest; throws OtlpDecodeError when the body is not one. */
export function decodeTracesJson(body: Uint8Array | string): OtlpTraces {
  const request = parse(body);
  const out: OtlpTraces = { resourceSpans: [], spanCount: 0 };
  for (const rs of objects(request, 'resourceSpans', 'resource_spans')) {
    const spans: OtlpSpan[] = [];
    for (const ss of objects(rs, 'scopeSpans', 'scope_spans')) {
      for (const span of objects(ss, 'spans', 'spans')) {
        out.spanCount++;
        const decoded = readSpan(span);
        if (decoded !== undefined) spans.push(decoded);
      }
    }
    if (spans.length === 0) continue;
    const resource = object(rs, 'resource');
    const attributes: Attributes = resource === undefined ? {} : readAttributes(resource);
    out.resourceSpans.push({ resource: attributes, spans });
  }
  return out;
}

function parse(body: Uint8Array | string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(typeof body === 'string' ? body : utf8.decode(body));
  } catch {
    // The parser's own message quotes the body: never returned to the client.
    throw new OtlpDecodeError('invalid OTLP/JSON: not UTF-8 JSON');
  }
  if (!isObject(value)) return invalid('the request', 'a JSON object');
  return value;
}

function readSpan(span: JsonObject): OtlpSpan | undefined {
  const events = objects(span, 'events', 'events');
  // The skip path: names first, and nothing else of a span without a telemetry event.
  if (!events.some((event) => isTelemetryEvent(string(event, 'name')))) return undefined;
  const out: OtlpSpan = {
    traceId: readId(span, 'traceId', 'trace_id', TRACE_ID, ZERO_TRACE_ID),
    spanId: readId(span, 'spanId', 'span_id', SPAN_ID, ZERO_SPAN_ID),
    events: [],
  };
  events.forEach((event, index) => {
    const decoded = readEvent(event, index);
    if (decoded !== undefined) out.events.push(decoded);
  });
  return out;
}

/** A hex id: empty or absent means unset (zeros); anything but the right number of hex digits is invalid. */
function readId(span: JsonObject, camel: string, snake: string, pattern: RegExp, zero: string): string {
  const id = string(span, camel, snake);
  if (id === undefined || id === '') return zero;
  if (!pattern.test(id)) return invalid(camel, `${zero.length} hex digits`);
  return id.toLowerCase();
}

function readEvent(event: JsonObject, index: number): OtlpEvent | undefined {
  const name = string(event, 'name');
  if (!isTelemetryEvent(name)) return undefined;
  return {
    index,
    name,
    time: readTime(event),
    attributes: readAttributes(event),
  };
}

/** timeUnixNano (fixed64) from a decimal string or a JSON number, as an exact HrTime. */
function readTime(event: JsonObject): HrTime {
  const value = field(event, 'timeUnixNano', 'time_unix_nano');
  let nanos: bigint;
  if (value === undefined) nanos = 0n;
  else if (typeof value === 'string' && UINT64.test(value)) nanos = BigInt(value);
  else if (typeof value === 'number' && Number.isInteger(value) && value >= 0) nanos = BigInt(value);
  else return invalid('timeUnixNano', 'a uint64');
  if (nanos > UINT64_MAX) return invalid('timeUnixNano', 'a uint64');
  return [Number(nanos / NANOS_PER_SECOND), Number(nanos % NANOS_PER_SECOND)];
}
