/**
 * The gateway's OTLP/HTTP port against a fake sink: the official exporters (proto and JSON, gzip or not) get
 * through; every refusal has its status, its Status body in the request's format and, under backpressure,
 * Retry-After; the operations endpoints answer.
 */
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { startGateway } from '../../../src/gateway/index.js';
import type { Gateway } from '../../../src/gateway/index.js';
import { exportSpans, fakeSink, makeClient, makeSpans, succeeded } from '../../../bench/fixtures/gateway-kit.js';
import type { FakeSink } from '../../../bench/fixtures/gateway-kit.js';

const TOKEN = 'unit-token-0123456789';
const RESOURCE = { 'service.name': 'readyset-adapter', 'readyset.anonymous_id': 'anon-1' };
const TELEMETRY = makeSpans(RESOURCE, [
  {
    events: [
      { name: 'adapter_start', attributes: { adapter_version: '1.8.0' } },
      { name: 'not.telemetry' },
      { name: 'show_caches' },
    ],
  },
  { name: 'plain work', events: [] },
]);
const PLAIN = makeSpans(RESOURCE, [
  { name: 'GET /', events: [{ name: 'exception' }] },
  { name: 'db', events: [] },
]);

let sink: FakeSink;
let gateway: Gateway;

before(async () => {
  sink = fakeSink();
  gateway = await startGateway(
    { port: 0, grpcPort: 0, maxBodyBytes: 64 * 1024, maxInFlight: 2, ackTimeoutMillis: 2_000, sink },
    { env: { RS_GATEWAY_TOKEN: TOKEN } },
  );
});

after(async () => {
  await gateway.close();
});

function post(body: Uint8Array | string, headers: Record<string, string>, path = '/v1/traces'): Promise<Response> {
  return fetch(gateway.url + path, { method: 'POST', body, headers: { authorization: `Bearer ${TOKEN}`, ...headers } });
}

const PROTO = { 'content-type': 'application/x-protobuf' };
const JSON_TYPE = { 'content-type': 'application/json' };

async function statusMessage(response: Response): Promise<string> {
  const type = response.headers.get('content-type') ?? '';
  const bytes = Buffer.from(await response.arrayBuffer());
  if (type.startsWith('application/json'))
    return String((JSON.parse(bytes.toString('utf8')) as { message?: string }).message);
  // google.rpc.Status.message is field 2; the test finds its text in the bytes.
  return bytes.toString('latin1');
}

describe('the official OTLP/HTTP exporters', () => {
  for (const kind of ['proto', 'json'] as const) {
    for (const gzip of [false, true]) {
      test(`${kind}${gzip ? ' + gzip' : ''}: telemetry events reach the sink with their resource; 200`, async () => {
        const before = sink.submitted.length;
        const client = makeClient(kind, { url: gateway.url, gzip, token: TOKEN });
        const result = await exportSpans(client, TELEMETRY);
        await client.shutdown();
        assert.ok(succeeded(result), String(result.error));
        assert.equal(sink.submitted.length, before + 1);
        const traces = sink.submitted.at(-1)!;
        assert.equal(traces.spanCount, 2);
        assert.equal(traces.resourceSpans.length, 1);
        assert.equal(traces.resourceSpans[0]!.resource['readyset.anonymous_id'], 'anon-1');
        const [span] = traces.resourceSpans[0]!.spans;
        assert.equal(span!.spanId, TELEMETRY[0]!.spanContext().spanId);
        assert.deepEqual(
          span!.events.map((e) => [e.name, e.index]),
          [
            ['adapter_start', 0],
            ['show_caches', 2],
          ],
        );
        assert.deepEqual(span!.events[0]!.attributes, { adapter_version: '1.8.0' });
      });
    }
  }

  test('spans without telemetry events: 200 and the sink is not called', async () => {
    const before = sink.submitted.length;
    const client = makeClient('proto', { url: gateway.url, token: TOKEN });
    assert.ok(succeeded(await exportSpans(client, PLAIN)));
    await client.shutdown();
    assert.equal(sink.submitted.length, before);
  });

  test('a wrong token fails the export', async () => {
    const client = makeClient('json', { url: gateway.url, token: 'wrong' });
    assert.ok(!succeeded(await exportSpans(client, TELEMETRY)));
    await client.shutdown();
  });
});

