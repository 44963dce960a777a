/**
 * The rewriter: one pass over the tokens of a statement, writing each one
 * anonymized (see anonymize.ts for the contract). It decides, for each bare
 * word the dialect knows (key words, type names, common built-in
 * functions), whether it stands as a key word and is kept, or stands where
 * only a name can stand and becomes `anon_id_N`:
 *
 * - a word after `.` or before `.` is a name (`t.name`, `name.x`);
 * - a word after AS is an alias, unless it is a type in `CAST(x AS t)` or
 *   in CREATE DOMAIN / SEQUENCE / TYPE, or a key word the grammar puts
 *   there (`AS IDENTITY`);
 * - where an expression starts (after SELECT, WHERE, BY, `,`, `(`, an
 *   operator, ...), a non-reserved word (PostgreSQL UNRESERVED and COL_NAME
 *   key words, MySQL non-reserved words, type and function names) is a name
 *   unless what follows makes it a key word: `(` (a function or a
 *   construct), a literal (`DATE '…'`), or another key word that does not
 *   follow names (`ROWS BETWEEN UNBOUNDED PRECEDING`). A reserved word is a
 *   name there only when it stands alone between separators (`SELECT user,
 *   key FROM`): reserved words are kept everywhere else;
 * - after FROM, INTO, TABLE, JOIN, INDEX, ... a non-reserved word is a
 *   relation name; after ON and TO, a name or a word naming a kind of
 *   object (`ON SCHEMA s`, `ON DELETE`);
 * - after a name, in a query, a non-reserved word is a bare alias (`FROM
 *   accounts owner`) unless it follows names in the grammar (`x NULLS
 *   FIRST`, `UPDATE t SET`); after `)` only the words that follow a paren
 *   (`) OVER`, `) VALUES`) are kept; in other statements (DDL) it is kept
 *   (`CREATE TABLE t (...) PARTITION BY`);
 * - a function name not followed by `(` is a name; a type name is kept
 *   where a type stands (after `::`, in a column definition, in a cast,
 *   before a literal: `DATE '…'`);
 * - PostgreSQL's role options and partitioning words (`NOSUPERUSER`, `LIST`,
 *   `MODULUS`) are kept where they stand as such, and its system columns
 *   (`ctid`, `xmin`, ...) wherever they stand unqualified: no user chose them.
 *
 * A key word written before a dot is rewritten as a name when the dot
 * arrives (unkeep()), rather than looking ahead at every key word.
 *
 * Every decision depends only on the tokens before the word as they were
 * written out, and on the next token's kind as it will be written out, so a
 * second pass decides the same way (idempotence).
 *
 * Where the grammar needs a bare integer (`varchar(255)`, `FETCH 5`,
 * `INCREMENT BY 1`, `MODULUS 4`), the number is written as a fixed `0`
 * instead of a literal, so the output still parses and reveals nothing.
 *
 * Inside `[...]` a `:name` is a slice bound and a name, not a placeholder.
 */
/* eslint-disable @typescript-eslint/no-unsafe-enum-comparison --
 * The const enums here are named numeric constants (char codes, token and
 * slot kinds), compared with plain numbers read from typed arrays by design:
 * they exist because their members compile to literals (see lexer.ts). */
import type { DialectSpec } from './dialects.js';
import { decodeOutput, loadCodes, outputBuffer, viewOf, writeLiteral, writeName } from './output.js';
import {
  DQ_STRING,
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
  WORD_NON_ASCII,
} from './lexer.js';
import { isPunctuation, isSpace, isWordStart, WORD_FOLD } from './chars.js';
import { SEED_NAME } from './hash.js';
import { hashBare, hashQuoted, hashVariable, NAME_BARE, NAME_QUOTED, NAME_VARIABLE, NameTable } from './nametable.js';
import type { FoldedWordSet } from './wordset.js';

/**
 * Flags of a kept word (FoldedWordSet info), built by dialects.ts from the
 * key word tables and keywords/positions.ts. An enum so that the rewriter's
 * tests compile to literals; WORD is the same values for dialects.ts.
 */
const enum W {
  /** A key word (else a kept type or function name only). */
  KEYWORD = 1 << 0,
  /** Reserved: never a column or table name unquoted. */
  RESERVED = 1 << 1,
  /** A built-in function: kept before `(`. */
  FUNC = 1 << 2,
  /** A type name. */
  TYPE = 1 << 3,
  VALUE = 1 << 4,
  FOLLOW = 1 << 5,
  INTRO = 1 << 6,
  RELATION = 1 << 7,
  OBJECT = 1 << 8,
  KIND = 1 << 9,
  ON = 1 << 10,
  NOT_NAME = 1 << 11,
  AS_WORD = 1 << 12,
  FIXED_NUMBER = 1 << 13,
  NUMBER_CONNECTOR = 1 << 14,
  TYPE_LENGTH = 1 << 15,
  OPTIONS = 1 << 16,
  CAST = 1 << 17,
  QUERY = 1 << 18,
  /** Follows names only inside parens (window frames). */
  FRAME = 1 << 19,
  /**
   * Set by withDerivedFlags(): keeping the word changes more than where the
   * next word stands (afterKept() has work to do).
   */
  EFFECTS = 1 << 20,
  /** Bits 21-23, set by withDerivedFlags(): where the word after it stands, when it is kept (an S). */
  BASE_SHIFT = 21,
  /** Bits 24-28: one of Sp, for the words with a rule of their own. */
  SPECIAL_SHIFT = 24,
  /** Set by withDerivedFlags(): a key word, type or value (not a function name only). */
  NOT_FUNC_ONLY = 1 << 29,
  /** A non-reserved key word that follows `)` in a query (`) OVER`, `) VALUES`, `) FILTER`). */
  AFTER_PAREN = 1 << 30,
}

/** Words with a rule of their own. */
const enum Sp {
  NONE = 0,
  AS = 1,
  SET = 2,
  WITH = 3,
  TYPE = 4,
  UPDATE = 5,
  ALTER = 6,
  DROP = 7,
  KEY = 8,
  DATA = 9,
  SELECT = 10,
  EXECUTE = 11,
  DOMAIN = 12,
  DEFAULT = 13,
  TO = 14,
  FIELD = 15,
  WITHOUT = 16,
  /** EXPLAIN and its options written as words: `EXPLAIN ANALYZE VERBOSE EXECUTE name(…)`. */
  EXPLAIN = 17,
}

/** The flag values for dialects.ts (see W). */
export const WORD = {
  KEYWORD: W.KEYWORD,
  RESERVED: W.RESERVED,
  FUNC: W.FUNC,
  TYPE: W.TYPE,
  VALUE: W.VALUE,
  FOLLOW: W.FOLLOW,
  INTRO: W.INTRO,
  RELATION: W.RELATION,
  OBJECT: W.OBJECT,
  KIND: W.KIND,
  ON: W.ON,
  NOT_NAME: W.NOT_NAME,
  AS_WORD: W.AS_WORD,
  FIXED_NUMBER: W.FIXED_NUMBER,
  NUMBER_CONNECTOR: W.NUMBER_CONNECTOR,
  TYPE_LENGTH: W.TYPE_LENGTH,
  OPTIONS: W.OPTIONS,
  CAST: W.CAST,
  QUERY: W.QUERY,
  FRAME: W.FRAME,
  AFTER_PAREN: W.AFTER_PAREN,
  SPECIAL_SHIFT: W.SPECIAL_SHIFT,
} as const;

