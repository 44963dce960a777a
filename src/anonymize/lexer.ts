/**
 * A single-pass SQL tokenizer over UTF-16 char codes, parameterised by
 * dialect rules. It only finds token boundaries and classifies tokens; it
 * never builds token objects: `next()` returns a token kind and leaves the
 * token's span in the lexer's fields.
 *
 * Whitespace and comments are skipped by `next()` itself and reported in
 * `space` for the token that follows them.
 *
 * Every scan moves forward only (no backtracking, no regular expressions),
 * so lexing is linear in the input length.
 */
import { SEED_NAME } from './hash.js';

/** End of input (`space` tells whether trailing whitespace/comments were skipped). */
export const TOK_END = 0;
/** A bare word (key word or identifier); see `flags`. */
export const TOK_WORD = 1;
/** A quoted identifier; its name is `innerStart`..`innerEnd`, quoted by `quote`. */
export const TOK_QUOTED_IDENT = 2;
/** A literal: string of any form, number, dollar-quoted string, bit/hex string. */
export const TOK_LITERAL = 3;
/** Operator, punctuation, placeholder or system variable: copied verbatim. */
export const TOK_VERBATIM = 4;
/** A MySQL user variable `@name`; the name is `innerStart`..`innerEnd`. */
export const TOK_USER_VAR = 5;
/** A top-level `;`. */
export const TOK_SEMICOLON = 6;
/** Unterminated quote/comment, or a token whose end the dialects disagree on. */
export const TOK_ERROR = 7;
/**
 * Copied verbatim like TOK_VERBATIM, but it would take in a name written
 * directly after it (`:` + `x` reads as the placeholder `:x`, MySQL `@@` +
 * `x` as a system variable): `:`, `:name`, and in MySQL `@`, `@@`,
 * `@@name`. The rewriter keeps a following name apart from it.
 */
export const TOK_GLUE = 8;

/** `space` values: whether whitespace or comments came before the current token. */
export const SPACE_NONE = 0;
export const SPACE_SOME = 1;

/** `flags` bit of a TOK_WORD with non-ASCII characters (never a key word). */
export const WORD_NON_ASCII = 1;

/** How a quoted string treats backslashes. */
export const ESC_NONE = 0; // only doubled quotes ('' / "")
export const ESC_BACKSLASH = 1; // backslash escapes the next char, and doubled quotes
/** Both of the above must end the string at the same place, or TOK_ERROR. */
export const ESC_AMBIGUOUS = 2;

/** How `"…"` is read. */
export const DQ_IDENTIFIER = 0; // Postgres / standard SQL
export const DQ_STRING = 1; // MySQL (without ANSI_QUOTES)

export interface LexerRules {
  /** `#` starts a comment to end of line (MySQL). */
  readonly hashComments: boolean;
  /** `--` starts a comment only when followed by whitespace/control/end (MySQL). */
  readonly dashDashNeedsSpace: boolean;
  /** Block comments nest (Postgres). */
  readonly nestedBlockComments: boolean;
  /** `` `name` `` is a quoted identifier (MySQL). */
  readonly backtickIdentifiers: boolean;
  readonly doubleQuote: typeof DQ_IDENTIFIER | typeof DQ_STRING;
  /** Escape rule for `"…"` when it is an identifier (ESC_AMBIGUOUS in strict mode). */
  readonly doubleQuoteEscapes: number;
  /** Escape rule for plain `'…'` (and N'', X'', B'', U&'', _cs'' strings). */
  readonly singleQuoteEscapes: number;
  /** E'…' strings with backslash escapes (Postgres). */
  readonly eStrings: boolean;
  /** U&'…' strings and U&"…" identifiers (Postgres). */
  readonly unicodeEscapes: boolean;
  /** $$…$$ and $tag$…$tag$ strings (Postgres); otherwise `$name` is a bare word (MySQL). */
  readonly dollarQuotes: boolean;
  /** `_charset'…'` introducers fold into the literal (MySQL). */
  readonly charsetIntroducers: boolean;
  /** `@name` is a user variable, `@@[scope.]name` a system variable (MySQL). */
  readonly mysqlVariables: boolean;
}

