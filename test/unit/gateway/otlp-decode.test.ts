/**
 * The OTLP decoders against the official serializers: randomised spans (fast-check) are encoded by
 * @opentelemetry/otlp-transformer's ProtobufTraceSerializer and JsonTraceSerializer, and what the gateway
 * decodes must be exactly what the spans hold: resources, ids, times to the nanosecond, event indexes, the
 * telemetry events only, the spans with telemetry events only, and the count of all spans.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { AttributeValue, Attributes, HrTime, TraceState } from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';
import fc from 'fast-check';
import { TELEMETRY_EVENTS, isTelemetryEvent } from '../../../src/catalogue/index.js';
import { decodeTracesJson, decodeTracesProtobuf } from '../../../src/gateway/otlp/index.js';
import type { OtlpResourceSpans, OtlpTraces } from '../../../src/gateway/otlp/index.js';

const RUNS = Number(process.env.OTLP_PROPERTY_RUNS ?? 300);

// ---- generators -------------------------------------------------------------------------------------------

const text = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.string({ minLength: 60, maxLength: 200 }),
);
const int64Edge = fc.constantFrom(0, -1, 2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 53, 2 ** 60, -(2 ** 63), 2 ** 63 - 1024, -0);
const number = fc.oneof(
  fc.integer(),
  fc.maxSafeInteger(),
  int64Edge,
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2 ** 64, 0.5),
);
const scalar = fc.oneof(text, fc.boolean(), number);
const attributeValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: scalar },
  fc.array(fc.option(text, { nil: null }), { maxLength: 4 }),
  fc.array(fc.option(fc.integer(), { nil: undefined }), { maxLength: 4 }),
  fc.array(fc.boolean(), { maxLength: 4 }),
  fc.array(scalar, { maxLength: 3 }), // mixed: no attribute value, left out
  fc.uint8Array({ maxLength: 4 }), // bytes: left out
  fc.constant({ nested: 'kv' }), // kvlist: left out
);
const attributes = fc.dictionary(fc.oneof(text, fc.constantFrom('__proto__', 'constructor', '')), attributeValue, {
  maxKeys: 5,
}) as fc.Arbitrary<Attributes>;

const hrTime: fc.Arbitrary<HrTime> = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 18_000_000_000 }), fc.integer({ min: 0, max: 999_999_999 })),
  fc.constantFrom<HrTime>(
    [0, 0],
    [1_700_000_000, 123_456_789],
    [18_446_744_073, 709_551_615],
    [9_007_199, 254_740_993],
  ),
);
const eventName = fc.oneof(
  fc.constantFrom(...TELEMETRY_EVENTS),
  fc.constantFrom('exception', 'proxied_quer', 'proxied_queryy', 'PROXIED_QUERY', 'adapter_start\u0000', ''),
  text,
);
const event: fc.Arbitrary<TimedEvent> = fc.record({
  name: eventName,
  time: hrTime,
  attributes,
  droppedAttributesCount: fc.nat(3),
});
const hex = (bytes: number): fc.Arbitrary<string> =>
  fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => Buffer.from(b).toString('hex'));

interface SpanSpec {
  traceId: string;
  spanId: string;
  parentId: string | undefined;
  name: string;
  attributes: Attributes;
  events: TimedEvent[];
  links: { traceId: string; spanId: string; attributes: Attributes }[];
  traceState: string | undefined;
}
const span: fc.Arbitrary<SpanSpec> = fc.record({
  traceId: hex(16),
  spanId: hex(8),
  parentId: fc.option(hex(8), { nil: undefined }),
  name: text,
  attributes,
  events: fc.oneof(fc.constant<TimedEvent[]>([]), fc.array(event, { maxLength: 6 })),
  links: fc.array(fc.record({ traceId: hex(16), spanId: hex(8), attributes }), {
    maxLength: 2,
  }),
  traceState: fc.option(fc.constantFrom('a=1', 'vendor=x,b=2'), {
    nil: undefined,
  }),
});
const scope = fc.record({
  name: text,
  version: fc.option(text, { nil: undefined }),
  spans: fc.array(span, { maxLength: 5 }),
});
const resource = fc.record({
  attributes,
  scopes: fc.array(scope, { maxLength: 4 }),
});
const request = fc.array(resource, { maxLength: 4 });
type Request = typeof request extends fc.Arbitrary<infer T> ? T : never;

// ---- the spans the serializers read ----------------------------------------------------------------------

function traceState(serialized: string | undefined): TraceState | undefined {
  return serialized === undefined ? undefined : ({ serialize: () => serialized } as TraceState);
}

function readableSpans(spec: Request): ReadableSpan[] {
  const out: ReadableSpan[] = [];
  for (const r of spec) {
    const res = {
      attributes: r.attributes,
      schemaUrl: 'https://opentelemetry.io/schemas/1.0',
    } as unknown as Resource;
    for (const [i, s] of r.scopes.entries()) {
      // JsonTraceSerializer groups spans by scope name@version: keep every scope distinct.
      const instrumentationScope = {
        name: `${s.name}#${i}`,
        version: s.version,
      };
      for (const sp of s.spans) {
        out.push({
          name: sp.name,
          kind: SpanKind.SERVER,
          spanContext: () => ({
            traceId: sp.traceId,
            spanId: sp.spanId,
            traceFlags: 1,
            traceState: traceState(sp.traceState),
          }),
          parentSpanContext:
            sp.parentId === undefined
              ? undefined
              : {
                  traceId: sp.traceId,
                  spanId: sp.parentId,
                  traceFlags: 1,
                  isRemote: true,
                },
          startTime: [1_700_000_000, 1],
          endTime: [1_700_000_001, 2],
          status: { code: SpanStatusCode.ERROR, message: 'boom' },
          attributes: sp.attributes,
          links: sp.links.map((l) => ({
            context: { traceId: l.traceId, spanId: l.spanId, traceFlags: 0 },
            attributes: l.attributes,
          })),
          events: sp.events,
          duration: [1, 1],
          ended: true,
          resource: res,
          instrumentationScope,
          droppedAttributesCount: 0,
          droppedEventsCount: 2,
          droppedLinksCount: 0,
        });
      }
    }
  }
  return out;
}

// ---- what the decoders must return ---------------------------------------------------------------------

type Format = 'protobuf' | 'json';

/** The contract's AnyValue mapping, applied to what the serializers were given. */
function expectedScalar(value: unknown, format: Format): string | number | boolean | null | undefined {
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value !== 'number') return undefined;
  if (Number.isInteger(value) && value >= -(2 ** 63) && value < 2 ** 63) {
    // int_value; -0 is the integer 0.
    return Number.isSafeInteger(value) ? value + 0 : BigInt(value).toString();
  }
  // double_value: JSON has no NaN or Infinity (JSON.stringify writes null, an unset value).
  if (format === 'json' && !Number.isFinite(value)) return undefined;
  return value;
}

