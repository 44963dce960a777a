/**
 * Token-level SQL anonymizer: identifiers become `anon_id_N`, literals
 * become `'<anonymized>'`, comments are dropped, everything else (key
 * words, operators, punctuation, placeholders) is kept. Works on any input,
 * parseable or not, and fails closed on unterminated quotes/comments.
 *
 * Output rules that make the function idempotent:
 * - identifiers are numbered per statement in order of first appearance, so
 *   a second pass meets `anon_id_0`, `anon_id_1`, ... in that same order and
 *   maps each to itself;
 * - `'<anonymized>'` is a literal and maps to itself;
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
import { DIALECTS, type DialectSpec, type SqlDialect } from './dialects.js';
import { decodeOutput, growOutput, loadCodes, outputBuffer } from './buffers.js';
import {
  SqlLexer,
  SPACE_NONE,
  TOK_END,
  TOK_ERROR,
  TOK_GLUE,
  TOK_LITERAL,
  TOK_QUOTED_IDENT,
  TOK_SEMICOLON,
  TOK_USER_VAR,
  TOK_VERBATIM,
  TOK_WORD,
} from './lexer.js';
import { hashQuoted, hashVariable, NAME_BARE, NAME_QUOTED, NAME_VARIABLE, NameTable } from './nametable.js';
import type { FoldedWordSet } from './wordset.js';

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

/** The replacement for every literal. */
export const ANONYMIZED_LITERAL = "'<anonymized>'";

/** Writes ANONYMIZED_LITERAL at out[at] (unrolled); returns the new end. */
function writeLiteral(out: Buffer, at: number): number {
  out[at] = 39; // '
  out[at + 1] = 60; // <
  out[at + 2] = 97; // a
  out[at + 3] = 110; // n
  out[at + 4] = 111; // o
  out[at + 5] = 110; // n
  out[at + 6] = 121; // y
  out[at + 7] = 109; // m
  out[at + 8] = 105; // i
  out[at + 9] = 122; // z
  out[at + 10] = 101; // e
  out[at + 11] = 100; // d
  out[at + 12] = 62; // >
  out[at + 13] = 39; // '
  return at + 14;
}

/** Longest replacement: `"anon_id_` + 10 digits + `"`, with a space before. */
const MAX_REPLACEMENT = 32;

const C_SPACE = 32;
const C_MINUS = 45;
const C_DQUOTE = 34;
const C_SQUOTE = 39;
const C_AT = 64;
const C_SEMI = 59;
const C_BACKTICK = 96;

/** Writes `anon_id_<n>` at out[at]; returns the new end (-1 when n < 0). */
function writeName(out: Buffer, at: number, n: number): number {
  if (n < 0) return -1;
  // "anon_id_", unrolled.
  out[at] = 97;
  out[at + 1] = 110;
  out[at + 2] = 111;
  out[at + 3] = 110;
  out[at + 4] = 95;
  out[at + 5] = 105;
  out[at + 6] = 100;
  out[at + 7] = 95;
  at += 8;
  if (n < 10) {
    out[at] = 48 + n;
    return at + 1;
  }
  if (n < 100) {
    const tens = (n / 10) | 0;
    out[at] = 48 + tens;
    out[at + 1] = 48 + n - tens * 10;
    return at + 2;
  }
  let digits = 1;
  for (let m = n; m >= 10; m = Math.floor(m / 10)) digits++;
  for (let k = digits - 1, m = n; k >= 0; k--, m = Math.floor(m / 10)) out[at + k] = 48 + (m % 10);
  return at + digits;
}

/**
 * Anonymize one SQL string (one or more statements), for telemetry.
 *
 * - Bare words in the dialect's key word table (see keywords/), built-in
 *   type names and a modest list of common built-in functions are kept as
 *   written; every other bare word, and every quoted identifier, becomes
 *   `anon_id_N` (quoting kept: `"anon_id_0"`, `` `anon_id_0` ``).
 * - Numbering restarts after every top-level `;`. Bare names compare
 *   case-insensitively (ASCII case folding, as PostgreSQL does), quoted
 *   names exactly, in one shared space: `users`, `USERS` and `"users"` share
 *   a number, `"Users"` gets another.
 * - Every literal (strings of every form and prefix, numbers, dollar-quoted
 *   bodies, bit/hex strings, `_charset'…'`) becomes `'<anonymized>'`. A sign
 *   is an operator and stays: `-5` → `-'<anonymized>'`. Typed literals keep
 *   their key word: `DATE '<anonymized>'`.
 * - Comments are dropped; whitespace runs become one space; the result is
 *   trimmed and always ASCII.
 * - Kept verbatim: operators, punctuation, `?`, `$1`, `:name` placeholders
 *   ([A-Za-z0-9_] names), and MySQL system variables `@@[scope.]name`
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
  const state = dialect === 'postgres' ? POSTGRES : dialect === 'mysql' ? MYSQL : STRICT;
  return state.run(sql);
}

/**
 * The rewrite state of one dialect. Reused across calls (anonymizeSql never
 * re-enters itself), so a call allocates nothing but its output.
 */
class Rewriter {
  private readonly kept: FoldedWordSet;
  private readonly lexer: SqlLexer;
  private readonly names = new NameTable();
  /** The output buffer of the current call (replaced when it grows). */
  private out: Buffer = outputBuffer(0);

