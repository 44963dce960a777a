import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_STATEMENT_BYTES, runAnonymize } from '../../src/cli/anonymize.js';
import type { AnonymizeIO } from '../../src/cli/anonymize.js';
import { privatize } from '../../src/exporter/privacy.js';

/** What the exporter sends for `sql`: the CLI must print exactly this. */
function sent(sql: string, dialect: 'mysql' | 'postgres' | 'strict'): string | undefined {
  return privatize({ proxied_query: sql }, dialect).proxied_query;
}

/** An io whose output and notes are collected; `input` is given as chunks. */
function io(
  input: AsyncIterable<Buffer | string> | (Buffer | string)[],
  isTTY = false,
): AnonymizeIO & { lines: string[]; notes: string[] } {
  const lines: string[] = [];
  const notes: string[] = [];
  const source = Array.isArray(input)
    ? (async function* () {
        for (const chunk of input) {
          await Promise.resolve(); // a chunk per tick, as a stream delivers them
          yield chunk;
        }
      })()
    : input;
  return {
    input: source,
    isTTY,
    out: (text) => void lines.push(...text.split('\n')),
    note: (line) => void notes.push(line),
    lines,
    notes,
  };
}

test('a terminal on standard input: the command says what it expects on stderr before reading', async () => {
  const whole = io(['SELECT 1'], true);
  assert.equal(await runAnonymize([], whole), 0);
  assert.match(whole.notes.join('\n'), /type one SQL statement .*Ctrl-D/);
  const lines = io(['SELECT 1\n'], true);
  await runAnonymize(['--lines'], lines);
  assert.match(lines.notes.join('\n'), /one SQL statement per line/);
  const pipe = io(['SELECT 1'], false);
  await runAnonymize([], pipe);
  assert.deepEqual(pipe.notes, []);
});

test('--lines: one result per line, lines split across chunks (even inside a UTF-8 character), blank lines kept', async () => {
  const text = "SELECT 'é' FROM t\r\n\nSELECT b FROM u WHERE c = 'ü'\nSELECT 2";
  const bytes = Buffer.from(text, 'utf8');
  const chunks = [...bytes].map((byte) => Buffer.from([byte])); // one byte at a time
  const run = io(chunks);
  assert.equal(await runAnonymize(['--lines'], run), 0);
  const expected = ["SELECT 'é' FROM t", '', "SELECT b FROM u WHERE c = 'ü'", 'SELECT 2'].map((line) =>
    line === '' ? '' : sent(line, 'strict'),
  );
  assert.deepEqual(run.lines, expected);
  const json = io(['SELECT a FROM t\nSELECT a FROM t\n']);
  await runAnonymize(['-l', '--json', '-d', 'mysql'], json);
  const [first, second] = json.lines.map((line) => JSON.parse(line) as { proxied_query: string; query_id: string });
  assert.equal(first?.proxied_query, sent('SELECT a FROM t', 'mysql'));
  assert.match(first?.query_id ?? '', /^q_[0-9a-f]{16}$/);
  assert.deepEqual(second, first);
});

test('--lines waits for the output to be taken before reading more (bounded memory with a slow reader)', async () => {
  let pulled = 0;
  let release: (() => void) | undefined;
  const input = (async function* () {
    for (let i = 0; i < 5; i++) {
      await Promise.resolve();
      pulled++;
      yield `SELECT ${i}\n`;
    }
  })();
  const run = io(input);
  run.out = () => new Promise<void>((resolve) => (release = resolve));
  const done = runAnonymize(['--lines'], run);
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(pulled, 1, 'no chunk is read while the previous output is pending');
  for (let i = 0; i < 5; i++) {
    release?.();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  assert.equal(await done, 0);
  assert.equal(pulled, 5);
});

test('without --lines an endless input is refused at 1 MiB, without reading on', async () => {
  let pulled = 0;
  const endless = (async function* () {
    for (;;) {
      await Promise.resolve();
      pulled++;
      yield Buffer.alloc(64 * 1024, 'x');
    }
  })();
  await assert.rejects(runAnonymize([], io(endless)), /over 1 MiB.*use --lines/);
  assert.ok(pulled * 64 * 1024 <= MAX_STATEMENT_BYTES + 64 * 1024);
});

test('--lines refuses a line over 1 MiB and names it', async () => {
  const run = io(['SELECT 1\n', Buffer.alloc(MAX_STATEMENT_BYTES + 1, 'x')]);
  await assert.rejects(runAnonymize(['--lines'], run), /line 2 is over 1 MiB/);
  assert.deepEqual(run.lines, [sent('SELECT 1', 'strict')]);
});

test('usage errors: an unknown dialect, SQL arguments with --lines', async () => {
  await assert.rejects(runAnonymize(['--dialect', 'oracle', 'SELECT 1'], io([])), { name: 'UsageError' });
  await assert.rejects(runAnonymize(['--lines', 'SELECT 1'], io([])), { name: 'UsageError' });
});
