/**
 * Per-dialect lexing rules and kept-word tables for the anonymizer.
 */
import { DQ_IDENTIFIER, DQ_STRING, ESC_AMBIGUOUS, ESC_BACKSLASH, ESC_NONE, type LexerRules } from './lexer.js';
import {
  MYSQL_BUILTIN_FUNCTIONS,
  MYSQL_CHARSET_INTRODUCERS,
  MYSQL_KEYWORDS,
  MYSQL_RESERVED,
} from './keywords/mysql.js';
import {
  AFTER_PAREN_WORDS,
  AS_WORDS,
  CAST_WORDS,
  FIXED_NUMBER_WORDS,
  FOLLOW_WORDS,
  FRAME_WORDS,
  INTERVAL_FIELD_WORDS,
  INTRO_WORDS,
  KIND_WORDS,
  NOT_NAME_WORDS,
  NUMBER_CONNECTOR_WORDS,
  OBJECT_WORDS,
  ON_WORDS,
  OPTIONS_WORDS,
  POSTGRES_OPTION_WORDS,
  POSTGRES_SYSTEM_COLUMNS,
  QUERY_WORDS,
  RELATION_WORDS,
  TYPE_LENGTH_WORDS,
  TYPE_WORDS,
  VALUE_WORDS,
} from './keywords/positions.js';
import {
  POSTGRES_BUILTIN_FUNCTIONS,
  POSTGRES_KEYWORDS,
  POSTGRES_RESERVED,
  POSTGRES_TYPE_NAMES,
} from './keywords/postgres.js';
import { SPECIAL_INTERVAL_FIELD, SPECIAL_WORDS, withDerivedFlags, WORD } from './rewriter.js';
import { FoldedWordSet } from './wordset.js';

export type SqlDialect = 'mysql' | 'postgres' | 'strict';

export interface DialectSpec {
  readonly rules: LexerRules;
  /** Bare words kept where they stand as such: key words, type names, common built-in functions, with their flags. */
  readonly kept: FoldedWordSet;
}

const MYSQL_RULES: LexerRules = {
  hashComments: true,
  dashDashNeedsSpace: true,
  nestedBlockComments: false,
  backtickIdentifiers: true,
  doubleQuote: DQ_STRING,
  doubleQuoteEscapes: ESC_BACKSLASH,
  singleQuoteEscapes: ESC_BACKSLASH,
  eStrings: false,
  unicodeEscapes: false,
  dollarQuotes: false,
  charsetIntroducers: true,
  mysqlVariables: true,
};

const POSTGRES_RULES: LexerRules = {
  hashComments: false,
  dashDashNeedsSpace: false,
  nestedBlockComments: true,
  backtickIdentifiers: false,
  doubleQuote: DQ_IDENTIFIER,
  doubleQuoteEscapes: ESC_NONE,
  singleQuoteEscapes: ESC_NONE,
  eStrings: true,
  unicodeEscapes: true,
  dollarQuotes: true,
  charsetIntroducers: false,
  mysqlVariables: false,
};

/**
 * Strict: the dialect is unknown, so every construct either dialect gives a
 * meaning to is recognised, and where they disagree the reading that hides
 * more wins:
 * - comments: `--` always, `#`, and nesting `/* … *\/` (a MySQL reader would
 *   end the comment earlier; the longer reading removes more, and an
 *   unbalanced one fails closed);
 * - `'…'` (and N/X/B/U&/_charset prefixed forms) and `"…"` are scanned both
 *   with and without backslash escapes; when the two readings end the token
 *   at different places the whole input is redacted;
 * - `"…"` and `` `…` `` become quoted `anon_id_N` identifiers (nothing of
 *   their content survives either way), E'…' and $$…$$ are literals;
 * - `@name` / `@@name` get no special treatment: `@` is kept, the name is an
 *   ordinary bare word (anonymized unless it is a key word);
 * - kept words are the union of both dialects' tables; a word is reserved
 *   only when both dialects reserve it.
 */
const STRICT_RULES: LexerRules = {
  hashComments: true,
  dashDashNeedsSpace: false,
  nestedBlockComments: true,
  backtickIdentifiers: true,
  doubleQuote: DQ_IDENTIFIER,
  doubleQuoteEscapes: ESC_AMBIGUOUS,
  singleQuoteEscapes: ESC_AMBIGUOUS,
  eStrings: true,
  unicodeEscapes: true,
  dollarQuotes: true,
  charsetIntroducers: true,
  mysqlVariables: false,
};

