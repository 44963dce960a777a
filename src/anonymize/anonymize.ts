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
/* eslint-disable @typescript-eslint/no-unsafe-enum-comparison --
 * The const enums here are named numeric constants (char codes, token and
 * slot kinds), compared with plain numbers read from typed arrays by design:
 * they exist because their members compile to literals (see lexer.ts). */
import { DIALECTS, type DialectSpec, type SqlDialect } from './dialects.js';
import { decodeOutput, growOutput, loadCodes, outputBuffer } from './buffers.js';
import {
  isPunctuation,
  isSpace,
  isWordCont,
  isWordStart,
  SqlLexer,
  SPACE_NONE,
  TOK_END,
  TOK_ERROR,
  TOK_GLUE,
  TOK_LITERAL,
  TOK_QUOTED_IDENT,
  TOK_SEMICOLON,
  TOK_USER_VAR,
  TOK_WORD,
  WORD_FOLD,
  WORD_NON_ASCII,
} from './lexer.js';
import { SEED_NAME } from './hash.js';
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

/**
 * Char codes written or tested per token. An enum because its members
 * compile to literals: V8's optimizing compiler does not constant-fold
 * module-level `const`s (see lexer.ts).
 */
const enum C {
  TAB = 9,
  CR = 13,
  SPACE = 32,
  DQUOTE = 34,
  AMP = 38,
  SQUOTE = 39,
  MINUS = 45,
  DOT = 46,
  ZERO = 48,
  NINE = 57,
  SEMI = 59,
  AT = 64,
  BACKTICK = 96,
  LOWER_A = 97,
}

/**
 * Writes a literal token at out[n] (the space before it, if any, written);
 * returns the new end. A literal that touches one written just before it
 * (no `space` between, `lastQuote` a single quote) is kept apart from it:
 * `'a''b'` would read back as one literal.
 */
function writeLiteralToken(out: Buffer, n: number, space: boolean, lastQuote: number): number {
  if (!space && lastQuote === C.SQUOTE) out[n++] = C.SPACE;
  return writeLiteral(out, n);
}

/** Longest replacement: `"anon_id_` + 10 digits + `"`, with a space before. */
const MAX_REPLACEMENT = 32;

/**
 * The token shapes rewrite() scans itself, by their first char: those that
 * make up nearly all of real SQL and that every dialect reads alike. Each
 * is only a candidate; rewrite() checks what follows it before taking it:
 * - WORD (isWordStart): a bare word, unless a quote or `&` follows (a
 *   string prefix, as in N'…' or U&'…');
 * - PUNCT (isPunctuation): a one-char verbatim token;
 * - DIGIT: a number, unless `.` or a word char follows the digits (1.5,
 *   1e5, 0x1F: the lexer's);
 * - DOT: `.`, unless a digit follows (.5 may be a number);
 * - STRING: a plain '…' literal, its end found by SqlLexer.stringEnd() (the
 *   dialects differ on backslashes);
 * - OTHER: anything else, comments included: the lexer's.
 */
const enum Fast {
  OTHER = 0,
  WORD = 1,
  PUNCT = 2,
  DIGIT = 3,
  DOT = 4,
  STRING = 5,
}

/** Fast shape by ASCII first char; code units >= 0x80 start words. */
const FAST_START = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if (isWordStart(c)) FAST_START[c] = Fast.WORD;
  else if (isPunctuation(c)) FAST_START[c] = Fast.PUNCT;
  else if (c >= C.ZERO && c <= C.NINE) FAST_START[c] = Fast.DIGIT;
}
FAST_START[C.DOT] = Fast.DOT;
FAST_START[C.SQUOTE] = Fast.STRING;

/**
 * Output room the fast shapes need (two spaces and a key word or any
 * replacement); checked against the dialects' longest key word below.
 */
const FAST_SLACK = 96;

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
  if (n < 10) {
    out[at + 8] = 48 + n;
    return at + 9;
  }
  return writeNumber(out, at + 8, n);
}

/**
 * Writes n >= 0 in decimal at out[at]; returns the new end. Kept out of
 * writeName(), which V8 then inlines into the rewriter's loop.
 */
