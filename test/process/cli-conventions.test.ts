/**
 * The CLI's conventions, each in a child process running the executable from source: --version, -h/--help on
 * every command, `--` ends the options, usage errors exit 2 with the command's usage on stderr.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, test } from 'node:test';
import { killChildren, ROOT, startChild } from '../helpers/children.js';
import type { ChildResult } from '../helpers/children.js';

after(killChildren);

function cli(args: readonly string[], env: Record<string, string> = {}): Promise<ChildResult> {
  return startChild(['--import', 'tsx', 'src/cli/bin.ts', ...args], env).result;
}

const { version } = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { version: string };
const COMMANDS = ['anonymize', 'sink', 'status', 'gateway', 'disable', 'enable'];

test('--version, -v and version print the package version', { timeout: 60_000 }, async () => {
  const results = await Promise.all([['--version'], ['-v'], ['version']].map((args) => cli(args)));
  for (const result of results) {
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, `${version}\n`);
  }
});

test('-h and --help work on every command: its usage on stdout, exit 0', { timeout: 120_000 }, async () => {
  const runs = COMMANDS.flatMap((command) => [
    [command, '-h'],
    [command, '--help'],
  ]);
  const results = await Promise.all(runs.map((args) => cli(args)));
  results.forEach((result, i) => {
    const [command, flag] = runs[i] as [string, string];
    assert.equal(result.code, 0, `${command} ${flag}: ${result.stderr}`);
    assert.match(result.stdout, new RegExp(`^Usage: otel-segment-bridge ${command}\\b`), `${command} ${flag}`);
  });
  const help = await cli(['help', 'anonymize']);
  assert.match(help.stdout, /^Usage: otel-segment-bridge anonymize/);
});

test('`--` ends the options: a following -x is SQL, not an option', { timeout: 60_000 }, async () => {
  const result = await cli(['anonymize', '--dialect', 'mysql', '--', '-h']);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, '-anon_id_0\n');
});

test('usage errors exit 2, name the mistake and print the command usage on stderr', { timeout: 120_000 }, async () => {
  const cases: [string[], RegExp, RegExp][] = [
    [['anonymize', '--bogus'], /unknown option --bogus/, /Usage: otel-segment-bridge anonymize/],
    [
      ['anonymize', '--dialec', 'mysql', 'SELECT 1'],
      /unknown option --dialec \(did you mean --dialect\?\)/,
      /Usage: otel-segment-bridge anonymize/,
    ],
    [
      ['anonymize', '--dialect', 'oracle', 'SELECT 1'],
      /--dialect must be mysql or postgres/,
      /Usage: otel-segment-bridge anonymize/,
    ],
    [['sink', '--port', 'abc'], /--port must be a port number/, /Usage: otel-segment-bridge sink/],
    [['sink', '-x'], /unknown option -x/, /Usage: otel-segment-bridge sink/],
    [['status', '--bogus'], /unknown option --bogus/, /Usage: otel-segment-bridge status/],
    [['disable', 'now'], /unexpected argument "now"/, /Usage: otel-segment-bridge disable/],
    [['frobnicate'], /unknown command "frobnicate"/, /Usage: otel-segment-bridge <command>/],
    [['--frobnicate'], /unknown option --frobnicate/, /Usage: otel-segment-bridge <command>/],
    [[], /Commands:/, /Usage: otel-segment-bridge <command>/],
  ];
  const results = await Promise.all(cases.map(([args]) => cli(args)));
  results.forEach((result, i) => {
    const [args, mistake, usage] = cases[i] as [string[], RegExp, RegExp];
    const name = args.join(' ') || '(no arguments)';
    assert.equal(result.code, 2, `${name}: ${result.stderr}`);
    assert.match(result.stderr, mistake, name);
    assert.match(result.stderr, usage, name);
    assert.equal(result.stdout, '', `${name}: nothing on stdout`);
  });
});

test('a flag takes =true/=1 and =false/=0: status --disable-telemetry=…', { timeout: 60_000 }, async () => {
  const [on, one, off, zero] = await Promise.all(
    ['true', '1', 'false', '0'].map((value) => cli(['status', '--json', `--disable-telemetry=${value}`])),
  );
  for (const result of [on, one]) assert.match(result?.stdout ?? '', /"decidedBy": "--disable-telemetry"/);
  for (const result of [off, zero]) {
    assert.ok(result?.stdout.includes('"decidedBy"'), result?.stderr);
    assert.doesNotMatch(result?.stdout ?? '', /"decidedBy": "--disable-telemetry"/);
  }
});
