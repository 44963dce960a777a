import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULTS } from '../../src/exporter/defaults.js';
import { envFlag, optOutSource, parseHost, resolveSettings } from '../../src/exporter/settings.js';

const none = { env: {}, argv: ['node', 'app.js'] };

test('defaults: no key means no_key mode, Segment host, no userId', () => {
  const s = resolveSettings({}, none);
  assert.equal(s.mode, 'no_key');
  assert.equal(s.writeKeySource, 'none');
  assert.equal(s.host, 'https://api.segment.io');
  assert.equal(s.hostSource, 'default');
  assert.equal(s.userId, undefined);
  assert.equal(s.shutdownTimeoutMillis, DEFAULTS.shutdownTimeoutMillis);
  assert.equal(s.maxPendingEvents, 2048);
});

test('options > environment > defaults, for every setting that has both', () => {
  const env = {
    RS_SEGMENT_WRITE_KEY: 'env-key',
    RS_SEGMENT_HOST: 'https://events.eu1.segmentapis.com/',
    RS_API_KEY: 'env-user',
  };
  const fromEnv = resolveSettings({}, { env, argv: [] });
  assert.deepEqual(
    [fromEnv.writeKey, fromEnv.writeKeySource, fromEnv.host, fromEnv.hostSource, fromEnv.userId, fromEnv.mode],
    ['env-key', 'env', 'https://events.eu1.segmentapis.com', 'env', 'env-user', 'segment'],
  );
  const fromOptions = resolveSettings(
    { writeKey: 'opt-key', host: 'http://127.0.0.1:9', userId: 'opt-user' },
    { env, argv: [] },
  );
  assert.deepEqual(
    [fromOptions.writeKey, fromOptions.writeKeySource, fromOptions.host, fromOptions.hostSource, fromOptions.userId],
    ['opt-key', 'option', 'http://127.0.0.1:9', 'option', 'opt-user'],
  );
});

test('each opt-out source alone turns telemetry off', () => {
  const cases: [Record<string, string>, string[], boolean, string][] = [
    [{}, ['node', 'app', '--port', '1', '--disable-telemetry'], false, '--disable-telemetry'],
    [{ DISABLE_TELEMETRY: '1' }, [], false, 'DISABLE_TELEMETRY'],
    [{ DISABLE_TELEMETRY: 'TRUE' }, [], false, 'DISABLE_TELEMETRY'],
    [{ DO_NOT_TRACK: '1' }, [], false, 'DO_NOT_TRACK'],
    [{ DO_NOT_TRACK: 'true' }, [], false, 'DO_NOT_TRACK'],
    [{ OTEL_SDK_DISABLED: 'true' }, [], false, 'OTEL_SDK_DISABLED'],
    [{}, [], true, 'option'],
  ];
  for (const [env, argv, disabled, source] of cases) {
    const s = resolveSettings({ writeKey: 'k', disabled }, { env, argv });
    assert.equal(s.mode, 'disabled', source);
    assert.equal(s.optOut, source);
  }
});

test('"0" and "false" do not opt out', () => {
  for (const value of ['0', 'false', 'FALSE', '']) {
    const env = { DISABLE_TELEMETRY: value, DO_NOT_TRACK: value, OTEL_SDK_DISABLED: value };
    assert.equal(resolveSettings({ writeKey: 'k' }, { env, argv: [] }).mode, 'segment', JSON.stringify(value));
  }
});

test('opt-outs are additive: no option re-enables what the environment turned off', () => {
  const s = resolveSettings({ writeKey: 'k', disabled: false }, { env: { DO_NOT_TRACK: '1' }, argv: [] });
  assert.equal(s.mode, 'disabled');
  assert.equal(optOutSource({}, ['--disable-telemetry'], false), '--disable-telemetry');
});

test('an unrecognised opt-out value opts out (fail safe); OTEL_SDK_DISABLED follows the spec (only "true")', () => {
  assert.equal(envFlag({ X: 'maybe' }, 'X', true), true);
  assert.equal(optOutSource({ DO_NOT_TRACK: 'please' }, []), 'DO_NOT_TRACK');
  assert.equal(optOutSource({ OTEL_SDK_DISABLED: '1' }, []), undefined);
});

test('debug mode: RS_TELEMETRY_DEBUG or the option; opting out still wins', () => {
  assert.equal(resolveSettings({ writeKey: 'k' }, { env: { RS_TELEMETRY_DEBUG: '1' }, argv: [] }).mode, 'debug');
  assert.equal(resolveSettings({}, { env: { RS_TELEMETRY_DEBUG: 'true' }, argv: [] }).mode, 'debug');
  assert.equal(resolveSettings({ debug: true }, none).mode, 'debug');
  assert.equal(resolveSettings({ writeKey: 'k' }, { env: { RS_TELEMETRY_DEBUG: 'false' }, argv: [] }).mode, 'segment');
  assert.equal(resolveSettings({ debug: true }, { env: { DO_NOT_TRACK: '1' }, argv: [] }).mode, 'disabled');
});

test('a bad option throws; a bad environment value is ignored', () => {
  assert.throws(() => resolveSettings({ host: 'ftp://x' }, none), /host/);
  assert.throws(() => resolveSettings({ shutdownTimeoutMillis: -1 }, none), /shutdownTimeoutMillis/);
  assert.throws(() => resolveSettings({ maxPendingEvents: 1.5 }, none), /maxPendingEvents/);
  assert.throws(() => resolveSettings({ dialect: 'oracle' as never }, none), /dialect/);
  assert.throws(() => resolveSettings({ writeKey: 42 as never }, none), /writeKey/);
  // An unusable RS_SEGMENT_HOST stops delivery; it never falls back to the default (a wrong-region send).
  const s = resolveSettings({}, { env: { RS_SEGMENT_HOST: 'http://[bad', RS_SEGMENT_WRITE_KEY: 'k' }, argv: [] });
  assert.equal(s.mode, 'invalid_host');
  assert.equal(s.batchUrl, '');
  assert.match(s.hostProblem ?? '', /RS_SEGMENT_HOST is unusable/);
});

test('a host without a scheme means https, and a path in the host is kept', () => {
  const eu = resolveSettings(
    {},
    { env: { RS_SEGMENT_HOST: 'events.eu1.segmentapis.com', RS_SEGMENT_WRITE_KEY: 'k' }, argv: [] },
  );
  assert.equal(eu.mode, 'segment');
  assert.equal(eu.batchUrl, 'https://events.eu1.segmentapis.com/v1/batch');
  const proxy = resolveSettings({ host: 'http://127.0.0.1:8080/segment/' }, none);
  assert.equal(proxy.batchUrl, 'http://127.0.0.1:8080/segment/v1/batch');
});

test('parseHost accepts http(s) base URLs only', () => {
  assert.deepEqual(parseHost('https://api.segment.io/'), {
    host: 'https://api.segment.io',
    batchUrl: 'https://api.segment.io/v1/batch',
  });
  assert.deepEqual(parseHost('http://127.0.0.1:8080'), {
    host: 'http://127.0.0.1:8080',
    batchUrl: 'http://127.0.0.1:8080/v1/batch',
  });
  assert.ok('problem' in parseHost('https://user:pw@host'));
  assert.ok('problem' in parseHost('javascript:alert(1)'));
  assert.ok('problem' in parseHost('ftp://host'));
  assert.ok('problem' in parseHost(''));
});
