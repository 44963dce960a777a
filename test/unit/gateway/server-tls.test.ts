/**
 * TLS on both ports with a self-signed certificate the test makes (openssl): the official exporters trusting
 * that certificate get through on https and on gRPC over TLS; a plain-text client does not.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { startGateway } from '../../../src/gateway/index.js';
import type { Gateway } from '../../../src/gateway/index.js';
import {
  exportSpans,
  fakeSink,
  makeClient,
  makeSpans,
  selfSignedCert,
  succeeded,
} from '../../../bench/fixtures/gateway-kit.js';
import type { FakeSink } from '../../../bench/fixtures/gateway-kit.js';
import { closedPort } from '../../../bench/lib/ports.js';

const TOKEN = 'tls-token';
const SPANS = makeSpans({ 'readyset.anonymous_id': 'tls-anon' }, [
  { events: [{ name: 'installer_run', attributes: { deployment_env: 'helm' } }] },
]);
let tls: ReturnType<typeof selfSignedCert>;
let sink: FakeSink;
let gateway: Gateway;

before(async () => {
  tls = selfSignedCert();
  sink = fakeSink();
  gateway = await startGateway(
    { port: 0, grpcPort: await closedPort(), sink },
    { env: { RS_GATEWAY_TOKEN: TOKEN, RS_GATEWAY_TLS_CERT: tls.certPath, RS_GATEWAY_TLS_KEY: tls.keyPath } },
  );
});

after(async () => {
  await gateway.close();
  rmSync(tls.dir, { recursive: true, force: true });
});

test('the HTTP port speaks https', () => {
  assert.match(gateway.url, /^https:\/\/127\.0\.0\.1:\d+$/);
});

for (const kind of ['proto', 'json', 'grpc'] as const) {
  test(`${kind} over TLS, trusting the self-signed certificate: delivered`, async () => {
    const before = sink.submitted.length;
    const url = kind === 'grpc' ? `http://${gateway.grpcAddress!}` : gateway.url;
    const client = makeClient(kind, { url, token: TOKEN, ca: tls.cert, gzip: kind === 'json' });
    const result = await exportSpans(client, SPANS);
    await client.shutdown();
    assert.ok(succeeded(result), String(result.error));
    assert.equal(sink.submitted.length, before + 1);
  });
}

test('a plain-text client gets nothing through', async () => {
  const before = sink.submitted.length;
  for (const kind of ['proto', 'grpc'] as const) {
    const url = kind === 'grpc' ? `http://${gateway.grpcAddress!}` : gateway.url.replace('https:', 'http:');
    const client = makeClient(kind, { url, token: TOKEN, timeoutMillis: 2_000 });
    assert.ok(!succeeded(await exportSpans(client, SPANS)), kind);
    await client.shutdown();
  }
  assert.equal(sink.submitted.length, before);
});

test('a half configuration (certificate without key) refuses to start, naming both variables', async () => {
  await assert.rejects(
    startGateway({ port: 0, grpcPort: 0, sink: fakeSink() }, { env: { RS_GATEWAY_TLS_CERT: tls.certPath } }),
    /RS_GATEWAY_TLS_CERT and RS_GATEWAY_TLS_KEY/,
  );
});
