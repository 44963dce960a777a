/**
 * MySQL 8 statements judged by the same rules as the PostgreSQL differential test (there is no MySQL
 * parser to judge by): every name a user chose is anon_id_N, key words in key word positions stay, and
 * a second pass changes nothing (dialectSuite checks it for every case).
 */
import { dialectSuite } from './suite.js';
import type { Case } from './suite.js';

/** [input, exact output] for dialect 'mysql'. */
const STATEMENTS: readonly (readonly [string, string])[] = [
  [
    'SELECT password, status, user, name, key, role FROM accounts WHERE owner = 1',
    "SELECT anon_id_0, anon_id_1, anon_id_2, anon_id_3, anon_id_4, anon_id_5 FROM anon_id_6 WHERE anon_id_7 = '<anonymized>'",
  ],
  [
    "SELECT `key`, `value` FROM settings WHERE name = 'x' AND type IN (1, 2)",
    "SELECT `anon_id_0`, `anon_id_1` FROM anon_id_2 WHERE anon_id_3 = '<anonymized>' AND anon_id_4 IN ('<anonymized>', '<anonymized>')",
  ],
  [
    'SELECT u.name, u.status, COUNT(*) AS total FROM users u JOIN orders o ON o.user_id = u.id GROUP BY u.name, u.status HAVING total > 10 ORDER BY total DESC LIMIT 10, 20',
    "SELECT anon_id_0.anon_id_1, anon_id_0.anon_id_2, COUNT(*) AS anon_id_3 FROM anon_id_4 anon_id_0 JOIN anon_id_5 anon_id_6 ON anon_id_6.anon_id_7 = anon_id_0.anon_id_8 GROUP BY anon_id_0.anon_id_1, anon_id_0.anon_id_2 HAVING anon_id_3 > '<anonymized>' ORDER BY anon_id_3 DESC LIMIT '<anonymized>', '<anonymized>'",
  ],
  [
    "INSERT INTO accounts (name, status, role, password) VALUES ('a', 1, 'admin', 'x') ON DUPLICATE KEY UPDATE status = VALUES(status), role = 'member'",
    "INSERT INTO anon_id_0 (anon_id_1, anon_id_2, anon_id_3, anon_id_4) VALUES ('<anonymized>', '<anonymized>', '<anonymized>', '<anonymized>') ON DUPLICATE KEY UPDATE anon_id_2 = VALUES(anon_id_2), anon_id_3 = '<anonymized>'",
  ],
  [
    "UPDATE accounts SET status = 2, name = CONCAT(name, '!') WHERE owner = 5 AND `key` IS NOT NULL",
    "UPDATE anon_id_0 SET anon_id_1 = '<anonymized>', anon_id_2 = CONCAT(anon_id_2, '<anonymized>') WHERE anon_id_3 = '<anonymized>' AND `anon_id_4` IS NOT NULL",
  ],
  [
    "DELETE FROM sessions WHERE user = 'bob' AND data IS NULL",
    "DELETE FROM anon_id_0 WHERE anon_id_1 = '<anonymized>' AND anon_id_2 IS NULL",
  ],
  [
    'CREATE TABLE accounts (id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT, name VARCHAR(255) NOT NULL, status TINYINT(1) DEFAULT 0, data JSON, created DATETIME(3), PRIMARY KEY (id), KEY idx_name (name), UNIQUE KEY uk_status (status, name)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4',
    "CREATE TABLE anon_id_0 (anon_id_1 BIGINT UNSIGNED NOT NULL AUTO_INCREMENT, anon_id_2 VARCHAR(0) NOT NULL, anon_id_3 TINYINT(0) DEFAULT '<anonymized>', anon_id_4 JSON, anon_id_5 DATETIME(0), PRIMARY KEY (anon_id_1), KEY anon_id_6 (anon_id_2), UNIQUE KEY anon_id_7 (anon_id_3, anon_id_2)) ENGINE=anon_id_8 DEFAULT CHARSET=anon_id_9",
  ],
  [
    "ALTER TABLE accounts ADD COLUMN role VARCHAR(20) NOT NULL DEFAULT 'member' AFTER name, ADD INDEX idx_role (role), MODIFY COLUMN status SMALLINT",
    "ALTER TABLE anon_id_0 ADD COLUMN anon_id_1 VARCHAR(0) NOT NULL DEFAULT '<anonymized>' AFTER anon_id_2, ADD INDEX anon_id_3 (anon_id_1), MODIFY COLUMN anon_id_4 SMALLINT",
  ],
  [
    "SELECT DATE_FORMAT(created, '%Y-%m') AS month, SUM(amount) AS total FROM payments WHERE created > NOW() - INTERVAL 30 DAY GROUP BY month WITH ROLLUP",
    "SELECT DATE_FORMAT(anon_id_0, '<anonymized>') AS anon_id_1, SUM(anon_id_2) AS anon_id_3 FROM anon_id_4 WHERE anon_id_0 > NOW() - INTERVAL '<anonymized>' DAY GROUP BY anon_id_1 WITH ROLLUP",
  ],
  [
    'SELECT * FROM t1 STRAIGHT_JOIN t2 USE INDEX (idx_a) ON t1.a = t2.a WHERE t1.b = ? FOR UPDATE SKIP LOCKED',
    'SELECT * FROM anon_id_0 STRAIGHT_JOIN anon_id_1 USE INDEX (anon_id_2) ON anon_id_0.anon_id_3 = anon_id_1.anon_id_3 WHERE anon_id_0.anon_id_4 = ? FOR UPDATE SKIP LOCKED',
  ],
  [
    'SELECT @rank := @rank + 1 AS `rank`, name, score FROM players, (SELECT @rank := 0) r ORDER BY score DESC',
    "SELECT @anon_id_0 := @anon_id_0 + '<anonymized>' AS `anon_id_1`, anon_id_2, anon_id_3 FROM anon_id_4, (SELECT @anon_id_0 := '<anonymized>') anon_id_5 ORDER BY anon_id_3 DESC",
  ],
  [
    "SELECT JSON_EXTRACT(data, '$.name') AS name, data->>'$.status' FROM documents WHERE MATCH (title, body) AGAINST ('x' IN BOOLEAN MODE)",
    "SELECT JSON_EXTRACT(anon_id_0, '<anonymized>') AS anon_id_1, anon_id_0->>'<anonymized>' FROM anon_id_2 WHERE MATCH (anon_id_3, anon_id_4) AGAINST ('<anonymized>' IN BOOLEAN MODE)",
  ],
  [
    'SELECT CAST(amount AS DECIMAL(10,2)), CONVERT(name USING utf8mb4), CONVERT(code, CHAR) FROM invoices',
    'SELECT CAST(anon_id_0 AS DECIMAL(0,0)), CONVERT(anon_id_1 USING anon_id_2), CONVERT(anon_id_3, CHAR) FROM anon_id_4',
  ],
  [
    'WITH RECURSIVE tree AS (SELECT id, parent_id, name FROM categories WHERE parent_id IS NULL UNION ALL SELECT c.id, c.parent_id, c.name FROM categories c JOIN tree t ON c.parent_id = t.id) SELECT name FROM tree',
    'WITH RECURSIVE anon_id_0 AS (SELECT anon_id_1, anon_id_2, anon_id_3 FROM anon_id_4 WHERE anon_id_2 IS NULL UNION ALL SELECT anon_id_5.anon_id_1, anon_id_5.anon_id_2, anon_id_5.anon_id_3 FROM anon_id_4 anon_id_5 JOIN anon_id_0 anon_id_6 ON anon_id_5.anon_id_2 = anon_id_6.anon_id_1) SELECT anon_id_3 FROM anon_id_0',
  ],
  [
    'SELECT name, ROW_NUMBER() OVER (PARTITION BY status ORDER BY created ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS rn FROM accounts',
    'SELECT anon_id_0, ROW_NUMBER() OVER (PARTITION BY anon_id_1 ORDER BY anon_id_2 ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS anon_id_3 FROM anon_id_4',
  ],
  ["SHOW COLUMNS FROM accounts LIKE 'na%'", "SHOW COLUMNS FROM anon_id_0 LIKE '<anonymized>'"],
  [
    'SELECT arr[:hi], x[1:2][:hi] FROM t',
    "SELECT anon_id_0[: anon_id_1], anon_id_2['<anonymized>':'<anonymized>'][: anon_id_1] FROM anon_id_3",
  ],
  [
    'SELECT c AS cidr, date, count, random FROM t upper',
    'SELECT anon_id_0 AS anon_id_1, anon_id_2, anon_id_3, anon_id_4 FROM anon_id_5 anon_id_6',
  ],
];

const CASES: readonly Case[] = STATEMENTS.map(([input, output]) => [
  `MySQL 8 names: ${input.slice(0, 60)}`,
  input,
  output,
]);

dialectSuite('mysql', CASES, []);