// Char codes used below.
const C_TAB = 9;
const C_LF = 10;
const C_VT = 11;
const C_FF = 12;
const C_CR = 13;
const C_SPACE = 32;
const C_DQUOTE = 34;
const C_HASH = 35;
const C_DOLLAR = 36;
const C_AMP = 38;
const C_SQUOTE = 39;
const C_RPAREN = 41;
const C_STAR = 42;
const C_PLUS = 43;
const C_MINUS = 45;
const C_DOT = 46;
const C_SLASH = 47;
const C_0 = 48;
const C_9 = 57;
const C_COLON = 58;
const C_SEMI = 59;
const C_AT = 64;
const C_A = 65;
const C_Z = 90;
const C_RBRACKET = 93;
const C_BACKSLASH = 92;
const C_UNDERSCORE = 95;
const C_BACKTICK = 96;
const C_a = 97;
const C_z = 122;
const C_DEL = 127;

/**
 * ASCII character classes. Code units >= 0x80 are identifier characters
 * (PostgreSQL and MySQL both accept non-ASCII letters in unquoted names).
 */
const CLASS = new Uint8Array(128);
const CL_START = 1; // may start a bare word
const CL_CONT = 2; // may continue a bare word
const CL_SPACE = 4; // whitespace
const CL_DIGIT = 8; // decimal digit
const CL_UPPER = 16; // A-Z
/** Punctuation that is a one-char verbatim token in every dialect. */
const CL_PLAIN = 32;
for (let c = C_A; c <= C_Z; c++) CLASS[c] = CL_START | CL_CONT | CL_UPPER;
for (let c = C_a; c <= C_z; c++) CLASS[c] = CL_START | CL_CONT;
for (let c = C_0; c <= C_9; c++) CLASS[c] = CL_CONT | CL_DIGIT;
CLASS[C_UNDERSCORE] = CL_START | CL_CONT;
CLASS[C_DOLLAR] = CL_CONT;
for (const c of [C_TAB, C_LF, C_VT, C_FF, C_CR, C_SPACE]) CLASS[c] = CL_SPACE;
// Everything but word characters, whitespace, and the chars next() looks at
// (quotes, $ : @ ; . and the comment starters - / #).
for (let c = 0; c < 128; c++) {
  if (CLASS[c] === 0 && !'\'"`$:@;.-/#'.includes(String.fromCharCode(c))) CLASS[c] = CL_PLAIN;
}

/**
 * For ASCII chars that may continue a bare word, the char ASCII lower-cased
 * (the code unit the word's hash takes in); 0 for every other char. One
 * table load per char replaces the class test and the case test in word().
 */
const WORD_FOLD = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if ((CLASS[c]! & CL_CONT) !== 0) WORD_FOLD[c] = (CLASS[c]! & CL_UPPER) !== 0 ? c + 32 : c;
}

function isWordCont(c: number): boolean {
  return c >= 128 || (CLASS[c]! & CL_CONT) !== 0;
}

/** Name characters of placeholders and system variables: [A-Za-z0-9_]. */
function isPlainNameChar(c: number): boolean {
  return c < 128 && c !== C_DOLLAR && (CLASS[c]! & CL_CONT) !== 0;
}

function isWordStart(c: number): boolean {
  return c >= 128 || (CLASS[c]! & CL_START) !== 0;
}

/**
 * Returns the index just past the closing `quote` of a string whose body
 * starts at `i`, or -1 when it is unterminated. A doubled quote stands for
 * one quote; with `backslash`, `\x` is an escape pair.
 */
