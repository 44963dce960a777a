/**
 * Character classes of the anonymizer, shared by the lexer (lexer.ts) and
 * the rewriter's own scan of the common token shapes (rewriter.ts), which
 * must read every char exactly alike; and ASCII case folding, the one rule
 * every name and key word comparison uses (hash.ts, nametable.ts,
 * wordset.ts).
 */

/** ASCII lower case of `c` (A-Z only; every other code unit as is). */
export function foldAscii(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

const code = (ch: string): number => ch.charCodeAt(0);

/**
 * ASCII character classes. Code units >= 0x80 are identifier characters
 * (PostgreSQL and MySQL both accept non-ASCII letters in unquoted names).
 */
const CLASS = new Uint8Array(128);
const enum CL {
  /** May start a bare word. */
  START = 1,
  /** May continue a bare word. */
  CONT = 2,
  SPACE = 4,
  DIGIT = 8,
  /** A-Z */
  UPPER = 16,
  /** Punctuation that is a one-char verbatim token in every dialect. */
  PLAIN = 32,
}
for (let c = code('A'); c <= code('Z'); c++) CLASS[c] = CL.START | CL.CONT | CL.UPPER;
for (let c = code('a'); c <= code('z'); c++) CLASS[c] = CL.START | CL.CONT;
for (let c = code('0'); c <= code('9'); c++) CLASS[c] = CL.CONT | CL.DIGIT;
CLASS[code('_')] = CL.START | CL.CONT;
CLASS[code('$')] = CL.CONT;
for (const ch of '\t\n\v\f\r ') CLASS[code(ch)] = CL.SPACE;
// Everything but word characters, whitespace, and the chars next() looks at
// (quotes, $ : @ ; . and the comment starters - / #).
for (let c = 0; c < 128; c++) {
  if (CLASS[c] === 0 && !'\'"`$:@;.-/#'.includes(String.fromCharCode(c))) CLASS[c] = CL.PLAIN;
}

/**
 * For ASCII chars that may continue a bare word, the char ASCII lower-cased
 * (the code unit the word's hash takes in); 0 for every other char. One
 * table load per char replaces the class test and the case test in word().
 */
export const WORD_FOLD = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if ((CLASS[c]! & CL.CONT) !== 0) WORD_FOLD[c] = foldAscii(c);
}

/** Whitespace, as next() skips it. */
export function isSpace(c: number): boolean {
  return c === 32 || (c <= 13 && c >= 9); // space, \t \n \v \f \r
}

/** Punctuation that is a one-char TOK_VERBATIM token in every dialect. */
export function isPunctuation(c: number): boolean {
  return c < 128 && (CLASS[c]! & CL.PLAIN) !== 0;
}

export function isWordCont(c: number): boolean {
  return c >= 128 || (CLASS[c]! & CL.CONT) !== 0;
}

export function isWordStart(c: number): boolean {
  return c >= 128 || (CLASS[c]! & CL.START) !== 0;
}

/** Name characters of placeholders and system variables: [A-Za-z0-9_]. */
export function isPlainNameChar(c: number): boolean {
  return c < 128 && c !== 36 /* $ */ && (CLASS[c]! & CL.CONT) !== 0;
}
