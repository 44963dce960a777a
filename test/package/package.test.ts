/**
 * package.json as npm and users read it: the public names, the version, and the dependency kinds the design
 * asks for (issue 9): one runtime dependency (@segment/analytics-node); @opentelemetry/api a peer covering every
 * 1.x from 1.3; the SDK an optional peer that only the register entry, startTelemetry and config files use.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { VERSION } from '../../src/util/version.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  name: string;
  version: string;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  dependencies: Record<string, string>;
  bin: Record<string, string>;
  exports: Record<string, unknown>;
};

test('the package keeps its public names: npm name, bin, entry points', () => {
  assert.equal(pkg.name, 'otel-segment-bridge');
  assert.deepEqual(Object.keys(pkg.bin), ['otel-segment-bridge']);
  for (const entry of ['.', './package.json', './register', './testing'])
    assert.ok(entry in pkg.exports, `exports ${entry}`);
});

test('VERSION follows package.json', () => {
  assert.equal(VERSION, pkg.version);
});

test('one runtime dependency: @segment/analytics-node', () => {
  assert.deepEqual(Object.keys(pkg.dependencies), ['@segment/analytics-node']);
});

test('@opentelemetry/api is a peer dependency whose range covers every 1.x from 1.3', () => {
  assert.equal(pkg.peerDependencies['@opentelemetry/api'], '>=1.3.0 <2.0.0');
  assert.equal(pkg.peerDependenciesMeta?.['@opentelemetry/api']?.optional, undefined, 'the API is not optional');
});

test('@opentelemetry/sdk-node is an optional peer covering the 2.x (0.2xx) and 3.x (0.3xx) lines', () => {
  assert.equal(pkg.peerDependencies['@opentelemetry/sdk-node'], '>=0.200.0 <0.400.0');
  assert.equal(pkg.peerDependenciesMeta?.['@opentelemetry/sdk-node']?.optional, true);
  for (const name of Object.keys(pkg.peerDependencies)) {
    if (name !== '@opentelemetry/api')
      assert.equal(pkg.peerDependenciesMeta?.[name]?.optional, true, `${name} is an optional peer`);
  }
});
