/**
 * The gateway's OTLP/gRPC port against a fake sink: the official gRPC exporter (gzip or not) gets through;
 * refusals have their gRPC codes, and backpressure carries a google.rpc.RetryInfo in grpc-status-details-bin
 * plus a retry-after metadata entry.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Client, credentials, Metadata, status as Status } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { startGateway } from '../../../src/gateway/index.js';
import type { Gateway } from '../../../src/gateway/index.js';
import { EXPORT_PATH } from '../../../src/gateway/grpc.js';
import { exportSpans, fakeSink, makeClient, makeSpans, succeeded } from '../../../bench/fixtures/gateway-kit.js';
import type { FakeSink } from '../../../bench/fixtures/gateway-kit.js';
import { closedPort } from '../../../bench/lib/ports.js';

const TOKEN = 'grpc-token-abcdef';
const RESOURCE = { 'service.name': 'readyset-server', 'service.instance.id': 'instance-7' };
const SPANS = makeSpans(RESOURCE, [
  { events: [{ name: 'server_start', attributes: { server_version: '1.2.3' } }] },
  { name: 'other', events: [] },
]);
const BODY = Buffer.from(ProtobufTraceSerializer.serializeRequest(SPANS)!);

let sink: FakeSink;
let gateway: Gateway;
let raw: Client;

before(async () => {
  sink = fakeSink();
  gateway = await startGateway(
    { port: 0, grpcPort: await closedPort(), maxBodyBytes: 64 * 1024, sink },
    { env: { RS_GATEWAY_TOKEN: TOKEN } },
  );
  raw = new Client(gateway.grpcAddress!, credentials.createInsecure());
});

after(async () => {
  raw.close();
  await gateway.close();
});

interface CallResult {
  error: ServiceError | null;
  response: Buffer | undefined;
}

function call(body: Buffer, token: string | null = TOKEN): Promise<CallResult> {
  const metadata = new Metadata();
  if (token !== null) metadata.set('authorization', `Bearer ${token}`);
  return new Promise((resolve) => {
    raw.makeUnaryRequest(
      EXPORT_PATH,
      (b: Buffer) => b,
      (b: Buffer) => b,
      body,
      metadata,
      { deadline: Date.now() + 10_000 },
      (error, response) => resolve({ error, response }),
    );
  });
}

/** Reads google.rpc.Status → details[0] (Any) → RetryInfo.retry_delay.seconds, by hand. */
function retryDelaySeconds(details: Buffer): { typeUrl: string; seconds: number } {
  const fields = (buf: Buffer): Map<number, Buffer | number> => {
    const out = new Map<number, Buffer | number>();
    let at = 0;
    const varint = (): number => {
      let value = 0;
      let scale = 1;
      for (;;) {
        const byte = buf[at++]!;
        value += (byte & 0x7f) * scale;
        scale *= 128;
        if (byte < 0x80) return value;
      }
    };
    while (at < buf.length) {
      const key = varint();
      if ((key & 7) === 0) out.set(key >> 3, varint());
      else {
        const length = varint();
        out.set(key >> 3, buf.subarray(at, at + length));
        at += length;
      }
    }
    return out;
  };
  const any = fields(details).get(3) as Buffer;
  const typeUrl = (fields(any).get(1) as Buffer).toString();
  const retryInfo = fields(any).get(2) as Buffer;
  const duration = fields(retryInfo).get(1) as Buffer;
  return { typeUrl, seconds: fields(duration).get(1) as number };
}

describe('the official OTLP/gRPC exporter', () => {
  for (const gzip of [false, true]) {
    test(`${gzip ? 'gzip' : 'no compression'}: telemetry events reach the sink`, async () => {
      const before = sink.submitted.length;
      const client = makeClient('grpc', { url: `http://${gateway.grpcAddress!}`, gzip, token: TOKEN });
      const result = await exportSpans(client, SPANS);
      await client.shutdown();
      assert.ok(succeeded(result), String(result.error));
      assert.equal(sink.submitted.length, before + 1);
      const traces = sink.submitted.at(-1)!;
      assert.equal(traces.spanCount, 2);
      assert.equal(traces.resourceSpans[0]!.resource['service.instance.id'], 'instance-7');
      assert.deepEqual(
        traces.resourceSpans[0]!.spans[0]!.events.map((e) => e.name),
        ['server_start'],
      );
    });
  }

  test('a wrong token fails the export', async () => {
    const client = makeClient('grpc', { url: `http://${gateway.grpcAddress!}`, token: 'nope' });
    assert.ok(!succeeded(await exportSpans(client, SPANS)));
    await client.shutdown();
  });
});

