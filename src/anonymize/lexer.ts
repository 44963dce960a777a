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
/* eslint-disable @typescript-eslint/no-unsafe-enum-comparison --
 * The const enums here are named numeric constants (char codes, token and
 * slot kinds), compared with plain numbers read from typed arrays by design:
 * they exist because their members compile to literals (see lexer.ts). */
import { SEED_NAME } from './hash.js';

/**
 * Why enums: V8's optimizing compiler does not constant-fold module-level
 * `const`s, so each use of one in per-char code is a context load plus a
 * type check (stored into a typed array, also a float conversion), and an
 * imported one is no better. Members of a `const enum` compile to literals.
 * (Profiled: the anonymizer spent about a tenth of its time on such loads.)
 * The exported TOK_* / SPACE_* values are for other modules.
 */

import { isPlainNameChar, isPunctuation, isSpace, isWordCont, isWordStart, WORD_FOLD } from './chars.js';

/** Token kinds returned by next(). */
const enum Tok {
  /** End of input (`space` tells whether trailing whitespace/comments were skipped). */
  END = 0,
  /** A bare word (key word or identifier); see `flags`. */
  WORD = 1,
  /** A quoted identifier; its name is `innerStart`..`innerEnd`, quoted by `quote`. */
  QUOTED_IDENT = 2,
  /** A literal: string of any form, number, dollar-quoted string, bit/hex string. */
  LITERAL = 3,
  /** Operator, punctuation, placeholder or system variable: copied verbatim. */
  VERBATIM = 4,
  /** A MySQL user variable `@name`; the name is `innerStart`..`innerEnd`. */
  USER_VAR = 5,
  /** A top-level `;`. */
  SEMICOLON = 6,
  /** Unterminated quote/comment, or a token whose end the dialects disagree on. */
  ERROR = 7,
  /**
   * Copied verbatim like VERBATIM, but it would take in a name written
   * directly after it (`:` + `x` reads as the placeholder `:x`, MySQL `@@` +
   * `x` as a system variable): `:`, `:name`, and in MySQL `@`, `@@`,
   * `@@name`. The rewriter keeps a following name apart from it.
   */
  GLUE = 8,
}

/** The token kinds for other modules (see Tok for their meaning). */
export const TOK_END: number = Tok.END;
export const TOK_WORD: number = Tok.WORD;
export const TOK_QUOTED_IDENT: number = Tok.QUOTED_IDENT;
export const TOK_LITERAL: number = Tok.LITERAL;
export const TOK_USER_VAR: number = Tok.USER_VAR;
export const TOK_SEMICOLON: number = Tok.SEMICOLON;
export const TOK_ERROR: number = Tok.ERROR;
export const TOK_GLUE: number = Tok.GLUE;

/** `space` values: whether whitespace or comments came before the current token. */
const enum Space {
  NONE = 0,
  SOME = 1,
}
export const SPACE_NONE: number = Space.NONE;

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

/** Char codes used below. */
const enum C {
  TAB = 9,
  LF = 10,
  VT = 11,
  FF = 12,
  CR = 13,
  SPACE = 32,
  DQUOTE = 34,
  HASH = 35,
  DOLLAR = 36,
  AMP = 38,
  SQUOTE = 39,
  RPAREN = 41,
  STAR = 42,
  PLUS = 43,
  MINUS = 45,
  DOT = 46,
  SLASH = 47,
  ZERO = 48,
  NINE = 57,
  COLON = 58,
  SEMI = 59,
  AT = 64,
  A = 65,
  Z = 90,
  RBRACKET = 93,
  BACKSLASH = 92,
  UNDERSCORE = 95,
  BACKTICK = 96,
  a = 97,
  z = 122,
  DEL = 127,
}

/**
 * Returns the index just past the closing `quote` of a string whose body
 * starts at `i`, or -1 when it is unterminated. A doubled quote stands for
 * one quote; with `backslash`, `\x` is an escape pair.
 */
