/**
 * The OTLP/JSON rules (opentelemetry-proto docs/specification.md, "JSON Protobuf Encoding") on hand-written
 * requests: hex ids (base64 refused), lowerCamelCase or snake_case names, int64 as number or string, enums as
 * integers or names, unknown fields ignored, null as unset, and wrong types refused with a message that names
 * the field and echoes nothing.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OtlpDecodeError, decodeTracesJson } from '../../../src/gateway/otlp/index.js';

const TRACE = '5b8efff798038103d269b633813fc60c';
const SPAN = 'eee19b7ec3c1b174';

function request(span: Record<string, unknown>, resource: unknown = { attributes: [] }): string {
  return JSON.stringify({ resourceSpans: [{ resource, scopeSpans: [{ scope: { name: 'x' }, spans: [span] }] }] });
}
const telemetry = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  name: 'server_start',
  timeUnixNano: '1700000000000000001',
  ...extra,
});
const rejects = (body: string, message: RegExp): void =>
  assert.throws(
    () => decodeTracesJson(body),
    (e: unknown) => e instanceof OtlpDecodeError && message.test(e.message),
  );

test('the example of the specification: hex ids, string times, enums as integers, unknown fields', () => {
  const body = request({
    traceId: TRACE,
    spanId: SPAN,
    parentSpanId: 'eee19b7ec3c1b173',
    name: 'I am a span!',
    startTimeUnixNano: '1544712660000000000',
    endTimeUnixNano: '1544712661000000000',
    kind: 2,
    attributes: [{ key: 'my.span.attr', value: { stringValue: 'some value' } }],
    status: { code: 1 },
    flags: 257,
    events: [
      { name: 'exception', timeUnixNano: '1544712660500000000' },
      {
        timeUnixNano: '1544712660500000001',
        name: 'adapter_start',
        attributes: [{ key: 'db_backend', value: { stringValue: 'mysql' } }],
        droppedAttributesCount: 0,
      },
    ],
    somethingFromTheFuture: { nested: [1, 2, 3] },
  });
  assert.deepStrictEqual(decodeTracesJson(body), {
    resourceSpans: [
      {
        resource: {},
        spans: [
          {
            traceId: TRACE,
            spanId: SPAN,
            events: [
              {
                index: 1,
                name: 'adapter_start',
                time: [1_544_712_660, 500_000_001],
                attributes: { db_backend: 'mysql' },
              },
            ],
          },
        ],
      },
    ],
    spanCount: 1,
  });
});

test('snake_case field names are accepted; enum names too', () => {
  const body = JSON.stringify({
    resource_spans: [
      {
        resource: { attributes: [{ key: 'service.instance.id', value: { string_value: 'i-1' } }] },
        scope_spans: [
          {
            spans: [
              {
                trace_id: TRACE.toUpperCase(),
                span_id: SPAN,
                kind: 'SPAN_KIND_SERVER',
                status: { code: 'STATUS_CODE_ERROR' },
                events: [
                  {
                    name: 'server_start',
                    time_unix_nano: 1_000_000_001,
                    attributes: [{ key: 'n', value: { int_value: '12' } }],
                  },
                ],
              },
            ],
          },
        ],
      },
    ],
  });
  assert.deepStrictEqual(decodeTracesJson(body), {
    resourceSpans: [
      {
        resource: { 'service.instance.id': 'i-1' },
        spans: [
          {
            traceId: TRACE,
            spanId: SPAN,
            events: [{ index: 0, name: 'server_start', time: [1, 1], attributes: { n: 12 } }],
          },
        ],
      },
    ],
    spanCount: 1,
  });
});

test('ids: hex only (base64 refused), empty or absent means unset', () => {
  const base64 = Buffer.from(TRACE, 'hex').toString('base64');
  rejects(
    request(telemetry({ traceId: base64, spanId: SPAN, events: [telemetry()] })),
    /traceId must be 32 hex digits/,
  );
  rejects(
    request({ traceId: TRACE, spanId: 'eee19b7ec3c1b17', events: [telemetry()] }),
    /spanId must be 16 hex digits/,
  );
  rejects(request({ traceId: 42, spanId: SPAN, events: [telemetry()] }), /traceId must be a string/);
  const unset = decodeTracesJson(request({ traceId: '', spanId: null, events: [telemetry()] }));
  assert.equal(unset.resourceSpans[0]?.spans[0]?.traceId, '0'.repeat(32));
  assert.equal(unset.resourceSpans[0]?.spans[0]?.spanId, '0'.repeat(16));
  // A span without a telemetry event is counted and never read further: its bad ids do not matter.
  assert.deepStrictEqual(decodeTracesJson(request({ traceId: base64, events: [{ name: 'exception' }] })), {
    resourceSpans: [],
    spanCount: 1,
  });
});

test('times: decimal string or number, exact to the nanosecond, up to 2^64 - 1', () => {
  const time = (timeUnixNano: unknown): unknown =>
    decodeTracesJson(request({ events: [{ name: 'server_start', timeUnixNano }] })).resourceSpans[0]?.spans[0]
      ?.events[0]?.time;
  assert.deepEqual(time('18446744073709551615'), [18_446_744_073, 709_551_615]);
  assert.deepEqual(time('1700000000123456789'), [1_700_000_000, 123_456_789]);
  assert.deepEqual(time(1_700_000_000_000), [1700, 0]);
  assert.deepEqual(time(null), [0, 0]);
  assert.deepEqual(time(undefined), [0, 0]);
  for (const bad of ['18446744073709551616', '-1', '1e9', ' 1', 1.5, -1, true, {}]) {
    assert.throws(() => time(bad), /timeUnixNano must be a uint64/, JSON.stringify(bad));
  }
});

test('attribute values in every JSON form', () => {
  const attributes = [
    { key: 's', value: { stringValue: '✓' } },
    { key: 'b', value: { boolValue: false } },
    { key: 'i', value: { intValue: -3 } },
    { key: 'is', value: { intValue: '-9223372036854775808' } },
    { key: 'safe', value: { intValue: '9007199254740991' } },
    { key: 'd', value: { doubleValue: 0.25 } },
    { key: 'ds', value: { doubleValue: '2.5' } },
    { key: 'nan', value: { doubleValue: 'NaN' } },
    { key: 'inf', value: { doubleValue: '-Infinity' } },
    { key: 'arr', value: { arrayValue: { values: [{ stringValue: 'a' }, {}, { stringValue: 'b' }] } } },
    { key: 'nums', value: { arrayValue: { values: [{ intValue: '1' }, { doubleValue: 1.5 }] } } },
    { key: 'none', value: { arrayValue: {} } },
    { key: 'mixed', value: { arrayValue: { values: [{ stringValue: 'a' }, { boolValue: true }] } } },
    { key: 'kv', value: { kvlistValue: { values: [{ key: 'x', value: { stringValue: 'y' } }] } } },
    { key: 'bytes', value: { bytesValue: 'AQID' } },
    { key: 'empty', value: {} },
    { key: 'nullValue', value: null },
    { key: '__proto__', value: { stringValue: 'an attribute, not a prototype' } },
    { value: { stringValue: 'no key' } },
    { key: 'unknown fields', value: { stringValue: 'kept', futureValue: 1 }, future: true },
  ];
  const decoded = decodeTracesJson(request({ events: [{ name: 'server_start', attributes }] }));
  const expected = {
    s: '✓',
    b: false,
    i: -3,
    is: '-9223372036854775808',
    safe: 9_007_199_254_740_991,
    d: 0.25,
    ds: 2.5,
    nan: Number.NaN,
    inf: Number.NEGATIVE_INFINITY,
    arr: ['a', null, 'b'],
    nums: [1, 1.5],
    none: [],
    'unknown fields': 'kept',
  };
  Object.defineProperty(expected, '__proto__', {
    value: 'an attribute, not a prototype',
    enumerable: true,
    writable: true,
    configurable: true,
  });
  assert.deepStrictEqual(decoded.resourceSpans[0]?.spans[0]?.events[0]?.attributes, expected);
});

test('values of the wrong type are refused, naming the field', () => {
  const withValue = (value: unknown): string =>
    request({ events: [{ name: 'server_start', attributes: [{ key: 'k', value }] }] });
  rejects(withValue({ boolValue: 'true' }), /boolValue must be true or false/);
  rejects(withValue({ intValue: 1.5 }), /intValue must be an int64/);
  rejects(withValue({ intValue: '9223372036854775808' }), /intValue must be an int64/);
  rejects(withValue({ intValue: '0x10' }), /intValue must be an int64/);
  rejects(withValue({ doubleValue: 'abc' }), /doubleValue must be a number/);
  rejects(withValue({ doubleValue: '' }), /doubleValue must be a number/);
  rejects(withValue({ stringValue: 5 }), /stringValue must be a string/);
  rejects(withValue('just a string'), /value must be an object/);
  rejects(withValue({ arrayValue: [] }), /arrayValue must be an object/);
  rejects(request({ events: { name: 'server_start' } }), /events must be an array/);
  rejects(request({ events: ['server_start'] }), /events must be an array of objects/);
  rejects(request({ events: [{ name: 7 }] }), /name must be a string/);
  rejects(request({ events: [telemetry()] }, 'resource'), /resource must be an object/);
  rejects('[]', /the request must be a JSON object/);
  rejects('"resourceSpans"', /the request must be a JSON object/);
  rejects('{"resourceSpans": {}}', /resourceSpans must be an array/);
});

test('a body that is not JSON is refused without quoting it', () => {
  for (const body of ['', '{', '{"resourceSpans":[secret-token]}', '{"a":1}}']) {
    assert.throws(
      () => decodeTracesJson(body),
      (e: unknown) => e instanceof OtlpDecodeError && e.message === 'invalid OTLP/JSON: not UTF-8 JSON',
    );
  }
  assert.throws(() => decodeTracesJson(new Uint8Array([0x7b, 0xff, 0x7d])), OtlpDecodeError);
});

test('the request may be bytes or a string; null and empty collections mean none', () => {
  const body = request({ events: [telemetry()] });
  assert.deepStrictEqual(decodeTracesJson(new TextEncoder().encode(body)), decodeTracesJson(body));
  assert.deepStrictEqual(decodeTracesJson('{}'), { resourceSpans: [], spanCount: 0 });
  assert.deepStrictEqual(decodeTracesJson('{"resourceSpans":null}'), { resourceSpans: [], spanCount: 0 });
  assert.deepStrictEqual(decodeTracesJson('{"resourceSpans":[{"scopeSpans":[{"spans":[{},{"events":[]}]}]}]}'), {
    resourceSpans: [],
    spanCount: 2,
  });
  // A resource with no resource field at all still carries its spans.
  assert.deepStrictEqual(decodeTracesJson(request({ events: [telemetry()] }, null)).resourceSpans[0]?.resource, {});
});
