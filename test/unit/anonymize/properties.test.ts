import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { anonymizeSql, REDACTED_SQL, type SqlDialect } from '../../../src/anonymize/index.js';
import * as positions from '../../../src/anonymize/keywords/positions.js';

const DIALECTS: readonly SqlDialect[] = ['mysql', 'postgres', 'strict'];
/** Runs per property; set ANONYMIZE_PROPERTY_RUNS for a deeper search. */
const NUM_RUNS = Number(process.env['ANONYMIZE_PROPERTY_RUNS'] ?? 600);

// ---------------------------------------------------------------------------
// SQL-like inputs with secrets in every place a secret can hide

const SECRET_MARK = 'S3CR3T';

/** A secret: the mark plus a random alphanumeric suffix. */
const secretArb = fc
  .string({
    unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'),
    minLength: 1,
    maxLength: 8,
  })
  .map((suffix) => SECRET_MARK + suffix);

/** Harmless text around a secret inside a quoted or commented fragment. */
const fillerArb = fc.string({ unit: fc.constantFrom(...'abc xyz012_.,'), maxLength: 6 });

/**
 * Fragments carrying a secret. The bare ones (name, user variable,
 * digit-led name) start with a space: `:name` placeholders and MySQL
 * `@@system` variables are kept verbatim by design, so a name glued to `:`
 * or `@@` is not data.
 */
const secretFragmentArb = fc
  .tuple(
    secretArb,
    fillerArb,
    fillerArb,
    fc.constantFrom(
      'single',
      'double',
      'backtick',
      'bare',
      'dash',
      'hash',
      'block',
      'dollar',
      'tagged',
      'estring',
      'nstring',
      'ustring',
      'uservar',
      'number',
    ),
  )
  .map(([secret, a, b, kind]) => {
    const body = `${a}${secret}${b}`;
    switch (kind) {
      case 'single':
        return `'${body}'`;
      case 'double':
        return `"${body}"`;
      case 'backtick':
        return `\`${body}\``;
      case 'bare':
        return ` ${secret} `;
      case 'dash':
        return `-- ${body}\n`;
      case 'hash':
        return `# ${body}\n`;
      case 'block':
        return `/* ${body} */`;
      case 'dollar':
        return `$$${body}$$`;
      case 'tagged':
        return `$q$ ${body} $q$`;
      case 'estring':
        return `E'${body}\\''`;
      case 'nstring':
        return `N'${body}'`;
      case 'ustring':
        return `U&'${body}'`;
      case 'uservar':
        return ` @${secret} `;
      default:
        return ` 1${secret}`;
    }
  });

const keywordArb = fc.constantFrom(
  'SELECT',
  'FROM',
  'WHERE',
  'AND',
  'OR',
  'NOT',
  'INSERT INTO',
  'VALUES',
  'UPDATE',
  'SET',
  'DELETE',
  'NULL',
  'TRUE',
  'JOIN',
  'ON',
  'GROUP BY',
  'ORDER BY',
  'LIMIT',
  'CREATE TABLE',
  'DEFAULT',
  'count',
  'now()',
);

/** Punctuation, including every char that opens or closes something. */
const punctuationArb = fc.constantFrom(
  ',',
  '(',
  ')',
  '=',
  '<',
  '>',
  '.',
  '*',
  '+',
  '-',
  '/',
  ';',
  '::',
  '?',
  '$1',
  ':p',
  '@',
  '@@',
  '#',
  '|',
  '%',
  '&',
  '!',
  '~',
  '^',
  '[',
  ']',
  '{',
  '}',
  '\\',
  "'",
  '"',
  '`',
  '$',
  '$$',
  '/*',
  '*/',
  '--',
  "''",
);

const whitespaceArb = fc.constantFrom(' ', '  ', '\n', '\t', '\r\n', '');

const numberArb = fc.oneof(
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.nat().map((n) => '0x' + n.toString(16)),
  fc.constantFrom('.5', '1e10', '1.5E-3', '0b101', '3.'),
);