function expectedValue(value: unknown, format: Format): AttributeValue | undefined {
  if (!Array.isArray(value)) {
    const scalar = expectedScalar(value, format);
    return scalar === null ? undefined : scalar;
  }
  // An element without a value (null, undefined; NaN or ±Infinity in JSON) is an empty AnyValue: null.
  const items = value.map((v: unknown) => (v === null || v === undefined ? null : (expectedScalar(v, format) ?? null)));
  const kinds = new Set(items.filter((v) => v !== null).map((v) => typeof v));
  return kinds.size > 1 ? undefined : (items as AttributeValue);
}

function expectedAttributes(attrs: Attributes, format: Format): Attributes {
  const out: Attributes = {};
  for (const key of Object.keys(attrs)) {
    const value = expectedValue(attrs[key], format);
    if (value !== undefined)
      Object.defineProperty(out, key, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
  }
  return out;
}

function expected(spec: Request, format: Format): OtlpTraces {
  const resourceSpans: OtlpResourceSpans[] = [];
  let spanCount = 0;
  for (const r of spec) {
    const spans = [];
    for (const s of r.scopes) {
      for (const sp of s.spans) {
        spanCount++;
        const events = sp.events.flatMap((e, index) =>
          isTelemetryEvent(e.name)
            ? [
                {
                  index,
                  name: e.name,
                  time: e.time,
                  attributes: expectedAttributes(e.attributes ?? {}, format),
                },
              ]
            : [],
        );
        if (events.length > 0) spans.push({ traceId: sp.traceId, spanId: sp.spanId, events });
      }
    }
    // The official serializers group spans by resource: a resource without spans is not on the wire.
    if (spans.length > 0)
      resourceSpans.push({
        resource: expectedAttributes(r.attributes, format),
        spans,
      });
  }
  return { resourceSpans, spanCount };
}

// ---- properties -------------------------------------------------------------------------------------------

test(`protobuf: decodes what ProtobufTraceSerializer encoded (${RUNS} random requests)`, () => {
  fc.assert(
    fc.property(request, (spec) => {
      const body = ProtobufTraceSerializer.serializeRequest(readableSpans(spec));
      assert.ok(body);
      assert.deepStrictEqual(decodeTracesProtobuf(body), expected(spec, 'protobuf'));
    }),
    { numRuns: RUNS },
  );
});

test('protobuf: a request of only telemetry-free spans decodes to no resource, with every span counted', () => {
  fc.assert(
    fc.property(request, (spec) => {
      for (const r of spec)
        for (const s of r.scopes)
          for (const sp of s.spans) sp.events = sp.events.filter((e) => !isTelemetryEvent(e.name));
      const body = ProtobufTraceSerializer.serializeRequest(readableSpans(spec))!;
      const decoded = decodeTracesProtobuf(body);
      assert.deepStrictEqual(decoded.resourceSpans, []);
      assert.equal(
        decoded.spanCount,
        spec.reduce((n, r) => n + r.scopes.reduce((m, s) => m + s.spans.length, 0), 0),
      );
    }),
    { numRuns: Math.ceil(RUNS / 3) },
  );
});

test('protobuf: an empty body is an empty request', () => {
  assert.deepStrictEqual(decodeTracesProtobuf(new Uint8Array(0)), {
    resourceSpans: [],
    spanCount: 0,
  });
});

// ---- OTLP/JSON -----------------------------------------------------------------------------------------

test(`json: decodes what JsonTraceSerializer encoded (${RUNS} random requests)`, () => {
  fc.assert(
    fc.property(request, (spec) => {
      const body = JsonTraceSerializer.serializeRequest(readableSpans(spec));
      assert.ok(body);
      assert.deepStrictEqual(decodeTracesJson(body), expected(spec, 'json'));
      assert.deepStrictEqual(decodeTracesJson(new TextDecoder().decode(body)), expected(spec, 'json'));
    }),
    { numRuns: RUNS },
  );
});

/** The other spellings the OTLP/JSON rules allow, applied to the official serializer's output. */
interface Spelling {
  snakeCase: boolean;
  intsAsStrings: boolean;
  timesAsNumbers: boolean;
  enumsAsNames: boolean;
  upperCaseIds: boolean;
  unknownFields: boolean;
}

const snake = (name: string): string => name.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());

