/**
 * The exit rescue's pieces: the job file, the child program (run here against the loopback receiver, with its
 * stdio piped so that "prints nothing" is checked), the opt-out check at exit and the single 'exit' listener.
 * The whole path through process.exit() is in test/process/exit-rescue.test.ts.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { startReceiver } from '../../src/devtools/receiver.js';
import type { Fault, Receiver } from '../../src/devtools/receiver.js';
import type { TrackMessage } from '../../src/exporter/types.js';
import { childEnv, MAX_RESCUE_MILLIS, rescue, rescueOnExit, writeJobFile } from '../../src/transport/exit-rescue.js';
import type { RescueJob } from '../../src/transport/exit-rescue.js';
import { RESCUE_CHILD_SOURCE } from '../../src/transport/rescue-child.js';
import { killChildren, startCommand } from '../helpers/children.js';
import type { ChildResult } from '../helpers/children.js';

const KEY = 'rescue-unit-key';

after(killChildren);

/** `count` valid proxied_query messages whose query is `queryBytes` long. */
function messages(count: number, queryBytes = 20): TrackMessage[] {
  return Array.from({ length: count }, (_, i) => ({
    event: 'proxied_query',
    anonymousId: '0b7f6a52-4c1e-4f0e-8d4e-1f2a3b4c5d6e',
    timestamp: '2026-01-02T03:04:05.678Z',
    messageId: `rescue-${i}`,
    properties: {
      proxied_query: `SELECT ${'x'.repeat(queryBytes)}`,
      query_id: `q_${i}`,
    },
  }));
}

/** Runs the child program on a job file, as exit-rescue.ts would, but with stdio piped; times it. */
async function runChild(job: RescueJob): Promise<{ result: ChildResult; millis: number; file: string }> {
  const file = writeJobFile(job);
  const started = Date.now();
  const result = await startCommand(process.execPath, ['-e', RESCUE_CHILD_SOURCE], childEnv(job.writeKey, file)).result;
  return { result, millis: Date.now() - started, file };
}

async function withReceiver(
  fault: ((index: number) => Fault | undefined) | undefined,
  body: (receiver: Receiver) => Promise<void>,
): Promise<void> {
  const receiver = await startReceiver({
    writeKey: KEY,
    ...(fault === undefined ? {} : { fault }),
  });
  try {
    await body(receiver);
  } finally {
    await receiver.close();
  }
}

function job(receiver: Receiver, batch: TrackMessage[], timeoutMillis = 5000): RescueJob {
  return {
    writeKey: KEY,
    url: `${receiver.url}/v1/batch`,
    messages: batch,
    timeoutMillis,
  };
}

function assertSilent(result: ChildResult): void {
  assert.equal(result.code, 0);
  assert.equal(result.stdout, '', 'the child printed on stdout');
  assert.equal(result.stderr, '', 'the child printed on stderr');
}

test('the child delivers every message under 500 KB per request, with the key in Basic auth, prints nothing and deletes the job', () =>
  withReceiver(undefined, async (receiver) => {
    // 250 messages of ~6 KB: 100 of them would make 600 KB, which the receiver refuses (400) as Segment does.
    const sent = messages(250, 6000);
    const { result, millis, file } = await runChild(job(receiver, sent));
    assertSilent(result);
    assert.ok(millis < 5000, `took ${millis} ms`);
    assert.deepEqual(receiver.messages.map((m) => m.body['messageId']).sort(), sent.map((m) => m.messageId).sort());
    for (const message of receiver.messages) {
      assert.deepEqual(message.errors, []);
      assert.equal(message.authorization, `Basic ${Buffer.from(`${KEY}:`).toString('base64')}`);
      assert.equal(message.body['type'], 'track');
    }
    assert.ok(receiver.requests() >= 3, `${receiver.requests()} requests for 1.5 MB`);
    assert.equal(existsSync(file), false, 'job file left behind');
    assert.equal(existsSync(dirname(file)), false, 'job directory left behind');
  }));

test('the child sends at most 100 messages per request', () =>
  withReceiver(undefined, async (receiver) => {
    const { result } = await runChild(job(receiver, messages(250)));
    assertSilent(result);
    assert.equal(receiver.messages.length, 250);
    assert.equal(receiver.requests(), 3);
  }));

test('the child repeats a request after a 503 and after a dropped connection', () =>
  withReceiver(
    (index) => (index === 0 ? { status: 503 } : index === 1 ? { destroy: true } : undefined),
    async (receiver) => {
      const { result } = await runChild(job(receiver, messages(5)));
      assertSilent(result);
      assert.equal(receiver.requests(), 3);
      assert.equal(receiver.messages.length, 5);
    },
  ));

test('the child does not repeat a request Segment refuses for good (400)', () =>
  withReceiver(
    () => ({ status: 400 }),
    async (receiver) => {
      const { result, millis } = await runChild(job(receiver, messages(5)));
      assertSilent(result);
      assert.equal(receiver.requests(), 1);
      assert.ok(millis < 2000, `took ${millis} ms`);
    },
  ));