function writeNumber(out: Buffer, at: number, n: number): number {
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
    // Two spaces and a key word (copied as written) must fit in FAST_SLACK.
    if (2 + Math.max(MAX_REPLACEMENT, spec.kept.maxLength) > FAST_SLACK) throw new Error('FAST_SLACK is too small');
  }

  run(sql: string): string {
    const codes = loadCodes(sql);
    this.lexer.reset(codes, sql.length);
    this.names.reset(codes);
    this.out = outputBuffer(sql.length + MAX_REPLACEMENT);
    const n = this.rewrite(codes, sql.length);
    return n < 0 ? REDACTED_SQL : decodeOutput(this.out, n);
  }

  /**
   * The token loop: writes the anonymized codes[0, len) into this.out and
   * returns its length, or -1 when the input must be redacted.
   *
   * Whitespace and the token shapes of Fast, nearly all of real SQL, are
   * scanned and written right here, in one loop with its state in locals;
   * every other token comes from the lexer. (Fetching every token from the
   * lexer, through its fields and a call or two per token, took longer than
   * the scanning itself.) What is written is the same either way.
   */
  private rewrite(codes: Uint16Array, len: number): number {
    // Module-level and imported values, read once per call rather than once
    // per token: V8's optimizing compiler does not fold them.
    const fastStart = FAST_START;
    const fold = WORD_FOLD;
    const seed = SEED_NAME | 0; // `| 0`: an int32 to the compiler, so the hash stays untagged
    let out = this.out;
    // `| 0` below: a call V8 did not inline returns an untyped value; marked
    // int32, it keeps `n`, `i` and `cap` in registers instead of re-checking
    // and untagging them at every use.
    let cap = out.length | 0;
    let n = 0;
    let i = 0;
    // The quote char the last token written ends with (0: none).
    let lastQuote = 0;
    // The last token written was a TOK_GLUE (would take in a following name).
    let glue = false;

    for (;;) {
      // Whitespace (comments are the lexer's).
      const s0 = i;
      let c = 0;
      while (i < len && isSpace((c = codes[i]!))) i++;
      if (i >= len) return n;
      // Whitespace and comments become one space; none at the start (nor at
      // the end: nothing is written after them).
      const space = i !== s0;
      if (n + FAST_SLACK > cap) {
        out = this.out = growOutput(out, n, n + FAST_SLACK);
        cap = out.length | 0;
      }
      const s = i;
      const fast = c < 128 ? fastStart[c]! : Fast.WORD;

      if (fast === Fast.WORD) {
        // Scanned and hashed as SqlLexer.word() does (with WORD_FOLD).
        let h = seed;
        let flags = 0;
        while (i < len) {
          let d = codes[i]!;
          const lower = d | 0x20;
          if (lower - C.LOWER_A >>> 0 < 26) {
            d = lower; // a letter (most word chars): folded without a table load
          } else if (d < 128) {
            d = fold[d]!;
            if (d === 0) break;
          } else {
            flags = WORD_NON_ASCII;
          }
          h = Math.imul(h ^ d, 0x01000193);
          i++;
        }
        // Before a quote or `&`, it may be a string prefix (N'…', U&'…'): the lexer's.
        const d = i < len ? codes[i]! : 0;
        if (d !== C.SQUOTE && d !== C.DQUOTE && d !== C.AMP) {
          if (space && n !== 0) out[n++] = C.SPACE;
          // `:` then `$x` (MySQL) must not read back as the placeholder `:anon_id_0`.
          if (glue && !space) out[n++] = C.SPACE;
          n = this.writeWord(out, n, codes, s, i, h, flags) | 0;
          if (n < 0) return -1;
          lastQuote = 0;
          glue = false;
          continue;
        }
      } else if (fast === Fast.PUNCT) {
        if (space && n !== 0) out[n++] = C.SPACE;
        out[n++] = c;
        i++;
        lastQuote = 0;
        glue = false;
        continue;
      } else if (fast === Fast.DIGIT) {
        let d = 0;
        i++;
        while (i < len && (d = codes[i]!) >= C.ZERO && d <= C.NINE) i++;
        // Followed by `.` or a word char, it is the lexer's (1.5, 1e5, 0x1F, ...).
        if (i >= len || (d !== C.DOT && !isWordCont(d))) {
          if (space && n !== 0) out[n++] = C.SPACE;
          n = writeLiteralToken(out, n, space, lastQuote) | 0;
          lastQuote = C.SQUOTE;
          glue = false;
          continue;
        }
      } else if (fast === Fast.STRING) {
        const e = this.lexer.stringEnd(i) | 0;
        if (e < 0) return -1; // unterminated: fail closed
        if (space && n !== 0) out[n++] = C.SPACE;
        n = writeLiteralToken(out, n, space, lastQuote) | 0;
        i = e;
        lastQuote = C.SQUOTE;
        glue = false;
        continue;
      } else if (fast === Fast.DOT) {
        const d = i + 1 < len ? codes[i + 1]! : 0;
        if (d < C.ZERO || d > C.NINE) {
          if (space && n !== 0) out[n++] = C.SPACE;
          out[n++] = C.DOT;
          i++;
          lastQuote = 0;
          glue = false;
          continue;
        }
      }

      // Everything else, and a fast shape that turned out not to be one: the lexer's.
      const lx = this.lexer;
      lx.seek(s);
      const kind = lx.next();
      if (kind === TOK_END) return n;
      if (kind === TOK_ERROR) return -1;
      const ts = lx.start | 0;
      const e = lx.end | 0;
      const spaced = space || lx.space !== SPACE_NONE;
      i = e;
      if (n + (e - ts) + MAX_REPLACEMENT > cap) {
        out = this.out = growOutput(out, n, n + (e - ts) + MAX_REPLACEMENT);
        cap = out.length | 0;
      }
      if (spaced && n !== 0) out[n++] = C.SPACE;
      n = this.writeToken(out, n, codes, kind, spaced, lastQuote, glue) | 0;
      if (n < 0) return -1;
      lastQuote = kind === TOK_LITERAL ? C.SQUOTE : kind === TOK_QUOTED_IDENT ? this.quoteOf(lx.quote) : 0;
      glue = kind === TOK_GLUE;
    }
  }

  /**
   * Writes the bare word codes[s, e) (hash `h`, WORD_* `flags`) at out[n]:
   * a key word as written, any other word as its name. Returns the new end
   * (-1: redact).
   */
  private writeWord(out: Buffer, n: number, codes: Uint16Array, s: number, e: number, h: number, flags: number): number {
    const k = flags === 0 ? this.kept.copyIfHas(codes, s, e, h, out, n) : -1;
    return k >= 0 ? k : writeName(out, n, this.names.number(s, e, h, NAME_BARE));
  }

  /** The quote char a TOK_QUOTED_IDENT is written with. */
  private quoteOf(lexerQuote: number): number {
    return lexerQuote === C.BACKTICK ? C.BACKTICK : C.DQUOTE;
  }

  /**
   * Writes the lexer's current token, of `kind`, at out[n] (after the space
   * before it, if any); returns the new end (-1: redact). `spaced`: whether
   * whitespace or comments came before it; `lastQuote`, `glue`: see rewrite().
   */
  private writeToken(
    out: Buffer,
    n: number,
    codes: Uint16Array,
    kind: number,
    spaced: boolean,
    lastQuote: number,
    glue: boolean,
  ): number {
    const lx = this.lexer;
    const s = lx.start;
    const e = lx.end;
    switch (kind) {
      case TOK_WORD:
        // `:` then `$x` (MySQL) must not read back as the placeholder `:anon_id_0`.
        if (glue && !spaced) out[n++] = C.SPACE;
        return this.writeWord(out, n, codes, s, e, lx.hash, lx.flags);
      case TOK_LITERAL:
        return writeLiteralToken(out, n, spaced, lastQuote);
      case TOK_QUOTED_IDENT:
        return this.writeQuotedName(out, n, codes, this.quoteOf(lx.quote), lastQuote, spaced);
      case TOK_USER_VAR:
        return this.writeUserVariable(out, n, codes);
      case TOK_SEMICOLON:
        // Numbering restarts with every statement.
        this.names.clear();
        out[n++] = C.SEMI;
        return n;
      default: // TOK_VERBATIM, TOK_GLUE: ASCII by construction
        // Never write "--": in MySQL, `5--/*c*/1` is 5 minus minus 1, but
        // "--" followed by the space the comment leaves would read back as
        // a comment. (Postgres and strict never get here with "--".)
        if (codes[s] === C.MINUS && n !== 0 && out[n - 1] === C.MINUS) out[n++] = C.SPACE;
        for (let k = s; k < e; k++) out[n++] = codes[k]!;
        return n;
    }
  }

  /** Writes the current TOK_QUOTED_IDENT, quoted by `q`, at out[n]; returns the new end (-1: redact). */
  private writeQuotedName(out: Buffer, n: number, codes: Uint16Array, q: number, lastQuote: number, space: boolean): number {
    const lx = this.lexer;
    const is = lx.innerStart;
    const ie = lx.innerEnd;
    // `""U&""` would otherwise become `"anon_id_0""anon_id_0"`, one name.
    if (lastQuote === q && !space) out[n++] = C.SPACE;
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
    out[n++] = C.AT;
    return writeName(out, n, this.names.number(is, ie, hashVariable(codes, is, ie), NAME_VARIABLE));
  }
}

const MYSQL = new Rewriter(DIALECTS.mysql);
const POSTGRES = new Rewriter(DIALECTS.postgres);
const STRICT = new Rewriter(DIALECTS.strict);