describe('statuses', () => {
  test('200 has the request content type and an empty ExportTraceServiceResponse', async () => {
    const proto = await post(ProtobufTraceSerializer.serializeRequest(TELEMETRY)!, PROTO);
    assert.equal(proto.status, 200);
    assert.equal(proto.headers.get('content-type'), 'application/x-protobuf');
    assert.equal(Buffer.from(await proto.arrayBuffer()).length, 0);
    const json = await post(JsonTraceSerializer.serializeRequest(TELEMETRY)!, JSON_TYPE);
    assert.equal(json.status, 200);
    assert.equal(json.headers.get('content-type'), 'application/json');
    assert.deepEqual(await json.json(), {});
  });

  test('200 with partial_success when the sink refused events for good', async () => {
    sink.outcome = () => ({ kind: 'accepted', rejectedSpans: 1, errorMessage: 'set readyset.anonymous_id' });
    try {
      const json = await post(JsonTraceSerializer.serializeRequest(TELEMETRY)!, JSON_TYPE);
      assert.equal(json.status, 200);
      const body = (await json.json()) as { partialSuccess?: { rejectedSpans?: unknown; errorMessage?: string } };
      assert.equal(Number(body.partialSuccess?.rejectedSpans), 1);
      assert.equal(body.partialSuccess?.errorMessage, 'set readyset.anonymous_id');
      const proto = await post(ProtobufTraceSerializer.serializeRequest(TELEMETRY)!, PROTO);
      const decoded = ProtobufTraceSerializer.deserializeResponse(new Uint8Array(await proto.arrayBuffer()));
      assert.equal(Number(decoded.partialSuccess?.rejectedSpans), 1);
      assert.equal(decoded.partialSuccess?.errorMessage, 'set readyset.anonymous_id');
    } finally {
      sink.outcome = () => ({ kind: 'accepted', rejectedSpans: 0 });
    }
  });

  test('400 with a Status for a body that does not decode (protobuf and JSON)', async () => {
    const proto = await post(Buffer.from([0x0a, 0xff, 0xff, 0xff]), PROTO);
    assert.equal(proto.status, 400);
    assert.equal(proto.headers.get('content-type'), 'application/x-protobuf');
    assert.ok(Buffer.from(await proto.arrayBuffer())[0] === 0x08); // Status.code = 3, field 1 first
    const json = await post('{"resourceSpans": [', JSON_TYPE);
    assert.equal(json.status, 400);
    const body = (await json.json()) as { code?: number; message?: string };
    assert.equal(body.code, 3);
    assert.ok((body.message ?? '').length > 0);
  });

  test('400 for a body that is not gzip though it says so', async () => {
    const response = await post('not gzip at all', { ...JSON_TYPE, 'content-encoding': 'gzip' });
    assert.equal(response.status, 400);
    assert.match(await statusMessage(response), /gzip/);
  });

  test('401 without the token or with a wrong one, with WWW-Authenticate', async () => {
    const body = JsonTraceSerializer.serializeRequest(TELEMETRY)!;
    for (const authorization of [undefined, 'Bearer wrong', `Basic ${TOKEN}`, `Bearer ${TOKEN}x`]) {
      const headers: Record<string, string> = { ...JSON_TYPE };
      const response = await fetch(gateway.url + '/v1/traces', {
        method: 'POST',
        body,
        headers: authorization === undefined ? headers : { ...headers, authorization },
      });
      assert.equal(response.status, 401, String(authorization));
      assert.equal(response.headers.get('www-authenticate'), 'Bearer');
      assert.equal(((await response.json()) as { code?: number }).code, 16);
    }
  });

  test('404 for other paths, 405 for other methods', async () => {
    assert.equal((await post('{}', JSON_TYPE, '/v1/metrics')).status, 404);
    assert.equal((await fetch(gateway.url + '/')).status, 404);
    const get = await fetch(gateway.url + '/v1/traces');
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST');
  });

  test('413 for a body over the limit: declared, streamed, and inflated from a small gzip (a gzip bomb)', async () => {
    const big = Buffer.alloc(65 * 1024, 0x20);
    assert.equal((await post(big, JSON_TYPE)).status, 413);
    // Without Content-Length: a stream, counted as it arrives.
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 20; i++) controller.enqueue(new Uint8Array(8 * 1024));
        controller.close();
      },
    });
    const streamed = await fetch(gateway.url + '/v1/traces', {
      method: 'POST',
      body: stream,
      duplex: 'half',
      headers: { ...PROTO, authorization: `Bearer ${TOKEN}` },
    });
    assert.equal(streamed.status, 413);
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x20));
    assert.ok(bomb.length < 64 * 1024);
    const rss = process.memoryUsage().rss;
    const response = await post(bomb, { ...JSON_TYPE, 'content-encoding': 'gzip' });
    assert.equal(response.status, 413);
    assert.match(await statusMessage(response), /inflates past/);
    assert.ok(process.memoryUsage().rss - rss < 40 * 1024 * 1024, 'inflating stopped at the limit');
  });

  test('415 for another content type or content encoding', async () => {
    assert.equal((await post('x', { 'content-type': 'text/plain' })).status, 415);
    assert.equal((await post('x', {})).status, 415);
    assert.equal((await post('{}', { ...JSON_TYPE, 'content-encoding': 'br' })).status, 415);
  });

  test('429 and 503 with Retry-After from the sink', async () => {
    for (const status of [429, 503] as const) {
      sink.outcome = () => ({ kind: 'retry', status, retryAfterSeconds: 7, reason: `sink says ${status}` });
      const response = await post(JsonTraceSerializer.serializeRequest(TELEMETRY)!, JSON_TYPE);
      assert.equal(response.status, status);
      assert.equal(response.headers.get('retry-after'), '7');
      assert.equal(((await response.json()) as { message?: string }).message, `sink says ${status}`);
    }
    sink.outcome = () => ({ kind: 'accepted', rejectedSpans: 0 });
  });

  test('429 with Retry-After once the in-flight cap (2) is reached', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    sink.outcome = async () => {
      await held;
      return { kind: 'accepted', rejectedSpans: 0 };
    };
    const body = JsonTraceSerializer.serializeRequest(TELEMETRY)!;
    const slow = [post(body, JSON_TYPE), post(body, JSON_TYPE)];
    for (let i = 0; i < 100 && gateway.getStats().inFlight < 2; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(gateway.getStats().inFlight, 2);
    const third = await post(body, JSON_TYPE);
    assert.equal(third.status, 429);
    assert.equal(third.headers.get('retry-after'), '1');
    release();
    assert.deepEqual(
      (await Promise.all(slow)).map((r) => r.status),
      [200, 200],
    );
    sink.outcome = () => ({ kind: 'accepted', rejectedSpans: 0 });
  });
});

