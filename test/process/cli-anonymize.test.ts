/**
 * `anonymize` on real standard input, in child processes: a large input streamed through a pipe with --lines
 * in bounded memory (the child's maxRSS, printed at exit by a preloaded hook), an oversized single statement
 * refused early, and a terminal on stdin (through script(1), which gives the child a pseudo-terminal).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, test } from 'node:test';
import { privatize } from '../../src/exporter/privacy.js';
import { killChildren, startCommand } from '../helpers/children.js';

after(killChildren);

const NODE = process.execPath;
const CLI = `"${NODE}" --import tsx src/cli/bin.ts`;
/** Preloaded into the CLI: prints its peak resident set size (KiB) on stderr at exit. */
const RSS_HOOK =
  'data:text/javascript,' +
  encodeURIComponent('process.on("exit", () => process.stderr.write(`maxRSS=${process.resourceUsage().maxRSS}\\n`));');
/** Writes MEGABYTES MiB of distinct one-line statements to stdout (with backpressure); the line count on stderr. */
const GENERATE = `
const total = Number(process.env.MEGABYTES) * 1024 * 1024;
let written = 0, lines = 0;
function more() {
  while (written < total) {
    let chunk = '';
    for (let k = 0; k < 1000; k++, lines++) chunk += "SELECT name, ssn FROM patients_" + (lines % 5000) + " WHERE id = " + lines + " AND note = 'secret " + lines + "' -- c\\n";
    written += chunk.length;
    if (!process.stdout.write(chunk)) return void process.stdout.once('drain', more);
  }
  process.stderr.write('lines=' + lines + '\\n');
}
more();`;
/** Counts the lines on stdin and prints the count and the last line. */
const COUNT = `
let count = 0, last = '', rest = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  const parts = (rest + chunk).split('\\n');
  rest = parts.pop();
  count += parts.length;
  if (parts.length > 0) last = parts[parts.length - 1];
});
process.stdin.on('end', () => process.stdout.write(JSON.stringify({ count, last }) + '\\n'));`;

function shell(script: string, env: Record<string, string>): ReturnType<typeof startCommand> {
  return startCommand('/bin/sh', ['-c', script], {
    PATH: process.env['PATH'] ?? '',
    HOME: process.env['HOME'] ?? '',
    ...env,
  });
}

test('--lines streams 64 MiB from a pipe, line for line, in bounded memory', { timeout: 240_000 }, async () => {
  const result = await shell(
    `"${NODE}" -e "$GENERATE" | "${NODE}" --import "$RSS_HOOK" --import tsx src/cli/bin.ts anonymize --lines | "${NODE}" -e "$COUNT"`,
    {
      GENERATE,
      COUNT,
      RSS_HOOK,
      MEGABYTES: '64',
    },
  ).result;
  assert.equal(result.code, 0, result.stderr);
  const lines = Number(/lines=(\d+)/.exec(result.stderr)?.[1]);
  const maxRssKiB = Number(/maxRSS=(\d+)/.exec(result.stderr)?.[1]);
  assert.ok(lines > 500_000, result.stderr);
  const { count, last } = JSON.parse(result.stdout) as { count: number; last: string };
  assert.equal(count, lines, 'one output line per input line');
  const lastInput = `SELECT name, ssn FROM patients_${(lines - 1) % 5000} WHERE id = ${lines - 1} AND note = 'secret ${lines - 1}' -- c`;
  assert.equal(last, privatize({ proxied_query: lastInput }, 'strict').proxied_query);
  assert.ok(!last.includes('secret') && !last.includes('patients'));
  // The whole input held in memory took ~13x its size (640 MB for 48 MB); streaming stays near the baseline.
  assert.ok(maxRssKiB > 0 && maxRssKiB < 400 * 1024, `maxRSS ${Math.round(maxRssKiB / 1024)} MiB for 64 MiB of input`);
});

test(
  'without --lines, standard input over 1 MiB is refused early with a hint, not read whole',
  { timeout: 60_000 },
  async () => {
    const result = await shell(`"${NODE}" -e "$GENERATE" | ${CLI} anonymize`, { GENERATE, MEGABYTES: '64' }).result;
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /over 1 MiB.*use --lines/);
    assert.equal(result.stdout, '');
  },
);

test(
  'a terminal on stdin: anonymize says what it expects on stderr instead of waiting silently',
  { timeout: 60_000, skip: !existsSync('/usr/bin/script') },
  async () => {
    // script(1) runs the CLI on a pseudo-terminal; its own stdin is empty, so the terminal sends end-of-file.
    const result = await shell(`/usr/bin/script -qec '${CLI} anonymize' /dev/null`, {}).result;
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /type one SQL statement .*Ctrl-D/);
  },
);

test('a reader that stops early (| head -1) ends the command quietly', { timeout: 60_000 }, async () => {
  const result = await shell(
    `"${NODE}" -e "$GENERATE" 2>/dev/null | (${CLI} anonymize --lines; echo "cli=$?" >&2) | head -1`,
    { GENERATE, MEGABYTES: '8' },
  ).result;
  assert.equal(result.stdout.split('\n').length, 2, result.stdout);
  assert.equal(result.stderr, 'cli=0\n');
});