/** The special word ids for dialects.ts (see Sp). */
export const SPECIAL_WORDS: Readonly<Record<string, number>> = {
  as: Sp.AS,
  set: Sp.SET,
  with: Sp.WITH,
  type: Sp.TYPE,
  update: Sp.UPDATE,
  alter: Sp.ALTER,
  drop: Sp.DROP,
  key: Sp.KEY,
  data: Sp.DATA,
  select: Sp.SELECT,
  execute: Sp.EXECUTE,
  domain: Sp.DOMAIN,
  sequence: Sp.DOMAIN,
  default: Sp.DEFAULT,
  to: Sp.TO,
  without: Sp.WITHOUT,
  explain: Sp.EXPLAIN,
  analyze: Sp.EXPLAIN,
  analyse: Sp.EXPLAIN,
  verbose: Sp.EXPLAIN,
};

/** The special id of the interval fields (year ... second), for dialects.ts. */
export const SPECIAL_INTERVAL_FIELD: number = Sp.FIELD;

/** Where the word after a kept word with flags `info` stands, when no rule of its own applies. */
function baseState(info: number): number {
  if ((info & W.INTRO) !== 0) return S.INTRO;
  if ((info & W.RELATION) !== 0) return S.RELATION;
  if ((info & W.OBJECT) !== 0) return S.OBJECT;
  if ((info & W.VALUE) !== 0) return S.NAME;
  return S.OTHER;
}

/** `info` with the flags the rewriter derives from the others (EFFECTS, NOT_FUNC_ONLY, the base state); for dialects.ts. */
export function withDerivedFlags(info: number): number {
  const effects = W.FIXED_NUMBER | W.NUMBER_CONNECTOR | W.TYPE_LENGTH | W.OPTIONS | W.CAST | W.QUERY;
  const hasEffects = (info & effects) !== 0 || ((info >>> W.SPECIAL_SHIFT) & 31) !== 0;
  const notFuncOnly = (info & (W.KEYWORD | W.TYPE | W.VALUE)) !== 0;
  return info | (hasEffects ? W.EFFECTS : 0) | (notFuncOnly ? W.NOT_FUNC_ONLY : 0) | (baseState(info) << W.BASE_SHIFT);
}

/** Where the next word stands, given the tokens written before it. */
const enum S {
  /** At the start of a statement. */
  START = 0,
  /** After a name, a quoted name, `)`, `]` or a value key word. */
  NAME = 1,
  /** After a literal. */
  LITERAL = 2,
  /** Where an expression starts. */
  INTRO = 3,
  /** Where a relation (or other object) name stands. */
  RELATION = 4,
  /** After ON / TO: an object name, or a word naming a kind of object. */
  OBJECT = 5,
  /** After any other key word. */
  OTHER = 6,
  /** After `)`: like NAME, but only some key words follow a paren in a query. */
  CLOSE = 7,
  /** Where a type stands (after `::`, AS in a cast). */
  TYPE = 8,
  AS = 9,
  DOT = 10,
  /** First word of an option in an option list (`EXPLAIN (ANALYZE, ...)`). */
  OPTION = 11,
}

/** Kinds of `(`, on the paren stack. */
const enum Paren {
  PLAIN = 0,
  OPTIONS = 1,
  CAST = 2,
  TYPE_LENGTH = 3,
}

/** What the next token is, as it will be written out. */
const enum Next {
  END = 0,
  /** `,` `)` `;` `=` `<` `>` `!` `]`: the word before stands alone. */
  TERM = 1,
  /** Any other operator or punctuation. */
  OP = 2,
  LPAREN = 3,
  DOT = 4,
  LITERAL = 5,
  /** A name: not a kept word, a quoted name, or a word that becomes a name. */
  NAME = 6,
  /** A kept word; its flags in `peekInfo`. */
  WORD = 7,
}

/** Char codes written or tested here. */
const enum C {
  TAB = 9,
  CR = 13,
  SPACE = 32,
  BANG = 33,
  DQUOTE = 34,
  HASH = 35,
  DOLLAR = 36,
  AMP = 38,
  SQUOTE = 39,
  LPAREN = 40,
  RPAREN = 41,
  STAR = 42,
  COMMA = 44,
  MINUS = 45,
  DOT = 46,
  SLASH = 47,
  ZERO = 48,
  NINE = 57,
  COLON = 58,
  SEMI = 59,
  LT = 60,
  EQ = 61,
  GT = 62,
  QUESTION = 63,
  AT = 64,
  LBRACKET = 91,
  RBRACKET = 93,
  BACKSLASH = 92,
  BACKTICK = 96,
  LOWER_A = 97,
}

/**
 * NameTable's slot layout (nametable.ts, NAME_SLOT), mirrored so that the
 * token loop's own name lookup compiles its offsets to literals; a test
 * checks that the two agree.
 */
const enum NameSlot {
  GEN = 0,
  HASH = 1,
  START = 2,
  LENGTH_KIND = 3,
  NUMBER = 4,
  SIZE = 5,
}

/** NameSlot's values, for the test that compares them with NameTable's NAME_SLOT. */
export const NAME_SLOT_MIRROR: Readonly<Record<'GEN' | 'HASH' | 'START' | 'LENGTH_KIND' | 'NUMBER' | 'SIZE', number>> =
  {
    GEN: NameSlot.GEN,
    HASH: NameSlot.HASH,
    START: NameSlot.START,
    LENGTH_KIND: NameSlot.LENGTH_KIND,
    NUMBER: NameSlot.NUMBER,
    SIZE: NameSlot.SIZE,
  };

/**
 * The loop's numeric constants. An enum, so that they compile to literals:
 * V8 reads a module-level `const` from its context, and checks it, at every
 * use.
 */
const enum K {
  /** What writeKeptWord() returns for a word that is not kept: a name, not yet written. */
  NOT_KEPT = -2,
  /** Longest replacement: `"anon_id_` + 10 digits + `"`, with a space before. */
  MAX_REPLACEMENT = 32,
  /** Marks, in AFTER_PUNCT, the chars whose state punct() works out (`,` `(` `)` `[` `]`). */
  PUNCT_TRACKED = 15,
  /**
   * Output room the fast shapes need (two spaces and a key word or any
   * replacement); checked against the dialects' longest key word below.
   */
  FAST_SLACK = 96,
  /** The deepest paren nesting whose kinds are tracked (deeper ones are plain). */
  MAX_PARENS = 64,
  /** The fixed number written where the grammar needs a bare integer (`0`). */
  FIXED_NUMBER = 48,
  /**
   * The output index of the `…At` fields when no token ends there: -3, so
   * that `at + 1` is never an index either and `out[at]` is never read (one
   * read out of bounds, and V8 compiles that comparison for any type).
   */
  NOWHERE = -3,
  /**
   * What rewrite() returns when the output buffer has no room for the next
   * token: run() starts over with twice the room. (So the buffer never
   * changes while rewrite() runs, and V8 keeps what it knows about it.)
   */
  FULL = -4,
  /** Output room run() starts with, per input char (typical SQL needs about one; a name of one or two chars needs five). */
  ROOM_PER_CHAR = 4,
}

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
 *
 * SPACE marks whitespace (isSpace), which the loop skips by the same table.
 */
