import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { baseEnv } from '../helpers/children.js';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { main } from '../../src/cli/main.js';
import { privatize } from '../../src/exporter/privacy.js';

async function run(args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await main(args, (line) => lines.push(line));
  return { code, out: lines.join('\n') };
}

test('every command has --help', async () => {
  const top = await run(['--help']);
  assert.equal(top.code, 0);
  assert.match(top.out, /sink/);
  const sink = await run(['sink', '--help']);
  assert.equal(sink.code, 0);
  assert.match(sink.out, /--port N/);
});

test('an unknown command or option is an error, not a crash', async () => {
  assert.equal((await run(['frobnicate'])).code, 2);
  assert.equal((await run(['sink', '--bogus'])).code, 2);
  assert.equal((await run(['sink', '--port', 'abc'])).code, 2);
});

test('`sink` receives a batch on loopback and prints it readably', { timeout: 20_000 }, async () => {
  const args = ['--import', 'tsx', 'src/cli/bin.ts', 'sink', '--port', '0', '--write-key', 'cli-key'];
  const child = spawn(process.execPath, args, { env: baseEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let output = '';
    child.stdout.setEncoding('utf8');
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: string) => {
        output += chunk;
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)\/v1\/batch/.exec(output);
        if (match?.[1] !== undefined) resolve(match[1]);
      });
      child.once('exit', () => reject(new Error(`sink exited: ${output}`)));
    });
    const body = {
      batch: [
        {
          type: 'track',
          event: 'show_caches',
          anonymousId: 'x',
          userId: 'secret-api-key',
          timestamp: '2026-01-01T00:00:00.000Z',
          properties: { server_version: '9' },
        },
      ],
    };
    const res = await fetch(`${url}/v1/batch`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('cli-key:').toString('base64')}` },
      body: JSON.stringify(body),
    });
    assert.equal(res.status, 200);
    while (!output.includes('show_caches')) await once(child.stdout, 'data');
    assert.match(output, /show_caches .*userId=set .*server_version="9" .*\[valid\]/);
    assert.ok(!output.includes('secret-api-key'));
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
});

test('`anonymize` prints what the exporter computes, from an argument or standard input', async () => {
  const { runAnonymize } = await import('../../src/cli/anonymize.js');
  const lines: string[] = [];
  const out = (line: string): void => void lines.push(line);
  const secretSql = "SELECT name FROM patients WHERE ssn = '123-45-6789' -- vip";
  assert.equal(await main(['anonymize', '--dialect', 'mysql', secretSql], out), 0);
  const printed = lines.pop() ?? '';
  assert.equal(printed, privatize({ proxied_query: secretSql }, 'mysql').proxied_query);
  assert.match(printed, /^SELECT \S+ FROM anon_id_\d WHERE anon_id_\d = '<anonymized>'$/);
  const stdin = Readable.from(['SELECT "Weight" FROM t']);
  assert.equal(
    await runAnonymize(['--dialect=postgres', '--json'], { input: stdin, isTTY: false, out, note: () => {} }),
    0,
  );
  const json = JSON.parse(lines.pop()!) as { proxied_query: string; query_id: string };
  assert.equal(json.proxied_query, 'SELECT "anon_id_0" FROM anon_id_1');
  assert.match(json.query_id, /^q_[0-9a-f]{16}$/);
  // No dialect: the strict mode used for events without a db_backend.
  await main(['anonymize', "SELECT 'unterminated"], out);
  assert.equal(lines.pop(), '<redacted: unterminated or ambiguous SQL>');
  assert.equal((await run(['anonymize', '--dialect', 'oracle', 'SELECT 1'])).code, 2);
  assert.match((await run(['anonymize', '--help'])).out, /--dialect D/);
});
