/**
 * Packaging as a consumer meets it: `npm pack` (its prepack builds once; shared with the other packaging tests,
 * test/helpers/pack.ts), the tarball, its peer @opentelemetry/api and the optional peer @opentelemetry/sdk-node
 * (which the register entry needs) installed into a fresh temporary project, then an ESM application under
 * `node --import otel-segment-bridge/register` and a CommonJS one under `node --require …` each deliver an event
 * to a loopback receiver and exit by themselves.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startReceiver } from '../../src/index.js';
import { killChildren, startChild } from '../helpers/children.js';
import { npmOk, NPM_FLAGS, packedTarball } from '../helpers/pack.js';

/** A program that has not ended by then is taken as kept alive (it normally ends within a second or two). */
const EXIT_BOUND_MILLIS = 20_000;
const KEY = 'pack-key';

const work = mkdtempSync(join(tmpdir(), 'otel-segment-bridge-pack-'));
const project = join(work, 'consumer');

before(
  async () => {
    const tarball = await packedTarball();
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    writeFileSync(
      join(project, 'app.mjs'),
      "import { recordTelemetry } from 'otel-segment-bridge';\nrecordTelemetry('installer_run', { deployment_env: 'helm' });\n",
    );
    writeFileSync(
      join(project, 'app.cjs'),
      "const { recordTelemetry } = require('otel-segment-bridge');\nrecordTelemetry('installer_finished');\n",
    );
    await npmOk(
      ['install', tarball, '@opentelemetry/api@~1.9.0', '@opentelemetry/sdk-node@~0.223.0', ...NPM_FLAGS],
      project,
    );
  },
  { timeout: 300_000 },
);

after(() => {
  killChildren();
  rmSync(work, { recursive: true, force: true });
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
