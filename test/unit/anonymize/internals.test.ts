import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DIALECTS } from '../../../src/anonymize/dialects.js';
import { MYSQL_KEYWORDS } from '../../../src/anonymize/keywords/mysql.js';
import { POSTGRES_KEYWORDS } from '../../../src/anonymize/keywords/postgres.js';
import { foldAscii, isWordCont, isWordStart, WORD_FOLD } from '../../../src/anonymize/chars.js';
import { anonymizeSql } from '../../../src/anonymize/index.js';
import {
  hashBare,
  hashQuoted,
  hashVariable,
  NAME_BARE,
  NAME_QUOTED,
  NAME_SLOT,
  NAME_VARIABLE,
  NameTable,
} from '../../../src/anonymize/nametable.js';
import { NAME_SLOT_MIRROR } from '../../../src/anonymize/rewriter.js';
import { PACKED_OUTPUT, writeLiteral, writeName } from '../../../src/anonymize/output.js';
import { SqlLexer, TOK_END, TOK_WORD } from '../../../src/anonymize/lexer.js';
import { FoldedWordSet } from '../../../src/anonymize/wordset.js';

function codesOf(s: string): Uint16Array {
  return Uint16Array.from(s, (c) => c.charCodeAt(0));
}

describe('keyword tables', () => {
  it('PostgreSQL: the full kwlist of PostgreSQL 18', () => {
    assert.equal(POSTGRES_KEYWORDS.size, 494);
    for (const w of ['select', 'name', 'value', 'text', 'json_table', 'merge_action', 'xmltable', 'zone']) {
      assert.ok(POSTGRES_KEYWORDS.has(w), w);
    }
    for (const w of ['users', 'date', 'jsonb']) assert.ok(!POSTGRES_KEYWORDS.has(w), w);
  });

  it('MySQL 8.0: key words and reserved words', () => {
    assert.ok(MYSQL_KEYWORDS.size >= 700, String(MYSQL_KEYWORDS.size));
    for (const w of ['select', 'auto_increment', 'engine', 'lateral', 'source_host', 'zerofill']) {
      assert.ok(MYSQL_KEYWORDS.has(w), w);
    }
    assert.ok(!MYSQL_KEYWORDS.has('innodb'));
  });

  it('all entries are lower case', () => {
    for (const w of [...POSTGRES_KEYWORDS, ...MYSQL_KEYWORDS]) assert.equal(w, w.toLowerCase());
  });
});

describe('FoldedWordSet', () => {
  it('looks spans up ASCII case-insensitively', () => {
    const set = new FoldedWordSet(['select', 'from', 'current_date']);
    assert.ok(set.has('SELECT'));
    assert.ok(set.has('SeLeCt'));
    assert.ok(set.has('current_date'));
    assert.ok(!set.has('selec'));
    assert.ok(!set.has('selects'));
    assert.ok(!set.has('current_time'));
    assert.ok(!set.has(''));
  });

  // Words up to eight chars are compared and copied packed four chars to an int (see Packed): each length, each
  // char position, and the longer words whose front is compared char by char.
  const words = Array.from({ length: 14 }, (_, k) => 'abcdefghij_$1x'.slice(0, k + 1));
  words.push('current_timestamp', 'q1', 'x_9', 'a$b_c$d_');
  const set = new FoldedWordSet(new Map(words.map((w, i) => [w, i + 100])));
  const lookup = (text: string): { end: number; info: number; written: string } => {
    const codes = codesOf(`..${text}..`);
    const buf = Buffer.alloc(40, 0x2e);
    const view = new DataView(buf.buffer, buf.byteOffset, buf.length);
    const end = set.copyCodesIfHas(codes, 2, 2 + text.length, hashBare(codes, 2, 2 + text.length), buf, view, 3);
    return { end, info: set.hit, written: buf.toString('latin1', 0, 3 + text.length) };
  };

  it('finds each word of every length, in any case, and copies it as written', () => {
    for (const [i, w] of words.entries()) {
      for (const text of [w, w.toUpperCase(), [...w].map((c, k) => (k % 2 ? c.toUpperCase() : c)).join('')]) {
        const r = lookup(text);
        assert.equal(r.end, 3 + text.length, text);
        assert.equal(r.info, i + 100, text);
        assert.equal(r.written, `...${text}`, text); // nothing before the copy touched
      }
    }
  });

  it('finds no word that differs in one char, anywhere in it, or in length', () => {
    for (const w of words) {
      for (let k = 0; k < w.length; k++) {
        for (const c of ['z', 'Z', '_', '0', '$']) {
          const text = w.slice(0, k) + c + w.slice(k + 1);
          if (words.includes(text.toLowerCase())) continue;
          assert.equal(lookup(text).end, -1, text);
        }
      }
      assert.equal(lookup(w + 'z').end, -1, w + 'z');
      if (w.length > 1 && !words.includes(w.slice(1))) assert.equal(lookup(w.slice(1)).end, -1, w.slice(1));
    }
  });
});

