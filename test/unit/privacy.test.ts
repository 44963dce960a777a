/** Anonymization of SQL properties, query ids, de-duplication and Segment's size limits. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BoundedMap } from '../../src/util/bounded-map.js';
import { Deduper } from '../../src/exporter/dedupe.js';
import { privatize, queryIdFor } from '../../src/exporter/privacy.js';
import { fitMessage, MAX_MESSAGE_BYTES, TRUNCATION_MARKER } from '../../src/exporter/size.js';
import type { TrackMessage } from '../../src/exporter/types.js';
import { SPLIT_AT_BYTES, splitBatchBody } from '../../src/transport/batch-split.js';

const message = (
  properties: TrackMessage['properties'],
  event: TrackMessage['event'] = 'proxied_query',
): TrackMessage => ({
  event,
  anonymousId: '3b241101-e2bb-4255-8caf-4136c566a962',
  timestamp: '2026-01-01T00:00:00.000Z',
  messageId: 'm',
  properties,
});

test('privatize anonymizes proxied_query and schema and fills a stable query_id', () => {
  const p = privatize(
    {
      proxied_query: "SELECT name FROM users WHERE email = 'a@b.c'",
      schema: "CREATE TABLE t (c text DEFAULT 'x')",
      server_version: '1',
    },
    'strict',
  );
  assert.ok(!JSON.stringify(p).includes('a@b.c'));
  assert.ok(!JSON.stringify(p).includes('users'));
  assert.equal(p.server_version, '1');
  assert.equal(p.query_id, queryIdFor(p.proxied_query!));
  assert.match(p.query_id, /^q_[0-9a-f]{16}$/);
  // The same query shape has the same id, whatever its literals.
  assert.equal(
    privatize({ proxied_query: "SELECT name FROM users WHERE email = 'other'" }, 'strict').query_id,
    p.query_id,
  );
});

test('query_id is always the hash of the sent text; the dialect comes from db_backend, an invalid one falls back', () => {
  const sent = privatize({ proxied_query: 'SELECT 1', query_id: 'mine' }, 'strict');
  assert.equal(sent.query_id, queryIdFor(sent.proxied_query ?? ''));
  // In MySQL "x" is a string literal; in PostgreSQL a quoted identifier.
  assert.equal(
    privatize({ proxied_query: 'SELECT "x"', db_backend: 'mysql' }, 'postgres').proxied_query,
    "SELECT '<anonymized>'",
  );
  assert.equal(
    privatize({ proxied_query: 'SELECT "x"', db_backend: 'postgres' }, 'mysql').proxied_query,
    'SELECT "anon_id_0"',
  );
  const fallback = privatize({ proxied_query: 'SELECT "x"', db_backend: 'oracle' as never }, 'postgres');
  assert.equal(fallback.proxied_query, 'SELECT "anon_id_0"');
});

test('properties without SQL are returned untouched', () => {
  const p = { server_version: '1' };
  assert.equal(privatize(p, 'strict'), p);
});

test('fitMessage keeps messages under 32 KB, counting real bytes and the fields analytics-node adds', () => {
  const small = message({ proxied_query: 'SELECT 1' });
  assert.equal(fitMessage(small).message, small);
  for (const filler of ['a', 'é', '😀', '"']) {
    const big = message({ proxied_query: filler.repeat(100_000), server_version: '1.0' });
    const { message: fitted, truncated } = fitMessage(big);
    assert.equal(truncated, true);
    // What analytics-node measures: our message plus type, context.library, _metadata, integrations.
    const wire = {
      ...fitted,
      type: 'track',
      integrations: {},
      context: { library: { name: '@segment/analytics-node', version: '3.1.0' } },
      _metadata: { nodeVersion: process.version, jsRuntime: 'node' },
    };
    const bytes = Buffer.byteLength(JSON.stringify(wire));
    assert.ok(bytes <= MAX_MESSAGE_BYTES, `${filler}: ${bytes} bytes`);
    assert.ok(bytes > MAX_MESSAGE_BYTES - 2048, `${filler}: cut too much (${bytes} bytes)`);
    assert.ok(fitted.properties.proxied_query!.endsWith(TRUNCATION_MARKER));
    assert.equal(fitted.properties.server_version, '1.0');
    assert.ok(!/[\ud800-\udbff]…/.test(fitted.properties.proxied_query!), 'no split surrogate pair');
  }
  const input = message({ proxied_query: 'x'.repeat(200_000) });
  fitMessage(input);
  assert.equal(input.properties.proxied_query!.length, 200_000, 'the input is not modified');
});

test('Deduper reports a query once per query_id and a schema once per text, within a bounded memory', () => {
  const d = new Deduper(3);
  assert.equal(d.firstTime(message({ query_id: 'q_1' })), true);
  assert.equal(d.firstTime(message({ query_id: 'q_1' })), false);
  assert.equal(d.firstTime(message({ schema: 'CREATE TABLE anon_id_0 (anon_id_1 int)' }, 'schema')), true);
  assert.equal(d.firstTime(message({ schema: 'CREATE TABLE anon_id_0 (anon_id_1 int)' }, 'schema')), false);
  assert.equal(d.firstTime(message({}, 'adapter_start')), true);
  assert.equal(d.firstTime(message({}, 'adapter_start')), true);
  // Past capacity the oldest key is forgotten.
  d.firstTime(message({ query_id: 'q_2' }));
  d.firstTime(message({ query_id: 'q_3' }));
  assert.equal(d.firstTime(message({ query_id: 'q_1' })), true);
});

test('BoundedMap never holds more than its capacity', () => {
  const m = new BoundedMap<number, number>(100);
  for (let i = 0; i < 10_000; i++) m.set(i, i);
  assert.equal(m.size, 100);
  assert.equal(m.get(9_999), 9_999);
  assert.equal(m.get(0), undefined);
});

test('a batch body over 500 KB is split into parts that each fit, keeping every message once', () => {
  const batch = Array.from({ length: 40 }, (_, i) => ({
    messageId: `m${i}`,
    properties: { schema: 'y'.repeat(30_000) },
  }));
  const body = JSON.stringify({ batch, writeKey: 'k', sentAt: '2026-01-01T00:00:00.000Z' });
  const parts = splitBatchBody(body);
  assert.ok(parts.length >= 3);
  for (const part of parts) assert.ok(Buffer.byteLength(part) <= SPLIT_AT_BYTES);
  const ids = parts.flatMap((p) => (JSON.parse(p) as { batch: { messageId: string }[] }).batch.map((m) => m.messageId));
  assert.deepEqual(
    ids,
    batch.map((m) => m.messageId),
  );
  assert.equal((JSON.parse(parts[1]!) as { writeKey: string }).writeKey, 'k');
  assert.deepEqual(splitBatchBody('{"batch":[]}'), ['{"batch":[]}']);
});
