/**
 * Issue 10 item 3, in the field: one dialect decision for recordTelemetry and the exporter (the event's
 * db_backend, else the resource's readyset.db_backend, else the `dialect` option, else strict), wherever the
 * resource is known: OTEL_RESOURCE_ATTRIBUTES under the register entry, startTelemetry's resourceAttributes, the
 * configuration file's resource; and query_id is the hash of exactly the text sent. MySQL queries with `\'` are
 * recorded without db_backend on the event; the Segment receiver's messages are compared with what the real
 * `otel-segment-bridge anonymize --dialect mysql --json` prints for the same SQL.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { REDACTED_SQL } from '../../src/index.js';
import { startReceiver } from '../../src/testing.js';
import type { ReceivedMessage } from '../../src/testing.js';
import { killChildren, REGISTER_FROM_SOURCE, runFixture, startChild } from '../helpers/children.js';

after(killChildren);

const KEY = 'field-dialect-key';

/** Three different MySQL statements, each with a backslash-escaped quote (legal in MySQL, not in strict SQL). */
const MYSQL_QUERIES = [
  "SELECT name FROM users WHERE name = 'O\\'Brien'",
  "SELECT id, email FROM accounts WHERE note = 'it\\'s' AND id = 7",
  "UPDATE orders SET memo = 'don\\'t' WHERE id = 42",
];

interface Sent {
  proxied_query: string;
  query_id: string;
}

const hashOf = (text: string): string => 'q_' + createHash('sha256').update(text).digest('hex').slice(0, 16);

function sentOf(messages: ReceivedMessage[]): Sent[] {
  return messages.map((m) => {
    assert.equal(m.body['event'], 'proxied_query');
    const properties = m.body['properties'] as Record<string, string>;
    return { proxied_query: properties['proxied_query'] ?? '', query_id: properties['query_id'] ?? '' };
  });
}

/** What `otel-segment-bridge anonymize --dialect D --json SQL` prints, run as the real executable. */
function cli(dialect: string, sql: string): Promise<Sent> {
  return cliWith(['--dialect', dialect], sql);
}

const cliRuns = new Map<string, Promise<Sent>>();

/** What `otel-segment-bridge anonymize <args> --json -- SQL` prints (each distinct call run once). */
function cliWith(args: string[], sql: string): Promise<Sent> {
  const key = JSON.stringify([args, sql]);
  let run = cliRuns.get(key);
  if (run === undefined) cliRuns.set(key, (run = runCli(args, sql)));
  return run;
}

async function runCli(args: string[], sql: string): Promise<Sent> {
  const child = startChild(['--import', 'tsx', 'src/cli/bin.ts', 'anonymize', ...args, '--json', '--', sql], {});
  const timer = setTimeout(() => child.process.kill('SIGKILL'), 60_000);
  const result = await child.result.finally(() => clearTimeout(timer));
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as Sent;
}

interface Path {
  name: string;
  /** Runs the wiring against the receiver at `host`; resolves when the child has ended. */
  run(host: string): Promise<{ code: number | null; stderr: string }>;
}

const SQL_ENV = { FIELD_SQL: JSON.stringify(MYSQL_QUERIES), RS_SEGMENT_WRITE_KEY: KEY };

const DIR = mkdtempSync(join(tmpdir(), 'field-dialect-'));

/** A configuration file with readyset.db_backend=mysql on the resource, or (`option`) `dialect: mysql` on the exporter. */
function configFile(where: 'resource' | 'option' = 'resource'): string {
  const path = join(DIR, `mysql-${where}.yaml`);
  writeFileSync(
    path,
    [
      'file_format: "1.0"',
      ...(where === 'resource'
        ? ['resource:', '  attributes:', '    - name: readyset.db_backend', '      value: mysql']
        : []),
      'tracer_provider:',
      '  processors:',
      '    - batch:',
      '        exporter:',
      '          segment:',
      '            write_key: ${RS_SEGMENT_WRITE_KEY}',
      '            host: ${RS_SEGMENT_HOST}',
      ...(where === 'option' ? ['            dialect: mysql'] : []),
      '',
    ].join('\n'),
  );
  return path;
}

