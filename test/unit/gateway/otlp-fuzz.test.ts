/**
 * Malformed input never gets past the decoders as anything but OtlpDecodeError: random bytes, random
 * protobuf-shaped messages, truncations, bit flips and splices of valid bodies, huge declared lengths, deep
 * nesting, invalid UTF-8 and JSON of the wrong shape. Every run is bounded in time, and what a decoder returns
 * is bounded by what it read (no amplification).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SpanKind } from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import fc from 'fast-check';
import { TELEMETRY_EVENTS } from '../../../src/catalogue/index.js';
import { OtlpDecodeError, decodeTracesJson, decodeTracesProtobuf } from '../../../src/gateway/otlp/index.js';
import type { OtlpTraces } from '../../../src/gateway/otlp/index.js';

const RUNS = Number(process.env.OTLP_FUZZ_RUNS ?? 2000);
/** Generous: a decode of a few KB takes microseconds; this only catches a hang or a blow-up. */
const MAX_MILLIS_PER_DECODE = 1000;

/** Decodes; any throw but OtlpDecodeError, a slow run or an outsized result fails the test. */
function survive(decode: (body: Uint8Array) => OtlpTraces, body: Uint8Array): 'ok' | 'rejected' {
  const t0 = performance.now();
  try {
    const out = decode(body);
    const size = JSON.stringify(out).length;
    // The largest output per input byte is a minimal telemetry span: ids as hex and an event object.
    assert.ok(size <= 64 * body.length + 64, `output of ${size} chars for ${body.length} bytes`);
    return 'ok';
  } catch (e) {
    if (!(e instanceof OtlpDecodeError)) throw e;
    assert.match(e.message, /^invalid (protobuf|OTLP\/JSON): [^\n]{1,100}$/);
    return 'rejected';
  } finally {
    const ms = performance.now() - t0;
    assert.ok(ms < MAX_MILLIS_PER_DECODE, `decode took ${ms} ms for ${body.length} bytes`);
  }
}
const protobufSurvives = (body: Uint8Array): 'ok' | 'rejected' => survive(decodeTracesProtobuf, body);
const jsonSurvives = (body: Uint8Array): 'ok' | 'rejected' => survive(decodeTracesJson, body);

// ---- valid bodies to break --------------------------------------------------------------------------------

function sampleSpans(): ReadableSpan[] {
  const resource = {
    attributes: { 'service.name': 'rs', 'readyset.anonymous_id': 'a-1', n: 7 },
  } as unknown as Resource;
  return Array.from({ length: 6 }, (_, i): ReadableSpan => ({
    name: `span ${i} ✓`,
    kind: SpanKind.SERVER,
    spanContext: () => ({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: `b7ad6b71692033${i}0`, traceFlags: 1 }),
    parentSpanContext: undefined,
    startTime: [1_700_000_000, i],
    endTime: [1_700_000_001, i],
    status: { code: 0 },
    attributes: { 'db.system': 'postgresql', port: 5432, ok: true, ratio: 0.5, list: ['a', 'b'] },
    links: [],
    events: [
      { name: 'exception', time: [1_700_000_000, 5], attributes: { 'exception.message': 'boom' } },
      ...(i % 2 === 0
        ? [
            {
              name: TELEMETRY_EVENTS[i]!,
              time: [1_700_000_000, 999_999_999] as [number, number],
              attributes: { db_backend: 'postgres', n: [1, 2] },
            },
          ]
        : []),
    ],
    duration: [1, 0],
    ended: true,
    resource,
    instrumentationScope: { name: 'readyset', version: '1.0' },
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  }));
}
const VALID_PROTOBUF = ProtobufTraceSerializer.serializeRequest(sampleSpans())!;
const VALID_JSON = JsonTraceSerializer.serializeRequest(sampleSpans())!;

test('the bodies the fuzz breaks are valid to begin with', () => {
  assert.equal(decodeTracesProtobuf(VALID_PROTOBUF).resourceSpans[0]?.spans.length, 3);
  assert.deepStrictEqual(decodeTracesJson(VALID_JSON), decodeTracesProtobuf(VALID_PROTOBUF));
});