describe('NameTable', () => {
  it('numbers names by first appearance; bare names fold, quoted compare exactly', () => {
    const src = 'users USERS Users users';
    const codes = codesOf(src);
    const t = new NameTable();
    t.reset(codes);
    assert.equal(t.number(0, 5, hashBare(codes, 0, 5), NAME_BARE), 0); // users
    assert.equal(t.number(6, 11, hashBare(codes, 6, 11), NAME_BARE), 0); // USERS
    assert.equal(t.number(18, 23, hashQuoted(codes, 18, 23), NAME_QUOTED), 0); // "users"
    assert.equal(t.number(12, 17, hashQuoted(codes, 12, 17), NAME_QUOTED), 1); // "Users"
    assert.equal(t.number(0, 5, hashVariable(codes, 0, 5), NAME_VARIABLE), 2); // @users
    t.clear();
    assert.equal(t.number(12, 17, hashQuoted(codes, 12, 17), NAME_QUOTED), 0);
  });

  it('grows past its initial size', () => {
    const names = Array.from({ length: 5000 }, (_, i) => `n${i}`);
    const src = names.join(' ');
    const codes = codesOf(src);
    const t = new NameTable();
    t.reset(codes);
    let at = 0;
    const spans: [number, number][] = [];
    for (const name of names) {
      spans.push([at, at + name.length]);
      at += name.length + 1;
    }
    spans.forEach(([s, e], i) => assert.equal(t.number(s, e, hashBare(codes, s, e), NAME_BARE), i));
    spans.forEach(([s, e], i) => assert.equal(t.number(s, e, hashBare(codes, s, e), NAME_BARE), i));
  });

  it('gives up (-1) instead of probing without bound', () => {
    // Every name is given the same hash: the probe chain grows by one per name.
    const names = Array.from({ length: 1100 }, (_, i) => `x${i}`);
    const codes = codesOf(names.join(' '));
    const t = new NameTable();
    t.reset(codes);
    let at = 0;
    let gaveUp = false;
    for (const name of names) {
      const n = t.number(at, at + name.length, 42, NAME_BARE);
      if (n < 0) {
        gaveUp = true;
        break;
      }
      at += name.length + 1;
    }
    assert.ok(gaveUp);
  });
});

describe('output writes', () => {
  const write = (f: (view: DataView, at: number) => number): string => {
    const buf = Buffer.alloc(64, 0x2e);
    const end = f(new DataView(buf.buffer, buf.byteOffset, buf.length), 3);
    return buf.toString('latin1', 0, end + 1);
  };

  it("the packed numbers are the bytes of `'<anonymized>'` and `anon_id_`", () => {
    const bytes = (x: number): string => {
      const b = Buffer.alloc(8);
      b.writeDoubleLE(x);
      return b.toString('latin1');
    };
    assert.equal(bytes(PACKED_OUTPUT.LIT_0), "'<anonym");
    assert.equal(bytes(PACKED_OUTPUT.LIT_6), "ymized>'");
    assert.equal(bytes(PACKED_OUTPUT.NAME), 'anon_id_');
  });

  it('output that outgrows its first room (several times) is whole: the rewriter starts over with more', () => {
    // A number becomes 14 chars and a one-char name up to 12 (anon_id_1234): 7x and 6x the input,
    // past the room the rewriter starts with (4x), and past its first doubling.
    const numbers = Array.from({ length: 20_000 }, (_, i) => String(i % 10));
    assert.equal(
      anonymizeSql(`SELECT ${numbers.join(',')}`),
      `SELECT ${numbers.map(() => "'<anonymized>'").join(',')}`,
    );
    const names = Array.from({ length: 20_000 }, (_, i) => String.fromCharCode(0x4e00 + i));
    assert.equal(
      anonymizeSql(`SELECT ${names.join(',')} FROM t`, { dialect: 'postgres' }),
      `SELECT ${names.map((_, i) => `anon_id_${i}`).join(',')} FROM anon_id_${names.length}`,
    );
  });

  it('writeLiteral() and writeName() write exactly their text and return its end', () => {
    assert.equal(write(writeLiteral), "...'<anonymized>'.");
    for (const n of [0, 7, 10, 42, 99, 100, 12345, 2147483647]) {
      assert.equal(
        write((view, at) => writeName(view, at, n)),
        `...anon_id_${n}.`,
      );
    }
  });
});