/** The flags of each kept word of one dialect (see WORD in rewriter.ts). */
function keptWords(spec: {
  keywords: ReadonlySet<string>;
  reserved: ReadonlySet<string>;
  types: readonly ReadonlySet<string>[];
  functions: readonly ReadonlySet<string>[];
  values: readonly ReadonlySet<string>[];
}): FoldedWordSet {
  const flags = new Map<string, number>();
  const add = (w: string, f: number): void => {
    flags.set(w, (flags.get(w) ?? 0) | f);
  };
  for (const w of spec.keywords) add(w, WORD.KEYWORD);
  for (const w of spec.reserved) add(w, WORD.KEYWORD | WORD.RESERVED);
  for (const set of spec.functions) for (const w of set) add(w, WORD.FUNC);
  for (const set of spec.types) for (const w of set) add(w, WORD.TYPE);
  for (const set of spec.values) for (const w of set) add(w, WORD.VALUE);
  // Roles apply to the words the dialect keeps.
  const roles: [readonly string[], number][] = [
    [TYPE_WORDS, WORD.TYPE],
    [VALUE_WORDS, WORD.VALUE],
    [FOLLOW_WORDS, WORD.FOLLOW],
    [INTRO_WORDS, WORD.INTRO],
    [RELATION_WORDS, WORD.RELATION],
    [OBJECT_WORDS, WORD.OBJECT],
    [KIND_WORDS, WORD.KIND],
    [ON_WORDS, WORD.ON],
    [NOT_NAME_WORDS, WORD.NOT_NAME],
    [AS_WORDS, WORD.AS_WORD],
    [FIXED_NUMBER_WORDS, WORD.FIXED_NUMBER],
    [NUMBER_CONNECTOR_WORDS, WORD.NUMBER_CONNECTOR],
    [TYPE_LENGTH_WORDS, WORD.TYPE_LENGTH],
    [OPTIONS_WORDS, WORD.OPTIONS],
    [CAST_WORDS, WORD.CAST],
    [QUERY_WORDS, WORD.QUERY],
    [FRAME_WORDS, WORD.FRAME],
    [AFTER_PAREN_WORDS, WORD.AFTER_PAREN],
  ];
  for (const [words, f] of roles) for (const w of words) if (flags.has(w)) add(w, f);
  const special = new Map(Object.entries(SPECIAL_WORDS));
  for (const w of INTERVAL_FIELD_WORDS) special.set(w, SPECIAL_INTERVAL_FIELD);
  for (const [w, id] of special) if (flags.has(w)) add(w, id << WORD.SPECIAL_SHIFT);
  for (const [w, f] of flags) flags.set(w, withDerivedFlags(f));
  return new FoldedWordSet(flags);
}

const set = (words: readonly string[]): ReadonlySet<string> => new Set(words);

const POSTGRES_SPEC = {
  keywords: new Set([...POSTGRES_KEYWORDS, ...POSTGRES_OPTION_WORDS]),
  reserved: POSTGRES_RESERVED,
  types: [POSTGRES_TYPE_NAMES],
  functions: [POSTGRES_BUILTIN_FUNCTIONS],
  values: [set(POSTGRES_SYSTEM_COLUMNS)],
};

const MYSQL_SPEC = {
  keywords: MYSQL_KEYWORDS,
  reserved: MYSQL_RESERVED,
  types: [],
  functions: [MYSQL_BUILTIN_FUNCTIONS],
  values: [MYSQL_CHARSET_INTRODUCERS],
};

/**
 * Strict: the words either dialect keeps; reserved when one dialect reserves
 * it and the other has no non-reserved key word of that name (a word either
 * dialect lets users name things with may be a name).
 */
const STRICT_KEYWORDS = new Set([...POSTGRES_SPEC.keywords, ...MYSQL_SPEC.keywords]);
const nonReserved = (keywords: ReadonlySet<string>, reserved: ReadonlySet<string>, w: string): boolean =>
  keywords.has(w) && !reserved.has(w);
const STRICT_SPEC = {
  keywords: STRICT_KEYWORDS,
  reserved: new Set(
    [...POSTGRES_RESERVED, ...MYSQL_RESERVED].filter(
      (w) =>
        !nonReserved(POSTGRES_SPEC.keywords, POSTGRES_RESERVED, w) &&
        !nonReserved(MYSQL_SPEC.keywords, MYSQL_RESERVED, w),
    ),
  ),
  types: [...POSTGRES_SPEC.types, ...MYSQL_SPEC.types],
  functions: [...POSTGRES_SPEC.functions, ...MYSQL_SPEC.functions],
  values: [...POSTGRES_SPEC.values, ...MYSQL_SPEC.values],
};

export const DIALECTS: Readonly<Record<SqlDialect, DialectSpec>> = {
  mysql: { rules: MYSQL_RULES, kept: keptWords(MYSQL_SPEC) },
  postgres: { rules: POSTGRES_RULES, kept: keptWords(POSTGRES_SPEC) },
  strict: { rules: STRICT_RULES, kept: keptWords(STRICT_SPEC) },
};