function scanQuoted(codes: Uint16Array, len: number, i: number, quote: number, backslash: boolean): number {
  while (i < len) {
    const c = codes[i]!;
    if (c === quote) {
      if (i + 1 < len && codes[i + 1]! === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i += backslash && c === C.BACKSLASH ? 2 : 1;
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
  declare private readonly rules: LexerRules;
  private codes: Uint16Array = new Uint16Array(0);
  private len = 0;
  private pos = 0;

  /** Span of the current token. */
  start = 0;
  end = 0;
  /** SPACE_* : what was skipped between the previous token and this one. */
  space = Space.NONE;
  /** Name span of a Tok.QUOTED_IDENT or Tok.USER_VAR. */
  innerStart = 0;
  innerEnd = 0;
  /** Quote char code of a Tok.QUOTED_IDENT. */
  quote = 0;
  /** WORD_NON_ASCII when a Tok.WORD has non-ASCII characters, else 0. */
  flags = 0;
  /** hashBare() of a Tok.WORD (see nametable.ts), computed while scanning it. */
  hash = 0;
  /**
   * Set by the rewriter: the next token stands inside `[...]`, where a
   * placeholder cannot stand, so `:name` there is an array-slice colon and
   * a name (`arr[:hi]`, `arr[lo :hi]`).
   */
  inBrackets = false;

  constructor(rules: LexerRules) {
    this.rules = rules;
  }

  /** Starts on the input codes[0, length). */
  reset(codes: Uint16Array, length: number): void {
    this.codes = codes;
    this.len = length;
    this.pos = 0;
  }

  /**
   * The end of the plain '…' string literal whose opening quote is at
   * codes[i], under the dialect's escape rules; -1 when it is unterminated
   * (or, in strict mode, when the dialects would end it at different places).
   */
  stringEnd(i: number): number {
    return scanQuotedWith(this.codes, this.len, i + 1, C.SQUOTE, this.rules.singleQuoteEscapes);
  }

  /** Continues at codes[i] (a token boundary) with the next call to next(). */
  seek(i: number): void {
    this.pos = i;
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
      if (isSpace(c)) {
        i++;
        continue;
      }
      if (c === C.MINUS || c === C.SLASH || c === C.HASH) {
        const j = this.comment(i, c);
        if (j === i) break;
        if (j < 0) return this.fail();
        i = j;
        continue;
      }
      break;
    }
    this.space = i === s0 ? Space.NONE : Space.SOME;
    this.start = i;
    if (i >= len) {
      this.end = i;
      return Tok.END;
    }

    if (isWordStart(c)) return this.word(i);
    if (isPunctuation(c)) {
      this.end = this.pos = i + 1;
      return Tok.VERBATIM;
    }
    if (c >= C.ZERO && c <= C.NINE) return this.scanNumber(i);
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
    if (c === C.MINUS) {
      if (i + 1 < len && codes[i + 1]! === C.MINUS) {
        if (!rules.dashDashNeedsSpace) return this.skipLine(i + 2);
        // MySQL: "--" must be followed by whitespace, a control character or the end.
        const d = i + 2 < len ? codes[i + 2]! : 0;
        if (d <= C.SPACE || d === C.DEL) return this.skipLine(i + 2);
      }
      return i;
    }
    if (c === C.SLASH) {
      return i + 1 < len && codes[i + 1]! === C.STAR ? this.skipBlock(i + 2) : i;
    }
    return rules.hashComments ? this.skipLine(i + 1) : i;
  }

  /** Tokens starting with a char that means different things in different places. */
  private special(c: number, i: number): number {
    const codes = this.codes;
    const len = this.len;
    const rules = this.rules;
    switch (c) {
      case C.SQUOTE: {
        const e = this.stringEnd(i);
        return e < 0 ? this.fail() : this.finish(e, Tok.LITERAL);
      }
      case C.DQUOTE: {
        if (rules.doubleQuote === DQ_STRING) {
          const e = scanQuoted(codes, this.len, i + 1, C.DQUOTE, true);
          return e < 0 ? this.fail() : this.finish(e, Tok.LITERAL);
        }
        const e = scanQuotedWith(codes, this.len, i + 1, C.DQUOTE, rules.doubleQuoteEscapes);
        return e < 0 ? this.fail() : this.quoted(i + 1, e, C.DQUOTE);
      }
      case C.BACKTICK: {
        if (!rules.backtickIdentifiers) break;
        const e = scanQuoted(codes, this.len, i + 1, C.BACKTICK, false);
        return e < 0 ? this.fail() : this.quoted(i + 1, e, C.BACKTICK);
      }
      case C.DOT: {
        // `.5` is a number, unless it follows a name (`t.5col` in MySQL).
        if (i + 1 < len) {
          const d = codes[i + 1]!;
          if (d >= C.ZERO && d <= C.NINE && !this.followsName(i)) return this.scanNumber(i);
        }
        break;
      }
      case C.DOLLAR:
        return this.dollar(i);
      case C.COLON: {
        if (i + 1 < len) {
          const d = codes[i + 1]!;
          if (d === C.COLON) return this.finish(i + 2, Tok.VERBATIM); // `::` cast
          // Right after a name or number (`arr[1:n]`, `arr[lo:hi]`) the colon is an array-slice operator and
          // the name after it an identifier, anonymized like any other. (Not after a quote: the output puts a
          // literal there, and a second pass must read the same tokens.)
          // Inside `[...]` (a slice) likewise, whatever comes before the colon.
          if (d < 128 && isWordStart(d) && !this.inBrackets && !this.followsName(i)) {
            // `:name` placeholder, kept verbatim ([A-Za-z0-9_] only: the
            // output never carries non-ASCII text).
            let j = i + 2;
            while (j < len && isPlainNameChar(codes[j]!)) j++;
            return this.finish(j, Tok.GLUE);
          }
        }
        return this.finish(i + 1, Tok.GLUE);
      }
      case C.AT: {
        if (rules.mysqlVariables) return this.atSign(i);
        break;
      }
      case C.SEMI:
        return this.finish(i + 1, Tok.SEMICOLON);
      default:
        break;
    }
    return this.finish(i + 1, Tok.VERBATIM);
  }

  private finish(end: number, kind: number): number {
    this.end = end;
    this.pos = end;
    return kind;
  }

  private fail(): number {
    this.start = this.end = this.pos = this.len;
    return Tok.ERROR;
  }

  private quoted(innerStart: number, end: number, quote: number): number {
    this.innerStart = innerStart;
    this.innerEnd = end - 1;
    this.quote = quote;
    return this.finish(end, Tok.QUOTED_IDENT);
  }

  /** True when the char before `i` ends a name or a parenthesised expression. */
  private followsName(i: number): boolean {
    if (i === 0) return false;
    const p = this.codes[i - 1]!;
    return isWordCont(p) || p === C.DQUOTE || p === C.BACKTICK || p === C.RPAREN || p === C.RBRACKET;
  }

  /** Skips to the end of the line; `i` is just past the comment marker. */
  private skipLine(i: number): number {
    const codes = this.codes;
    const len = this.len;
    while (i < len) {
      const c = codes[i]!;
      if (c === C.LF || c === C.CR) return i;
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
      if (c === C.STAR && i + 1 < len && codes[i + 1]! === C.SLASH) {
        i += 2;
        if (--depth === 0) return i;
        continue;
      }
      if (nested && c === C.SLASH && i + 1 < len && codes[i + 1]! === C.STAR) {
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
    let h = SEED_NAME | 0; // `| 0`: an int32 to the compiler, so the hash stays untagged
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
      if (next === C.SQUOTE || next === C.AMP || next === C.DQUOTE) {
        const k = this.prefixed(s, i, next);
        if (k !== Tok.WORD) return k;
      }
    }
    return this.finish(i, Tok.WORD);
  }

  /**
   * A word at `s`..`e` directly followed by a quote or `&`: string prefixes
   * N'', X'', B'', E'', U&'', U&"", _charset''. Returns Tok.WORD when the
   * word is not a prefix.
   */
  private prefixed(s: number, e: number, next: number): number {
    const codes = this.codes;
    const rules = this.rules;
    const first = codes[s]!;
    if (e - s === 1) {
      const f = first | 0x20; // ASCII lower case
      if (next === C.SQUOTE) {
        if (f === 110 /* n */ || f === 120 /* x */ || f === 98 /* b */) {
          const end = scanQuotedWith(codes, this.len, e + 1, C.SQUOTE, rules.singleQuoteEscapes);
          return end < 0 ? this.fail() : this.finish(end, Tok.LITERAL);
        }
        if (f === 101 /* e */ && rules.eStrings) {
          const end = scanQuoted(codes, this.len, e + 1, C.SQUOTE, true);
          return end < 0 ? this.fail() : this.finish(end, Tok.LITERAL);
        }
      } else if (next === C.AMP && f === 117 /* u */ && rules.unicodeEscapes && e + 1 < this.len) {
        const q = codes[e + 1]!;
        if (q === C.SQUOTE) {
          const end = scanQuotedWith(codes, this.len, e + 2, C.SQUOTE, rules.singleQuoteEscapes);
          return end < 0 ? this.fail() : this.finish(end, Tok.LITERAL);
        }
        if (q === C.DQUOTE) {
          const end = scanQuotedWith(codes, this.len, e + 2, C.DQUOTE, rules.doubleQuoteEscapes);
          return end < 0 ? this.fail() : this.quoted(e + 2, end, C.DQUOTE);
        }
      }
      return Tok.WORD;
    }
    if (first === C.UNDERSCORE && rules.charsetIntroducers) {
      if (next === C.SQUOTE) {
        const end = scanQuotedWith(codes, this.len, e + 1, C.SQUOTE, rules.singleQuoteEscapes);
        return end < 0 ? this.fail() : this.finish(end, Tok.LITERAL);
      }
      if (next === C.DQUOTE && rules.doubleQuote === DQ_STRING) {
        const end = scanQuoted(codes, this.len, e + 1, C.DQUOTE, true);
        return end < 0 ? this.fail() : this.finish(end, Tok.LITERAL);
      }
    }
    return Tok.WORD;
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
    while (i < len && (c = codes[i]!) >= C.ZERO && c <= C.NINE) i++;
    if (i < len && codes[i]! === C.DOT && !(i + 1 < len && codes[i + 1]! === C.DOT)) {
      i++;
      while (i < len && (c = codes[i]!) >= C.ZERO && c <= C.NINE) i++;
    }
    if (i < len && (codes[i]! | 0x20) === 101 /* e */) {
      let j = i + 1;
      if (j < len && ((c = codes[j]!) === C.PLUS || c === C.MINUS)) j++;
      if (j < len && (c = codes[j]!) >= C.ZERO && c <= C.NINE) {
        i = j + 1;
        while (i < len && (c = codes[i]!) >= C.ZERO && c <= C.NINE) i++;
      }
    }
    while (i < len && isWordCont(codes[i]!)) i++;
    return this.finish(i, Tok.LITERAL);
  }

  /** `$1` placeholders, `$tag$…$tag$` strings, MySQL `$name` words. */
  private dollar(i: number): number {
    const codes = this.codes;
    const len = this.len;
    let j = i + 1;
    if (j < len) {
      let c = codes[j]!;
      if (c >= C.ZERO && c <= C.NINE) {
        j++;
        while (j < len && (c = codes[j]!) >= C.ZERO && c <= C.NINE) j++;
        return this.finish(j, Tok.VERBATIM);
      }
    }
    if (!this.rules.dollarQuotes) {
      // MySQL: `$` is an identifier character.
      return j < len && isWordCont(codes[j]!) ? this.word(i) : this.finish(j, Tok.VERBATIM);
    }
    // Tag: [A-Za-z_\x80-][A-Za-z0-9_\x80-]* (no `$`), possibly empty.
    if (j < len && isWordStart(codes[j]!)) {
      j++;
      while (j < len) {
        const d = codes[j]!;
        if (d === C.DOLLAR || !isWordCont(d)) break;
        j++;
      }
    }
    if (j < len && codes[j]! === C.DOLLAR) {
      // Body up to the same delimiter codes[i..j]. Linear: a partial match
      // starting at a `$` covers only tag characters (never `$`), so the
      // next candidate lies past it.
      const d = j + 1 - i;
      for (let k = j + 1; k + d <= len; k++) {
        if (codes[k]! !== C.DOLLAR) continue;
        let m = 1;
        while (m < d && codes[k + m]! === codes[i + m]!) m++;
        if (m === d) return this.finish(k + d, Tok.LITERAL);
      }
      return this.fail();
    }
    return this.finish(i + 1, Tok.VERBATIM);
  }

  /** MySQL `@name` user variables and `@@[scope.]name` system variables. */
  private atSign(i: number): number {
    const codes = this.codes;
    const len = this.len;
    let j = i + 1;
    if (j < len && codes[j]! === C.AT) {
      // System variable, kept verbatim ([A-Za-z0-9_.] only, like placeholders).
      j++;
      while (j < len) {
        const d = codes[j]!;
        if (d !== C.DOT && !isPlainNameChar(d)) break;
        j++;
      }
      return this.finish(j, Tok.GLUE);
    }
    if (j < len && isWordCont(codes[j]!)) {
      j++;
      while (j < len && isWordCont(codes[j]!)) j++;
      this.innerStart = i + 1;
      this.innerEnd = j;
      return this.finish(j, Tok.USER_VAR);
    }
    return this.finish(j, Tok.GLUE);
  }
}
