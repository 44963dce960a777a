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
import { HASH_SEED } from './wordset.js';

/** End of input (`space` tells whether trailing whitespace/comments were skipped). */
export const TOK_END = 0;
/** A bare word (key word or identifier); see `flags` and `hash`. */
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

/** `space` values: what was skipped before the current token. */
export const SPACE_NONE = 0;
/** Exactly one ' ' character. */
export const SPACE_SINGLE = 1;
/** Any other whitespace and/or comments. */
export const SPACE_OTHER = 2;

/** `flags` bits of a TOK_WORD. */
export const WORD_HAS_UPPER = 1;
export const WORD_HAS_LOWER = 2;
export const WORD_NON_ASCII = 4;

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

/** FNV-1a prime, as in wordset.ts's hashStep (inlined in the word loop). */
const FNV_PRIME = 0x01000193;

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
for (let c = C_A; c <= C_Z; c++) CLASS[c] = CL_START | CL_CONT;
for (let c = C_a; c <= C_z; c++) CLASS[c] = CL_START | CL_CONT;
for (let c = C_0; c <= C_9; c++) CLASS[c] = CL_CONT | CL_DIGIT;
CLASS[C_UNDERSCORE] = CL_START | CL_CONT;
CLASS[C_DOLLAR] = CL_CONT;
for (const c of [C_TAB, C_LF, C_VT, C_FF, C_CR, C_SPACE]) CLASS[c] = CL_SPACE;

/**
 * For ASCII word characters: the char folded to lower case, plus its
 * WORD_HAS_UPPER / WORD_HAS_LOWER bit shifted left by 8; -1 ends a word.
 */
const WORD_INFO = new Int16Array(128).fill(-1);
for (let c = 0; c < 128; c++) {
  if ((CLASS[c]! & CL_CONT) === 0) continue;
  if (c >= C_A && c <= C_Z) WORD_INFO[c] = (c + 32) | (WORD_HAS_UPPER << 8);
  else if (c >= C_a && c <= C_z) WORD_INFO[c] = c | (WORD_HAS_LOWER << 8);
  else WORD_INFO[c] = c;
}

function isWordCont(c: number): boolean {
  return c >= 128 || (CLASS[c]! & CL_CONT) !== 0;
}

function isWordStart(c: number): boolean {
  return c >= 128 || (CLASS[c]! & CL_START) !== 0;
}

/**
 * Returns the index just past the closing `quote` of a string whose body
 * starts at `i`, or -1 when it is unterminated. A doubled quote stands for
 * one quote; with `backslash`, `\x` is an escape pair.
 */