describe('codes', () => {
  test('OK with an ExportTraceServiceResponse, partial_success when events were refused', async () => {
    const ok = await call(BODY);
    assert.equal(ok.error, null);
    assert.equal(ok.response?.length, 0);
    sink.outcome = () => ({
      kind: 'accepted',
      rejectedSpans: 1,
      errorMessage: 'set readyset.anonymous_id or service.instance.id',
    });
    const partial = await call(BODY);
    sink.outcome = () => ({ kind: 'accepted', rejectedSpans: 0 });
    const decoded = ProtobufTraceSerializer.deserializeResponse(new Uint8Array(partial.response!));
    assert.equal(Number(decoded.partialSuccess?.rejectedSpans), 1);
    assert.equal(decoded.partialSuccess?.errorMessage, 'set readyset.anonymous_id or service.instance.id');
  });

  test('INVALID_ARGUMENT for a message that does not decode', async () => {
    const { error } = await call(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f]));
    assert.equal(error?.code, Status.INVALID_ARGUMENT);
  });

  test('UNAUTHENTICATED without the token or with a wrong one', async () => {
    assert.equal((await call(BODY, null)).error?.code, Status.UNAUTHENTICATED);
    assert.equal((await call(BODY, 'wrong')).error?.code, Status.UNAUTHENTICATED);
  });

  test('RESOURCE_EXHAUSTED (sink 429) and UNAVAILABLE (sink 503) with RetryInfo and retry-after', async () => {
    for (const [status, code] of [
      [429, Status.RESOURCE_EXHAUSTED],
      [503, Status.UNAVAILABLE],
    ] as const) {
      sink.outcome = () => ({ kind: 'retry', status, retryAfterSeconds: 4, reason: 'Segment is failing' });
      const { error } = await call(BODY);
      assert.equal(error?.code, code);
      assert.equal(error?.details, 'Segment is failing');
      assert.equal(error?.metadata.get('retry-after')[0], '4');
      const details = error?.metadata.get('grpc-status-details-bin')[0];
      assert.ok(Buffer.isBuffer(details));
      assert.deepEqual(retryDelaySeconds(details), { typeUrl: 'type.googleapis.com/google.rpc.RetryInfo', seconds: 4 });
    }
    sink.outcome = () => ({ kind: 'accepted', rejectedSpans: 0 });
  });

  test('RESOURCE_EXHAUSTED for a message over maxBodyBytes', async () => {
    const { error } = await call(Buffer.alloc(70 * 1024));
    assert.equal(error?.code, Status.RESOURCE_EXHAUSTED);
  });

  test('getStats counts gRPC answers by code', () => {
    const requests = gateway.getStats().requests;
    assert.ok((requests['grpc OK'] ?? 0) >= 4);
    assert.ok((requests['grpc UNAUTHENTICATED'] ?? 0) >= 3);
    assert.equal(requests['grpc INVALID_ARGUMENT'], 1);
  });
});

test('RESOURCE_EXHAUSTED with RetryInfo once the in-flight cap is reached (shared with the HTTP port)', async () => {
  const own = fakeSink();
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  own.outcome = async () => {
    await held;
    return { kind: 'accepted', rejectedSpans: 0 };
  };
  const capped = await startGateway({ port: 0, grpcPort: await closedPort(), maxInFlight: 1, sink: own }, { env: {} });
  const client = new Client(capped.grpcAddress!, credentials.createInsecure());
  try {
    const first = fetch(capped.url + '/v1/traces', {
      method: 'POST',
      body: BODY,
      headers: { 'content-type': 'application/x-protobuf' },
    });
    for (let i = 0; i < 100 && capped.getStats().inFlight < 1; i++) await new Promise((r) => setTimeout(r, 10));
    const refused = await new Promise<ServiceError | null>((resolve) => {
      client.makeUnaryRequest(
        EXPORT_PATH,
        (b: Buffer) => b,
        (b: Buffer) => b,
        BODY,
        new Metadata(),
        { deadline: Date.now() + 10_000 },
        (error) => resolve(error),
      );
    });
    assert.equal(refused?.code, Status.RESOURCE_EXHAUSTED);
    assert.equal(retryDelaySeconds(refused.metadata.get('grpc-status-details-bin')[0] as Buffer).seconds, 1);
    release();
    assert.equal((await first).status, 200);
  } finally {
    client.close();
    await capped.close();
  }
});
