/**
 * Opt-outs and debug mode, each in a real child process against a loopback receiver: what crossed the wire,
 * and what the program printed.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startReceiver } from '../../src/index.js';
import type { Receiver } from '../../src/index.js';
import { REDACTED_USER_ID } from '../../src/transport/debug.js';
import { runFixture } from '../helpers/children.js';
import type { ChildResult as RunResult } from '../helpers/children.js';
import { schemaErrors } from '../helpers/schema.js';

const WRITE_KEY = 'wk_SECRET_0123456789';
const API_KEY = 'rsk_SECRET_api_key_42';
const FIXTURE = 'test/fixtures/emit-events.ts';

let receiver: Receiver;
before(async () => {
  receiver = await startReceiver({ writeKey: WRITE_KEY });
});
after(() => receiver.close());

/** Runs the fixture with the given opt-out settings; returns the output and the requests it caused. */
async function emit(
  env: Record<string, string>,
  args: string[] = [],
): Promise<RunResult & { requests: number; messages: number }> {
  const requestsBefore = receiver.requests();
  const messagesBefore = receiver.messages.length;
  const result = await runFixture(
    FIXTURE,
    { RS_SEGMENT_WRITE_KEY: WRITE_KEY, RS_SEGMENT_HOST: receiver.url, RS_API_KEY: API_KEY, ...env },
    args,
  );
  assert.equal(result.code, 0, result.stderr);
  assertNoSecrets(result);
  return {
    ...result,
    requests: receiver.requests() - requestsBefore,
    messages: receiver.messages.length - messagesBefore,
  };
}

function assertNoSecrets(result: RunResult): void {
  for (const secret of [WRITE_KEY, API_KEY, Buffer.from(`${WRITE_KEY}:`).toString('base64')]) {
    assert.ok(!result.stdout.includes(secret), `stdout leaks ${secret}`);
    assert.ok(!result.stderr.includes(secret), `stderr leaks ${secret}`);
  }
}

test('baseline: without an opt-out the three events arrive (so the zero counts below mean something)', async () => {
  const run = await emit({});
  assert.equal(run.messages, 3);
  assert.ok(run.requests >= 1);
});

const optOuts: [string, Record<string, string>, string[]][] = [
  ['--disable-telemetry', {}, ['--disable-telemetry']],
  ['DISABLE_TELEMETRY=1', { DISABLE_TELEMETRY: '1' }, []],
  ['DISABLE_TELEMETRY=true', { DISABLE_TELEMETRY: 'true' }, []],
  ['DO_NOT_TRACK=1', { DO_NOT_TRACK: '1' }, []],
  ['DO_NOT_TRACK=true', { DO_NOT_TRACK: 'true' }, []],
  ['OTEL_SDK_DISABLED=true', { OTEL_SDK_DISABLED: 'true' }, []],
  ['option disabled: true', { TEST_OPTION_DISABLED: '1' }, []],
];
for (const [name, env, args] of optOuts) {
  test(`${name} alone: zero requests, events counted as opted out`, async () => {
    const run = await emit(env, args);
    assert.equal(run.requests, 0);
    assert.match(run.stdout, /"opted_out":3/);
  });
}

for (const value of ['false', '0']) {
  test(`"${value}" does not opt out`, async () => {
    const run = await emit({ DISABLE_TELEMETRY: value, DO_NOT_TRACK: value, OTEL_SDK_DISABLED: value });
    assert.equal(run.messages, 3);
  });
}

for (const [name, env] of [
  ['RS_TELEMETRY_DEBUG=1', { RS_TELEMETRY_DEBUG: '1' }],
  ['option debug: true', { TEST_OPTION_DEBUG: '1' }],
] as const) {
  test(`debug mode (${name}) prints each payload as one JSON line on stderr and sends nothing`, async () => {
    const run = await emit(env);
    assert.equal(run.requests, 0);
    const lines = run.stderr.split('\n').filter((l) => l.startsWith('{"type":"track"'));
    assert.equal(lines.length, 3);
    const payloads = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(payloads.map((p) => p['event']).sort(), [
      'deployment_started',
      'installer_finished',
      'installer_run',
    ]);
    for (const p of payloads) {
      assert.deepEqual(schemaErrors(p), []);
      assert.equal(p['userId'], REDACTED_USER_ID);
    }
  });
}