// ---- protobuf -----------------------------------------------------------------------------------------------

test(`protobuf: random bytes (${RUNS} runs)`, () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => void protobufSurvives(bytes)),
    { numRuns: RUNS },
  );
});

/** Random protobuf-shaped messages, with the field numbers OTLP uses so that decoding goes deep. */
const varintBytes = (n: bigint): number[] => {
  const out: number[] = [];
  let v = BigInt.asUintN(64, n);
  while (v > 0x7fn) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
};
const fieldNumber = fc.oneof(
  fc.constantFrom(1, 2, 3, 4, 5, 6, 7, 9, 11, 13, 15, 16),
  fc.integer({ min: 1, max: 536_870_911 }),
);
const { message } = fc.letrec<{ message: number[]; field: number[] }>((tie) => ({
  message: fc.array(tie('field'), { maxLength: 6 }).map((fields) => fields.flat()),
  field: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc
      .tuple(fieldNumber, fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }))
      .map(([f, v]) => [...varintBytes(BigInt(f * 8)), ...varintBytes(v)]),
    fc
      .tuple(fieldNumber, fc.uint8Array({ minLength: 8, maxLength: 8 }))
      .map(([f, b]) => [...varintBytes(BigInt(f * 8 + 1)), ...b]),
    fc
      .tuple(fieldNumber, fc.uint8Array({ minLength: 4, maxLength: 4 }))
      .map(([f, b]) => [...varintBytes(BigInt(f * 8 + 5)), ...b]),
    fc
      .tuple(
        fieldNumber,
        fc.oneof(
          fc.uint8Array({ maxLength: 24 }),
          fc.constantFrom(...TELEMETRY_EVENTS).map((n) => new TextEncoder().encode(n)),
        ),
      )
      .map(([f, b]) => [...varintBytes(BigInt(f * 8 + 2)), ...varintBytes(BigInt(b.length)), ...b]),
    fc
      .tuple(fieldNumber, tie('message'))
      .map(([f, m]) => [...varintBytes(BigInt(f * 8 + 2)), ...varintBytes(BigInt(m.length)), ...m]),
    fc
      .tuple(fieldNumber, tie('message'))
      .map(([f, m]) => [...varintBytes(BigInt(f * 8 + 3)), ...m, ...varintBytes(BigInt(f * 8 + 4))]),
  ),
}));

test(`protobuf: random protobuf-shaped messages (${RUNS} runs)`, () => {
  const outcomes = { ok: 0, rejected: 0 };
  fc.assert(
    fc.property(message, (m) => void outcomes[protobufSurvives(Uint8Array.from(m))]++),
    { numRuns: RUNS },
  );
  // Well-framed messages mostly decode (wrong ids, invalid UTF-8 and groups aside): the fuzz reaches the deep paths.
  assert.ok(outcomes.ok > RUNS / 4, JSON.stringify(outcomes));
});

test('protobuf: every truncation of a valid body', () => {
  for (let n = 0; n < VALID_PROTOBUF.length; n++) protobufSurvives(VALID_PROTOBUF.subarray(0, n));
});

/** A valid body with `count` random edits: bit flips, byte overwrites, deletions, insertions. */
function mutated(valid: Uint8Array): fc.Arbitrary<Uint8Array> {
  const edit = fc.tuple(fc.constantFrom('flip', 'set', 'delete', 'insert'), fc.nat(valid.length - 1), fc.nat(255));
  return fc.array(edit, { minLength: 1, maxLength: 8 }).map((edits) => {
    const bytes = [...valid];
    for (const [kind, at, value] of edits) {
      const i = at % Math.max(1, bytes.length);
      if (kind === 'flip') bytes[i] = bytes[i]! ^ (1 << (value % 8));
      else if (kind === 'set') bytes[i] = value;
      else if (kind === 'delete') bytes.splice(i, 1);
      else bytes.splice(i, 0, value);
    }
    return Uint8Array.from(bytes);
  });
}

