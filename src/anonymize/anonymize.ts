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
 *   read back as an escaped quote;
 * - REDACTED_SQL maps to itself.
 */
import { DIALECTS, type DialectSpec, type SqlDialect } from './dialects.js';
import {
  SqlLexer,
  SPACE_NONE,
  SPACE_SINGLE,
  TOK_END,
  TOK_ERROR,
  TOK_LITERAL,
  TOK_QUOTED_IDENT,
  TOK_SEMICOLON,
  TOK_USER_VAR,
  TOK_WORD,
  WORD_NON_ASCII,
} from './lexer.js';
import { hashRaw, hashVariable, NAME_BARE, NAME_QUOTED, NAME_VARIABLE, NameTable } from './nametable.js';
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

const ANON_PREFIX = 'anon_id_';

// Cached replacement names: anon_id_N, "anon_id_N", `anon_id_N`, @anon_id_N.
const bareNames: string[] = [];
const dqNames: string[] = [];
const btNames: string[] = [];
const varNames: string[] = [];

function bareName(n: number): string {
  let s = bareNames[n];
  if (s === undefined) {
    s = ANON_PREFIX + n;
    bareNames[n] = s;
  }
  return s;
}

function cachedName(cache: string[], n: number, before: string, after: string): string {
  let s = cache[n];
  if (s === undefined) {
    s = before + bareName(n) + after;
    cache[n] = s;
  }
  return s;
}

const QUOTE_BACKTICK = 96;

/**
 * Anonymize one SQL string (one or more statements).
 *
 * Identifier numbering restarts after every top-level `;`. Bare names are
 * compared case-insensitively (ASCII case folding, as PostgreSQL does),
 * quoted names exactly, in one shared space per statement: `users`, `USERS`
 * and `"users"` share a number, `"Users"` gets another. MySQL user variables
 * (`@x` → `@anon_id_N`) are numbered in the same sequence but never share a
 * number with a column name.
 */
export function anonymizeSql(sql: string, options?: AnonymizeOptions): string {
  if (typeof sql !== 'string') return REDACTED_SQL;
  if (sql === REDACTED_SQL) return REDACTED_SQL;
  const dialect = options?.dialect ?? 'strict';
  const state = STATES[dialect] ?? STATES.strict;
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

  constructor(spec: DialectSpec) {
    this.kept = spec.kept;
    this.lexer = new SqlLexer(spec.rules);
  }

  run(sql: string): string {
    const kept = this.kept;
    const lx = this.lexer;
    const names = this.names;
    lx.reset(sql);
    names.reset(sql);

    let out = '';
    // Verbatim span of `sql` not yet appended to `out` (empty when ve <= vs).
    let vs = -1;
    let ve = -1;
    // Something has been emitted (leading whitespace is dropped).
    let any = false;
    // The last emitted token was a literal (ends with a quote).
    let lastLiteral = false;

    for (;;) {
      const kind = lx.next();
      let replacement: string;
      let isLiteral = false;
      switch (kind) {
        case TOK_WORD:
          if ((lx.flags & WORD_NON_ASCII) === 0 && kept.hasSpan(sql, lx.start, lx.end, lx.hash)) {
            replacement = ''; // verbatim
          } else {
            replacement = bareName(names.number(lx.start, lx.end, lx.hash, NAME_BARE));
          }
          break;
        case TOK_LITERAL:
          replacement = ANONYMIZED_LITERAL;
          isLiteral = true;
          break;
        case TOK_END:
          if (ve > vs) out += sql.slice(vs, ve);
          return out;
        case TOK_ERROR:
          names.reset('');
          return REDACTED_SQL;
        case TOK_QUOTED_IDENT: {
          const s = lx.innerStart;
          const e = lx.innerEnd;
          const n = names.number(s, e, hashRaw(sql, s, e), NAME_QUOTED);
          replacement =
            lx.quote === QUOTE_BACKTICK ? cachedName(btNames, n, '`', '`') : cachedName(dqNames, n, '"', '"');
          break;
        }
        case TOK_USER_VAR: {
          const s = lx.innerStart;
          const e = lx.innerEnd;
          const n = names.number(s, e, hashVariable(sql, s, e), NAME_VARIABLE);
          replacement = cachedName(varNames, n, '@', '');
          break;
        }
        case TOK_SEMICOLON:
          names.clear();
          replacement = '';
          break;
        default: // TOK_VERBATIM
          replacement = '';
          break;
      }

      const space = lx.space;
      if (replacement === '') {
        // Copy sql[start, end) verbatim, extending the pending span when the
        // token follows it directly or after exactly one ' '.
        const s = lx.start;
        if (ve > vs && (space === SPACE_NONE ? ve === s : space === SPACE_SINGLE && ve === s - 1)) {
          ve = lx.end;
          lastLiteral = false;
          continue;
        }
        if (ve > vs) out += sql.slice(vs, ve);
        if (space !== SPACE_NONE && any) out += ' ';
        vs = s;
        ve = lx.end;
      } else {
        if (ve > vs) {
          out += sql.slice(vs, ve);
          vs = ve = -1;
        }
        if (space !== SPACE_NONE ? any : isLiteral && lastLiteral) out += ' ';
        out += replacement;
      }
      any = true;
      lastLiteral = isLiteral;
    }
  }
}

const STATES: Readonly<Record<SqlDialect, Rewriter>> = {
  mysql: new Rewriter(DIALECTS.mysql),
  postgres: new Rewriter(DIALECTS.postgres),
  strict: new Rewriter(DIALECTS.strict),
};
