/**
 * Acknowledging only what is safe, end to end through the real sink: while Segment (the receiver) fails the
 * gateway answers 503 with Retry-After and goes unready; Segment's 429 becomes a 429 with its Retry-After; a
 * full pending bound is a 429; after recovery every event arrives, with duplicates only as repeated messageIds.
 * Two gateways (replicas, no shared state) give the same messageIds.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { TELEMETRY_EVENTS } from '../../../src/catalogue/index.js';
import { startReceiver } from '../../../src/devtools/receiver.js';
import type { Fault, Receiver } from '../../../src/devtools/receiver.js';
import { startGateway } from '../../../src/gateway/index.js';
import type { Gateway, GatewayOptions } from '../../../src/gateway/index.js';
import { exportSpans, makeClient, makeSpans, succeeded } from '../../../bench/fixtures/gateway-kit.js';

const WRITE_KEY = 'bp-key';
const cleanup: (() => Promise<void>)[] = [];
after(async () => {
  for (const step of cleanup.reverse()) await step();
});

async function setup(
  fault: (i: number) => Fault | undefined,
  options: GatewayOptions = {},
): Promise<{ receiver: Receiver; gateway: Gateway }> {
  const receiver = await startReceiver({ writeKey: WRITE_KEY, fault });
  const gateway = await startGateway(
    {
      port: 0,
      grpcPort: 0,
      writeKey: WRITE_KEY,
      ackTimeoutMillis: 400,
      drainTimeoutMillis: 1_000,
      flushIntervalMillis: 10,
      ...options,
    },
    { env: { RS_SEGMENT_HOST: receiver.url }, argv: [] },
  );
  cleanup.push(
    () => receiver.close(),
    () => gateway.close(),
  );
  return { receiver, gateway };
}

function spansFor(anonymousId: string) {
  return makeSpans({ 'readyset.anonymous_id': anonymousId }, [
    { events: TELEMETRY_EVENTS.map((name) => ({ name, attributes: { db_backend: 'postgres' } })) },
  ]);
}

function post(gateway: Gateway, body: Uint8Array): Promise<Response> {
  return fetch(gateway.url + '/v1/traces', {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/x-protobuf' },
  });
}

test('Segment down: 503 + Retry-After and readyz 503; back up: the retrying exporter delivers all 17, duplicates only as repeated messageIds', async () => {
  let failing = true;
  const { receiver, gateway } = await setup(() => (failing ? { status: 503 } : undefined), { maxRetries: 2 });
  const spans = spansFor('anon-outage');
  const body = ProtobufTraceSerializer.serializeRequest(spans)!;

  const refused: Response[] = [];
  for (let i = 0; i < 4; i++) refused.push(await post(gateway, body));
  for (const response of refused) {
    assert.equal(response.status, 503);
    assert.ok(Number(response.headers.get('retry-after')) >= 1);
  }
  assert.equal((await fetch(gateway.url + '/readyz')).status, 503);
  assert.equal((await fetch(gateway.url + '/healthz')).status, 200);

  // The official exporter retries on 503 after Retry-After; Segment comes back meanwhile.
  const client = makeClient('proto', { url: gateway.url, timeoutMillis: 25_000 });
  const exported = exportSpans(client, spans);
  setTimeout(() => (failing = false), 300);
  const result = await exported;
  await client.shutdown();
  assert.ok(succeeded(result), String(result.error));
  assert.equal((await fetch(gateway.url + '/readyz')).status, 200);

  const expected = new Set<unknown>();
  const bodies = receiver.messages.map((m) => m.body).filter((b) => b['anonymousId'] === 'anon-outage');
  for (const b of bodies) expected.add(b['messageId']);
  assert.deepEqual(new Set(bodies.map((b) => b['event'])), new Set(TELEMETRY_EVENTS));
  assert.equal(expected.size, 17, 'one messageId per event, however many times it arrived');
  // Each repeat is the same (event, messageId) pair.
  const eventOf = new Map<unknown, unknown>();
  for (const b of bodies) {
    if (eventOf.has(b['messageId'])) assert.equal(eventOf.get(b['messageId']), b['event']);
    eventOf.set(b['messageId'], b['event']);
  }
});

test('Segment 429 with Retry-After: the gateway answers 429 with a Retry-After', async () => {
  let throttled = true;
  const { gateway } = await setup(() => (throttled ? { status: 429, headers: { 'retry-after': '3' } } : undefined), {
    maxRetries: 1,
  });
  const response = await post(gateway, ProtobufTraceSerializer.serializeRequest(spansFor('anon-429'))!);
  throttled = false;
  assert.equal(response.status, 429);
  assert.ok(Number(response.headers.get('retry-after')) >= 1);
});

test('the pending bound reached: 429 with Retry-After, at once', async () => {
  const { gateway } = await setup(() => ({ hang: true }), { maxPendingEvents: 20, httpRequestTimeoutMillis: 60_000 });
  const first = await post(gateway, ProtobufTraceSerializer.serializeRequest(spansFor('anon-bound-1'))!);
  assert.equal(first.status, 503); // Segment never answers: the ack deadline passes
  const started = Date.now();
  let second: Response | undefined;
  for (let i = 0; i < 5 && second?.status !== 429; i++)
    second = await post(gateway, ProtobufTraceSerializer.serializeRequest(spansFor(`anon-bound-${i + 2}`))!);
  assert.equal(second?.status, 429);
  assert.ok(Number(second?.headers.get('retry-after')) >= 1);
  assert.ok(Date.now() - started < 3_000);
});

test('two replicas give every event the same messageId', async () => {
  const receiver = await startReceiver({ writeKey: WRITE_KEY });
  cleanup.push(() => receiver.close());
  const spans = spansFor('anon-replicas');
  const ids: unknown[][] = [];
  for (let replica = 0; replica < 2; replica++) {
    const gateway = await startGateway(
      { port: 0, grpcPort: 0, writeKey: WRITE_KEY, flushIntervalMillis: 10 },
      { env: { RS_SEGMENT_HOST: receiver.url }, argv: [] },
    );
    const client = makeClient(replica === 0 ? 'proto' : 'json', { url: gateway.url });
    const before = receiver.messages.length;
    assert.ok(succeeded(await exportSpans(client, spans)));
    await client.shutdown();
    await gateway.close();
    ids.push(
      receiver.messages
        .slice(before)
        .map((m) => `${String(m.body['event'])} ${String(m.body['messageId'])}`)
        .sort(),
    );
  }
  assert.equal(ids[0]!.length, 17);
  assert.deepEqual(ids[1], ids[0]);
});
