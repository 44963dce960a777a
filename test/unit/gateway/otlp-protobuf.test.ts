/**
 * The protobuf decoder at the wire level, on hand-built messages: unknown fields of every wire type at every
 * level, repeated singular fields (the last wins), merged resources, unset and malformed ids, and proof that a
 * span or resource without a telemetry event is never materialised (malformed content inside it goes unread).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OtlpDecodeError, decodeTracesProtobuf } from '../../../src/gateway/otlp/index.js';

// ---- a tiny writer --------------------------------------------------------------------------------------

type Bytes = number[];
const utf8 = (s: string): Bytes => [...new TextEncoder().encode(s)];

function varint(value: number | bigint): Bytes {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: Bytes = [];
  while (v > 0x7fn) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}
const tag = (field: number, wire: number): Bytes => varint(field * 8 + wire);
const len = (field: number, ...parts: Bytes[]): Bytes => {
  const body = parts.flat();
  return [...tag(field, 2), ...varint(body.length), ...body];
};
const str = (field: number, s: string): Bytes => len(field, utf8(s));
const raw = (field: number, bytes: Bytes): Bytes => len(field, bytes);
const fixed64 = (field: number, value: bigint): Bytes => {
  const out = tag(field, 1);
  for (let i = 0n; i < 8n; i++) out.push(Number((value >> (8n * i)) & 0xffn));
  return out;
};
const body = (...parts: Bytes[]): Uint8Array => Uint8Array.from(parts.flat());

/** One unknown field of every wire type, a nested group included (field numbers no OTLP message uses). */
const UNKNOWN: Bytes = [
  ...tag(90, 0),
  ...varint(2n ** 63n),
  ...fixed64(91, 7n),
  ...str(92, 'ignored'),
  ...tag(93, 5),
  1,
  2,
  3,
  4,
  ...tag(94, 3),
  ...tag(95, 3),
  ...tag(1, 0),
  1,
  ...tag(95, 4),
  ...str(2, 'in a group'),
  ...tag(94, 4),
  ...tag(536_870_911, 0), // the largest field number
  0,
];

const TRACE = '0102030405060708090a0b0c0d0e0f10';
const SPAN = 'a1a2a3a4a5a6a7a8';
const hexBytes = (hex: string): Bytes => [...Buffer.from(hex, 'hex')];

/** A KeyValue's fields (wrap them with len(field, ...) as resource or event attributes). */
const keyValue = (key: string, value: Bytes, extra: Bytes = []): Bytes => [
  ...str(1, key),
  ...len(2, value, extra),
  ...extra,
];
const span = (...fields: Bytes[]): Bytes => len(2, ...fields);
const scopeSpans = (...spans: Bytes[]): Bytes => len(2, ...spans);
const resourceSpans = (...fields: Bytes[]): Bytes => len(1, ...fields);

function telemetrySpan(extra: Bytes = []): Bytes {
  return span(
    raw(1, hexBytes(TRACE)),
    raw(2, hexBytes(SPAN)),
    extra,
    len(11, fixed64(1, 1_700_000_000_123_456_789n), str(2, 'exception'), extra),
    len(
      11,
      fixed64(1, 1_700_000_000_123_456_789n),
      str(2, 'adapter_start'),
      len(3, keyValue('db_backend', str(1, 'postgres'), extra)),
      extra,
    ),
  );
}

const EXPECTED_SPAN = {
  traceId: TRACE,
  spanId: SPAN,
  events: [
    { index: 1, name: 'adapter_start', time: [1_700_000_000, 123_456_789], attributes: { db_backend: 'postgres' } },
  ],
};

test('unknown fields of every wire type are skipped at every level', () => {
  const plain = body(
    resourceSpans(len(1, len(1, keyValue('service.name', str(1, 'rs')))), scopeSpans(telemetrySpan())),
  );
  const noisy = body(
    UNKNOWN,
    resourceSpans(
      UNKNOWN,
      len(1, UNKNOWN, len(1, keyValue('service.name', str(1, 'rs'), UNKNOWN))),
      scopeSpans(UNKNOWN, telemetrySpan(UNKNOWN), UNKNOWN),
      UNKNOWN,
    ),
    UNKNOWN,
  );
  const expected = { resourceSpans: [{ resource: { 'service.name': 'rs' }, spans: [EXPECTED_SPAN] }], spanCount: 1 };
  assert.deepStrictEqual(decodeTracesProtobuf(plain), expected);
  assert.deepStrictEqual(decodeTracesProtobuf(noisy), expected);
});

const decodes = (bytes: Uint8Array, message: RegExp): void =>
  assert.throws(
    () => decodeTracesProtobuf(bytes),
    (e: unknown) => e instanceof OtlpDecodeError && message.test(e.message),
  );