function underRegister(
  env: Record<string, string>,
): (host: string) => Promise<{ code: number | null; stderr: string }> {
  return async (host) => {
    const child = startChild([...REGISTER_FROM_SOURCE, 'test/fixtures/field-register-app.ts', 'sql'], {
      ...SQL_ENV,
      RS_SEGMENT_HOST: host,
      ...env,
    });
    const timer = setTimeout(() => child.process.kill('SIGKILL'), 60_000);
    return child.result.finally(() => clearTimeout(timer));
  };
}

const MYSQL_PATHS: Path[] = [
  {
    name: 'register + OTEL_RESOURCE_ATTRIBUTES',
    run: underRegister({ OTEL_RESOURCE_ATTRIBUTES: 'readyset.db_backend=mysql,readyset.server_version=1.2.3' }),
  },
  { name: 'register + OTEL_CONFIG_FILE resource', run: underRegister({ OTEL_CONFIG_FILE: configFile('resource') }) },
  {
    name: 'register + OTEL_CONFIG_FILE segment exporter option dialect: mysql',
    run: underRegister({ OTEL_CONFIG_FILE: configFile('option') }),
  },
  {
    name: "startTelemetry's resourceAttributes",
    run: (host) =>
      runFixture(
        'test/fixtures/field-start-telemetry.ts',
        { ...SQL_ENV, RS_SEGMENT_HOST: host, FIELD_RESOURCE_BACKEND: 'mysql' },
        ['sql'],
        60_000,
      ),
  },
  {
    name: "the dialect option (createSegmentSpanProcessor({ dialect: 'mysql' }))",
    run: (host) =>
      runFixture('test/fixtures/field-dialect-option.ts', { ...SQL_ENV, RS_SEGMENT_HOST: host }, ['processor'], 60_000),
  },
  {
    name: "the dialect option (BatchSpanProcessor(new SegmentSpanExporter({ dialect: 'mysql' })))",
    run: (host) =>
      runFixture('test/fixtures/field-dialect-option.ts', { ...SQL_ENV, RS_SEGMENT_HOST: host }, ['batch'], 60_000),
  },
];

async function sentThrough(path: Path): Promise<Sent[]> {
  const receiver = await startReceiver({ writeKey: KEY });
  try {
    const result = await path.run(receiver.url);
    assert.equal(result.code, 0, `${path.name}: ${result.stderr}`);
    return sentOf(receiver.messages);
  } finally {
    await receiver.close();
  }
}

test("MySQL queries with \\' arrive anonymized as `anonymize --dialect mysql` shows them, three queries three query_ids, on every path that knows the dialect", async () => {
  const [expected, ...perPath] = await Promise.all([
    Promise.all(MYSQL_QUERIES.map((sql) => cli('mysql', sql))),
    ...MYSQL_PATHS.map((path) => sentThrough(path)),
  ]);
  assert.ok(expected !== undefined);
  // The reference itself: the CLI reads them in the MySQL dialect, so none is the redaction.
  assert.ok(
    expected.every((e) => e.proxied_query !== REDACTED_SQL && e.query_id === hashOf(e.proxied_query)),
    JSON.stringify(expected),
  );
  const failures: string[] = [];
  const idsByText = new Map<string, Set<string>>();
  MYSQL_PATHS.forEach((path, i) => {
    const sent = perPath[i] as Sent[];
    for (const s of sent) idsByText.set(s.proxied_query, (idsByText.get(s.proxied_query) ?? new Set()).add(s.query_id));
    try {
      assert.equal(sent.length, 3, 'none deduplicated away');
      assert.ok(
        sent.every((s) => s.proxied_query !== REDACTED_SQL),
        'anonymized, not redacted',
      );
      assert.equal(new Set(sent.map((s) => s.query_id)).size, 3, 'three query_ids');
      for (const s of sent)
        assert.equal(s.query_id, hashOf(s.proxied_query), `query_id is the hash of the sent text ${s.proxied_query}`);
      assert.deepEqual(
        [...sent].sort((a, b) => a.proxied_query.localeCompare(b.proxied_query)),
        [...expected].sort((a, b) => a.proxied_query.localeCompare(b.proxied_query)),
        'the same text and query_id as the CLI',
      );
    } catch (error) {
      failures.push(`${path.name}: ${(error as Error).message.slice(0, 900)}`);
    }
  });
  for (const [text, ids] of idsByText)
    if (ids.size !== 1) failures.push(`one sent text, several query_ids: ${text} → ${[...ids].join(', ')}`);
  assert.deepEqual(failures, []);
});

