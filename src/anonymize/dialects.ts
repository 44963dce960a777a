/**
 * Per-dialect lexing rules and kept-word tables for the anonymizer.
 */
import {
  DQ_IDENTIFIER,
  DQ_STRING,
  ESC_AMBIGUOUS,
  ESC_BACKSLASH,
  ESC_NONE,
  type LexerRules,
} from './lexer.js';
import {
  MYSQL_BUILTIN_FUNCTIONS,
  MYSQL_CHARSET_INTRODUCERS,
  MYSQL_KEYWORDS,
} from './keywords/mysql.js';
import {
  POSTGRES_BUILTIN_FUNCTIONS,
  POSTGRES_KEYWORDS,
  POSTGRES_TYPE_NAMES,
} from './keywords/postgres.js';
import { FoldedWordSet } from './wordset.js';

export type SqlDialect = 'mysql' | 'postgres' | 'strict';

export interface DialectSpec {
  readonly rules: LexerRules;
  /** Bare words kept verbatim: key words, type names, common built-in functions. */
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
 * - kept words are the union of both dialects' tables.
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

function keptWords(...sets: ReadonlySet<string>[]): FoldedWordSet {
  const words: string[] = [];
  for (const set of sets) words.push(...set);
  return new FoldedWordSet(words);
}

const MYSQL_WORDS = [MYSQL_KEYWORDS, MYSQL_BUILTIN_FUNCTIONS, MYSQL_CHARSET_INTRODUCERS];
const POSTGRES_WORDS = [POSTGRES_KEYWORDS, POSTGRES_TYPE_NAMES, POSTGRES_BUILTIN_FUNCTIONS];

export const DIALECTS: Readonly<Record<SqlDialect, DialectSpec>> = {
  mysql: { rules: MYSQL_RULES, kept: keptWords(...MYSQL_WORDS) },
  postgres: { rules: POSTGRES_RULES, kept: keptWords(...POSTGRES_WORDS) },
  strict: { rules: STRICT_RULES, kept: keptWords(...MYSQL_WORDS, ...POSTGRES_WORDS) },
};
