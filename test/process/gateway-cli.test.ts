/**
 * `otel-segment-bridge gateway` as a process: one start line with the addresses and no secret; the operations
 * endpoints; events through to the receiver; SIGTERM drains (the request in flight is answered, what is
 * pending is delivered) and exits 0.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { TELEMETRY_EVENTS } from '../../src/catalogue/index.js';
import { startReceiver } from '../../src/devtools/receiver.js';
import type { Receiver } from '../../src/devtools/receiver.js';
import { exportSpans, makeClient, makeSpans, succeeded } from '../../bench/fixtures/gateway-kit.js';
import { closedPort } from '../../bench/lib/ports.js';
import { killChildren, startChild } from '../helpers/children.js';
import type { Child } from '../helpers/children.js';

const WRITE_KEY = 'cli-write-key-do-not-print';
const TOKEN = 'cli-token-do-not-print';

after(() => killChildren());

async function startGatewayProcess(
  receiver: Receiver,
  flags: string[] = [],
): Promise<{ child: Child; url: string; grpc: string }> {
  const grpcPort = await closedPort();
  const child = startChild(
    ['--import', 'tsx', 'src/cli/bin.ts', 'gateway', '--port', '0', '--grpc-port', String(grpcPort), ...flags],
    {
      RS_SEGMENT_WRITE_KEY: WRITE_KEY,
      RS_SEGMENT_HOST: receiver.url,
      RS_GATEWAY_TOKEN: TOKEN,
    },
  );
  let stdout = '';
  child.process.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  await child.printed('listening');
  await child.printed('\n');
  const url = /OTLP\/HTTP (http:\/\/127\.0\.0\.1:\d+)\/v1\/traces/.exec(stdout)?.[1];
  const grpc = /OTLP\/gRPC (127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
  assert.ok(url !== undefined && grpc === `127.0.0.1:${grpcPort}`, stdout);
  return { child, url, grpc };
}

function spansFor(anonymousId: string) {
  return makeSpans({ 'readyset.anonymous_id': anonymousId }, [
    { events: TELEMETRY_EVENTS.map((name) => ({ name, attributes: { db_backend: 'mysql' } })) },
  ]);
}

test('one start line with both addresses; health, readiness, metrics; events delivered; SIGTERM exits 0; no secret printed', async () => {
  const receiver = await startReceiver({ writeKey: WRITE_KEY });
  try {
    const { child, url, grpc } = await startGatewayProcess(receiver);
    assert.equal((await fetch(url + '/healthz')).status, 200);
    assert.equal((await fetch(url + '/readyz')).status, 200);
    for (const kind of ['proto', 'grpc'] as const) {
      const client = makeClient(kind, { url: kind === 'grpc' ? `http://${grpc}` : url, token: TOKEN, gzip: true });
      assert.ok(succeeded(await exportSpans(client, spansFor(`cli-${kind}`))), kind);
      await client.shutdown();
    }
    assert.equal(receiver.messages.length, 34);
    const metrics = await (await fetch(url + '/metrics')).text();
    assert.match(metrics, /otel_segment_bridge_gateway_requests_total\{[^}]*protocol="grpc"[^}]*status="OK"[^}]*\} 1/);
    assert.match(metrics, /otel_segment_bridge_events_sent_total\{[^}]*\} 34/);
    child.process.kill('SIGTERM');
    const result = await child.result;
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim().split('\n').length, 1, result.stdout);
    assert.ok(!(result.stdout + result.stderr).includes(WRITE_KEY));
    assert.ok(!(result.stdout + result.stderr).includes(TOKEN));
  } finally {
    await receiver.close();
  }
});

test('SIGTERM while Segment fails: the request in flight is answered, pending events are delivered once Segment is back, exit 0', async () => {
  let failing = true;
  const receiver = await startReceiver({ writeKey: WRITE_KEY, fault: () => (failing ? { status: 503 } : undefined) });
  try {
    const { child, url } = await startGatewayProcess(receiver, ['--ack-timeout', '3s', '--drain-timeout', '8s']);
    const inFlight = fetch(url + '/v1/traces', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({
        resourceSpans: [
          {
            resource: { attributes: [{ key: 'readyset.anonymous_id', value: { stringValue: 'cli-drain' } }] },
            scopeSpans: [
              {
                spans: [
                  {
                    traceId: '0af7651916cd43dd8448eb211c80319c',
                    spanId: 'b7ad6b7169203331',
                    name: 't',
                    events: [{ name: 'adapter_stop', timeUnixNano: '1767323045678000000' }],
                  },
                ],
              },
            ],
          },
        ],
      }),
    });
    for (let i = 0; i < 100 && receiver.requests() === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(receiver.requests() > 0, 'the gateway tried Segment');
    const stoppedAt = Date.now();
    child.process.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    await assert.rejects(fetch(url + '/healthz'), 'no longer accepting');
    failing = false;
    const answer = await inFlight;
    assert.ok([200, 503].includes(answer.status), String(answer.status));
    const result = await child.result;
    assert.equal(result.code, 0, result.stderr);
    assert.ok(Date.now() - stoppedAt < 3_000 + 8_000 + 2_000);
    assert.deepEqual(
      receiver.messages
        .map((m) => m.body['event'])
        .filter((e) => e === 'adapter_stop')
        .slice(0, 1),
      ['adapter_stop'],
    );
  } finally {
    await receiver.close();
  }
});

test('a usage error exits 2; off loopback without a token it refuses to start (exit 1) naming RS_GATEWAY_TOKEN', async () => {
  const usage = await startChild(['--import', 'tsx', 'src/cli/bin.ts', 'gateway', '--ack-timeout', '5'], {}).result;
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /--ack-timeout/);
  const open = await startChild(
    ['--import', 'tsx', 'src/cli/bin.ts', 'gateway', '--host', '0.0.0.0', '--port', '0', '--grpc-port', '0'],
    { RS_SEGMENT_WRITE_KEY: WRITE_KEY },
  ).result;
  assert.equal(open.code, 1);
  assert.match(open.stderr, /RS_GATEWAY_TOKEN is required/);
  assert.ok(!open.stderr.includes(WRITE_KEY));
});
