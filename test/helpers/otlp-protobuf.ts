/**
 * Just enough protobuf to read an OTLP ExportTraceServiceRequest: span names, span event names and string
 * resource attributes (field numbers from opentelemetry/proto/trace/v1/trace.proto).
 */
import type { OtlpSpan } from './otlp-receiver.js';

interface Field {
  number: number;
  bytes: Buffer | undefined;
}

function varint(buf: Buffer, at: number): [number, number] {
  let value = 0;
  let scale = 1;
  let i = at;
  for (;;) {
    const byte = buf[i++];
    if (byte === undefined) throw new Error('truncated varint');
    value += (byte & 0x7f) * scale;
    scale *= 128;
    if (byte < 0x80) return [value, i];
  }
}

/** The fields of one message; only length-delimited ones keep their bytes. */
function fields(buf: Buffer): Field[] {
  const out: Field[] = [];
  let at = 0;
  while (at < buf.length) {
    const [key, next] = varint(buf, at);
    at = next;
    const wire = key & 7;
    const number = Math.floor(key / 8);
    if (wire === 0) at = varint(buf, at)[1];
    else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else if (wire === 2) {
      const [length, start] = varint(buf, at);
      at = start + length;
      out.push({ number, bytes: buf.subarray(start, at) });
      continue;
    } else throw new Error(`unsupported wire type ${wire}`);
    out.push({ number, bytes: undefined });
  }
  return out;
}

function children(buf: Buffer, number: number): Buffer[] {
  return fields(buf).flatMap((f) => (f.number === number && f.bytes !== undefined ? [f.bytes] : []));
}

function text(buf: Buffer, number: number): string {
  return children(buf, number)[0]?.toString('utf8') ?? '';
}

function resourceAttributes(resource: Buffer | undefined): Record<string, string> {
  if (resource === undefined) return {};
  // Resource.attributes = 1: KeyValue { key = 1; AnyValue value = 2 { string_value = 1 } }
  return Object.fromEntries(
    children(resource, 1).map((kv) => {
      const value = children(kv, 2)[0];
      return [text(kv, 1), value === undefined ? '' : text(value, 1)];
    }),
  );
}

/** Decodes ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1 }. */
export function decodeTraces(body: Buffer): OtlpSpan[] {
  return children(body, 1).flatMap((resourceSpans) => {
    const resource = resourceAttributes(children(resourceSpans, 1)[0]);
    // ResourceSpans.scope_spans = 2; ScopeSpans.spans = 2; Span.name = 5, Span.events = 11; Event.name = 2.
    return children(resourceSpans, 2).flatMap((scopeSpans) =>
      children(scopeSpans, 2).map((span) => ({
        name: text(span, 5),
        events: children(span, 11).map((event) => text(event, 2)),
        resource,
      })),
    );
  });
}