const telemetryEvent = (name = 'adapter_start', ...fields: Bytes[]): Bytes => len(11, str(2, name), ...fields);

test('a repeated singular field keeps its last value; a repeated resource merges', () => {
  const otherTrace = 'ffffffffffffffffffffffffffffffff';
  const bytes = body(
    resourceSpans(
      len(1, len(1, keyValue('a', str(1, 'first'))), len(1, keyValue('b', str(1, 'kept')))),
      len(1, len(1, keyValue('a', str(1, 'second')))),
      scopeSpans(
        span(
          raw(1, hexBytes(otherTrace)),
          raw(1, hexBytes(TRACE)),
          raw(2, hexBytes(SPAN)),
          telemetryEvent('exception', str(2, 'server_start')), // last name wins: a telemetry event
          telemetryEvent('server_start', str(2, 'exception')), // last name wins: not one
          telemetryEvent(
            'adapter_start',
            fixed64(1, 5n),
            fixed64(1, 2_000_000_001n),
            len(3, str(1, 'not this key'), str(1, 'k'), len(2, str(1, 'x'), str(1, 'y'))),
          ),
        ),
      ),
    ),
  );
  assert.deepStrictEqual(decodeTracesProtobuf(bytes), {
    resourceSpans: [
      {
        resource: { a: 'second', b: 'kept' },
        spans: [
          {
            traceId: TRACE,
            spanId: SPAN,
            events: [
              { index: 0, name: 'server_start', time: [0, 0], attributes: {} },
              { index: 2, name: 'adapter_start', time: [2, 1], attributes: { k: 'y' } },
            ],
          },
        ],
      },
    ],
    spanCount: 1,
  });
});

test('unset ids are zeros; ids of another length are a decode error on a telemetry span only', () => {
  const withIds = (trace: Bytes | undefined, spanId: Bytes | undefined, name: string): Uint8Array =>
    body(
      resourceSpans(
        scopeSpans(
          span(
            trace === undefined ? [] : raw(1, trace),
            spanId === undefined ? [] : raw(2, spanId),
            telemetryEvent(name),
          ),
        ),
      ),
    );
  const decoded = decodeTracesProtobuf(withIds(undefined, [], 'adapter_start'));
  assert.equal(decoded.resourceSpans[0]?.spans[0]?.traceId, '0'.repeat(32));
  assert.equal(decoded.resourceSpans[0]?.spans[0]?.spanId, '0'.repeat(16));
  decodes(withIds([1, 2, 3], hexBytes(SPAN), 'adapter_start'), /trace_id of 3 bytes instead of 16/);
  decodes(withIds(hexBytes(TRACE), hexBytes(TRACE), 'adapter_start'), /span_id of 16 bytes instead of 8/);
  // The same malformed ids on a span without a telemetry event: never read.
  assert.deepStrictEqual(decodeTracesProtobuf(withIds([1, 2, 3], hexBytes(TRACE), 'exception')), {
    resourceSpans: [],
    spanCount: 1,
  });
});

test('what belongs to no telemetry event is never materialised: invalid UTF-8 and bad values there go unread', () => {
  const badUtf8: Bytes = [0xc3, 0x28, 0xff];
  const badAttribute = len(9, raw(1, badUtf8), len(2, raw(1, badUtf8)));
  const quiet = body(
    resourceSpans(
      len(1, len(1, raw(1, badUtf8), len(2, raw(1, badUtf8)))),
      scopeSpans(span(badAttribute, raw(5, badUtf8), len(11, raw(2, badUtf8), len(3, raw(1, badUtf8))))),
    ),
  );
  assert.deepStrictEqual(decodeTracesProtobuf(quiet), { resourceSpans: [], spanCount: 1 });
  // With a telemetry event, the resource and that event's attributes are decoded, and checked.
  const resourceBad = body(resourceSpans(len(1, len(1, raw(1, badUtf8))), scopeSpans(span(telemetryEvent()))));
  decodes(resourceBad, /invalid UTF-8/);
  const eventBad = body(
    resourceSpans(scopeSpans(span(telemetryEvent('adapter_start', len(3, keyValue('k', raw(1, badUtf8))))))),
  );
  decodes(eventBad, /invalid UTF-8/);
  // But the span's own attributes and its other events stay unread even then.
  const spanBad = body(resourceSpans(scopeSpans(span(badAttribute, len(11, raw(2, badUtf8)), telemetryEvent()))));
  assert.equal(decodeTracesProtobuf(spanBad).resourceSpans[0]?.spans[0]?.events[0]?.index, 1);
});

