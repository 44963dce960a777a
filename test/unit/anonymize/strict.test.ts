import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { anonymizeSql, REDACTED_SQL, type AnonymizeOptions, type SqlDialect } from '../../../src/anonymize/index.js';

const L = "'<anonymized>'";

/** [what, input, exact output] for dialect 'strict' (the default). */
const CASES: ReadonlyArray<readonly [string, string, string]> = [
  ['every quoted form is anonymized', 'SELECT "x", `y`, \'z\'', `SELECT "anon_id_0", \`anon_id_1\`, ${L}`],
  ['backslashes that both dialects read alike', "SELECT 'C:\\\\dir', 'a\\nb'", `SELECT ${L}, ${L}`],
  ['all comment forms are removed', 'SELECT a # c\nFROM t --x\n/* y */', 'SELECT anon_id_0 FROM anon_id_1'],
  ['block comments nest', '/* a /* b */ c */ SELECT 1', `SELECT ${L}`],
  ["dollar quotes, E'' and N'' strings", "SELECT $$x$$, E'\\'', N'x'", `SELECT ${L}, ${L}, ${L}`],
  ['charset introducers', "SELECT _utf8mb4'x', a FROM t", `SELECT ${L}, anon_id_0 FROM anon_id_1`],
  ['@ names are ordinary names', 'SELECT @@session.sql_mode, @x', 'SELECT @@anon_id_0.anon_id_1, @anon_id_2'],
  [
    'key words of both dialects are kept where they stand as key words',
    "CREATE TABLE t (id INT AUTO_INCREMENT); SELECT a::jsonb, NOW() FROM t WHERE b ILIKE 'x'",
    `CREATE TABLE anon_id_0 (anon_id_1 INT AUTO_INCREMENT); SELECT anon_id_0::jsonb, NOW() FROM anon_id_1 WHERE anon_id_2 ILIKE ${L}`,
  ],
];

/** Inputs strict mode must redact: unterminated, or read differently by MySQL and Postgres. */
const REDACTED: readonly string[] = [
  "SELECT 'it\\'s'", // MySQL: one string; Postgres: 'it\' then s'…
  'SELECT "a\\"b"',
  "SELECT 'abc",
  'SELECT `abc',
  'SELECT $$abc',
  '/* a /* b */ SELECT 1',
];

describe('anonymizeSql, strict dialect', () => {
  for (const [what, input, expected] of CASES) {
    it(what, () => {
      const out = anonymizeSql(input, { dialect: 'strict' });
      assert.equal(out, expected);
      assert.equal(anonymizeSql(out, { dialect: 'strict' }), out, 'idempotent');
    });
  }

  for (const input of REDACTED) {
    it(`fails closed: ${JSON.stringify(input)}`, () => {
      assert.equal(anonymizeSql(input, { dialect: 'strict' }), REDACTED_SQL);
    });
  }

  it('is the default dialect', () => {
    const q = 'SELECT "a", `b` FROM t WHERE c = \'x\' # note';
    assert.equal(anonymizeSql(q), anonymizeSql(q, { dialect: 'strict' }));
    assert.equal(anonymizeSql(q, {}), anonymizeSql(q, { dialect: 'strict' }));
  });

  it('an unknown dialect name falls back to strict', () => {
    const q = "SELECT 'it\\'s'";
    for (const name of ['oracle', 'constructor', '__proto__', 'toString']) {
      assert.equal(anonymizeSql(q, { dialect: name as SqlDialect }), REDACTED_SQL, name);
    }
    assert.equal(anonymizeSql('SELECT 1', 'mysql' as unknown as AnonymizeOptions), "SELECT '<anonymized>'");
    assert.equal(anonymizeSql('SELECT 1', null as unknown as AnonymizeOptions), "SELECT '<anonymized>'");
  });
});

describe('anonymizeSql, API edges', () => {
  it('REDACTED_SQL maps to itself in every dialect', () => {
    for (const dialect of ['mysql', 'postgres', 'strict'] as const) {
      assert.equal(anonymizeSql(REDACTED_SQL, { dialect }), REDACTED_SQL);
    }
  });

  it('a non-string value (from untyped callers) is redacted, not thrown on', () => {
    assert.equal(anonymizeSql(undefined as unknown as string), REDACTED_SQL);
    assert.equal(anonymizeSql(42 as unknown as string), REDACTED_SQL);
  });

  it('numbers identifiers past 9 and keeps them stable', () => {
    const cols = Array.from({ length: 25 }, (_, i) => `c${i}`).join(', ');
    const out = anonymizeSql(`SELECT ${cols} FROM t`, { dialect: 'postgres' });
    const expected = Array.from({ length: 25 }, (_, i) => `anon_id_${i}`).join(', ');
    assert.equal(out, `SELECT ${expected} FROM anon_id_25`);
    assert.equal(anonymizeSql(out, { dialect: 'postgres' }), out);
  });

  it('handles output much longer than the input', () => {
    const q = 'SELECT ' + Array.from({ length: 20_000 }, () => '1').join(',');
    const out = anonymizeSql(q, { dialect: 'mysql' });
    assert.equal(out, 'SELECT ' + Array.from({ length: 20_000 }, () => L).join(','));
  });
});