describe("the rewriter's own name lookup (its commonest cases, done without calling NameTable.number)", () => {
  it('mirrors the slot layout of NameTable', () => {
    assert.deepEqual(NAME_SLOT_MIRROR, NAME_SLOT);
  });

  it('numbers as NameTable does: case folded, quoted exact, across table growth and home-slot collisions', () => {
    // 3000 distinct names (the table grows from 128 slots; many share a home slot), each seen
    // first in lower case, then in upper case, quoted, and mixed case: every spelling of a name
    // must get the number of its first appearance, whichever path looked it up.
    const names = Array.from({ length: 3000 }, (_, i) => `col_${i.toString(36)}`);
    const sql = `SELECT ${names.join(', ')} FROM t WHERE ${names.map((n) => `${n.toUpperCase()} = "${n}" AND ${n[0]!.toUpperCase()}${n.slice(1)} > 0`).join(' AND ')}`;
    const out = anonymizeSql(sql, { dialect: 'postgres' });
    const tokens = out.split(/[\s,"=>]+/).filter((t) => t.startsWith('anon_id_'));
    const first = tokens.slice(0, names.length);
    assert.deepEqual(
      first,
      names.map((_, i) => `anon_id_${i}`),
    );
    const t = names.length + 1; // after the column list: t
    assert.equal(tokens[names.length], `anon_id_${names.length}`);
    for (let i = 0; i < names.length; i++) {
      assert.deepEqual(tokens.slice(t + 3 * i, t + 3 * i + 3), Array(3).fill(`anon_id_${i}`), names[i]);
    }
  });

  it('one-char names: folded bare, exact when quoted', () => {
    assert.equal(
      anonymizeSql('SELECT a, A, "a", "A", b FROM t a', { dialect: 'postgres' }),
      'SELECT anon_id_0, anon_id_0, "anon_id_0", "anon_id_1", anon_id_2 FROM anon_id_3 anon_id_0',
    );
  });

  it('a word after a comment keeps its own hash while the rewriter peeks past the next comment', () => {
    // `CAST` (a MySQL function name) comes from the lexer, after a comment; deciding that it is a
    // name peeks ahead with the lexer, past `-- x`, which loads the hash of `list`.
    assert.equal(
      anonymizeSql('cast >= 0 # c\n CAST -- x\nlist', { dialect: 'mysql' }),
      "anon_id_0 >= '<anonymized>' anon_id_0 list",
    );
  });
});

describe('chars', () => {
  it('WORD_FOLD stands in for isWordCont() and foldAscii() (the rewriter tests chars by it)', () => {
    for (let c = 0; c < 128; c++) {
      assert.equal(WORD_FOLD[c] !== 0, isWordCont(c), `isWordCont ${c}`);
      if (isWordStart(c)) assert.equal(WORD_FOLD[c], foldAscii(c), `foldAscii ${c}`);
    }
  });
});

describe('SqlLexer', () => {
  it('hashes words while scanning exactly as hashBare does (key word and name lookups rely on it)', () => {
    const src = 'SELECT Users_1 käse $x FROM a';
    const codes = codesOf(src);
    const lx = new SqlLexer(DIALECTS.postgres.rules);
    lx.reset(codes, src.length);
    let words = 0;
    for (let k = lx.next(); k !== TOK_END; k = lx.next()) {
      if (k !== TOK_WORD) continue;
      words++;
      assert.equal(lx.hash, hashBare(codes, lx.start, lx.end), src.slice(lx.start, lx.end));
    }
    assert.equal(words, 6);
  });
});
