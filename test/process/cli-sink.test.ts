/**
 * `otel-segment-bridge sink` in a child process: each refused request is printed with its status and reason,
 * and SIGTERM / SIGINT print a summary of what was received and refused.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { killChildren, startChild } from '../helpers/children.js';

after(killChildren);

const KEY = 'sink-key';
const auth = (key: string): string => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
const message = {
  type: 'track',
  event: 'show_caches',
  anonymousId: 'x',
  timestamp: '2026-01-01T00:00:00.000Z',
  properties: { server_version: '9' },
};

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`the sink logs each rejected request and prints a summary on ${signal}`, { timeout: 30_000 }, async () => {
    const sink = startChild(['--import', 'tsx', 'src/cli/bin.ts', 'sink', '-p', '0', '--write-key', KEY], {});
    let stdout = '';
    sink.process.stdout?.on('data', (chunk: Buffer) => void (stdout += chunk.toString('utf8')));
    await sink.printed('(Ctrl-C to stop)');
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)\/v1\/batch/.exec(stdout)?.[1];
    assert.ok(url !== undefined, stdout);
    const post = (headers: Record<string, string>, body: string, path = '/v1/batch'): Promise<number> =>
      fetch(`${url}${path}`, { method: 'POST', headers, body }).then((res) => res.status);
    assert.equal(await post({ authorization: auth(KEY) }, JSON.stringify({ batch: [message, message] })), 200);
    assert.equal(await post({ authorization: auth('wrong') }, JSON.stringify({ batch: [message] })), 401);
    assert.equal(await post({ authorization: auth(KEY) }, '{"batch": ['), 400);
    assert.equal(await post({ authorization: auth(KEY) }, '{}'), 400);
    assert.equal(await post({ authorization: auth(KEY) }, '{}', '/v1/track'), 404);
    await sink.printed('REJECTED 404');
    sink.process.kill(signal);
    const result = await sink.result;
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /REJECTED 401 POST \/v1\/batch: invalid write key/);
    assert.match(result.stdout, /REJECTED 400 POST \/v1\/batch: malformed JSON/);
    assert.match(result.stdout, /REJECTED 400 POST \/v1\/batch: body has no batch array/);
    assert.match(result.stdout, /REJECTED 404 POST \/v1\/track: not found/);
    assert.match(
      result.stdout,
      /sink stopped: received 2 messages \(0 invalid\); rejected 4 requests \(400: 2, 401: 1, 404: 1\)\n$/,
    );
    assert.ok(!result.stdout.includes('wrong'), 'a rejected key is not printed');
  });
}