const enum Fast {
  OTHER = 0,
  WORD = 1,
  PUNCT = 2,
  DIGIT = 3,
  DOT = 4,
  STRING = 5,
  SPACE = 6,
}

/** Where the next word stands after a one-char punctuation token. */
const AFTER_PUNCT = new Uint8Array(128).fill(S.INTRO);
AFTER_PUNCT[C.QUESTION] = S.NAME; // a placeholder is a value
for (const c of [C.COMMA, C.LPAREN, C.RPAREN, C.LBRACKET, C.RBRACKET]) AFTER_PUNCT[c] = K.PUNCT_TRACKED;

/** FAST_START's low bits hold the shape; above them, for PUNCT, the char's AFTER_PUNCT. */
const enum FastBits {
  SHAPE = 7,
  AFTER_SHIFT = 3,
}

/**
 * Fast shape by ASCII first char (code units >= 0x80 start words), with
 * AFTER_PUNCT folded in for punctuation: one table load per token where two
 * tables took two (each load of a typed array is checked in V8's code).
 */
const FAST_START = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if (isWordStart(c)) FAST_START[c] = Fast.WORD;
  else if (isPunctuation(c)) FAST_START[c] = Fast.PUNCT | (AFTER_PUNCT[c]! << FastBits.AFTER_SHIFT);
  else if (c >= C.ZERO && c <= C.NINE) FAST_START[c] = Fast.DIGIT;
  else if (isSpace(c)) FAST_START[c] = Fast.SPACE;
}
FAST_START[C.DOT] = Fast.DOT;
FAST_START[C.SQUOTE] = Fast.STRING;

/** The Next kind of a punctuation char. */
const NEXT_OF_PUNCT = new Uint8Array(128).fill(Next.OP);
for (const c of [C.COMMA, C.RPAREN, C.SEMI, C.EQ, C.LT, C.GT, C.BANG, C.RBRACKET]) NEXT_OF_PUNCT[c] = Next.TERM;
NEXT_OF_PUNCT[C.LPAREN] = Next.LPAREN;
NEXT_OF_PUNCT[C.DOT] = Next.DOT;

/**
 * The rewrite state of one dialect. Reused across calls (anonymizeSql never
 * re-enters itself), so a call allocates nothing but its output.
 */
export class Rewriter {
  // Fields set in the constructor are `declare`d (see FoldedWordSet).
  declare private readonly kept: FoldedWordSet;
  declare private readonly lexer: SqlLexer;
  private readonly names = new NameTable();
  /** `"…"` is a string literal (MySQL). */
  declare private readonly dqString: boolean;
  /** `$` starts dollar quotes and placeholders, never a word (PostgreSQL, strict). */
  declare private readonly dollarQuotes: boolean;
  /** The output buffer of the current call (a bigger one when run() starts the statement over). */
  private out: Buffer = outputBuffer(0);
  /** A DataView over `out`. */
  private view: DataView = viewOf(this.out);
  /** The current call's input (code units) and length. */
  private codes: Uint16Array = new Uint16Array(0);
  private len = 0;
  /**
   * FAST_START and WORD_FOLD, for rewrite(). Read from fields, V8 knows
   * what they are; read from the module, it checks them at every use.
   */
  private readonly fastStart = FAST_START;
  private readonly fold = WORD_FOLD;

  // Position state beyond the current S (reset with every statement).
  /** Paren kinds, by depth. */
  private readonly parens = new Uint8Array(K.MAX_PARENS);
  private depth = 0;
  /** The innermost paren is a type's length (`varchar(`): its numbers are fixed. */
  private inTypeLength = false;
  /** Where the word after a `,` stands (by the innermost paren's kind). */
  private commaState: number = S.INTRO;
  /** `[` nesting. */
  private brackets = 0;
  /** The kind of a `(` written right after the token that ends at output index pendingAt. */
  private pendingParen = Paren.PLAIN;
  private pendingAt: number = K.NOWHERE;
  /** The statement is a query (SELECT, INSERT, ...), not DDL. */
  private query = false;
  /** AS is followed by a type in this statement (CREATE DOMAIN / SEQUENCE / TYPE). */
  private asType = false;
  /** A bare number right after the token that ends at output index fixAt is a fixed 0 (after FETCH, INCREMENT BY, ...). */
  private fixAt: number = K.NOWHERE;
  /** The special id (Sp) of the kept word that ends at output index specialAt. */
  private lastSpecial = Sp.NONE;
  private specialAt: number = K.NOWHERE;
  /** Where the word after the last kept word stands (set by writeKeptWord). */
  private wordState = S.START;
  /** The output end of the last fixed 0 written. */
  private fixedEnd: number = K.NOWHERE;
  /** The kept word last written: its output end, length, and input end (see unkeep()). */
  private keptAt: number = K.NOWHERE;
  private keptLength = 0;
  private keptEnd = 0;
  /** afterKept() ran for the word ending at output index effectsAt, and changed these from: */
  private effectsAt: number = K.NOWHERE;
  private queryBefore = false;
  private asTypeBefore = false;
  /** The flags of the kept word peek() found. */
  private peekInfo = 0;
  /** The current AS follows a key word (`ALWAYS AS IDENTITY`), not a name. */
  private asAfterKeyword = false;

  constructor(spec: DialectSpec) {
    this.kept = spec.kept;
    this.lexer = new SqlLexer(spec.rules);
    this.dqString = spec.rules.doubleQuote === DQ_STRING;
    this.dollarQuotes = spec.rules.dollarQuotes;
    // Two spaces and a key word (copied as written, with up to four bytes stored past it) must fit in FAST_SLACK.
    if (2 + Math.max(K.MAX_REPLACEMENT, spec.kept.maxLength + 4) > K.FAST_SLACK)
      throw new Error('FAST_SLACK is too small');
  }

  /** The anonymized `sql`, or null when it must be redacted. */
  run(sql: string): string | null {
    const codes = loadCodes(sql);
    const len = sql.length;
    this.codes = codes;
    this.len = len;
    let room = len * K.ROOM_PER_CHAR + K.FAST_SLACK + K.MAX_REPLACEMENT;
    for (;;) {
      this.lexer.reset(codes, len);
      this.names.reset(codes);
      this.resetStatement();
      this.out = outputBuffer(room);
      this.view = viewOf(this.out);
      const n = this.rewrite();
      if (n !== K.FULL) return n < 0 ? null : decodeOutput(this.out, n);
      room *= 2; // only input that is mostly one-char names or numbers needs more than the first room
    }
  }

  private resetStatement(): void {
    this.depth = 0;
    this.inTypeLength = false;
    this.commaState = S.INTRO;
    this.brackets = 0;
    this.lexer.inBrackets = false;
    this.pendingAt = K.NOWHERE;
    this.query = false;
    this.asType = false;
    this.fixAt = K.NOWHERE;
    this.specialAt = K.NOWHERE;
    this.keptAt = K.NOWHERE;
    this.effectsAt = K.NOWHERE;
    this.fixedEnd = K.NOWHERE;
  }

  /** Whether a token written at out[n] comes right after the token that ends at out[at] (one space between at most). */
  private follows(at: number, n: number): boolean {
    return n === at || (n === at + 1 && this.out[at] === C.SPACE);
  }

