/**
 * The gateway's answers round-trip: ExportTraceServiceResponse through the official client's own response
 * deserializers (@opentelemetry/otlp-transformer) and through protobufjs with the published .proto definitions,
 * and google.rpc.Status through protobufjs; the JSON forms through JSON.parse.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import fc from 'fast-check';
import protobuf from 'protobufjs';
import { encodeExportResponse, encodeStatus } from '../../../src/gateway/otlp/index.js';

// Transcribed from opentelemetry-proto collector/trace/v1/trace_service.proto and googleapis google/rpc/status.proto.
const root = new protobuf.Root();
protobuf.parse(
  'syntax = "proto3"; package google.protobuf; message Any { string type_url = 1; bytes value = 2; }',
  root,
);
protobuf.parse(
  `
  syntax = "proto3";
  package test;
  message ExportTraceServiceResponse { ExportTracePartialSuccess partial_success = 1; }
  message ExportTracePartialSuccess { int64 rejected_spans = 1; string error_message = 2; }
  message Status { int32 code = 1; string message = 2; repeated google.protobuf.Any details = 3; }
`,
  root,
);
const Response = root.lookupType('test.ExportTraceServiceResponse');
const Status = root.lookupType('test.Status');
const asObject = (type: protobuf.Type, bytes: Uint8Array): Record<string, unknown> =>
  type.toObject(type.decode(bytes), { longs: Number, defaults: false });

const partial = fc.record({
  rejectedSpans: fc.nat(),
  errorMessage: fc.string({ unit: 'binary', maxLength: 40 }),
});
const RUNS = 200;

test('protobuf ExportTraceServiceResponse: empty without partial success', () => {
  const body = encodeExportResponse('protobuf');
  assert.equal(body.length, 0);
  assert.deepEqual(ProtobufTraceSerializer.deserializeResponse(body), {});
  assert.deepEqual(asObject(Response, body), {});
});

test(`protobuf ExportTraceServiceResponse: partial_success round-trips (${RUNS} runs)`, () => {
  fc.assert(
    fc.property(partial, (p) => {
      const body = encodeExportResponse('protobuf', p);
      // What the official OTLP exporters read back...
      const official = ProtobufTraceSerializer.deserializeResponse(body);
      assert.equal(official.partialSuccess?.rejectedSpans ?? 0, p.rejectedSpans);
      assert.equal(official.partialSuccess?.errorMessage ?? '', p.errorMessage);
      // ...and what a generic protobuf runtime reads from the published schema.
      const generic = asObject(Response, body);
      assert.ok(generic.partialSuccess, 'partial_success is present even when its fields are defaults');
      assert.deepEqual(generic.partialSuccess, {
        ...(p.rejectedSpans === 0 ? {} : { rejectedSpans: p.rejectedSpans }),
        ...(p.errorMessage === '' ? {} : { errorMessage: p.errorMessage }),
      });
    }),
    { numRuns: RUNS },
  );
});

test('json ExportTraceServiceResponse: {} without, partialSuccess with int64 as a string', () => {
  assert.deepEqual(JSON.parse(new TextDecoder().decode(encodeExportResponse('json'))), {});
  fc.assert(
    fc.property(partial, (p) => {
      const body = encodeExportResponse('json', p);
      const parsed = JSON.parse(new TextDecoder().decode(body));
      assert.deepEqual(parsed, {
        partialSuccess: {
          rejectedSpans: String(p.rejectedSpans),
          errorMessage: p.errorMessage,
        },
      });
      const official = JsonTraceSerializer.deserializeResponse(body);
      assert.equal(Number(official.partialSuccess?.rejectedSpans), p.rejectedSpans);
    }),
    { numRuns: RUNS },
  );
});

test('counts are non-negative integers whatever the caller passes', () => {
  for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY, 2.7]) {
    const body = encodeExportResponse('protobuf', {
      rejectedSpans: bad,
      errorMessage: 'x',
    });
    assert.deepEqual(asObject(Response, body), {
      partialSuccess: {
        ...(bad === 2.7 ? { rejectedSpans: 2 } : {}),
        errorMessage: 'x',
      },
    });
  }
});

test(`google.rpc.Status round-trips in both formats (${RUNS} runs)`, () => {
  fc.assert(
    fc.property(
      fc.oneof(fc.integer({ min: 0, max: 16 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })),
      fc.string({ unit: 'binary', maxLength: 60 }),
      (code, message) => {
        const decoded = asObject(Status, encodeStatus('protobuf', code, message));
        assert.deepEqual(decoded, {
          ...(code === 0 ? {} : { code }),
          ...(message === '' ? {} : { message }),
        });
        assert.deepEqual(JSON.parse(new TextDecoder().decode(encodeStatus('json', code, message))), { code, message });
      },
    ),
    { numRuns: RUNS },
  );
});

test('a 400 Status as the gateway sends it', () => {
  const INVALID_ARGUMENT = 3;
  const body = encodeStatus('protobuf', INVALID_ARGUMENT, 'invalid protobuf: truncated varint at byte 7');
  assert.deepEqual(asObject(Status, body), {
    code: 3,
    message: 'invalid protobuf: truncated varint at byte 7',
  });
  assert.deepEqual([...body.subarray(0, 4)], [0x08, 0x03, 0x12, 44]);
});
