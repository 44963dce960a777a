/**
 * The persistent opt-out end to end, in child processes: `disable` writes the per-user setting, an exporter
 * run with the same config directory then sends nothing to a loopback receiver, `enable` brings delivery
 * back, and `enable` never overrides an opt-out in the environment.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startReceiver } from '../../src/devtools/receiver.js';
import type { Receiver } from '../../src/devtools/receiver.js';
import { killChildren, startChild } from '../helpers/children.js';
import type { ChildResult } from '../helpers/children.js';
import { runFixture } from '../helpers/children.js';

const WRITE_KEY = 'wk_opt_out_test';
const root = mkdtempSync(join(tmpdir(), 'cli-opt-out-'));
let receiver: Receiver;
before(async () => {
  receiver = await startReceiver({ writeKey: WRITE_KEY });
});
after(async () => {
  killChildren();
  await receiver.close();
  rmSync(root, { recursive: true, force: true });
});

let n = 0;
function freshConfigHome(): string {
  return join(root, `config-${n++}`);
}

function cli(args: readonly string[], env: Record<string, string>): Promise<ChildResult> {
  return startChild(['--import', 'tsx', 'src/cli/bin.ts', ...args], env).result;
}

/** Records three events in a child process configured by `env`; returns what reached the receiver. */
async function emit(env: Record<string, string>): Promise<{ messages: number; requests: number; stdout: string }> {
  const messagesBefore = receiver.messages.length;
  const requestsBefore = receiver.requests();
  const result = await runFixture('test/fixtures/emit-events.ts', {
    RS_SEGMENT_WRITE_KEY: WRITE_KEY,
    RS_SEGMENT_HOST: receiver.url,
    ...env,
  });
  assert.equal(result.code, 0, result.stderr);
  return {
    messages: receiver.messages.length - messagesBefore,
    requests: receiver.requests() - requestsBefore,
    stdout: result.stdout,
  };
}

test('`disable` writes the per-user setting and says where', { timeout: 30_000 }, async () => {
  const home = freshConfigHome();
  const result = await cli(['disable'], { XDG_CONFIG_HOME: home });
  assert.equal(result.code, 0, result.stderr);
  const path = join(home, 'otel-segment-bridge', 'config.json');
  assert.ok(result.stdout.includes(path), result.stdout);
  assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), { disableTelemetry: true });
  // Without XDG_CONFIG_HOME: ~/.config.
  const userHome = freshConfigHome();
  assert.equal((await cli(['disable'], { HOME: userHome, XDG_CONFIG_HOME: '' })).code, 0);
  assert.ok(existsSync(join(userHome, '.config', 'otel-segment-bridge', 'config.json')));
});

test('after `disable`, an exporter sends nothing; after `enable`, it sends again', { timeout: 60_000 }, async () => {
  const env = { XDG_CONFIG_HOME: freshConfigHome() };
  const baseline = await emit(env);
  assert.equal(baseline.messages, 3, 'baseline: the events arrive without the setting');

  assert.equal((await cli(['disable'], env)).code, 0);
  const disabled = await emit(env);
  assert.equal(disabled.requests, 0, 'no request reaches the receiver after disable');
  assert.match(disabled.stdout, /"opted_out":3/);

  const enabled = await cli(['enable'], env);
  assert.equal(enabled.code, 0, enabled.stderr);
  assert.match(enabled.stdout, /Removed the per-user opt-out/);
  assert.equal((await emit(env)).messages, 3, 'enable undoes disable');
});

test('`enable` never overrides an opt-out in the environment, and says so', { timeout: 60_000 }, async () => {
  const env = { XDG_CONFIG_HOME: freshConfigHome() };
  assert.equal((await cli(['disable'], env)).code, 0);
  const result = await cli(['enable'], { ...env, DO_NOT_TRACK: '1' });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /Telemetry stays off: DO_NOT_TRACK is set/);
  const run = await emit({ ...env, DO_NOT_TRACK: '1' });
  assert.equal(run.requests, 0);
  const none = await cli(['enable'], env);
  assert.match(none.stdout, /No per-user opt-out was set/);
});