  /** Updates what depends on the innermost paren's kind. */
  private parenChanged(): void {
    const k = this.parenKind();
    this.inTypeLength = k === Paren.TYPE_LENGTH;
    this.commaState = k === Paren.OPTIONS ? S.OPTION : k === Paren.CAST ? S.TYPE : S.INTRO;
  }

  /** The kind of the innermost open paren. */
  private parenKind(): number {
    const d = this.depth;
    return d > 0 && d <= K.MAX_PARENS ? this.parens[d - 1]! : Paren.PLAIN;
  }

  /**
   * The token loop: writes the anonymized codes[0, len) into this.out and
   * returns its length, -1 when the input must be redacted, or K.FULL when
   * this.out has no room for the next token.
   *
   * Whitespace and the token shapes of Fast, nearly all of real SQL, are
   * scanned and written right here, in one loop with its state in locals;
   * every other token comes from the lexer. (Fetching every token from the
   * lexer, through its fields and a call or two per token, took longer than
   * the scanning itself.) What is written is the same either way.
   */
  private rewrite(): number {
    // Read once per call rather than once per token (V8's optimizing
    // compiler does not fold module-level values), and from fields, whose
    // kinds V8 knows (it checks a parameter's or a module's value at every use).
    const codes = this.codes;
    const len = this.len;
    const fastStart = this.fastStart;
    const fold = this.fold;
    const seed = SEED_NAME | 0; // `| 0`: an int32 to the compiler, so the hash stays untagged
    const out = this.out;
    const view = this.view;
    // `| 0` below: a call V8 did not inline returns an untyped value; marked
    // int32, it keeps `n`, `i` and `cap` in registers instead of re-checking
    // and untagging them at every use.
    const cap = out.length | 0;
    let n = 0;
    let i = 0;
    // The quote char the last token written ends with (0: none).
    let lastQuote = 0;
    // The last token written was a TOK_GLUE (would take in a following name).
    let glue = false;
    // Where the next word stands (S).
    let state: number = S.START;

    for (;;) {
      // Whitespace (comments are the lexer's).
      const s0 = i;
      let c = 0;
      // The shape of the token at i (Fast, and for PUNCT its AFTER_PUNCT above FastBits.SHAPE).
      let fast = 0;
      // (By table, not isSpace(): a call to a module's function checks the
      // binding on every char, and this loop runs for nearly every token.)
      if (i >= len) return n;
      c = codes[i]!;
      if (c === C.SPACE) {
        // The commonest whitespace, one space between tokens: no table load, and no trip round the loop below.
        if (++i >= len) return n;
        c = codes[i]!;
      }
      for (;;) {
        fast = c < 128 ? fastStart[c]! : Fast.WORD;
        if (fast !== Fast.SPACE) break;
        if (++i >= len) return n;
        c = codes[i]!;
      }
      // Whitespace and comments become one space; none at the start (nor at
      // the end: nothing is written after them).
      const space = i !== s0;
      if (n + K.FAST_SLACK > cap) return K.FULL;
      const s = i;

      if (fast === Fast.WORD) {
        // Scanned and hashed as SqlLexer.word() does (with WORD_FOLD).
        let h = seed;
        let flags = 0;
        // The word's last four chars, packed as FoldedWordSet compares and copies them.
        let tail = 0;
        while (i < len) {
          const r = codes[i]!;
          let d = r;
          const lower = d | 0x20;
          if ((lower - C.LOWER_A) >>> 0 < 26) {
            d = lower; // a letter (most word chars): folded without a table load
          } else if (d < 128) {
            d = fold[d]!;
            if (d === 0) break;
          } else {
            flags = WORD_NON_ASCII;
          }
          h = Math.imul(h ^ d, 0x01000193);
          tail = (tail << 8) | r; // packTail(), written out (a call to a module's function checks the binding on every char)
          i++;
        }
        // Before a quote or `&`, it may be a string prefix (N'…', U&'…'): the lexer's.
        const d = i < len ? codes[i]! : 0;
        if (d !== C.SQUOTE && d !== C.DQUOTE && d !== C.AMP) {
          if (space && n !== 0) out[n++] = C.SPACE;
          // `:` then `$x` (MySQL) must not read back as the placeholder `:anon_id_0`.
          if (glue && !space) out[n++] = C.SPACE;
          // A key word? (writeKeptWord(), with its commonest decisions made right here; see there.)
          // After a dot every word is a name (keeps() says so): no kept-set lookup.
          let k = flags === 0 && state !== S.DOT ? this.kept.copyIfHas(codes, s, i, h, tail, out, view, n) | 0 : -1;
          if (k >= 0) {
            const info = this.kept.hit;
            if (
              // Kept for sure (keeps() would say so): a reserved word outside an expression's start,
              // any key word after a key word, or any kept word right before `(` where an expression starts.
              (state < S.TYPE &&
                state !== S.INTRO &&
                (info & (state === S.START || state === S.OTHER ? W.NOT_FUNC_ONLY : W.RESERVED)) !== 0 &&
                (info & W.FRAME) === 0) ||
              (state === S.INTRO && i < len && codes[i] === C.LPAREN)
            ) {
              // A key word followed by `.` is a name after all: unkeep() rewrites it when the dot comes.
              this.keptAt = k;
              this.keptLength = k - n;
              this.keptEnd = i;
              if ((info & W.EFFECTS) === 0) this.wordState = (info >>> W.BASE_SHIFT) & 7;
              else if ((info & (W.TYPE_LENGTH | W.CAST | W.OPTIONS)) !== 0) this.afterKept(info, state, n, k);
              else {
                // afterKept(), step by step, for the words whose effects need no call (SELECT, AS, BY, LIMIT, ...).
                const special = (info >>> W.SPECIAL_SHIFT) & 31;
                if ((info & W.QUERY) !== 0 || special === Sp.DOMAIN) {
                  this.effectsAt = k;
                  this.queryBefore = this.query;
                  this.asTypeBefore = this.asType;
                }
                if ((info & (W.FIXED_NUMBER | W.NUMBER_CONNECTOR)) !== 0) {
                  const fa = this.fixAt;
                  if ((info & W.FIXED_NUMBER) !== 0 || fa === n || (fa + 1 === n && out[fa] === C.SPACE))
                    this.fixAt = k;
                }
                if ((info & W.QUERY) !== 0 && (state === S.START || special === Sp.SELECT)) this.query = true;
                const base =
                  state === S.TYPE && (info & (W.INTRO | W.RELATION | W.OBJECT)) === 0
                    ? S.TYPE
                    : (info >>> W.BASE_SHIFT) & 7;
                if (special === Sp.NONE) this.wordState = base;
                else {
                  const sa = this.specialAt;
                  const last = sa === n || (sa + 1 === n && out[sa] === C.SPACE) ? this.lastSpecial : Sp.NONE;
                  this.lastSpecial = special;
                  this.specialAt = k;
                  if (special === Sp.AS) {
                    this.asAfterKeyword = state === S.OTHER || last === Sp.DEFAULT;
                    this.wordState = S.AS;
                  } else if (special === Sp.SELECT) this.wordState = base;
                  else this.wordState = this.stateAfterKept(info, state, special, last);
                }
              }
            } else if (!this.keptWord(info, n, k, i, state)) k = K.NOT_KEPT;
          } else k = K.NOT_KEPT;
          if (k !== K.NOT_KEPT) {
            n = k;
            state = this.wordState;
          } else {
            // A name. Its number is looked up right here in the commonest
            // cases (a one-char name; a name in its home slot, or new there):
            // a call from this loop costs more than the lookup itself.
            // Everything else is NameTable.number()'s.
            const names = this.names;
            const gen = names.gen;
            const length = i - s;
            let num = 0;
            if (length === 1 && c < 128) {
              const single = names.single;
              const at = fold[c]! << 1; // foldAscii(c): c starts a word
              if (single[at] === gen) num = single[at + 1]!;
              else {
                num = names.count++;
                single[at] = gen;
                single[at + 1] = num;
              }
            } else {
              const slots = names.slots;
              const base = ((h ^ (h >>> 15)) & names.mask) * NameSlot.SIZE;
              if (slots[base + NameSlot.GEN] !== gen) {
                // New: takes the next number (as NameTable.add() does).
                num = names.count++;
                slots[base + NameSlot.GEN] = gen;
                slots[base + NameSlot.HASH] = h;
                slots[base + NameSlot.START] = s;
                slots[base + NameSlot.LENGTH_KIND] = length << 2;
                slots[base + NameSlot.NUMBER] = num;
                if (names.count * 2 > names.mask) names.grow();
              } else if (slots[base + NameSlot.HASH] === h && slots[base + NameSlot.LENGTH_KIND] === length << 2) {
                // A bare name of that length: the same name if spelled alike (else number() folds case).
                const es = slots[base + NameSlot.START]!;
                let j = 0;
                while (j < length && codes[s + j] === codes[es + j]) j++;
                num = j === length ? slots[base + NameSlot.NUMBER]! : names.number(s, i, h, NAME_BARE) | 0;
              } else {
                num = names.number(s, i, h, NAME_BARE) | 0;
              }
            }
            n = writeName(view, n, num) | 0;
            if (n < 0) return -1;
            state = S.NAME;
          }
          lastQuote = 0;
          glue = false;
          continue;
        }
      } else if ((fast & FastBits.SHAPE) === Fast.PUNCT) {
        const n0 = n;
        if (space && n !== 0) out[n++] = C.SPACE;
        out[n++] = c;
        i++;
        lastQuote = 0;
        glue = false;
        state = fast >>> FastBits.AFTER_SHIFT;
        if (state === K.PUNCT_TRACKED) {
          if (c === C.COMMA) state = this.commaState;
          else if (
            c === C.RPAREN &&
            this.depth > 0 &&
            this.depth <= K.MAX_PARENS &&
            this.parens[this.depth - 1] === Paren.PLAIN &&
            (this.depth === 1 || this.parens[this.depth - 2] === Paren.PLAIN)
          ) {
            // `)` closing a plain paren inside a plain one (or none): nothing else changes.
            this.depth--;
            state = S.CLOSE;
          } else if (c === C.LPAREN && this.pendingAt !== n0 && this.depth < K.MAX_PARENS) {
            // A plain `(` (as punct() would open it).
            this.parens[this.depth++] = Paren.PLAIN;
            this.inTypeLength = false;
            this.commaState = S.INTRO;
            state = S.INTRO;
          } else state = this.punct(c, n0);
        }
        continue;
      } else if (fast === Fast.DIGIT) {
        let d = 0;
        i++;
        while (i < len && (d = codes[i]!) >= C.ZERO && d <= C.NINE) i++;
        // Followed by `.` or a word char, it is the lexer's (1.5, 1e5, 0x1F, ...).
        if (i >= len || (d !== C.DOT && d < 128 && fold[d] === 0)) {
          // Not followed by `.` or a word char (isWordCont(): WORD_FOLD is 0 for the others).
          const fixed = this.fixAt === n || this.inTypeLength;
          if (space && n !== 0) out[n++] = C.SPACE;
          n =
            (fixed ? (this.fixedEnd = writeFixedNumber(out, n)) : writeLiteralToken(out, view, n, space, lastQuote)) |
            0;
          lastQuote = fixed ? 0 : C.SQUOTE;
          glue = false;
          state = S.LITERAL;
          continue;
        }
      } else if (fast === Fast.STRING) {
        // A body without a backslash or a doubled quote ends at its first quote under every escape rule.
        let e = i + 1;
        let d = 0;
        while (e < len && (d = codes[e]!) !== C.SQUOTE && d !== C.BACKSLASH) e++;
        if (e < len && d === C.SQUOTE && (e + 1 >= len || codes[e + 1] !== C.SQUOTE)) e++;
        else e = this.lexer.stringEnd(i) | 0;
        if (e < 0) return -1; // unterminated: fail closed
        if (space && n !== 0) out[n++] = C.SPACE;
        n = writeLiteralToken(out, view, n, space, lastQuote) | 0;
        i = e;
        lastQuote = C.SQUOTE;
        glue = false;
        state = S.LITERAL;
        continue;
      } else if (fast === Fast.DOT) {
        const d = i + 1 < len ? codes[i + 1]! : 0;
        if (d < C.ZERO || d > C.NINE) {
          if (this.keptAt === n) {
            n = this.unkeep() | 0; // `name.x`: the word before the dot is a name
            if (n < 0) return -1;
          }
          // `0.` would read back as one number: a dot after a fixed 0 is kept apart from it.
          if ((space || n === this.fixedEnd) && n !== 0) out[n++] = C.SPACE;
          out[n++] = C.DOT;
          i++;
          lastQuote = 0;
          glue = false;
          state = S.DOT;
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
      if (this.keptAt === n && e - ts === 1 && codes[ts] === C.DOT && kind !== TOK_LITERAL) {
        n = this.unkeep() | 0; // a dot after a comment
        if (n < 0) return -1;
      }
      const n0 = n;
      i = e;
      if (n + (e - ts) + K.MAX_REPLACEMENT > cap) return K.FULL;
      if ((spaced || (n === this.fixedEnd && codes[ts] === C.DOT)) && n !== 0) out[n++] = C.SPACE;
      if (kind === TOK_WORD) {
        // `:` then `$x` (MySQL) must not read back as the placeholder `:anon_id_0`.
        if (glue && !spaced) out[n++] = C.SPACE;
        const h = lx.hash | 0; // read first: deciding may peek ahead with the lexer
        const k = this.writeKeptWord(out, n, codes, ts, e, h, lx.flags, state) | 0;
        n = k !== K.NOT_KEPT ? k : writeName(view, n, this.names.number(ts, e, h, NAME_BARE));
        state = k !== K.NOT_KEPT ? this.wordState : S.NAME;
      } else {
        n = this.writeToken(out, n, n0, codes, kind, spaced, lastQuote) | 0;
        state = this.stateAfter(kind, codes, ts, e, state, n0, n);
      }
      if (n < 0) return -1;
      lastQuote =
        kind === TOK_LITERAL
          ? out[n - 1] === C.SQUOTE
            ? C.SQUOTE
            : 0
          : kind === TOK_QUOTED_IDENT
            ? this.quoteOf(lx.quote)
            : 0;
      glue = kind === TOK_GLUE;
    }
  }

  /** Where the next word stands after `,` `(` `)` `[` `]` (c, written after out[n0]), with the paren stack kept. */
  private punct(c: number, n0: number): number {
    switch (c) {
      case C.COMMA:
        return this.commaState;
      case C.LPAREN: {
        const pending = this.pendingAt === n0 ? this.pendingParen : Paren.PLAIN;
        if (this.depth < K.MAX_PARENS) this.parens[this.depth] = pending;
        this.depth++;
        this.parenChanged();
        return pending === Paren.OPTIONS ? S.OPTION : S.INTRO;
      }
      case C.RPAREN:
        if (this.depth > 0) this.depth--;
        this.parenChanged();
        return S.CLOSE;
      case C.LBRACKET:
        this.brackets++;
        this.lexer.inBrackets = true;
        return S.INTRO;
      default: // ]
        if (this.brackets > 0) this.brackets--;
        this.lexer.inBrackets = this.brackets > 0;
        return S.NAME;
    }
  }

  /**
   * Where the next word stands after a token of `kind` (not a word) at
   * codes[s, e), written at out[n0, n).
   */
  private stateAfter(
    kind: number,
    codes: Uint16Array,
    s: number,
    e: number,
    state: number,
    n0: number,
    n: number,
  ): number {
    switch (kind) {
      case TOK_LITERAL:
        return S.LITERAL;
      case TOK_QUOTED_IDENT:
      case TOK_USER_VAR:
        return S.NAME;
      case TOK_SEMICOLON:
        this.resetStatement();
        return S.START;
      case TOK_GLUE:
        // `:name` placeholders and `@@system` variables are values; a bare `:` is a slice colon.
        return e - s === 1 && codes[s] === C.COLON ? S.INTRO : S.NAME;
      default: {
        // a verbatim token (operator, punctuation, placeholder)
        const c = codes[s]!;
        if (e - s === 1) {
          // `INCREMENT BY -1`: the number still needs to be an integer.
          if (c === C.MINUS && this.fixAt === n0) this.fixAt = n;
          if (c === C.DOT) return S.DOT;
          if (c >= 128) return state;
          const after = AFTER_PUNCT[c]!;
          // `,` `(` `)` `[` `]` after a comment come this way: tracked as in rewrite().
          return after !== K.PUNCT_TRACKED ? after : c === C.COMMA ? this.commaState : this.punct(c, n0);
        }
        if (c === C.COLON && codes[s + 1] === C.COLON) return S.TYPE; // `::`
        if (c === C.DOLLAR) return S.NAME; // $1
        return S.INTRO; // a longer operator
      }
    }
  }

  /**
   * Writes the bare word codes[s, e) (hash `h`, WORD_* `flags`), standing
   * at `state`, at out[n] if it stays a key word, and sets wordState;
   * returns the new end, or NOT_KEPT for a name (written by the caller).
   * For the words the lexer finds; rewrite() decides for the others itself,
   * taking shortcuts where keeps() is sure to say yes and doing afterKept()'s
   * commonest steps without a call (what it does is the same).
   */
  private writeKeptWord(
    out: Buffer,
    n: number,
    codes: Uint16Array,
    s: number,
    e: number,
    h: number,
    flags: number,
    state: number,
  ): number {
    // After a dot every word is a name (keeps() says so): no kept-set lookup.
    const k = flags === 0 && state !== S.DOT ? this.kept.copyCodesIfHas(codes, s, e, h, out, this.view, n) : -1;
    if (k >= 0 && this.keptWord(this.kept.hit, n, k, e, state)) return k;
    return K.NOT_KEPT;
  }

  /**
   * Whether the word the kept set just found (copied to out[n, k), ending
   * at codes[e]), standing at `state`, stays a key word; if so, sets
   * wordState and the position state after it.
   */
  private keptWord(info: number, n: number, k: number, e: number, state: number): boolean {
    if (!this.keeps(info, state, e)) return false;
    // A key word followed by `.` is a name after all: unkeep() rewrites it when the dot comes.
    this.keptAt = k;
    this.keptLength = k - n;
    this.keptEnd = e;
    this.afterKept(info, state, n, k);
    return true;
  }

  /**
   * Rewrites the kept word just written (ending at out[keptAt]) as a name,
   * since a `.` follows it (`name.x`, `t.key.x`); returns the new end (-1:
   * redact). What keeping it changed is undone.
   */
  private unkeep(): number {
    const k = this.keptAt;
    const length = this.keptLength;
    const e = this.keptEnd;
    const s = e - length; // a key word is copied as written
    if (this.effectsAt === k) {
      this.query = this.queryBefore;
      this.asType = this.asTypeBefore;
    }
    this.keptAt = this.fixAt = this.pendingAt = this.specialAt = this.effectsAt = K.NOWHERE;
    return writeName(this.view, k - length, this.names.number(s, e, hashBare(this.codes, s, e), NAME_BARE));
  }

  /** Whether the kept word with flags `info`, standing at `state` and ending at `e`, stays a key word. */
  private keeps(info: number, state: number, e: number): boolean {
    switch (state) {
      case S.DOT:
        return false;
      case S.START:
      case S.OTHER:
      case S.OPTION:
      case S.TYPE:
        if ((info & (W.KEYWORD | W.TYPE | W.VALUE)) === 0) return this.peekChar(e) === Next.LPAREN; // a function
        return true;
      case S.AS:
        return this.keepsAfterAs(info, e);
      case S.NAME:
      case S.CLOSE:
      case S.LITERAL:
        return this.keepsAfterName(info, state, e);
      case S.RELATION:
      case S.OBJECT: {
        if ((info & (W.RESERVED | W.VALUE | W.NOT_NAME)) !== 0) return true;
        const next = this.peek(e, info);
        if (next === Next.DOT) return false;
        // `FROM PROGRAM 'cmd'`, `PREPARE TRANSACTION 'x'`, `ADD VALUE 'v'`: no name stands before a literal.
        if (next === Next.LITERAL) return (info & W.KEYWORD) !== 0;
        if (next === Next.LPAREN) return (info & W.FUNC) !== 0;
        if (state === S.RELATION) return false;
        if ((info & W.ON) !== 0) return next !== Next.TERM && next !== Next.END;
        // A kind of object when a name (or another key word) follows: `ON SCHEMA s`, not `ON statistics TO r`.
        return (
          (info & W.KIND) !== 0 && (next === Next.NAME || (next === Next.WORD && (this.peekInfo & W.FOLLOW) === 0))
        );
      }
      default: // S.INTRO
        return this.keepsInExpression(info, e);
    }
  }

  /** keeps() after AS. */
  private keepsAfterAs(info: number, e: number): boolean {
    if (this.asType || this.parenKind() === Paren.CAST) return (info & (W.TYPE | W.KEYWORD)) !== 0;
    if ((info & W.RESERVED) !== 0) {
      const c = this.peekChar(e);
      return c !== Next.TERM && c !== Next.END;
    }
    if ((info & W.AS_WORD) === 0) return false;
    if (this.asAfterKeyword || (info & W.QUERY) !== 0) return true;
    const next = this.peek(e, info);
    // After a name, AS is an alias unless a key word's operand follows (`AS ENUM (`, `AS RANGE (`).
    return (
      next === Next.LPAREN ||
      next === Next.NAME ||
      next === Next.LITERAL ||
      (next === Next.WORD && (this.peekInfo & W.FOLLOW) === 0)
    );
  }

  /** keeps() after a name or a literal. */
  private keepsAfterName(info: number, state: number, e: number): boolean {
    if (state !== S.LITERAL && this.query && (info & W.RESERVED) === 0) {
      // `max(x) rows`, `count(*) skip`: an alias, unless the word follows a paren in the grammar (`) OVER`, `) VALUES`).
      if ((info & W.FRAME) !== 0 && this.depth === 0) return false;
      if (state === S.CLOSE && (info & W.AFTER_PAREN) === 0) return false;
    }
    if ((info & (W.RESERVED | W.FOLLOW | W.VALUE)) !== 0) return true;
    if ((info & W.KEYWORD) === 0) {
      // A type or function name only: a type in a column definition, a function before `(`.
      if ((info & W.TYPE) !== 0 && !this.query) return true;
      return this.peekChar(e) === Next.LPAREN;
    }
    // A non-reserved key word: a bare alias in a query, a key word elsewhere and after a literal.
    return state === S.LITERAL || !this.query || (info & W.NOT_NAME) !== 0;
  }

  /** keeps() where an expression starts. */
  private keepsInExpression(info: number, e: number): boolean {
    if ((info & (W.VALUE | W.NOT_NAME)) !== 0) return true;
    if ((info & W.RESERVED) !== 0) {
      const c = this.peekChar(e);
      return c !== Next.TERM && c !== Next.END; // a reserved word alone between separators is a name
    }
    // A function name only: kept before `(` (the cheap test will do).
    if ((info & (W.KEYWORD | W.TYPE)) === 0) return this.peekChar(e) === Next.LPAREN;
    const next = this.peek(e, info);
    if (next === Next.DOT) return false;
    if ((info & W.KEYWORD) === 0) {
      // A type or function name only: kept before `(`, and a type before a literal (DATE '…').
      return next === Next.LPAREN || (next === Next.LITERAL && (info & W.TYPE) !== 0);
    }
    // A typed literal's type: `TIMESTAMP WITH TIME ZONE '…'`.
    if ((info & W.TYPE) !== 0 && next === Next.WORD) {
      const sp = (this.peekInfo >>> W.SPECIAL_SHIFT) & 31;
      if (sp === Sp.WITH || sp === Sp.WITHOUT) return true;
    }
    switch (next) {
      case Next.LPAREN:
      case Next.LITERAL:
        return true;
      case Next.WORD: {
        // Before a key word that does not follow names: a key word too.
        const x = this.peekInfo;
        return (x & (W.FOLLOW | W.TYPE)) === 0;
      }
      default:
        return false;
    }
  }

  /**
   * Updates the position state after the kept word with flags `info`, which stood at `state`.
   * rewrite() takes the same steps itself for the words it keeps without
   * TYPE_LENGTH, CAST or OPTIONS: a change here belongs there too.
   */
  private afterKept(info: number, state: number, n: number, k: number): void {
    const special = (info >>> W.SPECIAL_SHIFT) & 31;
    if ((info & W.QUERY) !== 0 || special === Sp.DOMAIN) {
      // What unkeep() restores.
      this.effectsAt = k;
      this.queryBefore = this.query;
      this.asTypeBefore = this.asType;
    }
    // A number that must stay an integer.
    if ((info & (W.FIXED_NUMBER | W.NUMBER_CONNECTOR)) !== 0) {
      if ((info & W.FIXED_NUMBER) !== 0 || this.follows(this.fixAt, n)) this.fixAt = k;
    }
    if ((info & (W.TYPE_LENGTH | W.CAST | W.OPTIONS)) !== 0) {
      const paren =
        (info & W.TYPE_LENGTH) !== 0
          ? Paren.TYPE_LENGTH
          : (info & W.CAST) !== 0
            ? Paren.CAST
            : special === Sp.SET && this.query
              ? Paren.PLAIN
              : Paren.OPTIONS;
      this.pendingParen = paren;
      this.pendingAt = k;
    }
    if ((info & W.QUERY) !== 0 && (state === S.START || special === Sp.SELECT)) this.query = true;
    if (special === Sp.NONE) {
      this.wordState =
        state === S.TYPE && (info & (W.INTRO | W.RELATION | W.OBJECT)) === 0 ? S.TYPE : (info >>> W.BASE_SHIFT) & 7;
      return;
    }
    const last = this.follows(this.specialAt, n) ? this.lastSpecial : Sp.NONE;
    this.lastSpecial = special;
    this.specialAt = k;
    this.wordState = this.stateAfterKept(info, state, special, last);
  }

  private stateAfterKept(info: number, state: number, special: number, last: number): number {
    switch (special) {
      case Sp.AS:
        this.asAfterKeyword = state === S.OTHER || last === Sp.DEFAULT;
        return S.AS;
      case Sp.TO:
        // `INTERVAL HOUR TO MINUTE`: a field, not a name.
        if (last === Sp.FIELD) return S.TYPE;
        break;
      case Sp.SET:
        return this.query ? S.INTRO : S.OTHER;
      case Sp.WITH:
        return state === S.START || state === S.INTRO ? S.RELATION : S.OTHER;
      case Sp.TYPE:
        return state === S.NAME || state === S.CLOSE || last === Sp.DATA ? S.TYPE : S.RELATION;
      case Sp.UPDATE:
        return state === S.START ? S.RELATION : last === Sp.KEY ? S.INTRO : S.OTHER;
      case Sp.ALTER:
      case Sp.DROP:
        return state === S.START ? S.OTHER : S.OBJECT;
      case Sp.EXECUTE:
        // `EXECUTE name`, also after `EXPLAIN ANALYZE`; not `EXECUTE FUNCTION f()` in a trigger.
        return state === S.START || last === Sp.EXPLAIN ? S.RELATION : S.OTHER;
      case Sp.DOMAIN:
        this.asType = true;
        return S.RELATION;
      default:
        break;
    }
    if (state === S.TYPE && (info & (W.INTRO | W.RELATION | W.OBJECT)) === 0) return S.TYPE;
    return (info >>> W.BASE_SHIFT) & 7;
  }

  /**
   * The kind of the token after codes[e] as it will be written out (a kept
   * word: Next.WORD and its flags in peekInfo). `info`: the flags of the
   * word before it, which, if kept, decides where the next word stands.
   */
  private peek(e: number, info: number): number {
    const lx = this.lexer;
    const codes = this.codes;
    const len = this.len;
    let i = e;
    let c = 0;
    while (i < len && isSpace((c = codes[i]!))) i++;
    if (i >= len) return Next.END;
    const spaced = i !== e;
    if (c < 128 && isPunctuation(c)) return NEXT_OF_PUNCT[c]!;
    switch (c) {
      case C.SQUOTE:
        return Next.LITERAL;
      case C.DQUOTE:
        return this.dqString ? Next.LITERAL : Next.NAME;
      case C.BACKTICK:
        return Next.NAME;
      case C.DOT: {
        const d = i + 1 < len ? codes[i + 1]! : 0;
        return spaced && d >= C.ZERO && d <= C.NINE ? Next.LITERAL : Next.DOT;
      }
      case C.SEMI:
        return Next.TERM;
      case C.DOLLAR:
        if (this.dollarQuotes) return Next.LITERAL;
        break;
      default:
        if (c >= C.ZERO && c <= C.NINE) return Next.LITERAL;
        if (c === C.MINUS || c === C.SLASH || c === C.HASH || c === C.COLON || c === C.AT || c >= 128 || isWordStart(c))
          break;
        return Next.OP;
    }
    // Comments, words, string prefixes, `$`, `:` and `@` forms: the lexer's.
    lx.seek(i);
    const kind = lx.next();
    switch (kind) {
      case TOK_END:
      case TOK_ERROR:
        return Next.END;
      case TOK_SEMICOLON:
        return Next.TERM;
      case TOK_LITERAL:
        return Next.LITERAL;
      case TOK_QUOTED_IDENT:
        return Next.NAME;
      case TOK_WORD:
        return this.peekWord(lx.start, lx.end, lx.hash, lx.flags, info);
      default: {
        const d = codes[lx.start]!;
        if (lx.end - lx.start === 1 && d < 128) return NEXT_OF_PUNCT[d]!;
        return Next.OP;
      }
    }
  }

  /**
   * peek() for a word at codes[s, e): Next.WORD when it will be written as
   * a key word whatever the word before it turns out to be, else Next.NAME.
   */
  private peekWord(s: number, e: number, h: number, flags: number, before: number): number {
    if (flags !== 0) return Next.NAME;
    if (!this.kept.hasCodes(this.codes, s, e, h)) return Next.NAME;
    const x = this.kept.hit;
    if ((x & W.KEYWORD) === 0) return (x & W.TYPE) !== 0 ? ((this.peekInfo = x), Next.WORD) : Next.NAME;
    // A key word right after `before`: when `before` is kept and puts the
    // next word where a name may stand, this one may become a name.
    const opens =
      (before & (W.INTRO | W.RELATION | W.OBJECT | W.AS_WORD)) !== 0 || ((before >>> W.SPECIAL_SHIFT) & 31) !== 0;
    const after = this.peekChar(e);
    if (after === Next.DOT) return Next.NAME;
    if (opens) {
      if ((x & W.RESERVED) === 0 && (x & (W.FOLLOW | W.TYPE)) === 0) return Next.NAME;
      if ((x & W.RESERVED) !== 0 && (x & W.VALUE) === 0 && (after === Next.TERM || after === Next.END))
        return Next.NAME;
    }
    this.peekInfo = x;
    return Next.WORD;
  }

  /**
   * The kind of the token after codes[e], whitespace and comments skipped,
   * for the tests that need only punctuation: END, TERM, LPAREN, DOT (as
   * peek() says), and OP for everything else (words and literals too).
   */
  private peekChar(e: number): number {
    const lx = this.lexer;
    const codes = this.codes;
    const len = this.len;
    let i = e;
    let c = 0;
    while (i < len && isSpace((c = codes[i]!))) i++;
    if (i >= len) return Next.END;
    if (c === C.MINUS || c === C.SLASH || c === C.HASH) {
      lx.seek(i);
      const kind = lx.next();
      if (kind === TOK_END || kind === TOK_ERROR) return Next.END;
      if (kind === TOK_SEMICOLON) return Next.TERM;
      c = codes[lx.start]!;
      if (lx.end - lx.start !== 1) return Next.OP;
    }
    if (c === C.SEMI) return Next.TERM;
    if (c === C.DOT) {
      // As the lexer reads it: `.5` after whitespace is a number.
      const d = i + 1 < len ? codes[i + 1]! : 0;
      return i !== e && d >= C.ZERO && d <= C.NINE ? Next.LITERAL : Next.DOT;
    }
    return c < 128 && isPunctuation(c) ? NEXT_OF_PUNCT[c]! : Next.OP;
  }

  /** The quote char a TOK_QUOTED_IDENT is written with. */
  private quoteOf(lexerQuote: number): number {
    return lexerQuote === C.BACKTICK ? C.BACKTICK : C.DQUOTE;
  }

  /**
   * Writes the lexer's current token, of `kind` (not a word), at out[n]
   * (after the space before it, if any); returns the new end (-1: redact).
   * `spaced`: whether whitespace or comments came before it; `lastQuote`:
   * see rewrite().
   */
  private writeToken(
    out: Buffer,
    n: number,
    n0: number,
    codes: Uint16Array,
    kind: number,
    spaced: boolean,
    lastQuote: number,
  ): number {
    const lx = this.lexer;
    const s = lx.start;
    const e = lx.end;
    switch (kind) {
      case TOK_LITERAL: {
        const c = codes[s]!;
        // A number (not a string with a prefix) where the grammar needs an integer.
        if (((c >= C.ZERO && c <= C.NINE) || c === C.DOT) && (this.fixAt === n0 || this.inTypeLength)) {
          return (this.fixedEnd = writeFixedNumber(out, n));
        }
        return writeLiteralToken(out, this.view, n, spaced, lastQuote);
      }
      case TOK_QUOTED_IDENT:
        return this.writeQuotedName(out, n, codes, this.quoteOf(lx.quote), lastQuote, spaced);
      case TOK_USER_VAR:
        return this.writeUserVariable(out, n, codes);
      case TOK_SEMICOLON:
        // Numbering restarts with every statement.
        this.names.clear();
        out[n++] = C.SEMI;
        return n;
      default: // verbatim tokens and TOK_GLUE: ASCII by construction
        // Never write "--": in MySQL, `5--/*c*/1` is 5 minus minus 1, but
        // "--" followed by the space the comment leaves would read back as
        // a comment. (Postgres and strict never get here with "--".)
        if (codes[s] === C.MINUS && n !== 0 && out[n - 1] === C.MINUS) out[n++] = C.SPACE;
        for (let k = s; k < e; k++) out[n++] = codes[k]!;
        return n;
    }
  }

  /** Writes the current TOK_QUOTED_IDENT, quoted by `q`, at out[n]; returns the new end (-1: redact). */
  private writeQuotedName(
    out: Buffer,
    n: number,
    codes: Uint16Array,
    q: number,
    lastQuote: number,
    space: boolean,
  ): number {
    const lx = this.lexer;
    const is = lx.innerStart;
    const ie = lx.innerEnd;
    // `""U&""` would otherwise become `"anon_id_0""anon_id_0"`, one name.
    if (lastQuote === q && !space) out[n++] = C.SPACE;
    out[n++] = q;
    n = writeName(this.view, n, this.names.number(is, ie, hashQuoted(codes, is, ie), NAME_QUOTED));
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
    return writeName(this.view, n, this.names.number(is, ie, hashVariable(codes, is, ie), NAME_VARIABLE));
  }
}

/** Writes the fixed number at out[n]; returns the new end. */
function writeFixedNumber(out: Buffer, n: number): number {
  out[n] = K.FIXED_NUMBER;
  return n + 1;
}

/**
 * Writes a literal token at out[n] (the space before it, if any, written);
 * returns the new end. A literal that touches one written just before it
 * (no `space` between, `lastQuote` a single quote) is kept apart from it:
 * `'a''b'` would read back as one literal.
 */
function writeLiteralToken(out: Buffer, view: DataView, n: number, space: boolean, lastQuote: number): number {
  if (!space && lastQuote === C.SQUOTE) out[n++] = C.SPACE;
  return writeLiteral(view, n);
}
