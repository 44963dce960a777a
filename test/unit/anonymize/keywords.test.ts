/**
 * The PostgreSQL key word table (src/anonymize/keywords/postgres.ts) is in sync with the parser it cites:
 * every word has, in libpg-query 18's scanner, the category the table gives it. And the MySQL table marks
 * the reserved words of MySQL 8.0's manual.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadModule, scanSync } from 'libpg-query';
import {
  POSTGRES_CATEGORIES,
  POSTGRES_KEYWORDS,
  POSTGRES_NONRESERVED,
  POSTGRES_RESERVED,
} from '../../../src/anonymize/keywords/postgres.js';
import { MYSQL_KEYWORDS, MYSQL_RESERVED } from '../../../src/anonymize/keywords/mysql.js';

describe('key word categories', () => {
  before(loadModule);

  it('PostgreSQL: every word has the category PostgreSQL 18 (libpg-query) gives it', () => {
    for (const [category, words] of Object.entries(POSTGRES_CATEGORIES)) {
      for (const word of words) {
        const token = scanSync(word).tokens[0];
        assert.equal(token?.keywordName, category, word);
      }
    }
    assert.equal(POSTGRES_KEYWORDS.size, 494);
    assert.equal(POSTGRES_RESERVED.size + POSTGRES_NONRESERVED.size, 494);
  });

  it('PostgreSQL: words outside the table are no key words to the parser', () => {
    for (const word of ['users', 'status', 'email', 'jsonb', 'list', 'hash', 'modulus', 'nosuperuser']) {
      assert.equal(scanSync(word).tokens[0]?.keywordName, 'NO_KEYWORD', word);
      assert.ok(!POSTGRES_KEYWORDS.has(word), word);
    }
  });

  it('MySQL: the reserved words are key words, and the issue-11 names are non-reserved except KEY', () => {
    for (const w of MYSQL_RESERVED) assert.ok(MYSQL_KEYWORDS.has(w), w);
    assert.equal(MYSQL_RESERVED.size, 262);
    for (const w of ['password', 'status', 'user', 'name', 'role']) assert.ok(!MYSQL_RESERVED.has(w), w);
    assert.ok(MYSQL_RESERVED.has('key'));
  });
});
