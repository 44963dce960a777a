/**
 * Issue 10 item 7, the cases status.test.ts lacks, each checked twice: what `otel-segment-bridge status` says
 * (text and exit code: 0 sending, 1 off, 3 misconfigured), and what the register entry then really does in the
 * same environment with an app that records telemetry (what a loopback Segment receiver gets, what the console
 * exporter prints), each case against a receiver of its own. Status exits 0 exactly when the receiver gets the
 * events.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runStatus } from '../../src/cli/status.js';
import { startReceiver } from '../../src/testing.js';
import { killChildren, REGISTER_FROM_SOURCE, startChild } from '../helpers/children.js';

after(killChildren);

const KEY = 'status-truth-key';
const DIR = mkdtempSync(join(tmpdir(), 'status-truth-'));

function file(name: string, fileFormat: string | undefined): string {
  const path = join(DIR, name);
  const lines = [
    ...(fileFormat === undefined ? [] : [`file_format: "${fileFormat}"`]),
    'tracer_provider:',
    '  processors:',
    '    - batch:',
    '        exporter:',
    '          segment:',
    '            write_key: ${RS_SEGMENT_WRITE_KEY}',
    '            host: ${RS_SEGMENT_HOST}',
    '',
  ];
  writeFileSync(path, lines.join('\n'));
  return path;
}

interface Case {
  name: string;
  env: Record<string, string>;
  code: 0 | 1 | 3;
  /** What the text must say. */
  says: RegExp[];
  /** What the register entry itself must print on stderr. */
  registerSays?: RegExp;
  /** Whether the console exporter prints the telemetry span (stdout of the app). */
  console?: boolean;
}

const CASES: Case[] = [
  {
    name: 'control: Segment from the environment',
    env: {},
    code: 0,
    says: [/Delivery: +Track calls are sent to Segment/],
  },
  {
    name: 'control: a valid file_format "1.0" file',
    env: { OTEL_CONFIG_FILE: file('valid.yaml', '1.0') },
    code: 0,
    says: [/Track calls are sent to Segment/],
  },
  { name: 'OTEL_TRACES_EXPORTER=none', env: { OTEL_TRACES_EXPORTER: 'none' }, code: 1, says: [/Exporters: +none/] },
  {
    name: 'a typo in OTEL_TRACES_EXPORTER',
    env: { OTEL_TRACES_EXPORTER: 'segmnet' },
    code: 3,
    says: [/did you mean "segment"\?/],
    registerSays: /did you mean "segment"\?/,
  },
  {
    name: 'console only',
    env: { OTEL_TRACES_EXPORTER: 'console' },
    code: 1,
    says: [/Exporters: +console\b/],
    console: true,
  },
  {
    name: 'a missing OTEL_CONFIG_FILE',
    env: { OTEL_CONFIG_FILE: join(DIR, 'missing.yaml') },
    code: 3,
    says: [/missing\.yaml/, /! .*(ENOENT|cannot read|not found)/i],
    registerSays: /missing\.yaml/,
  },
  {
    name: 'file_format "0.3"',
    env: { OTEL_CONFIG_FILE: file('old.yaml', '0.3') },
    code: 3,
    says: [/! .*file_format/i],
    registerSays: /old\.yaml.*file_format/i,
  },
  {
    name: 'no file_format',
    env: { OTEL_CONFIG_FILE: file('none.yaml', undefined) },
    code: 3,
    says: [/! .*file_format/i],
    registerSays: /none\.yaml.*file_format/i,
  },
  {
    name: 'no write key',
    env: { RS_SEGMENT_WRITE_KEY: '' },
    code: 3,
    says: [/NOT sent: no write key/, /! .*RS_SEGMENT_WRITE_KEY/],
  },
  {
    name: 'RS_TELEMETRY_DEBUG=1',
    env: { RS_TELEMETRY_DEBUG: '1' },
    code: 1,
    says: [/printed on stderr instead of sent/],
  },
  {
    name: 'OTEL_SDK_DISABLED=true with console and segment named',
    env: { OTEL_SDK_DISABLED: 'true', OTEL_TRACES_EXPORTER: 'console,segment' },
    code: 1,
    says: [/Exporters: +none/, /SDK is disabled/],
    console: false,
  },
];

test('status tells the truth: its verdict and exit code match what the register entry then delivers, case by case', async () => {
  const runs = await Promise.all(
    CASES.map(async (c) => {
      const receiver = await startReceiver({ writeKey: KEY });
      try {
        const env = { RS_SEGMENT_WRITE_KEY: KEY, RS_SEGMENT_HOST: receiver.url, ...c.env };
        const lines: string[] = [];
        const code = runStatus([], (line) => lines.push(line), { XDG_CONFIG_HOME: join(DIR, 'no-config'), ...env }, []);
        const child = startChild([...REGISTER_FROM_SOURCE, 'test/fixtures/register-app.ts'], env);
        const timer = setTimeout(() => child.process.kill('SIGKILL'), 60_000);
        const result = await child.result.finally(() => clearTimeout(timer));
        return { c, code, text: lines.join('\n'), result, delivered: receiver.messages.length };
      } finally {
        await receiver.close();
      }
    }),
  );
  const failures: string[] = [];
  for (const { c, code, text, result, delivered } of runs) {
    const check = (what: string, fn: () => void): void => {
      try {
        fn();
      } catch (error) {
        failures.push(`${c.name}: ${what}: ${(error as Error).message.slice(0, 500)}`);
      }
    };
    check('exit code', () => assert.equal(code, c.code, text.split('\n\nEvents')[0]));
    for (const pattern of c.says) check(`says ${String(pattern)}`, () => assert.match(text, pattern));
    if (c.code !== 0)
      check('does not claim Segment', () => assert.doesNotMatch(text, /Track calls are sent to Segment/));
    check('the app ran', () => assert.equal(result.code, 0, result.stderr));
    check(`status ${code} ⇔ the receiver ${code === 0 ? 'gets' : 'does not get'} the events`, () =>
      assert.equal(delivered, code === 0 ? 2 : 0, `receiver got ${delivered}`),
    );
    if (c.registerSays !== undefined)
      check(`the register says ${String(c.registerSays)}`, () => assert.match(result.stderr, c.registerSays as RegExp));
    if (c.console !== undefined) {
      check(`the console exporter ${c.console ? 'prints' : 'prints nothing'}`, () =>
        assert.equal(/deployment_started/.test(result.stdout), c.console, result.stdout.slice(0, 500)),
      );
    }
  }
  assert.deepEqual(failures, []);
});