test(`protobuf: bit flips, overwrites, deletions and insertions in a valid body (${RUNS} runs)`, () => {
  fc.assert(
    fc.property(mutated(VALID_PROTOBUF), (bytes) => void protobufSurvives(bytes)),
    { numRuns: RUNS },
  );
});

test('protobuf: huge declared lengths at every level are rejected without allocating them', () => {
  const huge = [2n ** 31n, 2n ** 32n - 1n, 2n ** 53n, 2n ** 64n - 1n].map(varintBytes);
  const before = process.memoryUsage().arrayBuffers;
  for (const length of huge) {
    // request → resource_spans → scope_spans → span → event → name
    const prefixes = [
      [0x0a],
      [0x0a, 0x7f, 0x12],
      [0x0a, 0x7f, 0x12, 0x7d, 0x12],
      [0x0a, 0x7f, 0x12, 0x7d, 0x12, 0x7b, 0x5a],
    ];
    for (const prefix of prefixes) {
      assert.equal(protobufSurvives(Uint8Array.from([...prefix, ...length, 1, 2, 3])), 'rejected');
    }
  }
  assert.ok(process.memoryUsage().arrayBuffers - before < 16 * 1024 * 1024);
});

test('protobuf: deep nesting is bounded (groups) or never recursed into (arrays in attribute values)', () => {
  const depth = 100_000;
  const groups = new Uint8Array(depth * 2 * 2);
  for (let i = 0; i < depth; i++) groups.set([0xf3, 0x05], i * 2); // field 94, start group
  for (let i = 0; i < depth; i++) groups.set([0xf4, 0x05], depth * 2 + i * 2); // field 94, end group
  assert.equal(protobufSurvives(groups), 'rejected');

  // AnyValue{array_value{values: AnyValue{array_value{...}}}}, 20 000 levels, inside a telemetry event attribute.
  // Built inside out from the lengths alone: prefixes[i] opens level i.
  const core = [0x0a, 0x01, 0x78]; // AnyValue{string_value: "x"}
  const prefixes: number[][] = [];
  let length = core.length;
  for (let i = 0; i < 20_000; i++) {
    const values = [0x0a, ...varintBytes(BigInt(length))];
    const array = [0x2a, ...varintBytes(BigInt(length + values.length))];
    prefixes.push([...array, ...values]);
    length += values.length + array.length;
  }
  const any = [...prefixes.reverse().flat(), ...core];
  const wrap = (field: number, bytes: number[]): number[] => [
    field * 8 + 2,
    ...varintBytes(BigInt(bytes.length)),
    ...bytes,
  ];
  const kv = [...wrap(1, [0x6b]), ...wrap(2, any)];
  const event = [...wrap(2, [...new TextEncoder().encode('adapter_start')]), ...wrap(3, kv)];
  const body = Uint8Array.from(wrap(1, wrap(2, wrap(2, wrap(11, event)))));
  assert.equal(protobufSurvives(body), 'ok');
  assert.deepStrictEqual(decodeTracesProtobuf(body).resourceSpans[0]?.spans[0]?.events[0]?.attributes, {});
});

test('protobuf: invalid UTF-8 in a decoded string is rejected', () => {
  const wrap = (field: number, bytes: number[]): number[] => [
    field * 8 + 2,
    ...varintBytes(BigInt(bytes.length)),
    ...bytes,
  ];
  for (const bad of [[0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82]]) {
    const kv = [...wrap(1, bad), ...wrap(2, wrap(1, [0x61]))];
    const event = [...wrap(2, [...new TextEncoder().encode('adapter_start')]), ...wrap(3, kv)];
    assert.equal(protobufSurvives(Uint8Array.from(wrap(1, wrap(2, wrap(2, wrap(11, event)))))), 'rejected');
  }
});

// ---- JSON ---------------------------------------------------------------------------------------------------

