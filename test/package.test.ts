import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { VERSION } from '../src/util/version.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  name: string;
  version: string;
  peerDependencies: Record<string, string>;
  dependencies: Record<string, string>;
  bin: Record<string, string>;
  exports: Record<string, unknown>;
};

test('the package keeps its public names: npm name, bin, entry points', () => {
  assert.equal(pkg.name, 'otel-segment-bridge');
  assert.deepEqual(Object.keys(pkg.bin), ['otel-segment-bridge']);
  assert.deepEqual(Object.keys(pkg.exports).sort(), ['.', './package.json', './register']);
});

test('VERSION follows package.json', () => {
  assert.equal(VERSION, pkg.version);
});

test('@opentelemetry/api is a peer dependency, the design-card packages are dependencies', () => {
  assert.ok(pkg.peerDependencies['@opentelemetry/api']);
  assert.equal(pkg.dependencies['@opentelemetry/api'], undefined);
  for (const name of ['@opentelemetry/sdk-node', '@opentelemetry/sdk-trace-base', '@segment/analytics-node']) assert.ok(pkg.dependencies[name], name);
});