export function scanQuoted(codes: Uint16Array, len: number, i: number, quote: number, backslash: boolean): number {
  while (i < len) {
    const c = codes[i]!;
    if (c === quote) {
      if (i + 1 < len && codes[i + 1]! === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i += backslash && c === C_BACKSLASH ? 2 : 1;
  }
  return -1;
}

/** scanQuoted() under an ESC_* rule; ESC_AMBIGUOUS yields -1 when the readings disagree. */
function scanQuotedWith(codes: Uint16Array, len: number, i: number, quote: number, escapes: number): number {
  if (escapes === ESC_AMBIGUOUS) {
    const a = scanQuoted(codes, len, i, quote, false);
    return a === scanQuoted(codes, len, i, quote, true) ? a : -1;
  }
  return scanQuoted(codes, len, i, quote, escapes === ESC_BACKSLASH);
}

export class SqlLexer {
  private readonly rules: LexerRules;
  private codes: Uint16Array = new Uint16Array(0);
  private len = 0;
  private pos = 0;

  /** Span of the current token. */
  start = 0;
  end = 0;
  /** SPACE_* : what was skipped between the previous token and this one. */
  space = SPACE_NONE;
  /** Name span of a TOK_QUOTED_IDENT or TOK_USER_VAR. */
  innerStart = 0;
  innerEnd = 0;
  /** Quote char code of a TOK_QUOTED_IDENT. */
  quote = 0;
  /** WORD_NON_ASCII when a TOK_WORD has non-ASCII characters, else 0. */
  flags = 0;
  /** hashBare() of a TOK_WORD (see nametable.ts), computed while scanning it. */
  hash = 0;

  constructor(rules: LexerRules) {
    this.rules = rules;
  }

  /** Starts on the input codes[0, length). */
  reset(codes: Uint16Array, length: number): void {
    this.codes = codes;
    this.len = length;
    this.pos = 0;
  }

  next(): number {
    const codes = this.codes;
    const len = this.len;
    const s0 = this.pos;
    let i = s0;
    let c = 0;

    // Skip whitespace and comments.
    while (i < len) {
      c = codes[i]!;
      if (c === C_SPACE || (c <= C_CR && c >= C_TAB)) {
        i++;
        continue;
      }
      if (c === C_MINUS || c === C_SLASH || c === C_HASH) {
        const j = this.comment(i, c);
        if (j === i) break;
        if (j < 0) return this.fail();
        i = j;
        continue;
      }
      break;
    }
    this.space = i === s0 ? SPACE_NONE : SPACE_SOME;
    this.start = i;
    if (i >= len) {
      this.end = i;
      return TOK_END;
    }

    if (c >= 128) return this.word(i);
    const cl = CLASS[c]!;
    if ((cl & CL_START) !== 0) return this.word(i);
    if ((cl & CL_PLAIN) !== 0) {
      this.end = this.pos = i + 1;
      return TOK_VERBATIM;
    }
    if ((cl & CL_DIGIT) !== 0) return this.scanNumber(i);
    return this.special(c, i);
  }

  /**
   * If a comment starts at `i` (whose char is `c`), the index just past it
   * (-1 when it is unterminated); otherwise `i`.
   */
  private comment(i: number, c: number): number {
    const codes = this.codes;
    const len = this.len;
    const rules = this.rules;
    if (c === C_MINUS) {
      if (i + 1 < len && codes[i + 1]! === C_MINUS) {
        if (!rules.dashDashNeedsSpace) return this.skipLine(i + 2);
        // MySQL: "--" must be followed by whitespace, a control character or the end.
        const d = i + 2 < len ? codes[i + 2]! : 0;
        if (d <= C_SPACE || d === C_DEL) return this.skipLine(i + 2);
      }
      return i;
    }
    if (c === C_SLASH) {
      return i + 1 < len && codes[i + 1]! === C_STAR ? this.skipBlock(i + 2) : i;
    }
    return rules.hashComments ? this.skipLine(i + 1) : i;
  }

  /** Tokens starting with a char that means different things in different places. */
  private special(c: number, i: number): number {
    const codes = this.codes;
    const len = this.len;
    const rules = this.rules;
    switch (c) {
      case C_SQUOTE: {
        const e = scanQuotedWith(codes, this.len, i + 1, C_SQUOTE, rules.singleQuoteEscapes);
        return e < 0 ? this.fail() : this.finish(e, TOK_LITERAL);
      }
      case C_DQUOTE: {
        if (rules.doubleQuote === DQ_STRING) {
          const e = scanQuoted(codes, this.len, i + 1, C_DQUOTE, true);
          return e < 0 ? this.fail() : this.finish(e, TOK_LITERAL);
        }
        const e = scanQuotedWith(codes, this.len, i + 1, C_DQUOTE, rules.doubleQuoteEscapes);
        return e < 0 ? this.fail() : this.quoted(i + 1, e, C_DQUOTE);
      }
      case C_BACKTICK: {
        if (!rules.backtickIdentifiers) break;
        const e = scanQuoted(codes, this.len, i + 1, C_BACKTICK, false);
        return e < 0 ? this.fail() : this.quoted(i + 1, e, C_BACKTICK);
      }
      case C_DOT: {
        // `.5` is a number, unless it follows a name (`t.5col` in MySQL).
        if (i + 1 < len) {
          const d = codes[i + 1]!;
          if (d >= C_0 && d <= C_9 && !this.followsName(i)) return this.scanNumber(i);
        }
        break;
      }
      case C_DOLLAR:
        return this.dollar(i);
      case C_COLON: {
        if (i + 1 < len) {
          const d = codes[i + 1]!;
          if (d === C_COLON) return this.finish(i + 2, TOK_VERBATIM); // `::` cast
          if (d < 128 && (CLASS[d]! & CL_START) !== 0) {
            // `:name` placeholder, kept verbatim ([A-Za-z0-9_] only: the
            // output never carries non-ASCII text).
            let j = i + 2;
            while (j < len && isPlainNameChar(codes[j]!)) j++;
            return this.finish(j, TOK_GLUE);
          }
        }
        return this.finish(i + 1, TOK_GLUE);
      }
      case C_AT: {
        if (rules.mysqlVariables) return this.atSign(i);
        break;
      }
      case C_SEMI:
        return this.finish(i + 1, TOK_SEMICOLON);
      default:
        break;
    }
    return this.finish(i + 1, TOK_VERBATIM);
  }

  private finish(end: number, kind: number): number {
    this.end = end;
    this.pos = end;
    return kind;
  }

  private fail(): number {
    this.start = this.end = this.pos = this.len;
    return TOK_ERROR;
  }

  private quoted(innerStart: number, end: number, quote: number): number {
    this.innerStart = innerStart;
    this.innerEnd = end - 1;
    this.quote = quote;
    return this.finish(end, TOK_QUOTED_IDENT);
  }

  /** True when the char before `i` ends a name or a parenthesised expression. */
  private followsName(i: number): boolean {
    if (i === 0) return false;
    const p = this.codes[i - 1]!;
    return isWordCont(p) || p === C_DQUOTE || p === C_BACKTICK || p === C_RPAREN || p === C_RBRACKET;
  }

  /** Skips to the end of the line; `i` is just past the comment marker. */
  private skipLine(i: number): number {
    const codes = this.codes;
    const len = this.len;
    while (i < len) {
      const c = codes[i]!;
      if (c === C_LF || c === C_CR) return i;
      i++;
    }
    return i;
  }

  /** Skips a block comment; `i` is just past the opening slash-star. -1 if unterminated. */
  private skipBlock(i: number): number {
    const codes = this.codes;
    const len = this.len;
    const nested = this.rules.nestedBlockComments;
    let depth = 1;
    while (i < len) {
      const c = codes[i]!;
      if (c === C_STAR && i + 1 < len && codes[i + 1]! === C_SLASH) {
        i += 2;
        if (--depth === 0) return i;
        continue;
      }
      if (nested && c === C_SLASH && i + 1 < len && codes[i + 1]! === C_STAR) {
        depth++;
        i += 2;
        continue;
      }
      i++;
    }
    return -1;
  }

  private word(i: number): number {
    const codes = this.codes;
    const len = this.len;
    const s = i;
    let flags = 0;
    let h = SEED_NAME;
    while (i < len) {
      let c = codes[i]!;
      if (c < 128) {
        c = WORD_FOLD[c]!;
        if (c === 0) break;
      } else {
        flags = WORD_NON_ASCII;
      }
      h = Math.imul(h ^ c, 0x01000193);
      i++;
    }
    this.flags = flags;
    this.hash = h;
    if (i < len) {
      const next = codes[i]!;
      if (next === C_SQUOTE || next === C_AMP || next === C_DQUOTE) {
        const k = this.prefixed(s, i, next);
        if (k !== TOK_WORD) return k;
      }
    }
    return this.finish(i, TOK_WORD);
  }

  /**
   * A word at `s`..`e` directly followed by a quote or `&`: string prefixes
   * N'', X'', B'', E'', U&'', U&"", _charset''. Returns TOK_WORD when the
   * word is not a prefix.
   */
  private prefixed(s: number, e: number, next: number): number {
    const codes = this.codes;
    const rules = this.rules;
    const first = codes[s]!;
    if (e - s === 1) {
      const f = first | 0x20; // ASCII lower case
      if (next === C_SQUOTE) {
        if (f === 110 /* n */ || f === 120 /* x */ || f === 98 /* b */) {
          const end = scanQuotedWith(codes, this.len, e + 1, C_SQUOTE, rules.singleQuoteEscapes);
          return end < 0 ? this.fail() : this.finish(end, TOK_LITERAL);
        }
        if (f === 101 /* e */ && rules.eStrings) {
          const end = scanQuoted(codes, this.len, e + 1, C_SQUOTE, true);
          return end < 0 ? this.fail() : this.finish(end, TOK_LITERAL);
        }
      } else if (next === C_AMP && f === 117 /* u */ && rules.unicodeEscapes && e + 1 < this.len) {
        const q = codes[e + 1]!;
        if (q === C_SQUOTE) {
          const end = scanQuotedWith(codes, this.len, e + 2, C_SQUOTE, rules.singleQuoteEscapes);
          return end < 0 ? this.fail() : this.finish(end, TOK_LITERAL);
        }
        if (q === C_DQUOTE) {
          const end = scanQuotedWith(codes, this.len, e + 2, C_DQUOTE, rules.doubleQuoteEscapes);
          return end < 0 ? this.fail() : this.quoted(e + 2, end, C_DQUOTE);
        }
      }
      return TOK_WORD;
    }
    if (first === C_UNDERSCORE && rules.charsetIntroducers) {
      if (next === C_SQUOTE) {
        const end = scanQuotedWith(codes, this.len, e + 1, C_SQUOTE, rules.singleQuoteEscapes);
        return end < 0 ? this.fail() : this.finish(end, TOK_LITERAL);
      }
      if (next === C_DQUOTE && rules.doubleQuote === DQ_STRING) {
        const end = scanQuoted(codes, this.len, e + 1, C_DQUOTE, true);
        return end < 0 ? this.fail() : this.finish(end, TOK_LITERAL);
      }
    }
    return TOK_WORD;
  }

  /**
   * Numbers: 123, 1.5, .5, 1., 1e10, 1.5E-3, and anything glued to them
   * (0x1F, 0b101, 0o17, 1_000, MySQL's digit-led names like 1abc) is taken
   * into the same literal.
   */
  private scanNumber(i: number): number {
    const codes = this.codes;
    const len = this.len;
    let c = 0;
    while (i < len && (c = codes[i]!) >= C_0 && c <= C_9) i++;
    if (i < len && codes[i]! === C_DOT && !(i + 1 < len && codes[i + 1]! === C_DOT)) {
      i++;
      while (i < len && (c = codes[i]!) >= C_0 && c <= C_9) i++;
    }
    if (i < len && (codes[i]! | 0x20) === 101 /* e */) {
      let j = i + 1;
      if (j < len && ((c = codes[j]!) === C_PLUS || c === C_MINUS)) j++;
      if (j < len && (c = codes[j]!) >= C_0 && c <= C_9) {
        i = j + 1;
        while (i < len && (c = codes[i]!) >= C_0 && c <= C_9) i++;
      }
    }
    while (i < len && isWordCont(codes[i]!)) i++;
    return this.finish(i, TOK_LITERAL);
  }

  /** `$1` placeholders, `$tag$…$tag$` strings, MySQL `$name` words. */
  private dollar(i: number): number {
    const codes = this.codes;
    const len = this.len;
    let j = i + 1;
    if (j < len) {
      let c = codes[j]!;
      if (c >= C_0 && c <= C_9) {
        j++;
        while (j < len && (c = codes[j]!) >= C_0 && c <= C_9) j++;
        return this.finish(j, TOK_VERBATIM);
      }
    }
    if (!this.rules.dollarQuotes) {
      // MySQL: `$` is an identifier character.
      return j < len && isWordCont(codes[j]!) ? this.word(i) : this.finish(j, TOK_VERBATIM);
    }
    // Tag: [A-Za-z_\x80-][A-Za-z0-9_\x80-]* (no `$`), possibly empty.
    if (j < len && isWordStart(codes[j]!)) {
      j++;
      while (j < len) {
        const d = codes[j]!;
        if (d === C_DOLLAR || !isWordCont(d)) break;
        j++;
      }
    }
    if (j < len && codes[j]! === C_DOLLAR) {
      // Body up to the same delimiter codes[i..j]. Linear: a partial match
      // starting at a `$` covers only tag characters (never `$`), so the
      // next candidate lies past it.
      const d = j + 1 - i;
      for (let k = j + 1; k + d <= len; k++) {
        if (codes[k]! !== C_DOLLAR) continue;
        let m = 1;
        while (m < d && codes[k + m]! === codes[i + m]!) m++;
        if (m === d) return this.finish(k + d, TOK_LITERAL);
      }
      return this.fail();
    }
    return this.finish(i + 1, TOK_VERBATIM);
  }

  /** MySQL `@name` user variables and `@@[scope.]name` system variables. */
  private atSign(i: number): number {
    const codes = this.codes;
    const len = this.len;
    let j = i + 1;
    if (j < len && codes[j]! === C_AT) {
      // System variable, kept verbatim ([A-Za-z0-9_.] only, like placeholders).
      j++;
      while (j < len) {
        const d = codes[j]!;
        if (d !== C_DOT && !isPlainNameChar(d)) break;
        j++;
      }
      return this.finish(j, TOK_GLUE);
    }
    if (j < len && isWordCont(codes[j]!)) {
      j++;
      while (j < len && isWordCont(codes[j]!)) j++;
      this.innerStart = i + 1;
      this.innerEnd = j;
      return this.finish(j, TOK_USER_VAR);
    }
    return this.finish(j, TOK_GLUE);
  }
}
