import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeProblem, TELEMETRY_EVENTS } from '../../src/catalogue/index.js';
import { messageIdFor } from '../../src/exporter/message-id.js';
import { hrTimeToIso, toTrackMessages } from '../../src/exporter/transform.js';
import { schemaErrors } from '../helpers/schema.js';
import { fakeEvent, fakeSpan } from '../helpers/spans.js';

const identity = { anonymousId: '3b241101-e2bb-4255-8caf-4136c566a962' };

test('every telemetry event becomes one schema-valid Track message', () => {
  const span = fakeSpan(TELEMETRY_EVENTS.map((e) => fakeEvent(e, { server_version: '1.0' })));
  const { messages, problems } = toTrackMessages([span], { ...identity, userId: 'api-key-1' });
  assert.deepEqual(problems, []);
  assert.deepEqual(
    messages.map((m) => m.event),
    [...TELEMETRY_EVENTS],
  );
  for (const m of messages) {
    assert.deepEqual(schemaErrors(m), [], m.event);
    assert.equal(m.anonymousId, identity.anonymousId);
    assert.equal(m.userId, 'api-key-1');
    assert.equal(m.timestamp, '2026-01-02T03:04:05.678Z');
    assert.deepEqual(m.properties, { server_version: '1.0' });
  }
});

test('no userId field when none is configured', () => {
  const { messages } = toTrackMessages([fakeSpan([fakeEvent('server_start')])], identity);
  assert.equal('userId' in messages[0]!, false);
});

test('spans without telemetry events and unknown span events are skipped', () => {
  const spans = [
    fakeSpan([]),
    fakeSpan([fakeEvent('exception', { 'exception.message': 'boom' }), fakeEvent('Adapter_Start')]),
  ];
  assert.deepEqual(toTrackMessages(spans, identity), { messages: [], problems: [] });
});

test('the timestamp is the span event time, in ISO 8601', () => {
  assert.equal(hrTimeToIso([0, 0]), '1970-01-01T00:00:00.000Z');
  assert.equal(hrTimeToIso([1767323045, 999_999_999]), '2026-01-02T03:04:05.999Z');
  const { messages } = toTrackMessages([fakeSpan([fakeEvent('schema', undefined, [1700000000, 5_000_000])])], identity);
  assert.equal(messages[0]?.timestamp, '2023-11-14T22:13:20.005Z');
});

test('resource readyset.* attributes fill properties the event lacks; the event wins', () => {
  const span = fakeSpan([fakeEvent('adapter_start', { server_version: 'from-event' })], {
    'readyset.server_version': 'from-resource',
    'readyset.deployment_env': 'helm',
    'service.name': 'adapter',
    server_version: 'unprefixed resource attributes are not properties',
  });
  const { messages, problems } = toTrackMessages([span], identity);
  assert.deepEqual(problems, []);
  assert.deepEqual(messages[0]?.properties, { server_version: 'from-event', deployment_env: 'helm' });
});

test('invalid values are dropped with a problem each; the event is still sent', () => {
  const span = fakeSpan(
    [
      fakeEvent('upstream_connected', {
        db_backend: 'oracle',
        deployment_env: 'kubernetes',
        server_version: 16,
        commit_id: true,
        docker_version: ['24', '25'],
        colour: 'red',
        adapter_version: '1.2.3',
      }),
    ],
    { 'readyset.db_backend': 'sqlite' },
  );
  const { messages, problems } = toTrackMessages([span], identity);
  assert.equal(messages.length, 1);
  // A number for a version property is the version it writes.
  assert.deepEqual(messages[0]?.properties, { adapter_version: '1.2.3', server_version: '16' });
  assert.deepEqual(schemaErrors(messages[0]), []);
  const seen = problems.map((p) => `${p.attribute}:${p.problem}`).sort();
  assert.deepEqual(seen, [
    'colour:unknown_property',
    'commit_id:not_a_string',
    'db_backend:not_in_enum',
    'deployment_env:not_in_enum',
    'docker_version:not_a_string',
    'readyset.db_backend:not_in_enum',
  ]);
});

