import { dialectSuite } from './suite.js';
import type { Case } from './suite.js';

const L = "'<anonymized>'";

/** [what, input, exact output] for dialect 'postgres'. */
const CASES: readonly Case[] = [
  [
    'array slices: the name after the colon is an identifier, not a placeholder',
    'SELECT arr[1:n], arr[lo:hi] FROM t WHERE a = :name',
    `SELECT anon_id_0[${L}: anon_id_1], anon_id_0[anon_id_2: anon_id_3] FROM anon_id_4 WHERE anon_id_5 = :name`,
  ],
  [
    'point select',
    'SELECT id, email FROM users WHERE id = 42',
    `SELECT anon_id_0, anon_id_1 FROM anon_id_2 WHERE anon_id_0 = ${L}`,
  ],
  [
    '-- comment containing a quote',
    "SELECT a FROM t -- it's a comment\nWHERE b = 1",
    `SELECT anon_id_0 FROM anon_id_1 WHERE anon_id_2 = ${L}`,
  ],
  ['# is an operator, not a comment', 'SELECT a # b FROM t', 'SELECT anon_id_0 # anon_id_1 FROM anon_id_2'],
  ['-- always starts a comment', 'SELECT 5--1\nFROM t', `SELECT ${L} FROM anon_id_0`],
  ['block comments nest', '/* a /* b */ c */ SELECT 1', `SELECT ${L}`],
  [
    'quotes containing comment markers',
    "SELECT 'a -- b', '/* x */', 'it''s' FROM t",
    `SELECT ${L}, ${L}, ${L} FROM anon_id_0`,
  ],
  ["a backslash is literal in a standard string: 'a\\' is complete", "SELECT 'a\\' AS x", `SELECT ${L} AS anon_id_0`],
  ["'a\\', 'b' is two strings", "SELECT 'a\\', 'b'", `SELECT ${L}, ${L}`],
  ["E'' strings take backslash escapes", "SELECT E'it\\'s', e'\\\\', E'a''b'", `SELECT ${L}, ${L}, ${L}`],
  ['dollar quotes', "SELECT $$it's$$, $fn$ BEGIN RETURN 'x'; END $fn$", `SELECT ${L}, ${L}`],
  ['nested dollar quotes', 'SELECT $outer$ SELECT $inner$ x $inner$; $outer$', `SELECT ${L}`],
  [
    'dollar quote bodies with near-miss tags; empty body',
    'SELECT $abc$ $ab $abd$ $$ $ABC$ $abc$, $a$$a$',
    `SELECT ${L}, ${L}`,
  ],
  ['$ inside names is not a dollar quote', 'SELECT a$b$c, $1 FROM t', 'SELECT anon_id_0, $1 FROM anon_id_1'],
  [
    'function body in a dollar quote; ; inside it does not split statements',
    'CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql',
    `CREATE FUNCTION anon_id_0() RETURNS int AS ${L} LANGUAGE sql`,
  ],
  [
    '"quoted identifiers" keep their quoting and compare exactly',
    'SELECT "Id", "id", id, ID FROM "Users"',
    'SELECT "anon_id_0", "anon_id_1", anon_id_1, anon_id_1 FROM "anon_id_2"',
  ],
  [
    'U& strings and identifiers, UESCAPE',
    "SELECT U&'d\\0061t\\+000061', U&'d!0061t' UESCAPE '!', U&\"d\\0061t\"",
    `SELECT ${L}, ${L} UESCAPE ${L}, "anon_id_0"`,
  ],
  ['N / X / B prefixes', "SELECT N'x', X'1F', B'0101', b'1'", `SELECT ${L}, ${L}, ${L}, ${L}`],
  [
    'numbers of every form; a sign stays an operator',
    'SELECT 123, 1.5, .5, 1e10, 1.5E-3, -5, 0x1F, 0o17, 0b101, 1_000_000',
    `SELECT ${L}, ${L}, ${L}, ${L}, ${L}, -${L}, ${L}, ${L}, ${L}, ${L}`,
  ],
  [
    'placeholders, casts and the ? operator are kept',
    "SELECT * FROM t WHERE a = $1 AND b = $2::int AND c = :name AND d ? 'k'",
    `SELECT * FROM anon_id_0 WHERE anon_id_1 = $1 AND anon_id_2 = $2::int AND anon_id_3 = :name AND anon_id_4 ? ${L}`,
  ],
  [
    'numbering restarts at each statement',
    'SELECT a FROM t; SELECT b, a FROM u;',
    'SELECT anon_id_0 FROM anon_id_1; SELECT anon_id_0, anon_id_1 FROM anon_id_2;',
  ],
  [
    'CREATE TABLE with types, DEFAULT and CHECK',
    "CREATE TABLE orders (\n  id bigserial PRIMARY KEY,\n  status text NOT NULL DEFAULT 'new',\n  total numeric(10,2) CHECK (total >= 0),\n  meta jsonb DEFAULT '{}'::jsonb,\n  created_at timestamptz DEFAULT now()\n)",
    `CREATE TABLE anon_id_0 ( anon_id_1 bigserial PRIMARY KEY, anon_id_2 text NOT NULL DEFAULT ${L}, anon_id_3 numeric(0,0) CHECK (anon_id_3 >= ${L}), anon_id_4 jsonb DEFAULT ${L}::jsonb, anon_id_5 timestamptz DEFAULT now() )`,
  ],
  [
    'CREATE VIEW',
    "CREATE VIEW recent_orders AS SELECT id, total FROM orders WHERE created_at > now() - interval '7 days'",
    `CREATE VIEW anon_id_0 AS SELECT anon_id_1, anon_id_2 FROM anon_id_3 WHERE anon_id_4 > now() - interval ${L}`,
  ],
  [
    'INSERT … VALUES … ON CONFLICT … RETURNING',
    "INSERT INTO users (id, email) VALUES (1, 'a@b.c'), (2, 'd@e.f') ON CONFLICT (id) DO UPDATE SET email = EXCLUDED.email RETURNING id",
    `INSERT INTO anon_id_0 (anon_id_1, anon_id_2) VALUES (${L}, ${L}), (${L}, ${L}) ON CONFLICT (anon_id_1) DO UPDATE SET anon_id_2 = anon_id_3.anon_id_2 RETURNING anon_id_1`,
  ],
  [
    'UPDATE … SET … FROM (`at` after a dot is a name, though a key word)',
    "UPDATE users u SET visits = u.visits + 1 FROM logins l WHERE l.user_id = u.id AND l.at > '2024-01-01'",
    `UPDATE anon_id_0 anon_id_1 SET anon_id_2 = anon_id_1.anon_id_2 + ${L} FROM anon_id_3 anon_id_4 WHERE anon_id_4.anon_id_5 = anon_id_1.anon_id_6 AND anon_id_4.anon_id_7 > ${L}`,
  ],
  [
    'SELECT with JOIN / GROUP BY / ORDER BY / LIMIT',
    'SELECT u.id, count(o.id) AS n FROM users u JOIN orders o ON o.user_id = u.id GROUP BY u.id ORDER BY n DESC LIMIT 10 OFFSET 20',
    `SELECT anon_id_0.anon_id_1, count(anon_id_2.anon_id_1) AS anon_id_3 FROM anon_id_4 anon_id_0 JOIN anon_id_5 anon_id_2 ON anon_id_2.anon_id_6 = anon_id_0.anon_id_1 GROUP BY anon_id_0.anon_id_1 ORDER BY anon_id_3 DESC LIMIT ${L} OFFSET ${L}`,
  ],
  [
    '"x" is an identifier in Postgres, \'x\' a literal',
    `SELECT "x" FROM t WHERE y = 'x'`,
    `SELECT "anon_id_0" FROM anon_id_1 WHERE anon_id_2 = ${L}`,
  ],
  ['unicode identifiers', 'SELECT käse, 用户 FROM 表', 'SELECT anon_id_0, anon_id_1 FROM anon_id_2'],
  [
    'typed literals keep their key word',
    "SELECT DATE '2024-01-01', TIMESTAMP WITH TIME ZONE '2024-01-01 00:00:00+00', INTERVAL '1 day'",
    `SELECT DATE ${L}, TIMESTAMP WITH TIME ZONE ${L}, INTERVAL ${L}`,
  ],
  [
    '@ and @@ are operators',
    "SELECT @ -5, tsv @@ plainto_tsquery('x') FROM docs",
    `SELECT @ -${L}, anon_id_0 @@ anon_id_1(${L}) FROM anon_id_2`,
  ],
  [
    'key words standing where only a name can stand are names',
    'SELECT name, value, data, key FROM settings',
    'SELECT anon_id_0, anon_id_1, anon_id_2, anon_id_3 FROM anon_id_4',
  ],
  [
    'type and function names standing as names are names; as types and functions they are kept',
    "SELECT c AS cidr, date, count, random, count(*), date '2024-01-01', x::date FROM t upper",
    `SELECT anon_id_0 AS anon_id_1, anon_id_2, anon_id_3, anon_id_4, count(*), date ${L}, anon_id_5::date FROM anon_id_6 anon_id_7`,
  ],
  ['a column definition named like a function', 'create table c1(age int)', 'create table anon_id_0(anon_id_1 int)'],
  [
    'partitioning and role-option words are kept where they stand as such',
    'CREATE TABLE t (id int, list text) PARTITION BY LIST (list); CREATE ROLE r LOGIN NOSUPERUSER CONNECTION LIMIT 3',
    'CREATE TABLE anon_id_0 (anon_id_1 int, anon_id_2 text) PARTITION BY LIST (anon_id_2); CREATE ROLE anon_id_0 LOGIN NOSUPERUSER CONNECTION LIMIT 0',
  ],
  [
    'where the grammar needs a bare integer, a number becomes a fixed 0',
    'CREATE TABLE p1 PARTITION OF p FOR VALUES WITH (MODULUS 4, REMAINDER 1); FETCH 5 FROM c; SELECT x::varchar(255), CAST(y AS char(2)) FROM t',
    'CREATE TABLE anon_id_0 PARTITION OF anon_id_1 FOR VALUES WITH (MODULUS 0, REMAINDER 0); FETCH 0 FROM anon_id_0; SELECT anon_id_0::varchar(0), CAST(anon_id_1 AS char(0)) FROM anon_id_2',
  ],
  [
    'key words in key word positions are kept',
    'SELECT DISTINCT ON (a) a FROM t ORDER BY a NULLS FIRST, b DESC FOR UPDATE SKIP LOCKED',
    'SELECT DISTINCT ON (anon_id_0) anon_id_0 FROM anon_id_1 ORDER BY anon_id_0 NULLS FIRST, anon_id_2 DESC FOR UPDATE SKIP LOCKED',
  ],
  [
    'JSON and array operators',
    "SELECT data->>'k', arr[1:2], j #> '{a,b}' FROM t",
    `SELECT anon_id_0->>${L}, anon_id_1[${L}:${L}], anon_id_2 #> ${L} FROM anon_id_3`,
  ],
  ['key words keep their spelling', 'select Count(*) From t', 'select Count(*) From anon_id_0'],
  ['NULL, TRUE, FALSE', 'SELECT NULL, TRUE, FALSE', 'SELECT NULL, TRUE, FALSE'],
  ['whitespace collapses, ends are trimmed', '\n  SELECT\t*\r\n FROM   t ;  ', 'SELECT * FROM anon_id_0 ;'],
];

const UNTERMINATED: readonly string[] = [
  "SELECT 'abc",
  'SELECT "abc',
  'SELECT $$abc',
  'SELECT $a$ x $b$',
  'SELECT $a$ x $A$', // tags are case-sensitive
  'SELECT 1 /* x',
  '/* a /* b */ SELECT 1', // nested: one */ is missing
  "SELECT E'\\'",
  "SELECT U&'x",
  "SELECT 'ok' FROM t WHERE a = 'secret",
];

dialectSuite('postgres', CASES, UNTERMINATED);
