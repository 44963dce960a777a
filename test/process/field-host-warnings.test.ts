/**
 * Issue 10 items 2 and 5, in the field: where Segment batches go (a host without a scheme, a host with a path, an
 * unusable host that must stop delivery rather than fall back to api.segment.io), and the process warnings that
 * make misconfiguration visible with no diag logger set up (no OTEL_LOG_LEVEL): one per cause per process, with
 * a code `node --disable-warning=CODE` filters. Every child runs with a preload that reports each TCP connection
 * it attempts (test/fixtures/field-net-spy.ts), so "sent nowhere else" is checked on the wire.
 */
import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { runStatus } from '../../src/cli/status.js';
import { startReceiver } from '../../src/testing.js';
import { killChildren, REGISTER_FROM_SOURCE, startChild } from '../helpers/children.js';
import type { ChildResult } from '../helpers/children.js';

after(killChildren);

const KEY = 'field-host-key';
const APP = 'test/fixtures/field-register-app.ts';
const NET_SPY = ['--import', 'tsx', '--import', './test/fixtures/field-net-spy.ts'];

/** Runs `node [flags] <net spy> <preloads...> <script> args` to its end (killed after 30 s). */
async function run(flags: string[], script: string[], env: Record<string, string>): Promise<ChildResult> {
  const child = startChild([...flags, ...NET_SPY, ...script], env);
  const timer = setTimeout(() => child.process.kill('SIGKILL'), 60_000);
  try {
    return await child.result;
  } finally {
    clearTimeout(timer);
  }
}

const underRegister = (args: string[] = ['record', '1']): string[] => [...REGISTER_FROM_SOURCE, APP, ...args];

/** Destinations of the TCP connections the child attempted (not local IPC pipes, such as tsx's own). */
function connections(stderr: string): string[] {
  return [...stderr.matchAll(/^field-net-spy connect (.+)$/gm)]
    .map((m) => m[1] ?? '')
    .filter((target) => !target.startsWith('/'));
}

/** How often the process warning with `code` was printed. */
function warnings(stderr: string, code: string): number {
  return stderr.split(`[${code}]`).length - 1;
}

test('RS_SEGMENT_HOST without a scheme means https://host: the TLS handshake reaches that host and no other', async () => {
  let firstBytes: Buffer | undefined;
  const tls = createTcpServer((socket) => {
    socket.once('data', (chunk: Buffer) => {
      firstBytes ??= chunk;
      socket.destroy();
    });
  });
  await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
  const port = (tls.address() as AddressInfo).port;
  try {
    const result = await run([], underRegister(), { RS_SEGMENT_HOST: `127.0.0.1:${port}`, RS_SEGMENT_WRITE_KEY: KEY });
    assert.equal(result.code, 0, result.stderr);
    assert.ok(firstBytes !== undefined, `no connection reached 127.0.0.1:${port}: ${result.stderr}`);
    assert.equal(firstBytes[0], 0x16, 'a TLS handshake record, i.e. https');
    const targets = new Set(connections(result.stderr));
    assert.deepEqual([...targets], [`127.0.0.1:${port}`], 'connections only to the configured host');
  } finally {
    tls.close();
  }
  const lines: string[] = [];
  runStatus(
    [],
    (line) => lines.push(line),
    { RS_SEGMENT_HOST: 'events.eu1.segmentapis.com', RS_SEGMENT_WRITE_KEY: KEY, XDG_CONFIG_HOME: '/nonexistent-field' },
    [],
  );
  assert.match(
    lines.join('\n'),
    /Posts to: +https:\/\/events\.eu1\.segmentapis\.com\/v1\/batch\b/,
    'status shows the effective URL',
  );
});

test('a path in RS_SEGMENT_HOST is kept: batches are posted to <host><path>/v1/batch', async () => {
  const paths: string[] = [];
  const events: string[] = [];
  const proxy = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      paths.push(`${req.method ?? ''} ${req.url ?? ''}`);
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { batch?: { event?: string }[] };
        events.push(...(body.batch ?? []).map((m) => m.event ?? ''));
      } catch {
        // Not JSON: the path assertion shows it.
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  try {
    const result = await run([], underRegister(), { RS_SEGMENT_HOST: `${base}/segment/`, RS_SEGMENT_WRITE_KEY: KEY });
    assert.equal(result.code, 0, result.stderr);
    assert.ok(paths.length > 0, result.stderr);
    assert.deepEqual([...new Set(paths)], ['POST /segment/v1/batch']);
    assert.deepEqual(events.sort(), ['adapter_start', 'adapter_start', 'adapter_start']);
  } finally {
    proxy.close();
    proxy.closeAllConnections();
  }
  const lines: string[] = [];
  runStatus(
    [],
    (line) => lines.push(line),
    { RS_SEGMENT_HOST: `${base}/segment`, RS_SEGMENT_WRITE_KEY: KEY, XDG_CONFIG_HOME: '/nonexistent-field' },
    [],
  );
  assert.match(lines.join('\n'), new RegExp(`Posts to: +${base.replace(/\./g, '\\.')}/segment/v1/batch\\b`));
});