test(`json: random bytes and random JSON values (${RUNS} runs each)`, () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => void jsonSurvives(bytes)),
    { numRuns: RUNS },
  );
  fc.assert(
    fc.property(
      fc.jsonValue(),
      (value) => void jsonSurvives(new TextEncoder().encode(JSON.stringify(value) ?? 'null')),
    ),
    { numRuns: RUNS },
  );
});

/** The valid JSON request with random JSON values put at random places (wrong shapes, wrong types). */
function reshaped(): fc.Arbitrary<Uint8Array> {
  const valid: unknown = JSON.parse(new TextDecoder().decode(VALID_JSON));
  const paths: (string | number)[][] = [];
  const walk = (node: unknown, path: (string | number)[]): void => {
    paths.push(path);
    if (Array.isArray(node)) node.forEach((child, i) => walk(child, [...path, i]));
    else if (node !== null && typeof node === 'object')
      for (const [k, v] of Object.entries(node)) walk(v, [...path, k]);
  };
  walk(valid, []);
  const replacement = fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom(
      null,
      '',
      '0',
      'zz',
      -1,
      1.5,
      2 ** 64,
      '18446744073709551616',
      'NaN',
      [],
      {},
      [{}],
      'adapter_start',
    ),
  );
  return fc.array(fc.tuple(fc.constantFrom(...paths), replacement), { minLength: 1, maxLength: 4 }).map((edits) => {
    const copy = structuredClone(valid) as Record<string | number, unknown>;
    for (const [path, value] of edits) {
      if (path.length === 0) continue;
      let node: unknown = copy;
      for (const key of path.slice(0, -1))
        node = node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[key] : undefined;
      // A copy: the replacement values (constantFrom's above) are shared by every run and every edit, so one edit
      // could put a value inside itself (`[{}]` at a path and then at that path's `0`), or change it for later runs.
      if (node !== null && typeof node === 'object')
        (node as Record<string | number, unknown>)[path.at(-1)!] = structuredClone(value);
    }
    return new TextEncoder().encode(JSON.stringify(copy));
  });
}

test(`json: wrong shapes and types anywhere in a valid request (${RUNS} runs)`, () => {
  const outcomes = { ok: 0, rejected: 0 };
  fc.assert(
    fc.property(reshaped(), (bytes) => void outcomes[jsonSurvives(bytes)]++),
    { numRuns: RUNS },
  );
  assert.ok(outcomes.ok > 0 && outcomes.rejected > 0, JSON.stringify(outcomes));
});

test(`json: truncations and byte edits of a valid body (${RUNS} runs)`, () => {
  for (let n = 0; n < VALID_JSON.length; n += 7) jsonSurvives(VALID_JSON.subarray(0, n));
  fc.assert(
    fc.property(mutated(VALID_JSON), (bytes) => void jsonSurvives(bytes)),
    { numRuns: RUNS },
  );
});

test('json: invalid UTF-8 and deep nesting are rejected or ignored, never a crash', () => {
  const valid = new TextDecoder().decode(VALID_JSON);
  const withBadByte = new Uint8Array([
    ...new TextEncoder().encode(valid.slice(0, 40)),
    0xff,
    ...new TextEncoder().encode(valid.slice(40)),
  ]);
  assert.equal(jsonSurvives(withBadByte), 'rejected');
  const depth = 200_000;
  assert.equal(
    jsonSurvives(new TextEncoder().encode('{"resourceSpans":' + '['.repeat(depth) + ']'.repeat(depth) + '}')),
    'rejected',
  );
  // Deep arrays inside an attribute value parse, and are left out without being walked.
  const deepValue = '{"arrayValue":{"values":['.repeat(20_000) + '{"stringValue":"x"}' + ']}}'.repeat(20_000);
  const body = `{"resourceSpans":[{"scopeSpans":[{"spans":[{"events":[{"name":"adapter_start","attributes":[{"key":"k","value":${deepValue}}]}]}]}]}]}`;
  const outcome = jsonSurvives(new TextEncoder().encode(body));
  if (outcome === 'ok')
    assert.deepStrictEqual(decodeTracesJson(body).resourceSpans[0]?.spans[0]?.events[0]?.attributes, {});
});
