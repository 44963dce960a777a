import { dialectSuite } from './suite.js';
import type { Case } from './suite.js';

const L = "'<anonymized>'";

/** [what, input, exact output] for dialect 'mysql'. */
const CASES: readonly Case[] = [
  [
    'point select',
    'SELECT id, email FROM users WHERE id = 42',
    `SELECT anon_id_0, anon_id_1 FROM anon_id_2 WHERE anon_id_0 = ${L}`,
  ],
  [
    '-- comment containing a quote',
    "SELECT a FROM t -- it's a comment\nWHERE b = 1",
    `SELECT anon_id_0 FROM anon_id_1 WHERE anon_id_2 = ${L}`,
  ],
  ['# comment containing a quote', "SELECT a # it's a comment\nFROM t", 'SELECT anon_id_0 FROM anon_id_1'],
  ['-- needs a following space: 5--1 is minus minus (written apart)', 'SELECT 5--1', `SELECT ${L}- -${L}`],
  [
    'minus minus before a comment stays minus minus',
    'SELECT 5--/* c */1, 2--#x\n3',
    `SELECT ${L}- - ${L}, ${L}- - ${L}`,
  ],
  ['-- followed by a newline is a comment', 'SELECT 1 --\nFROM t', `SELECT ${L} FROM anon_id_0`],
  [
    'quotes containing comment markers',
    `SELECT 'a -- b', '/* x */', "# y" FROM t`,
    `SELECT ${L}, ${L}, ${L} FROM anon_id_0`,
  ],
  [
    "'' and \\' escapes, backslash before the closing quote",
    "SELECT 'it''s', 'it\\'s', 'back\\\\slash', 'a\\\\' FROM t",
    `SELECT ${L}, ${L}, ${L}, ${L} FROM anon_id_0`,
  ],
  [
    '"double-quoted" strings are literals in MySQL',
    'SELECT "Alice", "say \\"hi\\"", "x""y" FROM t',
    `SELECT ${L}, ${L}, ${L} FROM anon_id_0`,
  ],
  [
    'backtick identifiers keep their quoting',
    'SELECT `User Name`, `select`, `a``b` FROM `db`.`users`',
    'SELECT `anon_id_0`, `anon_id_1`, `anon_id_2` FROM `anon_id_3`.`anon_id_4`',
  ],
  [
    'bare names fold case, quoted names compare exactly',
    'SELECT UserId, userid, USERID, `userid`, `UserId` FROM t',
    'SELECT anon_id_0, anon_id_0, anon_id_0, `anon_id_0`, `anon_id_1` FROM anon_id_2',
  ],
  [
    'N / X / B prefixes, hex and bit numbers, charset introducers',
    `SELECT N'naïve', X'1F', x'1f', B'0101', b'1', 0x1F, 0b101, _utf8mb4'abc', _latin1"x", _binary 'x'`,
    `SELECT ${L}, ${L}, ${L}, ${L}, ${L}, ${L}, ${L}, ${L}, ${L}, _binary ${L}`,
  ],
  [
    'numbers of every form; a sign stays an operator',
    'SELECT 123, 1.5, .5, 1e10, 1.5E-3, -5, +7, 3., 1e+5',
    `SELECT ${L}, ${L}, ${L}, ${L}, ${L}, -${L}, +${L}, ${L}, ${L}`,
  ],
  [
    'placeholders are kept',
    'SELECT * FROM t WHERE a = ? AND b = :name AND c = $1',
    'SELECT * FROM anon_id_0 WHERE anon_id_1 = ? AND anon_id_2 = :name AND anon_id_3 = $1',
  ],
  [
    'user variables are names, system variables are kept',
    'SET @x = 1; SELECT @x, @X, @@session.sql_mode, @@GLOBAL.max_connections',
    `SET @anon_id_0 = ${L}; SELECT @anon_id_0, @anon_id_0, @@session.sql_mode, @@GLOBAL.max_connections`,
  ],
  [
    'numbering restarts at each statement',
    'SELECT a FROM t; SELECT b, a FROM u;',
    'SELECT anon_id_0 FROM anon_id_1; SELECT anon_id_0, anon_id_1 FROM anon_id_2;',
  ],
  [
    'CREATE TABLE with DEFAULT / COMMENT / CHECK / ENGINE (engine and charset names are names)',
    "CREATE TABLE `orders` (\n  `id` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,\n  `status` VARCHAR(20) NOT NULL DEFAULT 'new' COMMENT 'order status',\n  `total` DECIMAL(10,2) CHECK (`total` >= 0),\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='customer orders'",
    `CREATE TABLE \`anon_id_0\` ( \`anon_id_1\` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT, \`anon_id_2\` VARCHAR(0) NOT NULL DEFAULT ${L} COMMENT ${L}, \`anon_id_3\` DECIMAL(0,0) CHECK (\`anon_id_3\` >= ${L}), PRIMARY KEY (\`anon_id_1\`) ) ENGINE=anon_id_4 DEFAULT CHARSET=anon_id_5 COMMENT=${L}`,
  ],
  [
    'CREATE VIEW',
    'CREATE VIEW recent_orders AS SELECT id, total FROM orders WHERE created_at > NOW() - INTERVAL 7 DAY',
    `CREATE VIEW anon_id_0 AS SELECT anon_id_1, anon_id_2 FROM anon_id_3 WHERE anon_id_4 > NOW() - INTERVAL ${L} DAY`,
  ],
  [
    'INSERT … VALUES',
    `INSERT INTO users (id, email) VALUES (1, 'a@b.c'), (2, "d@e.f")`,
    `INSERT INTO anon_id_0 (anon_id_1, anon_id_2) VALUES (${L}, ${L}), (${L}, ${L})`,
  ],
  [
    'UPDATE … SET',
    "UPDATE users SET email = 'x@y.z', visits = visits + 1 WHERE id = 7",
    `UPDATE anon_id_0 SET anon_id_1 = ${L}, anon_id_2 = anon_id_2 + ${L} WHERE anon_id_3 = ${L}`,
  ],
  [
    'SELECT with JOIN / GROUP BY / HAVING / ORDER BY / LIMIT',
    "SELECT u.id, COUNT(o.id) AS n FROM users u LEFT JOIN orders o ON o.user_id = u.id WHERE u.country = 'DE' GROUP BY u.id HAVING COUNT(o.id) > 2 ORDER BY n DESC LIMIT 10 OFFSET 20",
    `SELECT anon_id_0.anon_id_1, COUNT(anon_id_2.anon_id_1) AS anon_id_3 FROM anon_id_4 anon_id_0 LEFT JOIN anon_id_5 anon_id_2 ON anon_id_2.anon_id_6 = anon_id_0.anon_id_1 WHERE anon_id_0.anon_id_7 = ${L} GROUP BY anon_id_0.anon_id_1 HAVING COUNT(anon_id_2.anon_id_1) > ${L} ORDER BY anon_id_3 DESC LIMIT ${L} OFFSET ${L}`,
  ],
  [
    '/*! */ and /*+ */ hints and comments are removed',
    "SELECT /*!40001 SQL_NO_CACHE */ * FROM t /*+ BKA(t) */ WHERE /* it's */ x = 1",
    `SELECT * FROM anon_id_0 WHERE anon_id_1 = ${L}`,
  ],
  ['block comments do not nest in MySQL', '/* a /* b */ SELECT 1', `SELECT ${L}`],
  ['unicode identifiers', 'SELECT käse, 用户 FROM 表', 'SELECT anon_id_0, anon_id_1 FROM anon_id_2'],
  [
    'typed literals keep their key word',
    "SELECT DATE '2024-01-01', TIMESTAMP '2024-01-01 00:00:00', INTERVAL 1 DAY",
    `SELECT DATE ${L}, TIMESTAMP ${L}, INTERVAL ${L} DAY`,
  ],
  [
    'built-in functions are kept',
    "SELECT NOW(), CONCAT(fname, ' ', lname), COALESCE(a, 'x'), DATE_FORMAT(d, '%Y') FROM t",
    `SELECT NOW(), CONCAT(anon_id_0, ${L}, anon_id_1), COALESCE(anon_id_2, ${L}), DATE_FORMAT(anon_id_3, ${L}) FROM anon_id_4`,
  ],
  [
    'NULL, TRUE, FALSE',
    'SELECT NULL, TRUE, FALSE, x IS NOT NULL FROM t',
    'SELECT NULL, TRUE, FALSE, anon_id_0 IS NOT NULL FROM anon_id_1',
  ],
  ['key words keep their spelling', 'select Count(*) From t', 'select Count(*) From anon_id_0'],
  ['$ is a name character', 'SELECT $price, a$b FROM t', 'SELECT anon_id_0, anon_id_1 FROM anon_id_2'],
  [
    'digit-led names are folded into a literal',
    'SELECT 1abc, t.5col FROM t',
    `SELECT ${L}, anon_id_0.${L} FROM anon_id_0`,
  ],
  ['whitespace collapses, ends are trimmed', '  SELECT\n\t a \n FROM   t  ', 'SELECT anon_id_0 FROM anon_id_1'],
  ['touching literals are kept apart', `SELECT 1'a', "b"'c'`, `SELECT ${L} ${L}, ${L} ${L}`],
  [
    'LIKE … ESCAPE',
    "SELECT a FROM t WHERE b LIKE 'x%' ESCAPE '\\\\'",
    `SELECT anon_id_0 FROM anon_id_1 WHERE anon_id_2 LIKE ${L} ESCAPE ${L}`,
  ],
  ['empty input', '', ''],
  ['only a comment', '-- nothing here', ''],
];

const UNTERMINATED: readonly string[] = [
  "SELECT 'abc",
  'SELECT "abc',
  'SELECT `abc',
  'SELECT 1 /* x',
  "SELECT 'a\\'", // the backslash escapes the closing quote in MySQL
  "SELECT X'1F",
  "SELECT _utf8mb4'abc",
  "SELECT 'ok' FROM t WHERE a = 'secret",
];

dialectSuite('mysql', CASES, UNTERMINATED);