test('an unusable RS_SEGMENT_HOST stops delivery: no connection at all (never api.segment.io), one INVALID_HOST warning, status exit 3', async () => {
  const receiver = await startReceiver({ writeKey: KEY });
  const hosts = [
    `ftp://127.0.0.1:${receiver.port}`,
    `${receiver.url}/?region=eu`,
    `https://user:pw@127.0.0.1:${receiver.port}`,
  ];
  try {
    const results = await Promise.all(
      hosts.map((host) => run([], underRegister(), { RS_SEGMENT_HOST: host, RS_SEGMENT_WRITE_KEY: KEY })),
    );
    results.forEach((result, i) => {
      const host = hosts[i] ?? '';
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(connections(result.stderr), [], `${host}: no connection attempted`);
      assert.equal(
        warnings(result.stderr, 'OTEL_SEGMENT_BRIDGE_INVALID_HOST'),
        1,
        `${host}: one warning\n${result.stderr}`,
      );
      assert.ok(!result.stderr.includes('pw@'), 'credentials are not echoed');
      const lines: string[] = [];
      const code = runStatus(
        [],
        (line) => lines.push(line),
        { RS_SEGMENT_HOST: host, RS_SEGMENT_WRITE_KEY: KEY, XDG_CONFIG_HOME: '/nonexistent-field' },
        [],
      );
      assert.equal(code, 3, `${host}: status is misconfigured\n${lines.join('\n')}`);
      assert.match(lines.join('\n'), /Posts to: .*\(unusable\)/);
      assert.doesNotMatch(lines.join('\n'), /api\.segment\.io/);
    });
    assert.equal(receiver.requests(), 0);
  } finally {
    await receiver.close();
  }
});

test('no write key: one NO_WRITE_KEY process warning once events are recorded (register, in code, startTelemetry), none when nothing is recorded, none with --disable-warning', async () => {
  const env = {}; // no RS_SEGMENT_WRITE_KEY, no OTEL_LOG_LEVEL
  const code = 'OTEL_SEGMENT_BRIDGE_NO_WRITE_KEY';
  const [register, inCode, start, nothing, filtered] = await Promise.all([
    run([], underRegister(['record', '2']), env),
    run([], ['--import', 'tsx', 'test/fixtures/field-own-sdk.ts', 'basic', 'batch', 'alternate'], env),
    run([], ['--import', 'tsx', 'test/fixtures/field-start-telemetry.ts', 'plain'], env),
    run([], underRegister(['nothing']), env),
    run([`--disable-warning=${code}`], underRegister(['record', '2']), env),
  ]);
  for (const [name, result] of Object.entries({ register, inCode, start })) {
    assert.equal(result.code, 0, `${name}: ${result.stderr}`);
    assert.equal(warnings(result.stderr, code), 1, `${name}: exactly one warning\n${result.stderr}`);
    assert.deepEqual(connections(result.stderr), [], `${name}: nothing sent`);
  }
  assert.equal(warnings(nothing.stderr, code), 0, `nothing recorded, nothing to warn about\n${nothing.stderr}`);
  assert.equal(filtered.code, 0, filtered.stderr);
  assert.equal(warnings(filtered.stderr, code), 0, `--disable-warning filters it\n${filtered.stderr}`);
});

test('a write key Segment rejects (401): one WRITE_KEY_REJECTED process warning, filterable', async () => {
  const receiver = await startReceiver({ writeKey: 'the-right-key' });
  const code = 'OTEL_SEGMENT_BRIDGE_WRITE_KEY_REJECTED';
  const env = { RS_SEGMENT_HOST: receiver.url, RS_SEGMENT_WRITE_KEY: 'a-wrong-key' };
  try {
    const [register, start, filtered] = await Promise.all([
      run([], underRegister(['record', '3']), env),
      run([], ['--import', 'tsx', 'test/fixtures/field-start-telemetry.ts', 'plain'], env),
      run([`--disable-warning=${code}`], underRegister(['record', '3']), env),
    ]);
    assert.ok(receiver.requests() > 0, 'the requests reached the receiver');
    assert.equal(receiver.messages.length, 0, 'and were refused');
    for (const [name, result] of Object.entries({ register, start })) {
      assert.equal(result.code, 0, `${name}: ${result.stderr}`);
      assert.equal(warnings(result.stderr, code), 1, `${name}: exactly one warning\n${result.stderr}`);
      assert.ok(!result.stderr.includes('a-wrong-key'), `${name}: the key is never printed`);
    }
    assert.equal(warnings(filtered.stderr, code), 0, filtered.stderr);
  } finally {
    await receiver.close();
  }
});

test('startTelemetry() after an app NodeSDK: one SECOND_SDK warning naming createSegmentSpanProcessor, and the events still reach Segment', async () => {
  const receiver = await startReceiver({ writeKey: KEY });
  try {
    const result = await run([], ['--import', 'tsx', 'test/fixtures/field-start-telemetry.ts', 'after-sdk'], {
      RS_SEGMENT_HOST: receiver.url,
      RS_SEGMENT_WRITE_KEY: KEY,
    });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(warnings(result.stderr, 'OTEL_SEGMENT_BRIDGE_SECOND_SDK'), 1, result.stderr);
    assert.match(result.stderr, /createSegmentSpanProcessor/);
    assert.deepEqual(receiver.messages.map((m) => m.body['event']).sort(), [
      'deployment_started',
      'installer_finished',
      'installer_run',
    ]);
  } finally {
    await receiver.close();
  }
});