function respell(value: unknown, how: Spelling, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => respell(v, how, key));
  if (typeof value === 'string' && how.upperCaseIds && (key === 'traceId' || key === 'spanId'))
    return value.toUpperCase();
  if (typeof value === 'number' && how.intsAsStrings && key === 'intValue' && value >= -(2 ** 63) && value < 2 ** 63) {
    return String(BigInt(value));
  }
  if (
    typeof value === 'string' &&
    how.timesAsNumbers &&
    key === 'timeUnixNano' &&
    Number.isSafeInteger(Number(value))
  ) {
    return Number(value);
  }
  if (typeof value === 'number' && how.enumsAsNames && key === 'kind')
    return ['SPAN_KIND_UNSPECIFIED', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER'][value] ?? value;
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    // Attribute keys are data, not field names: only the field names are respelled.
    const name = how.snakeCase && k !== 'key' ? snake(k) : k;
    Object.defineProperty(out, name, {
      value: respell(v, how, k),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  if (how.unknownFields) out.futureField = { nested: [1, 'x', null] };
  return out;
}

test(`json: snake_case names, int64 and times in either form, enum names, upper-case hex and unknown fields (${RUNS} runs)`, () => {
  const spelling: fc.Arbitrary<Spelling> = fc.record({
    snakeCase: fc.boolean(),
    intsAsStrings: fc.boolean(),
    timesAsNumbers: fc.boolean(),
    enumsAsNames: fc.boolean(),
    upperCaseIds: fc.boolean(),
    unknownFields: fc.boolean(),
  });
  fc.assert(
    fc.property(request, spelling, (spec, how) => {
      const official = JSON.parse(new TextDecoder().decode(JsonTraceSerializer.serializeRequest(readableSpans(spec))));
      assert.deepStrictEqual(decodeTracesJson(JSON.stringify(respell(official, how))), expected(spec, 'json'));
    }),
    { numRuns: RUNS },
  );
});
