import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startReceiver } from '../../src/index.js';
import type { Receiver } from '../../src/index.js';

let receiver: Receiver;
before(async () => {
  receiver = await startReceiver({ writeKey: 'sink-key' });
});
after(() => receiver.close());

const auth = (key: string): string => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
const post = (body: string, authorization = auth('sink-key'), path = '/v1/batch'): Promise<Response> =>
  fetch(receiver.url + path, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body });

const valid = {
  type: 'track',
  event: 'adapter_start',
  anonymousId: 'a',
  timestamp: '2026-01-01T00:00:00.000Z',
  properties: { db_backend: 'mysql' },
};

test('listens on 127.0.0.1 only', () => {
  assert.match(receiver.url, /^http:\/\/127\.0\.0\.1:\d+$/);
});

test('a valid batch is accepted with 200 and each message validated', async () => {
  const invalid = { ...valid, event: 'nope', properties: { db_backend: 'oracle', extra: 'x' }, timestamp: 'yesterday' };
  const res = await post(JSON.stringify({ batch: [valid, invalid] }));
  assert.equal(res.status, 200);
  const [a, b] = receiver.messages.slice(-2);
  assert.deepEqual(a?.errors, []);
  assert.equal(a?.writeKey, 'sink-key');
  assert.deepEqual(b?.errors, [
    'event "nope" is not a telemetry event',
    'timestamp is not an ISO 8601 date-time',
    'property db_backend: not_in_enum',
    'property extra: unknown_property',
  ]);
});

test('a malformed body is a 400', async () => {
  assert.equal((await post('{not json')).status, 400);
  assert.equal((await post(JSON.stringify({ nobatch: [] }))).status, 400);
  assert.equal((await post('x'.repeat(600 * 1024))).status, 400);
});

test('a missing or wrong write key is a 401; other paths are 404', async () => {
  assert.equal((await post(JSON.stringify({ batch: [valid] }), auth('other'))).status, 401);
  assert.equal((await post(JSON.stringify({ batch: [valid] }), '')).status, 401);
  assert.equal((await post(JSON.stringify({ batch: [valid] }), auth('sink-key'), '/v1/track')).status, 404);
});
