/**
 * End to end on loopback, through the real sink: the official OTLP exporters (proto, JSON, gRPC; gzip or not)
 * → startGateway → the exporter's pipeline → the Segment-compatible receiver. What is asserted is what crossed
 * the wire to the receiver.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { TELEMETRY_EVENTS } from '../../../src/catalogue/index.js';
import { startReceiver } from '../../../src/devtools/receiver.js';
import type { Receiver } from '../../../src/devtools/receiver.js';
import { startGateway } from '../../../src/gateway/index.js';
import type { Gateway } from '../../../src/gateway/index.js';
import { exportSpans, makeClient, makeSpans, succeeded } from '../../../bench/fixtures/gateway-kit.js';
import type { ClientKind } from '../../../bench/fixtures/gateway-kit.js';
import { closedPort } from '../../../bench/lib/ports.js';
import { schemaErrors } from '../../helpers/schema.js';

const WRITE_KEY = 'gateway-e2e-key';
const TOKEN = 'gateway-e2e-token';
const PROPERTIES = { server_version: '1.2.3', db_backend: 'mysql' } as const;

/** One span carrying all 17 events (and a non-telemetry one in the middle), for one reporter. */
function allEvents(anonymousId: string, extra: Record<string, string> = {}) {
  const events = TELEMETRY_EVENTS.map((name) => ({ name, attributes: { ...PROPERTIES } }));
  events.splice(3, 0, { name: 'exception', attributes: {} } as never);
  return makeSpans({ 'service.name': 'readyset', 'readyset.anonymous_id': anonymousId, ...extra }, [
    { events },
    { name: 'plain', events: [] },
  ]);
}

let receiver: Receiver;
let gateway: Gateway;

before(async () => {
  receiver = await startReceiver({ writeKey: WRITE_KEY });
  gateway = await startGateway(
    { port: 0, grpcPort: await closedPort(), writeKey: WRITE_KEY, host: '127.0.0.1', flushIntervalMillis: 20 },
    { env: { RS_SEGMENT_HOST: receiver.url, RS_GATEWAY_TOKEN: TOKEN, RS_API_KEY: 'gateway-api-key' }, argv: [] },
  );
});

after(async () => {
  await gateway.close();
  await receiver.close();
});

function bodiesOf(anonymousId: string): Record<string, unknown>[] {
  return receiver.messages.map((m) => m.body).filter((b) => b['anonymousId'] === anonymousId);
}

describe('all 17 events through each official exporter', () => {
  for (const kind of ['proto', 'json', 'grpc'] as ClientKind[]) {
    for (const gzip of [false, true]) {
      test(`${kind}${gzip ? ' + gzip' : ''}`, async () => {
        const anonymousId = `anon-${kind}-${gzip ? 'gz' : 'plain'}`;
        const url = kind === 'grpc' ? `http://${gateway.grpcAddress!}` : gateway.url;
        const client = makeClient(kind, { url, gzip, token: TOKEN });
        const result = await exportSpans(client, allEvents(anonymousId, { 'readyset.user_id': 'user-7' }));
        await client.shutdown();
        // 200 means Segment (the receiver) already has them: no waiting needed.
        assert.ok(succeeded(result), String(result.error));
        const bodies = bodiesOf(anonymousId);
        assert.deepEqual(bodies.map((b) => b['event']).sort(), [...TELEMETRY_EVENTS].sort());
        assert.equal(new Set(bodies.map((b) => b['messageId'])).size, 17);
        for (const body of bodies) {
          assert.deepEqual(schemaErrors(body), [], String(body['event']));
          assert.equal(body['userId'], 'user-7');
          assert.deepEqual(body['properties'], PROPERTIES);
        }
        for (const message of receiver.messages) assert.equal(message.writeKey, WRITE_KEY);
      });
    }
  }
});

test('without readyset.user_id the userId is the gateway RS_API_KEY; service.instance.id is the fallback anonymousId', async () => {
  const spans = makeSpans({ 'service.instance.id': 'instance-42' }, [
    { events: [{ name: 'server_start', attributes: { server_version: '9.9.9' } }] },
  ]);
  const client = makeClient('proto', { url: gateway.url, token: TOKEN });
  assert.ok(succeeded(await exportSpans(client, spans)));
  await client.shutdown();
  const [body] = bodiesOf('instance-42');
  assert.equal(body?.['userId'], 'gateway-api-key');
  assert.equal(body?.['event'], 'server_start');
});

test('spans without telemetry events: 200 and nothing sent', async () => {
  const before = receiver.requests();
  const spans = makeSpans({ 'readyset.anonymous_id': 'anon-none' }, [
    { name: 'GET /', events: [{ name: 'exception' }] },
    { name: 'db', events: [] },
  ]);
  const client = makeClient('json', { url: gateway.url, token: TOKEN });
  assert.ok(succeeded(await exportSpans(client, spans)));
  await client.shutdown();
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(receiver.requests(), before);
});

test('events without a reporter id: 200 with partial_success naming the attribute, nothing sent for them', async () => {
  const spans = makeSpans({ 'service.name': 'anonymous-service' }, [
    { events: [{ name: 'adapter_start' }, { name: 'adapter_stop' }] },
  ]);
  const response = await fetch(gateway.url + '/v1/traces', {
    method: 'POST',
    body: JsonTraceSerializer.serializeRequest(spans)!,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
  });
  assert.equal(response.status, 200);
  const body = (await response.json()) as {
    partialSuccess?: { rejectedSpans?: string | number; errorMessage?: string };
  };
  assert.equal(Number(body.partialSuccess?.rejectedSpans), 2);
  assert.match(body.partialSuccess?.errorMessage ?? '', /readyset\.anonymous_id/);
});

test('the write key never comes from the wire, and the token is required', async () => {
  const spans = allEvents('anon-token');
  const client = makeClient('proto', { url: gateway.url });
  assert.ok(!succeeded(await exportSpans(client, spans)));
  await client.shutdown();
  assert.equal(bodiesOf('anon-token').length, 0);
});
