/**
 * Logging: one line per problem cause, never one per request, and never the token. Also the generated part of
 * deploy/README.md matches schema/telemetry.yaml.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { startGateway } from '../../../src/gateway/index.js';
import { fakeSink } from '../../../bench/fixtures/gateway-kit.js';
import { captureDiag } from '../../helpers/diag.js';
import {
  DEPLOY_README_PATH,
  renderEventSection,
  SCHEMA_PATH,
  withSection,
} from '../../../scripts/generate-deploy-doc.js';

test('ten bad requests of three causes log three lines, without the token', async () => {
  const lines = captureDiag();
  const token = 'log-token-secret';
  const gateway = await startGateway({ port: 0, grpcPort: 0, sink: fakeSink() }, { env: { RS_GATEWAY_TOKEN: token } });
  try {
    const send = (headers: Record<string, string>, body: string): Promise<Response> =>
      fetch(gateway.url + '/v1/traces', { method: 'POST', body, headers });
    for (let i = 0; i < 10; i++) {
      await (await send({ 'content-type': 'application/json', authorization: 'Bearer wrong' }, '{}')).arrayBuffer();
      await (await send({ 'content-type': 'text/plain', authorization: `Bearer ${token}` }, 'x')).arrayBuffer();
      await (
        await send({ 'content-type': 'application/json', authorization: `Bearer ${token}` }, '{"resourceSpans":')
      ).arrayBuffer();
    }
  } finally {
    await gateway.close();
  }
  const gatewayLines = lines.filter((l) => l.message.includes('gateway:'));
  assert.equal(gatewayLines.length, 3, JSON.stringify(gatewayLines));
  assert.ok(gatewayLines.every((l) => l.level === 'warn'));
  assert.ok(gatewayLines.some((l) => /401/.test(l.message)));
  assert.ok(gatewayLines.some((l) => /415/.test(l.message)));
  assert.ok(gatewayLines.some((l) => /400/.test(l.message)));
  assert.ok(lines.every((l) => !l.message.includes(token)));
});

test('deploy/README.md lists the events and attributes of schema/telemetry.yaml (run scripts/generate-deploy-doc.ts)', () => {
  const readme = readFileSync(DEPLOY_README_PATH, 'utf8');
  assert.equal(withSection(readme, renderEventSection(readFileSync(SCHEMA_PATH, 'utf8'))), readme);
  assert.match(readme, /`proxied_query`/);
  assert.match(readme, /`readyset\.db_backend`/);
});