test('the child ends within its budget when the receiver never answers, and prints nothing', () =>
  withReceiver(
    () => ({ hang: true }),
    async (receiver) => {
      const { result, millis } = await runChild(job(receiver, messages(5), 1500));
      assertSilent(result);
      assert.ok(millis >= 1400, `ended after ${millis} ms, before its budget`);
      assert.ok(millis < 4000, `ended after ${millis} ms`);
      assert.ok(receiver.requests() >= 1);
    },
  ));

test('the child never runs longer than MAX_RESCUE_MILLIS, whatever the job asks', () => {
  const file = writeJobFile({
    writeKey: KEY,
    url: 'http://127.0.0.1:9/v1/batch',
    messages: messages(1),
    timeoutMillis: 3_600_000,
  });
  const content = JSON.parse(readFileSync(file, 'utf8')) as {
    timeoutMillis: number;
  };
  rmSync(dirname(file), { recursive: true });
  assert.equal(content.timeoutMillis, MAX_RESCUE_MILLIS);
});

test('the child ends at once, silently, when its job file is missing or unreadable', async () => {
  const started = Date.now();
  const result = await startCommand(
    process.execPath,
    ['-e', RESCUE_CHILD_SOURCE],
    childEnv(KEY, '/nonexistent/events.json'),
  ).result;
  assertSilent(result);
  assert.ok(Date.now() - started < 2000);
});

test(
  'the job file is private (0600), holds wire-form messages and not the write key',
  { skip: process.platform === 'win32' },
  () => {
    const file = writeJobFile({
      writeKey: KEY,
      url: 'https://api.segment.io/v1/batch',
      messages: messages(2),
      timeoutMillis: 5000,
    });
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(dirname(file)).mode & 0o777, 0o700);
    const text = readFileSync(file, 'utf8');
    rmSync(dirname(file), { recursive: true });
    assert.ok(!text.includes(KEY));
    const content = JSON.parse(text) as {
      url: string;
      batch: Record<string, unknown>[];
    };
    assert.equal(content.url, 'https://api.segment.io/v1/batch');
    assert.equal(content.batch[0]?.['type'], 'track');
    assert.deepEqual(
      (content.batch[0]?.['context'] as { library: { name: string } }).library.name,
      'otel-segment-bridge',
    );
  },
);

test("the child's environment is the job file, the key and a short list: never NODE_OPTIONS", () => {
  const env = childEnv(KEY, '/tmp/x/events.json', {
    PATH: '/bin',
    NODE_OPTIONS: '--import otel-segment-bridge/register',
    SECRET: 's',
  });
  assert.equal(env['PATH'], '/bin');
  assert.equal(env['NODE_OPTIONS'], undefined);
  assert.equal(env['SECRET'], undefined);
  assert.ok(Object.values(env).includes(KEY));
});

/** A config directory of its own, so the user's real `otel-segment-bridge disable` setting plays no part. */
const configHome = mkdtempSync(join(tmpdir(), 'exit-rescue-config-'));
const disabledHome = mkdtempSync(join(tmpdir(), 'exit-rescue-config-'));
mkdirSync(join(disabledHome, 'otel-segment-bridge'));
writeFileSync(join(disabledHome, 'otel-segment-bridge', 'config.json'), '{"disableTelemetry": true}');
after(() => [configHome, disabledHome].forEach((dir) => rmSync(dir, { recursive: true, force: true })));

for (const [name, env, argv] of [
  ['otel-segment-bridge disable', { XDG_CONFIG_HOME: disabledHome }, []],
  ['DO_NOT_TRACK=1', { DO_NOT_TRACK: '1' }, []],
  ['DISABLE_TELEMETRY=true', { DISABLE_TELEMETRY: 'true' }, []],
  ['OTEL_SDK_DISABLED=true', { OTEL_SDK_DISABLED: 'true' }, []],
  ['--disable-telemetry', {}, ['node', 'app.js', '--disable-telemetry']],
] as const) {
  test(`an opt-out set by exit time (${name}) stops the rescue before it collects anything`, () => {
    let collected = 0;
    rescue(
      () => {
        collected++;
        return undefined;
      },
      { XDG_CONFIG_HOME: configHome, ...(env as Record<string, string>) },
      argv,
    );
    assert.equal(collected, 0);
  });
}

test('without an opt-out the rescue collects the job', () => {
  let collected = 0;
  rescue(
    () => {
      collected++;
      return undefined;
    },
    { XDG_CONFIG_HOME: configHome },
    [],
  );
  assert.equal(collected, 1);
});

test('one process "exit" listener serves every registration; it goes with the last dispose', () => {
  const before = process.listenerCount('exit');
  const disposers = Array.from({ length: 20 }, () => rescueOnExit(() => undefined));
  assert.equal(process.listenerCount('exit'), before + 1);
  for (const dispose of disposers.slice(1)) dispose();
  assert.equal(process.listenerCount('exit'), before + 1);
  disposers[0]?.();
  disposers[0]?.();
  assert.equal(process.listenerCount('exit'), before);
});