test('property warnings name the allowed values', () => {
  assert.equal(describeProblem('db_backend', 'not_in_enum'), '"db_backend" must be one of "mysql", "postgres"');
  assert.equal(describeProblem('server_version', 'not_a_string'), '"server_version" must be a string or a number');
  assert.match(describeProblem('colour', 'unknown_property'), /not a telemetry property \(known: adapter_version, /);
});

test('an invalid event value is dropped and the resource value fills the property', () => {
  const span = fakeSpan([fakeEvent('adapter_start', { db_backend: 'oracle' })], { 'readyset.db_backend': 'mysql' });
  const { messages, problems } = toTrackMessages([span], identity);
  // The resource still describes the deployment: its valid value fills the property the event failed to give.
  assert.deepEqual(messages[0]?.properties, { db_backend: 'mysql' });
  assert.equal(problems.length, 1);
});

test('messageId is stable per (anonymousId, trace, span, event index) and UUID-shaped', () => {
  const at = (eventIndex: number, spanId = 'b'.repeat(16)) => ({ traceId: 'a'.repeat(32), spanId, eventIndex });
  const id = (position: ReturnType<typeof at>, anonymousId = identity.anonymousId) =>
    messageIdFor(anonymousId, 'adapter_start', {}, position);
  assert.equal(id(at(0)), id(at(0)));
  assert.notEqual(id(at(0)), id(at(1)));
  assert.notEqual(id(at(0)), id(at(0, 'c'.repeat(16))));
  assert.notEqual(id(at(0)), id(at(0), 'another-reporter'));
  assert.match(id(at(3)), /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  const span = fakeSpan([fakeEvent('adapter_start'), fakeEvent('exception'), fakeEvent('adapter_stop')]);
  const { messages } = toTrackMessages([span], identity);
  const { traceId, spanId } = span.spanContext();
  assert.deepEqual(
    messages.map((m) => m.messageId),
    [0, 2].map((eventIndex) =>
      messageIdFor(identity.anonymousId, 'adapter_start', {}, { traceId, spanId, eventIndex }),
    ),
  );
});

test('a proxied query has the messageId of (anonymousId, event, query_id) and a schema of its text, wherever it is recorded', () => {
  const query = (sql: string) => fakeSpan([fakeEvent('proxied_query', { proxied_query: sql, db_backend: 'postgres' })]);
  const [a] = toTrackMessages([query('SELECT a FROM t WHERE x = 1')], identity).messages;
  const [b] = toTrackMessages([query('SELECT a FROM t WHERE x = 2')], identity).messages;
  const [c] = toTrackMessages([query('SELECT a FROM t WHERE x = 2')], { anonymousId: 'another-reporter' }).messages;
  assert.equal(a?.properties.query_id, b?.properties.query_id);
  assert.equal(a?.messageId, b?.messageId, 'same query shape on two spans: one messageId');
  assert.notEqual(a?.messageId, c?.messageId);
  const schema = (text: string) =>
    toTrackMessages([fakeSpan([fakeEvent('schema', { schema: text })])], identity).messages[0]?.messageId;
  assert.equal(schema('CREATE TABLE t (a int)'), schema('CREATE TABLE t (a int)'));
  assert.notEqual(schema('CREATE TABLE t (a int)'), schema('CREATE TABLE t (a int, b int)'));
});

test('SQL recorded without recordTelemetry is anonymized by the exporter, in the dialect the event or resource names', () => {
  const raw = `SELECT "Name" FROM users WHERE email = 'bob@example.com'`;
  const spans = [
    fakeSpan([fakeEvent('proxied_query', { proxied_query: raw, db_backend: 'postgres' })]),
    fakeSpan([fakeEvent('proxied_query', { proxied_query: raw })], { 'readyset.db_backend': 'mysql' }),
    fakeSpan([fakeEvent('schema', { schema: `CREATE TABLE users ("Name" text DEFAULT 'x')` })]),
  ];
  const { messages } = toTrackMessages(spans, { ...identity, dialect: undefined });
  assert.equal(
    messages[0]?.properties.proxied_query,
    `SELECT "anon_id_0" FROM anon_id_1 WHERE anon_id_2 = '<anonymized>'`,
  );
  // MySQL reads "Name" as a string literal.
  assert.equal(
    messages[1]?.properties.proxied_query,
    `SELECT '<anonymized>' FROM anon_id_0 WHERE anon_id_1 = '<anonymized>'`,
  );
  assert.match(messages[0]?.properties.query_id ?? '', /^q_[0-9a-f]{16}$/);
  const wire = JSON.stringify(messages);
  for (const secret of ['bob@example.com', 'users', 'Name']) assert.ok(!wire.includes(secret), secret);
});

test("the exporter's dialect option applies when neither the event nor the resource names a db_backend", () => {
  const span = fakeSpan([fakeEvent('proxied_query', { proxied_query: 'SELECT `a` FROM t' })]);
  assert.equal(
    toTrackMessages([span], { ...identity, dialect: 'mysql' }).messages[0]?.properties.proxied_query,
    'SELECT `anon_id_0` FROM anon_id_1',
  );
});