  constructor(spec: DialectSpec) {
    this.kept = spec.kept;
    this.lexer = new SqlLexer(spec.rules);
  }

  run(sql: string): string {
    const codes = loadCodes(sql);
    this.lexer.reset(codes, sql.length);
    this.names.reset(codes);
    this.out = outputBuffer(sql.length + MAX_REPLACEMENT);
    const n = this.rewrite(codes);
    return n < 0 ? REDACTED_SQL : decodeOutput(this.out, n);
  }

  /**
   * The token loop: writes the anonymized input into this.out and returns
   * its length, or -1 when the input must be redacted. Kept apart from
   * run()'s once-per-call work, and with the rare tokens handled out of
   * line, so that V8's inlining budget goes to the per-token code.
   */
  private rewrite(codes: Uint16Array): number {
    const kept = this.kept;
    const lx = this.lexer;
    const names = this.names;
    let out = this.out;
    let cap = out.length;
    let n = 0;
    // The quote char the last token written ends with (0: none).
    let lastQuote = 0;
    // The last token written was a TOK_GLUE (would take in a following name).
    let glue = false;

    for (;;) {
      const kind = lx.next();
      if (kind === TOK_END) return n;
      if (kind === TOK_ERROR) return -1;
      const s = lx.start;
      const e = lx.end;
      if (n + (e - s) + MAX_REPLACEMENT > cap) {
        out = this.out = growOutput(out, n, n + (e - s) + MAX_REPLACEMENT);
        cap = out.length;
      }
      // Whitespace and comments become one space; none at the start (nor at
      // the end, since TOK_END writes nothing).
      if (lx.space !== SPACE_NONE && n !== 0) out[n++] = C_SPACE;
      let quote = 0;
      // Most frequent kinds first.
      if (kind === TOK_WORD) {
        // `:` then `$x` (MySQL) must not read back as the placeholder `:anon_id_0`.
        if (glue && lx.space === SPACE_NONE) out[n++] = C_SPACE;
        const h = lx.hash;
        // A key word is copied as written; any other word is a name.
        const k = lx.flags === 0 ? kept.copyIfHas(codes, s, e, h, out, n) : -1;
        n = k >= 0 ? k : writeName(out, n, names.number(s, e, h, NAME_BARE));
      } else if (kind === TOK_VERBATIM || kind === TOK_GLUE) {
        // ASCII by construction. Never write "--": in MySQL, `5--/*c*/1` is
        // 5 minus minus 1, but "--" followed by the space the comment leaves
        // would read back as a comment. (Postgres and strict never get here
        // with "--".)
        if (codes[s] === C_MINUS && n !== 0 && out[n - 1] === C_MINUS) out[n++] = C_SPACE;
        for (let i = s; i < e; i++) out[n++] = codes[i]!;
      } else if (kind === TOK_LITERAL) {
        // Two literals that touch would read back as one ('a''b'): keep them apart.
        if (lastQuote === C_SQUOTE && lx.space === SPACE_NONE) out[n++] = C_SPACE;
        n = writeLiteral(out, n);
        quote = C_SQUOTE;
      } else if (kind === TOK_SEMICOLON) {
        names.clear();
        out[n++] = C_SEMI;
      } else if (kind === TOK_QUOTED_IDENT) {
        quote = lx.quote === C_BACKTICK ? C_BACKTICK : C_DQUOTE;
        n = this.writeQuotedName(out, n, codes, quote, lastQuote);
      } else {
        n = this.writeUserVariable(out, n, codes); // TOK_USER_VAR
      }
      if (n < 0) return -1; // the name table gave up (see NameTable.number)
      lastQuote = quote;
      glue = kind === TOK_GLUE;
    }
  }

  /** Writes the current TOK_QUOTED_IDENT, quoted by `q`, at out[n]; returns the new end (-1: redact). */
  private writeQuotedName(out: Buffer, n: number, codes: Uint16Array, q: number, lastQuote: number): number {
    const lx = this.lexer;
    const is = lx.innerStart;
    const ie = lx.innerEnd;
    // `""U&""` would otherwise become `"anon_id_0""anon_id_0"`, one name.
    if (lastQuote === q && lx.space === SPACE_NONE) out[n++] = C_SPACE;
    out[n++] = q;
    n = writeName(out, n, this.names.number(is, ie, hashQuoted(codes, is, ie), NAME_QUOTED));
    if (n < 0) return -1; // the name table gave up (see NameTable.number)
    out[n++] = q;
    return n;
  }

  /** Writes the current TOK_USER_VAR at out[n]; returns the new end (-1: redact). */
  private writeUserVariable(out: Buffer, n: number, codes: Uint16Array): number {
    const lx = this.lexer;
    const is = lx.innerStart;
    const ie = lx.innerEnd;
    out[n++] = C_AT;
    return writeName(out, n, this.names.number(is, ie, hashVariable(codes, is, ie), NAME_VARIABLE));
  }
}

const MYSQL = new Rewriter(DIALECTS.mysql);
const POSTGRES = new Rewriter(DIALECTS.postgres);
const STRICT = new Rewriter(DIALECTS.strict);
