/**
 * Packaging as a consumer meets it: `npm pack` (its prepack builds once; shared with the other packaging tests,
 * test/helpers/pack.ts), the tarball installed into an application with @opentelemetry/api 1.9 and the optional
 * peer @opentelemetry/sdk-node 0.223 the register entry needs (test/compat/v2, installed once per run), then an ESM
 * application under `node --import otel-segment-bridge/register` and a CommonJS one under `node --require …`
 * (test/compat/apps/app.mjs, app.cjs) each deliver an event to a loopback receiver and exit by themselves.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startReceiver } from '../../src/index.js';
import { killChildren, startChild } from '../helpers/children.js';
import { installedApp, packedTarball } from '../helpers/pack.js';

/** A program that has not ended by then is taken as kept alive (it normally ends within a second or two). */
const EXIT_BOUND_MILLIS = 20_000;
const KEY = 'pack-key';

let project = '';

before(
  async () => {
    project = await installedApp('v2', await packedTarball());
  },
  { timeout: 400_000 },
);

after(() => {
  killChildren();
});

test('the tarball ships the builds, their types and the example configuration, and no tests', () => {
  const installed = join(project, 'node_modules', 'otel-segment-bridge');
  for (const file of [
    'index.js',
    'index.cjs',
    'index.d.ts',
    'index.d.cts',
    'register.js',
    'register.cjs',
    'register.d.ts',
    'register.d.cts',
    'cli/bin.js',
  ]) {
    assert.ok(existsSync(join(installed, 'dist', file)), `dist/${file} missing`);
  }
  assert.ok(existsSync(join(installed, 'otel-config.yaml')));
  assert.ok(!existsSync(join(installed, 'test')) && !existsSync(join(installed, 'src')));
});

const APPS = [
  { kind: 'ESM', preload: '--import', app: 'app.mjs', event: 'installer_run' },
  { kind: 'CommonJS', preload: '--require', app: 'app.cjs', event: 'installer_finished' },
];

for (const { kind, preload, app, event } of APPS) {
  test(`an installed ${kind} app under ${preload} otel-segment-bridge/register delivers its event and exits by itself`, async () => {
    const receiver = await startReceiver({ writeKey: KEY });
    try {
      const child = startChild(
        [preload, 'otel-segment-bridge/register', app],
        { RS_SEGMENT_HOST: receiver.url, RS_SEGMENT_WRITE_KEY: KEY },
        project,
      );
      const bound = setTimeout(() => child.process.kill('SIGKILL'), EXIT_BOUND_MILLIS);
      const result = await child.result;
      clearTimeout(bound);
      assert.equal(result.signal, null, `did not exit by itself within ${EXIT_BOUND_MILLIS} ms`);
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(
        receiver.messages.map((m) => m.body['event']),
        [event],
      );
      assert.deepEqual(
        receiver.messages.flatMap((m) => m.errors),
        [],
      );
    } finally {
      await receiver.close();
    }
  });
}
