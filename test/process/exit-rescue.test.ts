/**
 * Events recorded just before process.exit() still reach Segment: a detached child delivers them after the
 * program is gone. Each test runs test/fixtures/exit-app.ts, which records `installer_finished` and calls
 * process.exit(0) at once, against the loopback receiver, and checks what crossed the wire, what the program
 * printed (nothing, or one line when the events cannot be handed over) and which children it spawned.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { startReceiver } from '../../src/devtools/receiver.js';
import type { Receiver } from '../../src/devtools/receiver.js';
import { RESCUE_KEY_VARIABLE } from '../../src/transport/rescue-child.js';
import { killChildren, REGISTER_FROM_SOURCE, startChild } from '../helpers/children.js';
import type { ChildResult } from '../helpers/children.js';

const FIXTURE = 'test/fixtures/exit-app.ts';
const KEY = 'exit-rescue-key';
/** The program exited; the event must arrive within this much more. */
const ARRIVAL_MILLIS = 5_000;
/** How long a test waits to be sure that nothing arrives. */
const QUIET_MILLIS = 2_500;

after(killChildren);

interface Run {
  result: ChildResult;
  /** Milliseconds from the start to the program's exit. */
  exitedAfter: number;
  /** The spawn calls the program made, as exit-app.ts logs them. */
  spawns: {
    command: string;
    args: string[];
    env: string[];
    detached: boolean;
    stdio: string;
  }[];
  /** Entries the rescue left in the program's temporary directory. */
  leftovers: () => string[];
}