test('attribute values: every AnyValue kind, with the contract mapping', () => {
  const anyValues: [string, Bytes][] = [
    ['string', str(1, 'héllo ✓')],
    ['true', [...tag(2, 0), 1]],
    ['false', [...tag(2, 0), 0]],
    ['int', [...tag(3, 0), ...varint(-42)]],
    ['bigint', [...tag(3, 0), ...varint(2n ** 62n + 1n)]],
    ['minint', [...tag(3, 0), ...varint(-(2n ** 63n))]],
    ['double', [...tag(4, 1), ...new Uint8Array(new Float64Array([1.25]).buffer)]],
    ['strings', len(5, len(1, str(1, 'a')), len(1), len(1, str(1, 'b')))],
    [
      'ints',
      len(5, len(1, tag(3, 0), varint(1)), len(1, tag(4, 1), [...new Uint8Array(new Float64Array([2.5]).buffer)])),
    ],
    ['empty array', len(5)],
    ['mixed', len(5, len(1, str(1, 'a')), len(1, tag(2, 0), [1]))],
    ['nested', len(5, len(1, len(5, len(1, str(1, 'a')))))],
    ['kvlist', len(6, len(1, keyValue('k', str(1, 'v'))))],
    ['bytes', raw(7, [1, 2, 3])],
    ['empty', []],
    ['kvlist then string', [...len(6), ...str(1, 'last')]],
    ['string then bytes', [...str(1, 'first'), ...raw(7, [1])]],
  ];
  const bytes = body(
    resourceSpans(
      scopeSpans(span(telemetryEvent('adapter_start', ...anyValues.map(([k, v]) => len(3, keyValue(k, v)))))),
    ),
  );
  assert.deepStrictEqual(decodeTracesProtobuf(bytes).resourceSpans[0]?.spans[0]?.events[0]?.attributes, {
    string: 'héllo ✓',
    true: true,
    false: false,
    int: -42,
    bigint: '4611686018427387905',
    minint: '-9223372036854775808',
    double: 1.25,
    strings: ['a', null, 'b'],
    ints: [1, 2.5],
    'empty array': [],
    'kvlist then string': 'last',
  });
});

test('the exact name bytes decide: near misses are not telemetry events', () => {
  for (const name of ['adapter_star', 'adapter_startt', 'Adapter_start', 'adapter_start\u0000', ' adapter_start', '']) {
    assert.deepStrictEqual(decodeTracesProtobuf(body(resourceSpans(scopeSpans(span(telemetryEvent(name)))))), {
      resourceSpans: [],
      spanCount: 1,
    });
  }
});

test('framing errors are decode errors naming the offset', () => {
  decodes(body([0x0a, 0x05, 0x12]), /length beyond the end of its message at byte 2/);
  decodes(body([0x0a]), /truncated varint/);
  decodes(
    body([0x0a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]),
    /varint longer than 10 bytes/,
  );
  decodes(body([0x00]), /invalid tag/);
  decodes(body([0x0e]), /unexpected wire type 6/);
  decodes(body([0x0f]), /unexpected wire type 7/);
  decodes(body([0x0c]), /unexpected wire type 4/); // an end group with no start
  decodes(body([...tag(94, 3), ...tag(95, 4)]), /mismatched end group/);
  decodes(body([...tag(94, 3)]), /truncated varint/);
  decodes(body([...tag(9, 1), 1, 2, 3]), /truncated fixed64/);
  decodes(body([...tag(9, 5), 1, 2, 3]), /truncated fixed32/);
  const deep = 40;
  const groups = [
    ...Array.from({ length: deep }, () => tag(94, 3)).flat(),
    ...Array.from({ length: deep }, () => tag(94, 4)).flat(),
  ];
  decodes(body(groups), /groups nested too deep/);
  const shallow = 8;
  const ok = [
    ...Array.from({ length: shallow }, () => tag(94, 3)).flat(),
    ...Array.from({ length: shallow }, () => tag(94, 4)).flat(),
  ];
  assert.deepStrictEqual(decodeTracesProtobuf(body(ok)), { resourceSpans: [], spanCount: 0 });
});

test('a body that is a view into a larger buffer (a pooled Buffer slice) is read within its view only', () => {
  const double = [...tag(4, 1), ...new Uint8Array(new Float64Array([6.5]).buffer)];
  const message = body(resourceSpans(scopeSpans(span(telemetryEvent('adapter_start', len(3, keyValue('d', double)))))));
  const backing = new Uint8Array(message.length + 20).fill(0x0a);
  backing.set(message, 13);
  const view = Buffer.from(backing.buffer, 13, message.length);
  assert.deepStrictEqual(decodeTracesProtobuf(view).resourceSpans[0]?.spans[0]?.events[0]?.attributes, { d: 6.5 });
  // One byte short: the 0x0a just past the view's end would complete nothing if read, and is not read.
  decodes(view.subarray(0, message.length - 1), /length beyond the end of its message/);
});
