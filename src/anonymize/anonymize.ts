/**
 * The anonymizer's entry and contract: anonymizeSql(sql, { dialect }).
 *
 * Token-level SQL anonymizer: names become `anon_id_N`, literals become
 * `'<anonymized>'`, comments are dropped; key words in key word positions,
 * operators, punctuation and placeholders are kept. Works on any input,
 * parseable or not, and fails closed on unterminated quotes/comments. The
 * work is split by role: lexer.ts finds tokens, rewriter.ts decides and
 * writes each one, output.ts holds the buffers, dialects.ts and keywords/
 * the per-dialect rules and tables.
 *
 * Output rules that make the function idempotent:
 * - names are numbered per statement in order of first appearance, so a
 *   second pass meets `anon_id_0`, `anon_id_1`, ... in that same order and
 *   maps each to itself;
 * - `'<anonymized>'` is a literal and maps to itself, and a fixed `0` (see
 *   rewriter.ts) stands where a second pass writes a fixed `0` again;
 * - whether a key word is kept depends only on the tokens around it as they
 *   are written out (see rewriter.ts);
 * - whitespace runs and comments collapse to one space, so tokens never
 *   merge; a space is also put between two literals that touched
 *   (`1'a'` → `'<anonymized>' '<anonymized>'`), since `''` would otherwise
 *   read back as an escaped quote, and between two `-` (MySQL's `5--1`
 *   becomes `'<anonymized>'- -'<anonymized>'`), since `--` followed by a
 *   space would read back as a comment, and between `:` / `@@` and a name
 *   that touched them (MySQL `:$a` → `: anon_id_0`, not the placeholder
 *   `:anon_id_0`);
 * - REDACTED_SQL maps to itself.
 */
import { DIALECTS, type SqlDialect } from './dialects.js';
import { Rewriter } from './rewriter.js';

export type { SqlDialect } from './dialects.js';

export interface AnonymizeOptions {
  /** Defaults to 'strict', for input whose dialect is unknown. */
  dialect?: SqlDialect;
}

/**
 * Returned instead of an anonymized query when the input cannot be split
 * into tokens safely (unterminated quote, dollar quote or block comment; in
 * strict mode, a quoted token whose end the dialects disagree on). Nothing of
 * the input survives. anonymizeSql(REDACTED_SQL) === REDACTED_SQL.
 */
export const REDACTED_SQL = '<redacted: unterminated or ambiguous SQL>';

/**
 * Anonymize one SQL string (one or more statements), for telemetry.
 *
 * - Key words (the dialect's key word table, see keywords/), built-in type
 *   names and a modest list of common built-in functions are kept as
 *   written where they stand as such; where one stands in a name's place
 *   (`t.name`, `SELECT key, role FROM`, `AS cidr`, a function name without
 *   `(`) it is a name like any other. Every other bare word, and every
 *   quoted identifier, becomes `anon_id_N` (quoting kept: `"anon_id_0"`,
 *   `` `anon_id_0` ``). See rewriter.ts for the positions.
 * - Numbering restarts after every top-level `;`. Bare names compare
 *   case-insensitively (ASCII case folding, as PostgreSQL does), quoted
 *   names exactly, in one shared space: `users`, `USERS` and `"users"` share
 *   a number, `"Users"` gets another.
 * - Every literal (strings of every form and prefix, numbers, dollar-quoted
 *   bodies, bit/hex strings, `_charset'…'`) becomes `'<anonymized>'`, except
 *   a bare number where the grammar needs an integer (`varchar(255)`,
 *   `FETCH 5`, `INCREMENT BY 2`), which becomes a fixed `0`. A sign is an
 *   operator and stays: `-5` → `-'<anonymized>'`. Typed literals keep their
 *   key word: `DATE '<anonymized>'`.
 * - Comments are dropped; whitespace runs become one space; the result is
 *   trimmed and always ASCII.
 * - Kept verbatim: operators, punctuation, `?`, `$1`, `:name` placeholders
 *   ([A-Za-z0-9_] names; inside `[...]` a `:name` is a slice bound, and the
 *   name is anonymized), and MySQL system variables `@@[scope.]name`
 *   (server settings, not user data). MySQL user variables are names:
 *   `@total` → `@anon_id_N` (numbered in the same sequence as other names,
 *   never sharing a number with a column).
 * - Fails closed: an unterminated quote, dollar quote or block comment (and,
 *   in strict mode, a quoted token MySQL and PostgreSQL would end at
 *   different places) yields REDACTED_SQL, nothing of the input.
 * - Idempotent: anonymizeSql(anonymizeSql(x, o), o) === anonymizeSql(x, o).
 *
 * Never throws; a non-string `sql` yields REDACTED_SQL, an unknown dialect
 * name is treated as 'strict'.
 */
export function anonymizeSql(sql: string, options?: AnonymizeOptions): string {
  if (typeof sql !== 'string') return REDACTED_SQL;
  if (sql === REDACTED_SQL) return REDACTED_SQL;
  const dialect = options?.dialect;
  const rewriter = dialect === 'postgres' ? POSTGRES : dialect === 'mysql' ? MYSQL : STRICT;
  return rewriter.run(sql) ?? REDACTED_SQL;
}

const MYSQL = new Rewriter(DIALECTS.mysql);
const POSTGRES = new Rewriter(DIALECTS.postgres);
const STRICT = new Rewriter(DIALECTS.strict);