/** Runs exit-app.ts with `nodeArgs` before it and a temporary directory of its own; cleans up after the test. */
async function runApp(
  args: string[],
  env: Record<string, string>,
  nodeArgs = ['--import', 'tsx'],
  persistentOptOut = false,
): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'exit-rescue-test-'));
  const tmp = join(dir, 'tmp');
  const spawnLog = join(dir, 'spawns.jsonl');
  mkdirSync(tmp);
  // A config directory of its own: the user's real `otel-segment-bridge disable` setting plays no part.
  const config = join(dir, 'config');
  mkdirSync(join(config, 'otel-segment-bridge'), { recursive: true });
  if (persistentOptOut) writeFileSync(join(config, 'otel-segment-bridge', 'config.json'), '{"disableTelemetry": true}');
  const started = Date.now();
  const result = await startChild([...nodeArgs, FIXTURE, ...args], {
    TMPDIR: tmp,
    XDG_CONFIG_HOME: config,
    EXIT_SPAWN_LOG: spawnLog,
    ...env,
  }).result;
  const exitedAfter = Date.now() - started;
  let spawns: Run['spawns'] = [];
  try {
    spawns = readFileSync(spawnLog, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Run['spawns'][number]);
  } catch {
    // No log: nothing was spawned.
  }
  const leftovers = (): string[] => readdirSync(tmp).filter((name) => name.startsWith('otel-segment-bridge-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return { result, exitedAfter, spawns, leftovers };
}

const cleanups: (() => void)[] = [];
after(() => cleanups.forEach((cleanup) => cleanup()));

/** Waits for the event to arrive after the program's exit, and checks it and the child that sent it. */
async function assertRescued(receiver: Receiver, run: Run): Promise<void> {
  assert.equal(run.result.code, 0, run.result.stderr);
  assert.equal(run.result.stdout, '', 'the program printed on stdout');
  assert.equal(run.result.stderr, '', 'the program printed on stderr');
  const exited = Date.now();
  await receiver.waitForMessages(1, ARRIVAL_MILLIS);
  const arrivedAfter = Date.now() - exited;
  assert.ok(arrivedAfter < ARRIVAL_MILLIS, `arrived ${arrivedAfter} ms after the exit`);
  const events = receiver.messages.map((m) => m.body['event']);
  assert.deepEqual(events, ['installer_finished']);
  const [message] = receiver.messages;
  assert.deepEqual(message?.errors, []);
  assert.equal(message?.writeKey, KEY);
  assert.equal(message?.body['type'], 'track');

  const rescues = run.spawns.filter((spawn) => spawn.env.includes(RESCUE_KEY_VARIABLE));
  assert.equal(rescues.length, 1, JSON.stringify(run.spawns));
  const [rescue] = rescues;
  assert.equal(rescue?.detached, true);
  assert.equal(rescue?.stdio, 'ignore');
  assert.ok(!JSON.stringify(rescue?.args).includes(KEY), 'the write key is on the command line');
  assert.ok(!rescue?.env.includes('NODE_OPTIONS'));
  // The child deleted its job file and directory once it had read them.
  await waitFor(() => run.leftovers().length === 0, 2_000);
}

async function waitFor(condition: () => boolean, timeoutMillis: number): Promise<void> {
  const end = Date.now() + timeoutMillis;
  while (!condition()) {
    if (Date.now() > end) assert.fail('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function withReceiver(body: (receiver: Receiver) => Promise<void>): Promise<void> {
  const receiver = await startReceiver({ writeKey: KEY });
  try {
    await body(receiver);
  } finally {
    await receiver.close();
  }
}

test('exit rescue alone: a job handed over at process.exit() is delivered by a detached child', () =>
  withReceiver(async (receiver) => {
    const run = await runApp(['direct'], {
      EXIT_HOST: receiver.url,
      EXIT_KEY: KEY,
    });
    await assertRescued(receiver, run);
  }));

test('NodeSDK + createSegmentSpanProcessor: installer_finished then process.exit(0) is delivered after the exit', () =>
  withReceiver(async (receiver) => {
    const run = await runApp(['processor'], {
      EXIT_HOST: receiver.url,
      EXIT_KEY: KEY,
    });
    await assertRescued(receiver, run);
  }));

test('register entry: installer_finished then process.exit(0) is delivered after the exit', () =>
  withReceiver(async (receiver) => {
    const run = await runApp(
      ['register'],
      { RS_SEGMENT_WRITE_KEY: KEY, RS_SEGMENT_HOST: receiver.url },
      REGISTER_FROM_SOURCE,
    );
    await assertRescued(receiver, run);
  }));

test('startTelemetry(): installer_finished then process.exit(0) is delivered after the exit', () =>
  withReceiver(async (receiver) => {
    const run = await runApp(['start-telemetry'], {
      EXIT_HOST: receiver.url,
      EXIT_KEY: KEY,
    });
    await assertRescued(receiver, run);
  }));

for (const [name, args, env, persistent] of [
  ['otel-segment-bridge disable (exit rescue alone)', ['direct'], {}, true],
  ['DO_NOT_TRACK=1 (SDK)', ['processor'], { DO_NOT_TRACK: '1' }],
  ['DO_NOT_TRACK=1 (register)', ['register'], { DO_NOT_TRACK: '1' }],
  ['DO_NOT_TRACK=1 (exit rescue alone)', ['direct'], { DO_NOT_TRACK: '1' }],
  ['DISABLE_TELEMETRY=true (exit rescue alone)', ['direct'], { DISABLE_TELEMETRY: 'true' }],
  ['OTEL_SDK_DISABLED=true (exit rescue alone)', ['direct'], { OTEL_SDK_DISABLED: 'true' }],
  ['--disable-telemetry (exit rescue alone)', ['direct', '--disable-telemetry'], {}],
] as const) {
  test(`${name}: no child is spawned and no request reaches the receiver`, () =>
    withReceiver(async (receiver) => {
      const nodeArgs = args[0] === 'register' ? REGISTER_FROM_SOURCE : undefined;
      const run = await runApp(
        [...args],
        {
          EXIT_HOST: receiver.url,
          EXIT_KEY: KEY,
          RS_SEGMENT_WRITE_KEY: KEY,
          RS_SEGMENT_HOST: receiver.url,
          ...env,
        },
        nodeArgs,
        persistent === true,
      );
      assert.equal(run.result.code, 0, run.result.stderr);
      assert.equal(run.result.stdout + run.result.stderr, '');
      assert.deepEqual(run.spawns, []);
      assert.deepEqual(run.leftovers(), []);
      await new Promise((resolve) => setTimeout(resolve, QUIET_MILLIS));
      assert.equal(receiver.requests(), 0);
    }));
}

const LOST = /^otel-segment-bridge: (\d+) telemetry events? (?:was|were) not delivered at exit \((.+)\)\n$/;

for (const [name, args, events, reason] of [
  [
    'temporary file cannot be written (exit rescue alone)',
    ['direct', '--break-tmp'],
    3,
    /cannot write a temporary file in \/dev\/null\/not-a-directory: ENOTDIR/,
  ],
  [
    'delivery process cannot start (exit rescue alone)',
    ['direct', '--break-spawn'],
    3,
    /cannot start \/nonexistent\/bin\/node/,
  ],
  ['temporary file cannot be written (SDK)', ['processor', '--break-tmp'], 1, /cannot write a temporary file/],
  ['delivery process cannot start (SDK)', ['processor', '--break-spawn'], 1, /cannot start/],
] as const) {
  test(`${name}: one stderr line says how many events were lost and why`, () =>
    withReceiver(async (receiver) => {
      const run = await runApp([...args], {
        EXIT_HOST: receiver.url,
        EXIT_KEY: KEY,
        EXIT_EVENTS: String(events),
      });
      assert.equal(run.result.code, 0);
      assert.equal(run.result.stdout, '');
      const match = LOST.exec(run.result.stderr);
      assert.ok(match, `stderr: ${JSON.stringify(run.result.stderr)}`);
      assert.equal(Number(match[1]), events);
      assert.match(match[2] ?? '', reason);
      assert.ok(!run.result.stderr.includes(KEY));
      assert.deepEqual(run.leftovers(), [], 'the job file was left behind');
      assert.equal(receiver.requests(), 0);
    }));
}
