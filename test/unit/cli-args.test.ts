import assert from 'node:assert/strict';
import { test } from 'node:test';
import { atMost, parseArgs, usageOf, UsageError } from '../../src/cli/args.js';

test('`--` ends the options: what follows is an argument even when it starts with a dash', () => {
  const { flags, positional } = parseArgs(['--json', '--', '--json', '-h', '-'], [], ['json', 'help']);
  assert.deepEqual([...flags.keys()], ['json']);
  assert.deepEqual(positional, ['--json', '-h', '-']);
});

test('-h means --help wherever help is a flag; other short aliases come from the command', () => {
  assert.equal(parseArgs(['-h'], [], ['help']).flags.get('help'), true);
  const { flags } = parseArgs(['-d', 'mysql', '-l'], ['dialect'], ['lines'], { d: 'dialect', l: 'lines' });
  assert.equal(flags.get('dialect'), 'mysql');
  assert.equal(flags.get('lines'), true);
  assert.throws(() => parseArgs(['-h'], [], ['json']), /unknown option -h/);
});

test('values: --name value, --name=value, and a missing value is a usage error', () => {
  assert.equal(parseArgs(['--port', '80'], ['port'], []).flags.get('port'), '80');
  assert.equal(parseArgs(['--port=81'], ['port'], []).flags.get('port'), '81');
  assert.throws(
    () => parseArgs(['--port'], ['port'], []),
    (error) => error instanceof UsageError && /--port needs a value/.test(error.message),
  );
});

test('a flag accepts =true/=1 (set) and =false/=0 (not set), and nothing else', () => {
  for (const value of ['true', '1', 'TRUE'])
    assert.ok(
      parseArgs([`--disable-telemetry=${value}`], [], ['disable-telemetry']).flags.has('disable-telemetry'),
      value,
    );
  for (const value of ['false', '0'])
    assert.ok(
      !parseArgs([`--disable-telemetry=${value}`], [], ['disable-telemetry']).flags.has('disable-telemetry'),
      value,
    );
  assert.throws(() => parseArgs(['--json=maybe'], [], ['json']), UsageError);
});

test('an unknown option is a UsageError that names it, with a suggestion when one is close', () => {
  assert.throws(
    () => parseArgs(['--bogus'], ['port'], ['help']),
    (error) => error instanceof UsageError && error.message === 'unknown option --bogus',
  );
  assert.throws(
    () => parseArgs(['--dialec=mysql'], ['dialect'], ['help']),
    /unknown option --dialec \(did you mean --dialect\?\)/,
  );
  assert.throws(() => parseArgs(['-z'], [], ['help']), /unknown option -z/);
});

test('atMost and usageOf', () => {
  assert.throws(() => atMost(['a', 'b'], 1), /unexpected argument "b"/);
  atMost(['a'], 1);
  assert.equal(usageOf('Usage: x [--y]\n\nLong text.'), 'Usage: x [--y]');
});