const fragmentArb = fc.oneof(
  { arbitrary: secretFragmentArb, weight: 3 },
  { arbitrary: keywordArb, weight: 3 },
  { arbitrary: punctuationArb, weight: 2 },
  { arbitrary: whitespaceArb, weight: 2 },
  { arbitrary: numberArb, weight: 1 },
);

const sqlLikeArb = fc.array(fragmentArb, { maxLength: 30 }).map((parts) => parts.join(''));

function assertNoSecret(out: string, input: string, dialect: SqlDialect): void {
  if (out.toLowerCase().includes(SECRET_MARK.toLowerCase())) {
    assert.fail(`secret leaked (${dialect})\ninput:  ${JSON.stringify(input)}\noutput: ${JSON.stringify(out)}`);
  }
}

describe('anonymizeSql properties: SQL-like inputs with secrets', () => {
  for (const dialect of DIALECTS) {
    it(`${dialect}: no secret survives, idempotent, never throws`, () => {
      fc.assert(
        fc.property(sqlLikeArb, (input) => {
          const out = anonymizeSql(input, { dialect });
          assertNoSecret(out, input, dialect);
          assert.equal(anonymizeSql(out, { dialect }), out, `not idempotent for ${JSON.stringify(input)}`);
        }),
        { numRuns: NUM_RUNS },
      );
    });
  }

  it('the output is ASCII and has no whitespace runs or ends', () => {
    fc.assert(
      fc.property(sqlLikeArb, fc.constantFrom(...DIALECTS), (input, dialect) => {
        const out = anonymizeSql(input, { dialect });
        for (let i = 0; i < out.length; i++)
          assert.ok(out.charCodeAt(i) < 128, `non-ASCII output ${JSON.stringify(out)}`);
        assert.ok(!/\s\s|^\s|\s$|[\t\n\r]/.test(out), `whitespace not collapsed: ${JSON.stringify(out)}`);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

// ---------------------------------------------------------------------------
// Arbitrary strings

/**
 * A secret whose every 6-char window mixes letters rare in SQL key words
 * with digits, so no window can show up in the output by coincidence.
 */
const windowSecretArb = fc
  .array(fc.tuple(fc.constantFrom(...'QXZJKVW'), fc.constantFrom(...'0123456789')), { minLength: 4, maxLength: 8 })
  .map((pairs) => pairs.map(([l, d]) => l + d).join(''));

/** Strings over the characters that matter to a SQL lexer. */
const sqlCharsArb = fc.string({
  unit: fc.constantFrom(...`'"\`$\\/*-#@:?;.,()= \n\tEeNnXxUu&_0123456789abcSELECT`),
  maxLength: 60,
});

const anyStringArb = fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 80 }), sqlCharsArb);

function windows(secret: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i + size <= secret.length; i++) out.push(secret.slice(i, i + size));
  return out;
}

describe('anonymizeSql properties: arbitrary strings', () => {
  for (const dialect of DIALECTS) {
    it(`${dialect}: never throws, idempotent`, () => {
      fc.assert(
        fc.property(anyStringArb, (input) => {
          const out = anonymizeSql(input, { dialect });
          assert.equal(typeof out, 'string');
          assert.equal(anonymizeSql(out, { dialect }), out, `not idempotent for ${JSON.stringify(input)}`);
        }),
        { numRuns: NUM_RUNS },
      );
    });

    it(`${dialect}: a secret in a literal never shows, whatever surrounds it`, () => {
      fc.assert(
        fc.property(anyStringArb, windowSecretArb, anyStringArb, (before, secret, after) => {
          const input = `${before}'${secret}'${after}`;
          const out = anonymizeSql(input, { dialect });
          for (const w of windows(secret, 6)) {
            if (out.includes(w)) {
              assert.fail(
                `window ${w} of the secret leaked\ninput:  ${JSON.stringify(input)}\noutput: ${JSON.stringify(out)}`,
              );
            }
          }
          assert.equal(anonymizeSql(out, { dialect }), out);
        }),
        { numRuns: NUM_RUNS },
      );
    });
  }

  it('REDACTED_SQL is a fixed point and contains nothing of the input', () => {
    fc.assert(
      fc.property(windowSecretArb, fc.constantFrom(...DIALECTS), (secret, dialect) => {
        const out = anonymizeSql(`SELECT '${secret}`, { dialect });
        assert.equal(out, REDACTED_SQL);
        assert.equal(anonymizeSql(out, { dialect }), REDACTED_SQL);
      }),
      { numRuns: 100 },
    );
  });
});

// ---------------------------------------------------------------------------
// Termination on a large input (no timing assertion)

describe('anonymizeSql on 1 MB', () => {
  it('returns a string for a 1 MB input in every dialect', () => {
    const statement =
      'SELECT u.id, u.email, count(o.id) AS n FROM users u JOIN orders o ON o.user_id = u.id ' +
      "WHERE u.country = 'DE' AND o.total > 10.5 /* hot path */ GROUP BY u.id ORDER BY n DESC LIMIT 20;\n";
    const big = statement.repeat(Math.ceil((1 << 20) / statement.length));
    assert.ok(big.length >= 1 << 20);
    for (const dialect of DIALECTS) {
      const out = anonymizeSql(big, { dialect });
      assert.equal(typeof out, 'string');
    }
  });

  it('returns a string for a 1 MB single statement with many distinct names', () => {
    const parts: string[] = [];
    let size = 0;
    for (let i = 0; size < 1 << 20; i++) {
      const p = `col_${i} = ${i} AND `;
      parts.push(p);
      size += p.length;
    }
    const big = `SELECT * FROM t WHERE ${parts.join('')}TRUE`;
    assert.equal(typeof anonymizeSql(big, { dialect: 'postgres' }), 'string');
  });

  it('returns for 1 MB of near-miss dollar-quote tags', () => {
    const tag = 'a'.repeat(50_000);
    const big = `SELECT $${tag}$` + `$${tag.slice(1)}b`.repeat(20) + `$${tag}$`;
    assert.equal(anonymizeSql(big, { dialect: 'postgres' }), "SELECT '<anonymized>'");
    assert.equal(anonymizeSql(big.slice(0, -1), { dialect: 'postgres' }), REDACTED_SQL);
  });
});

// ---------------------------------------------------------------------------
// Key word soup: every word whose keeping depends on its neighbours

/** Words of every position role (keywords/positions.ts) and a few others, next to every kind of token. */
const soupWordArb = fc.constantFrom(
  ...new Set([
    ...Object.values(positions)
      .filter((v): v is readonly string[] => Array.isArray(v))
      .flat(),
    ...['count', 'now', 'date', 'jsonb', 'users', 'name', 'key', 'user', 'ctid', 'select', 'from', 'as', 'x'],
  ]),
);
const soupPunctArb = fc.constantFrom(
  ',',
  '(',
  ')',
  '.',
  '=',
  '::',
  ';',
  '[',
  ']',
  ':',
  ':p',
  '*',
  '-',
  '+',
  '<',
  '?',
  '$1',
  "'s'",
  '1',
  '2.5',
  '.5',
  '"q"',
  '`b`',
  '@v',
  '@@g',
  '/*c*/',
  '-- c\n',
  '#h\n',
  "E'x'",
  "N'y'",
  '$$d$$',
);
const soupArb = fc
  .array(
    fc.tuple(fc.oneof({ arbitrary: soupWordArb, weight: 3 }, { arbitrary: soupPunctArb, weight: 2 }), whitespaceArb),
    {
      maxLength: 16,
    },
  )
  .map((parts) => parts.map(([t, w]) => t + w).join(''));

describe('anonymizeSql properties: key word soup', () => {
  for (const dialect of DIALECTS) {
    it(`${dialect}: idempotent whatever stands around each key word`, () => {
      fc.assert(
        fc.property(soupArb, (input) => {
          const out = anonymizeSql(input, { dialect });
          assert.equal(anonymizeSql(out, { dialect }), out, `not idempotent for ${JSON.stringify(input)}`);
        }),
        { numRuns: NUM_RUNS * 3 },
      );
    });
  }
});