/** Read differently by each dialect: a string literal in MySQL, an identifier in PostgreSQL. */
const DOUBLE_QUOTED = 'SELECT "name" FROM users WHERE id = 1';

test("the event's db_backend wins over the resource's, the resource's over nothing (strict): each sent as the CLI shows it", async () => {
  const runs: { path: Path; cliArgs: string[] }[] = [
    {
      path: {
        name: 'event postgres, resource mysql',
        run: underRegister({
          FIELD_SQL: JSON.stringify([DOUBLE_QUOTED]),
          OTEL_RESOURCE_ATTRIBUTES: 'readyset.db_backend=mysql',
          FIELD_DB_BACKEND: 'postgres',
        }),
      },
      cliArgs: ['--dialect', 'postgres'],
    },
    {
      path: {
        name: 'event mysql, resource postgres',
        run: underRegister({
          FIELD_SQL: JSON.stringify([DOUBLE_QUOTED]),
          OTEL_RESOURCE_ATTRIBUTES: 'readyset.db_backend=postgres',
          FIELD_DB_BACKEND: 'mysql',
        }),
      },
      cliArgs: ['--dialect', 'mysql'],
    },
    {
      path: {
        name: 'resource mysql',
        run: underRegister({
          FIELD_SQL: JSON.stringify([DOUBLE_QUOTED]),
          OTEL_RESOURCE_ATTRIBUTES: 'readyset.db_backend=mysql',
        }),
      },
      cliArgs: ['--dialect', 'mysql'],
    },
    {
      path: { name: 'no dialect anywhere', run: underRegister({ FIELD_SQL: JSON.stringify([DOUBLE_QUOTED]) }) },
      cliArgs: [],
    },
  ];
  const results = await Promise.all(
    runs.map(async ({ path, cliArgs }) => {
      const [sent, reference] = await Promise.all([sentThrough(path), cliWith(cliArgs, DOUBLE_QUOTED)]);
      return { name: path.name, sent, reference };
    }),
  );
  const failures: string[] = [];
  for (const { name, sent, reference } of results) {
    try {
      assert.deepEqual(sent, [reference]);
      assert.equal(reference.query_id, hashOf(reference.proxied_query));
    } catch (error) {
      failures.push(`${name}: ${(error as Error).message.slice(0, 600)}`);
    }
  }
  // The two dialects really differ on this text, so the cases above tell the decisions apart.
  assert.notEqual(results[0]?.reference.proxied_query, results[1]?.reference.proxied_query);
  assert.deepEqual(failures, []);
});

test('an exporter beside Segment (console) sees the same anonymized text and query_id as Segment, never the raw SQL', async () => {
  const raw = "SELECT secret_col FROM users WHERE name = 'O\\'Brien'";
  const receiver = await startReceiver({ writeKey: KEY });
  try {
    const child = startChild([...REGISTER_FROM_SOURCE, 'test/fixtures/field-register-app.ts', 'sql'], {
      RS_SEGMENT_HOST: receiver.url,
      RS_SEGMENT_WRITE_KEY: KEY,
      OTEL_TRACES_EXPORTER: 'segment,console',
      OTEL_RESOURCE_ATTRIBUTES: 'readyset.db_backend=mysql',
      FIELD_SQL: JSON.stringify([raw]),
    });
    const timer = setTimeout(() => child.process.kill('SIGKILL'), 60_000);
    const result = await child.result.finally(() => clearTimeout(timer));
    assert.equal(result.code, 0, result.stderr);
    const [sent] = sentOf(receiver.messages);
    assert.ok(sent !== undefined && sent.proxied_query !== REDACTED_SQL, JSON.stringify(receiver.messages));
    assert.ok(result.stdout.includes(sent.proxied_query), `console shows the sent text\n${result.stdout}`);
    assert.ok(result.stdout.includes(sent.query_id), 'and its query_id');
    assert.doesNotMatch(result.stdout + result.stderr, /secret_col|Brien/, 'no raw SQL anywhere');
  } finally {
    await receiver.close();
  }
});
