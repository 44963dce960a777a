/** Gateway settings: flags to options, options > environment > defaults, and the refusals at start. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bearerChecker } from '../../../src/gateway/auth.js';
import {
  GATEWAY_DEFAULTS,
  parseByteSize,
  parseDuration,
  resolveGatewaySettings,
} from '../../../src/gateway/options.js';
import { gatewayOptionsFromArgs } from '../../../src/cli/gateway.js';

test('sizes: bytes, KiB/MiB/GiB (1024) and KB/MB/GB (1000); anything else throws', () => {
  assert.equal(parseByteSize('1048576'), 1048576);
  assert.equal(parseByteSize('1MiB'), 1048576);
  assert.equal(parseByteSize('512kib'), 512 * 1024);
  assert.equal(parseByteSize('20MB'), 20_000_000);
  assert.equal(parseByteSize('1.5 MiB'), 1572864);
  for (const bad of ['', 'MiB', '-1', '1 TiB', '1e6']) assert.throws(() => parseByteSize(bad), /not a size/, bad);
});

test('durations need a unit: ms, s, m', () => {
  assert.equal(parseDuration('500ms'), 500);
  assert.equal(parseDuration('5s'), 5000);
  assert.equal(parseDuration('1m'), 60_000);
  assert.equal(parseDuration('2.5s'), 2500);
  for (const bad of ['5', '', 's', '5h']) assert.throws(() => parseDuration(bad), /duration with a unit/, bad);
});

test('the flags become the camelCase options', () => {
  assert.deepEqual(
    gatewayOptionsFromArgs([
      '--port',
      '9000',
      '--grpc-port=0',
      '--host',
      '0.0.0.0',
      '--max-body',
      '1MiB',
      '--ack-timeout',
      '2s',
      '--drain-timeout',
      '500ms',
    ]),
    {
      port: 9000,
      grpcPort: 0,
      host: '0.0.0.0',
      maxBodyBytes: 1048576,
      ackTimeoutMillis: 2000,
      drainTimeoutMillis: 500,
    },
  );
  assert.deepEqual(gatewayOptionsFromArgs([]), {});
  assert.equal(gatewayOptionsFromArgs(['--help']), 'help');
  assert.throws(() => gatewayOptionsFromArgs(['--port', '70000']), /port number/);
  assert.throws(() => gatewayOptionsFromArgs(['--ack-timeout', '5']), /--ack-timeout: .*unit/);
  assert.throws(() => gatewayOptionsFromArgs(['--max-bdy', '1']), /unknown option --max-bdy/);
});

test('defaults, then the environment, then options', () => {
  const defaults = resolveGatewaySettings({}, {});
  const { flushIntervalMillis, ...own } = GATEWAY_DEFAULTS;
  assert.equal(flushIntervalMillis, 20); // the exporter option the gateway sets (startGateway), not a gateway setting
  assert.deepEqual({ ...defaults, tls: undefined, token: undefined }, { ...own, tls: undefined, token: undefined });
  assert.equal(defaults.maxBodyBytes, 20 * 1024 * 1024);
  assert.equal(resolveGatewaySettings({}, { RS_GATEWAY_TOKEN: ' env-token ' }).token, 'env-token');
  assert.equal(resolveGatewaySettings({ token: 'option' }, { RS_GATEWAY_TOKEN: 'env' }).token, 'option');
  assert.throws(() => resolveGatewaySettings({ port: -1 }, {}), /port must be an integer/);
  assert.throws(() => resolveGatewaySettings({ maxInFlight: 0 }, {}), /maxInFlight/);
});

test('off loopback a token is required; on loopback it is optional', () => {
  assert.throws(
    () => resolveGatewaySettings({ host: '0.0.0.0' }, {}),
    /RS_GATEWAY_TOKEN is required when the gateway listens on 0\.0\.0\.0/,
  );
  assert.equal(resolveGatewaySettings({ host: '0.0.0.0' }, { RS_GATEWAY_TOKEN: 't' }).host, '0.0.0.0');
  assert.equal(resolveGatewaySettings({ host: '127.0.0.1' }, {}).token, undefined);
});

test('TLS files that cannot be read: the error names the file, not its content', () => {
  assert.throws(
    () => resolveGatewaySettings({ tlsCert: '/nonexistent/cert.pem', tlsKey: '/nonexistent/key.pem' }, {}),
    /cannot read the TLS certificate file \/nonexistent\/cert\.pem \(ENOENT\)/,
  );
});

test('the bearer check: exact token only, scheme case-insensitive', () => {
  const check = bearerChecker('s3cret');
  assert.equal(check('Bearer s3cret'), true);
  assert.equal(check('bearer s3cret'), true);
  for (const bad of [undefined, '', 'Bearer', 'Bearer s3cre', 'Bearer s3cret2', 'Basic s3cret', 's3cret'])
    assert.equal(check(bad), false, String(bad));
  assert.equal(bearerChecker(undefined)(undefined), true);
});