export function scanQuoted(src: string, i: number, quote: number, backslash: boolean): number {
  const len = src.length;
  while (i < len) {
    const c = src.charCodeAt(i);
    if (c === quote) {
      if (i + 1 < len && src.charCodeAt(i + 1) === quote) {
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
function scanQuotedWith(src: string, i: number, quote: number, escapes: number): number {
  if (escapes === ESC_AMBIGUOUS) {
    const a = scanQuoted(src, i, quote, false);
    return a === scanQuoted(src, i, quote, true) ? a : -1;
  }
  return scanQuoted(src, i, quote, escapes === ESC_BACKSLASH);
}

export class SqlLexer {
  private readonly rules: LexerRules;
  private src = '';
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
  /** WORD_* bits of a TOK_WORD. */
  flags = 0;
  /** hashFolded() (see wordset.ts) of a TOK_WORD. */
  hash = 0;

  constructor(rules: LexerRules) {
    this.rules = rules;
  }

  reset(src: string): void {
    this.src = src;
    this.len = src.length;
    this.pos = 0;
  }

  next(): number {
    const src = this.src;
    const len = this.len;
    const rules = this.rules;
    const s0 = this.pos;
    let i = s0;
    let c = 0;

    // Skip whitespace and comments.
    for (;;) {
      if (i >= len) {
        this.space = i === s0 ? SPACE_NONE : SPACE_OTHER;
        this.start = this.end = i;
        return TOK_END;
      }
      c = src.charCodeAt(i);
      if (c === C_SPACE || (c <= C_CR && c >= C_TAB)) {
        i++;
        continue;
      }
      if (c === C_MINUS) {
        if (i + 1 < len && src.charCodeAt(i + 1) === C_MINUS) {
          if (!rules.dashDashNeedsSpace) {
            i = this.skipLine(i + 2);
            continue;
          }
          // MySQL: "--" must be followed by whitespace, a control character or the end.
          const d = i + 2 < len ? src.charCodeAt(i + 2) : 0;
          if (d <= C_SPACE || d === C_DEL) {
            i = this.skipLine(i + 2);
            continue;
          }
        }
        break;
      }
      if (c === C_SLASH) {
        if (i + 1 < len && src.charCodeAt(i + 1) === C_STAR) {
          i = this.skipBlock(i + 2);
          if (i < 0) return this.fail();
          continue;
        }
        break;
      }
      if (c === C_HASH && rules.hashComments) {
        i = this.skipLine(i + 1);
        continue;
      }
      break;
    }
    this.space =
      i === s0 ? SPACE_NONE : i === s0 + 1 && src.charCodeAt(s0) === C_SPACE ? SPACE_SINGLE : SPACE_OTHER;
    this.start = i;

    if (c < 128) {
      const cl = CLASS[c]!;
      if ((cl & CL_START) !== 0) return this.word(i);
      if ((cl & CL_DIGIT) !== 0) return this.number(i);
    } else {
      return this.word(i);
    }

    switch (c) {
      case C_SQUOTE: {
        const e = scanQuotedWith(src, i + 1, C_SQUOTE, rules.singleQuoteEscapes);
        return e < 0 ? this.fail() : this.finish(e, TOK_LITERAL);
      }
      case C_DQUOTE: {
        if (rules.doubleQuote === DQ_STRING) {
          const e = scanQuoted(src, i + 1, C_DQUOTE, true);
          return e < 0 ? this.fail() : this.finish(e, TOK_LITERAL);
        }
        const e = scanQuotedWith(src, i + 1, C_DQUOTE, rules.doubleQuoteEscapes);
        return e < 0 ? this.fail() : this.quoted(i + 1, e, C_DQUOTE);
      }
      case C_BACKTICK: {
        if (!rules.backtickIdentifiers) break;
        const e = scanQuoted(src, i + 1, C_BACKTICK, false);
        return e < 0 ? this.fail() : this.quoted(i + 1, e, C_BACKTICK);
      }
      case C_DOT: {
        // `.5` is a number, unless it follows a name (`t.5col` in MySQL).
        if (i + 1 < len) {
          const d = src.charCodeAt(i + 1);
          if (d >= C_0 && d <= C_9 && !this.followsName(i)) return this.number(i);
        }
        break;
      }
      case C_DOLLAR:
        return this.dollar(i);
      case C_COLON: {
        if (i + 1 < len) {
          const d = src.charCodeAt(i + 1);
          if (d === C_COLON) return this.finish(i + 2, TOK_VERBATIM); // `::` cast
          if (isWordStart(d)) {
            // `:name` placeholder, kept verbatim.
            let j = i + 2;
            while (j < len && isWordCont(src.charCodeAt(j))) j++;
            return this.finish(j, TOK_VERBATIM);
          }
        }
        break;
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
    const p = this.src.charCodeAt(i - 1);
    return isWordCont(p) || p === C_DQUOTE || p === C_BACKTICK || p === C_RPAREN || p === C_RBRACKET;
  }

  /** Skips to the end of the line; `i` is just past the comment marker. */
  private skipLine(i: number): number {
    const src = this.src;
    const len = this.len;
    while (i < len) {
      const c = src.charCodeAt(i);
      if (c === C_LF || c === C_CR) return i;
      i++;
    }
    return i;
  }

  /** Skips a block comment; `i` is just past the opening slash-star. -1 if unterminated. */
  private skipBlock(i: number): number {
    const src = this.src;
    const len = this.len;
    const nested = this.rules.nestedBlockComments;
    let depth = 1;
    while (i < len) {
      const c = src.charCodeAt(i);
      if (c === C_STAR && i + 1 < len && src.charCodeAt(i + 1) === C_SLASH) {
        i += 2;
        if (--depth === 0) return i;
        continue;
      }
      if (nested && c === C_SLASH && i + 1 < len && src.charCodeAt(i + 1) === C_STAR) {
        depth++;
        i += 2;
        continue;
      }
      i++;
    }
    return -1;
  }

  private word(i: number): number {
    const src = this.src;
    const len = this.len;
    const s = i;
    let flags = 0;
    let h = HASH_SEED;
    while (i < len) {
      const c = src.charCodeAt(i);
      if (c < 128) {
        const info = WORD_INFO[c]!;
        if (info < 0) break;
        flags |= info;
        h = Math.imul(h ^ (info & 0xff), FNV_PRIME);
      } else {
        flags |= WORD_NON_ASCII << 8;
        h = Math.imul(h ^ c, FNV_PRIME);
      }
      i++;
    }
    this.flags = flags >> 8;
    this.hash = h;
    if (i < len) {
      const next = src.charCodeAt(i);
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
    const src = this.src;
    const rules = this.rules;
    const first = src.charCodeAt(s);
    if (e - s === 1) {
      const f = first | 0x20; // ASCII lower case
      if (next === C_SQUOTE) {
        if (f === 110 /* n */ || f === 120 /* x */ || f === 98 /* b */) {
          const end = scanQuotedWith(src, e + 1, C_SQUOTE, rules.singleQuoteEscapes);
          return end < 0 ? this.fail() : this.finish(end, TOK_LITERAL);
        }
        if (f === 101 /* e */ && rules.eStrings) {
          const end = scanQuoted(src, e + 1, C_SQUOTE, true);
          return end < 0 ? this.fail() : this.finish(end, TOK_LITERAL);
        }
      } else if (next === C_AMP && f === 117 /* u */ && rules.unicodeEscapes && e + 1 < this.len) {
        const q = src.charCodeAt(e + 1);
        if (q === C_SQUOTE) {
          const end = scanQuotedWith(src, e + 2, C_SQUOTE, rules.singleQuoteEscapes);
          return end < 0 ? this.fail() : this.finish(end, TOK_LITERAL);
        }
        if (q === C_DQUOTE) {
          const end = scanQuotedWith(src, e + 2, C_DQUOTE, rules.doubleQuoteEscapes);
          return end < 0 ? this.fail() : this.quoted(e + 2, end, C_DQUOTE);
        }
      }
      return TOK_WORD;
    }
    if (first === C_UNDERSCORE && rules.charsetIntroducers) {
      if (next === C_SQUOTE) {
        const end = scanQuotedWith(src, e + 1, C_SQUOTE, rules.singleQuoteEscapes);
        return end < 0 ? this.fail() : this.finish(end, TOK_LITERAL);
      }
      if (next === C_DQUOTE && rules.doubleQuote === DQ_STRING) {
        const end = scanQuoted(src, e + 1, C_DQUOTE, true);
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
  private number(i: number): number {
    const src = this.src;
    const len = this.len;
    let c = 0;
    while (i < len && (c = src.charCodeAt(i)) >= C_0 && c <= C_9) i++;
    if (i < len && src.charCodeAt(i) === C_DOT && !(i + 1 < len && src.charCodeAt(i + 1) === C_DOT)) {
      i++;
      while (i < len && (c = src.charCodeAt(i)) >= C_0 && c <= C_9) i++;
    }
    if (i < len && (src.charCodeAt(i) | 0x20) === 101 /* e */) {
      let j = i + 1;
      if (j < len && ((c = src.charCodeAt(j)) === C_PLUS || c === C_MINUS)) j++;
      if (j < len && (c = src.charCodeAt(j)) >= C_0 && c <= C_9) {
        i = j + 1;
        while (i < len && (c = src.charCodeAt(i)) >= C_0 && c <= C_9) i++;
      }
    }
    while (i < len && isWordCont(src.charCodeAt(i))) i++;
    return this.finish(i, TOK_LITERAL);
  }

  /** `$1` placeholders, `$tag$…$tag$` strings, MySQL `$name` words. */
  private dollar(i: number): number {
    const src = this.src;
    const len = this.len;
    let j = i + 1;
    if (j < len) {
      let c = src.charCodeAt(j);
      if (c >= C_0 && c <= C_9) {
        j++;
        while (j < len && (c = src.charCodeAt(j)) >= C_0 && c <= C_9) j++;
        return this.finish(j, TOK_VERBATIM);
      }
    }
    if (!this.rules.dollarQuotes) {
      // MySQL: `$` is an identifier character.
      return j < len && isWordCont(src.charCodeAt(j)) ? this.word(i) : this.finish(j, TOK_VERBATIM);
    }
    // Tag: [A-Za-z_\x80-][A-Za-z0-9_\x80-]* (no `$`), possibly empty.
    if (j < len && isWordStart(src.charCodeAt(j))) {
      j++;
      while (j < len) {
        const d = src.charCodeAt(j);
        if (d === C_DOLLAR || !isWordCont(d)) break;
        j++;
      }
    }
    if (j < len && src.charCodeAt(j) === C_DOLLAR) {
      const delim = src.slice(i, j + 1);
      const close = src.indexOf(delim, j + 1);
      return close < 0 ? this.fail() : this.finish(close + delim.length, TOK_LITERAL);
    }
    return this.finish(i + 1, TOK_VERBATIM);
  }

  /** MySQL `@name` user variables and `@@[scope.]name` system variables. */
  private atSign(i: number): number {
    const src = this.src;
    const len = this.len;
    let j = i + 1;
    if (j < len && src.charCodeAt(j) === C_AT) {
      j++;
      while (j < len) {
        const d = src.charCodeAt(j);
        if (d !== C_DOT && !isWordCont(d)) break;
        j++;
      }
      return this.finish(j, TOK_VERBATIM);
    }
    if (j < len && isWordCont(src.charCodeAt(j))) {
      j++;
      while (j < len && isWordCont(src.charCodeAt(j))) j++;
      this.innerStart = i + 1;
      this.innerEnd = j;
      return this.finish(j, TOK_USER_VAR);
    }
    return this.finish(j, TOK_VERBATIM);
  }
}