describe('operations', () => {
  test('healthz 200; readyz 200, then 503 while the sink is unhealthy', async () => {
    assert.equal((await fetch(gateway.url + '/healthz')).status, 200);
    assert.equal((await fetch(gateway.url + '/readyz')).status, 200);
    sink.unhealthyNow = true;
    assert.equal((await fetch(gateway.url + '/readyz')).status, 503);
    sink.unhealthyNow = false;
    assert.equal((await fetch(gateway.url + '/readyz')).status, 200);
  });

  test('metrics: Prometheus text with request figures by status and the bridge counters, no token needed', async () => {
    const response = await fetch(gateway.url + '/metrics');
    assert.equal(response.status, 200);
    const text = await response.text();
    assert.match(
      text,
      /otel_segment_bridge_gateway_requests_total\{[^}]*protocol="http"[^}]*status="200"[^}]*\} [1-9]/,
    );
    assert.match(text, /otel_segment_bridge_gateway_requests_total\{[^}]*status="413"[^}]*\} [1-9]/);
    assert.match(text, /otel_segment_bridge_gateway_request_bytes(_By)?_total\{[^}]*protocol="http"[^}]*\} [1-9]/);
    assert.match(text, /otel_segment_bridge_gateway_requests_in_flight(\{[^}]*\})? 0/);
    assert.match(text, /otel_segment_bridge_events_sent_total(\{[^}]*\})? [1-9]/);
    assert.match(text, /otel_segment_bridge_events_dropped_total\{[^}]*reason="queue_full"/);
  });

  test('getStats counts requests by status', () => {
    const stats = gateway.getStats();
    assert.ok((stats.requests['http 200'] ?? 0) >= 6);
    assert.ok((stats.requests['http 401'] ?? 0) >= 4);
    assert.ok((stats.requests['http 429'] ?? 0) >= 2);
  });
});

test('close lets the request in flight finish with 200, stops listening, and closes the sink with the drain deadline', async () => {
  const own = fakeSink();
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  own.outcome = async () => {
    await held;
    return { kind: 'accepted', rejectedSpans: 0 };
  };
  const g = await startGateway({ port: 0, grpcPort: 0, sink: own, drainTimeoutMillis: 1234 }, { env: {} });
  const body = JsonTraceSerializer.serializeRequest(TELEMETRY)!;
  const inFlight = fetch(g.url + '/v1/traces', { method: 'POST', body, headers: JSON_TYPE });
  for (let i = 0; i < 100 && g.getStats().inFlight < 1; i++) await new Promise((r) => setTimeout(r, 10));
  const closed = g.close();
  assert.equal(g.getStats().inFlight, 1);
  release();
  assert.equal((await inFlight).status, 200);
  await closed;
  assert.equal(own.closedWith, 1234);
  await assert.rejects(fetch(g.url + '/healthz'));
});
