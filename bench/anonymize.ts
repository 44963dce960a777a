/**
 * Benchmark: anonymizeSql() against libpg-query's normalizeSync() (the
 * PostgreSQL parser compiled to WebAssembly, replacing literals with $n).
 *
 *   npx tsx bench/anonymize.ts            full run (~1 min)
 *   npx tsx bench/anonymize.ts --smoke    tiny sizes, a few seconds
 *   npx tsx bench/anonymize.ts --dist     the built package (dist/, after
 *                                         `npm run build`) instead of src/
 *
 * B4 is the figure for src/, loaded through tsx (one module per file), as
 * it always was. --dist measures the code as it ships: tsup's bundle, which
 * V8 compiles differently (one module; esbuild turns top-level `const`s
 * into `var`s), so the two figures differ.
 *
 * Measured in PROCESSES fresh child processes, and the figures are the
 * median over them. One process is not enough: the shared 2-CPU machines
 * this runs on change speed for stretches of a fraction of a second to
 * seconds (up to 2x; bench/machine-speed.ts shows it), and the two sides
 * do not slow down alike, so the ratio of one process depends on the
 * stretches it met (see BENCHMARKS.md, B4).
 *
 * In each process: both sides are warmed up first, libpg-query until V8
 * has finished optimizing its WebAssembly in the background (until then
 * its rounds are slow and the process uses more CPU time than wall time);
 * then the Postgres corpus runs interleaved, A B / B A, for several rounds,
 * each side running the corpus enough times per round to take ~100 ms. The
 * statements libpg-query cannot parse are counted and left out of both
 * sides. MySQL corpus: ours alone. Plus the time for one 1 MB input.
 */
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadModule, normalizeSync } from 'libpg-query';
import type { AnonymizeOptions } from '../src/anonymize/index.js';
import { report, runFixture } from './lib/child.js';
import { prng } from './lib/prng.js';
import { median } from './lib/stats.js';

export interface AnonymizerBenchResult {
  ratio_median: number;
  ratio_min: number;
  ratio_max: number;
  goal: number;
  met: boolean;
  ours_qps: number;
  theirs_qps: number;
  ours_mb_s: number;
  theirs_mb_s: number;
  one_mb_ms: number;
}

/** Our queries/s must be at least this multiple of normalizeSync's. */
const GOAL = 10;

/** Child processes measured (each with its own JIT compilations). */
const PROCESSES = 5;

// ---------------------------------------------------------------------------
// Corpus

let rand = prng(1);
const int = (max: number): number => Math.floor(rand() * max);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
const NAMES = ['alice', 'bob', "o'brien", 'zoë', 'mallory', 'trent', 'peggy', 'victor'];
const STATUSES = ['pending', 'shipped', 'delivered', 'cancelled', 'refunded'];
const email = (): string => `${pick(NAMES).replace("'", "''")}${int(1000)}@example.com`;
const day = (): string => `2024-0${1 + int(9)}-${10 + int(18)}`;
const money = (): string => `${int(5000)}.${10 + int(89)}`;
const inList = (n: number): string => Array.from({ length: n }, () => String(int(1_000_000))).join(', ');

/** Short OLTP statements in PostgreSQL syntax. */
function postgresShort(): string[] {
  return [
    `SELECT id, email, created_at FROM users WHERE id = ${int(1e6)}`,
    `SELECT * FROM users WHERE email = '${email()}' LIMIT 1`,
    `SELECT id, status, total FROM orders WHERE user_id = ${int(1e6)} AND status = '${pick(STATUSES)}' ORDER BY created_at DESC LIMIT 20`,
    `INSERT INTO events (user_id, kind, payload, created_at) VALUES (${int(1e6)}, 'click', '{"page": "/home", "ms": ${int(900)}}'::jsonb, now())`,
    `UPDATE accounts SET balance = balance - ${money()}, updated_at = now() WHERE id = ${int(1e5)} AND version = ${int(50)}`,
    `DELETE FROM sessions WHERE expires_at < '${day()} 00:00:00'::timestamptz`,
    `SELECT u.id, u.name, count(o.id) AS orders FROM users u JOIN orders o ON o.user_id = u.id WHERE u.country = 'DE' GROUP BY u.id, u.name`,
    `SELECT p.id, p.title, p.price FROM products p WHERE p.category_id = ${int(300)} AND p.price BETWEEN ${money()} AND ${money()} ORDER BY p.price LIMIT 50 OFFSET ${int(500)}`,
    `INSERT INTO order_items (order_id, product_id, quantity, unit_price) VALUES (${int(1e6)}, ${int(1e4)}, ${1 + int(5)}, ${money()}) RETURNING id`,
    `UPDATE orders SET status = '${pick(STATUSES)}', shipped_at = now() WHERE id = $1`,
    `SELECT count(*) FROM page_views WHERE site_id = ${int(100)} AND viewed_at >= now() - interval '7 days'`,
    `SELECT "User"."Id", "User"."DisplayName" FROM "User" WHERE "User"."Email" = '${email()}'`,
    `SELECT id FROM jobs WHERE queue = 'default' AND run_at <= now() ORDER BY priority DESC, id FOR UPDATE SKIP LOCKED LIMIT 10`,
    `INSERT INTO kv (k, v) VALUES ('user:${int(1e6)}:prefs', '{"theme":"dark"}') ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v`,
    `SELECT * FROM audit_log WHERE actor_id = ${int(1e5)} AND action IN ('login', 'logout', 'password_reset') ORDER BY at DESC LIMIT 100`,
    `SELECT t.id, t.body FROM tickets t WHERE t.body ILIKE '%refund%' AND t.assignee IS NULL`,
    `UPDATE inventory SET quantity = quantity + ${int(20)} WHERE sku = 'SKU-${int(1e5)}' AND warehouse_id = ${int(10)}`,
    `SELECT lower(email), upper(name), coalesce(phone, 'n/a') FROM customers WHERE id = ${int(1e6)}`,
    `SELECT id, data->>'name' AS name FROM documents WHERE data @> '{"tags": ["urgent"]}' AND owner_id = ${int(1e4)}`,
    `INSERT INTO logins (user_id, ip, user_agent) VALUES (${int(1e6)}, '10.${int(255)}.${int(255)}.${int(255)}', 'Mozilla/5.0 (X11; Linux x86_64)')`,
    `SELECT a.id, b.label FROM a_table a LEFT JOIN b_table b ON b.a_id = a.id WHERE a.flag = true AND b.deleted_at IS NULL`,
    `SELECT date_trunc('day', created_at) AS d, count(*) FROM signups WHERE created_at > '${day()}' GROUP BY 1 ORDER BY 1`,
    `UPDATE users SET last_seen_at = now(), login_count = login_count + 1 WHERE id = ${int(1e6)}`,
    `SELECT id FROM files WHERE path = E'C:\\\\Users\\\\${pick(NAMES).replace("'", '')}\\\\doc.txt'`,
    `SELECT EXISTS (SELECT 1 FROM memberships WHERE org_id = ${int(1e4)} AND user_id = ${int(1e6)})`,
    `SELECT id, name FROM tags WHERE name = ANY('{red,green,blue}'::text[])`,
    `INSERT INTO metrics (name, value, tags, ts) VALUES ('cpu.load', ${rand().toFixed(4)}, ARRAY['host:web-${int(40)}', 'env:prod'], '${day()} 12:00:00+00')`,
    `SELECT * FROM messages WHERE thread_id = ${int(1e6)} AND id > ${int(1e7)} ORDER BY id LIMIT 50`,
    `DELETE FROM cart_items WHERE cart_id = ${int(1e6)} AND product_id = ${int(1e4)}`,
    `SELECT s.id FROM subscriptions s WHERE s.plan = 'pro' AND s.renews_on = '${day()}'::date AND NOT s.cancelled`,
  ];
}

/** Short OLTP statements in MySQL syntax. */
function mysqlShort(): string[] {
  return [
    `SELECT id, email, created_at FROM users WHERE id = ${int(1e6)}`,
    `SELECT * FROM \`users\` WHERE \`email\` = '${email()}' LIMIT 1`,
    `SELECT id, status, total FROM orders WHERE user_id = ${int(1e6)} AND status = "${pick(STATUSES)}" ORDER BY created_at DESC LIMIT 20`,
    `INSERT INTO events (user_id, kind, payload, created_at) VALUES (${int(1e6)}, 'click', '{"page": "/home"}', NOW())`,
    `UPDATE accounts SET balance = balance - ${money()}, updated_at = NOW() WHERE id = ${int(1e5)} AND version = ${int(50)}`,
    `DELETE FROM sessions WHERE expires_at < '${day()} 00:00:00'`,
    `SELECT u.id, u.name, COUNT(o.id) AS orders FROM users u JOIN orders o ON o.user_id = u.id WHERE u.country = 'DE' GROUP BY u.id, u.name`,
    `SELECT p.id, p.title FROM products p WHERE p.category_id = ${int(300)} ORDER BY p.price LIMIT ${int(500)}, 50`,
    `INSERT INTO order_items (order_id, product_id, quantity, unit_price) VALUES (${int(1e6)}, ${int(1e4)}, ${1 + int(5)}, ${money()})`,
    `UPDATE orders SET status = 'shipped', shipped_at = NOW() WHERE id = ?`,
    `SELECT COUNT(*) FROM page_views WHERE site_id = ${int(100)} AND viewed_at >= NOW() - INTERVAL 7 DAY`,
    `INSERT INTO kv (k, v) VALUES ('user:${int(1e6)}:prefs', '{"theme":"dark"}') ON DUPLICATE KEY UPDATE v = VALUES(v)`,
    `SELECT * FROM audit_log WHERE actor_id = ${int(1e5)} AND action IN ('login', 'logout') ORDER BY at DESC LIMIT 100`,
    `SELECT t.id, t.body FROM tickets t WHERE t.body LIKE '%it\\'s broken%' AND t.assignee IS NULL`,
    `UPDATE inventory SET quantity = quantity + ${int(20)} WHERE sku = 'SKU-${int(1e5)}' AND warehouse_id = ${int(10)}`,
    `SELECT LOWER(email), UPPER(name), IFNULL(phone, 'n/a') FROM customers WHERE id = ${int(1e6)}`,
    `SELECT id, JSON_EXTRACT(data, '$.name') AS name FROM documents WHERE owner_id = ${int(1e4)}`,
    `INSERT INTO logins (user_id, ip) VALUES (${int(1e6)}, INET_ATON('10.${int(255)}.${int(255)}.${int(255)}'))`,
    `SELECT SQL_NO_CACHE id FROM jobs WHERE queue = 'default' AND run_at <= NOW() ORDER BY priority DESC LIMIT 10 FOR UPDATE SKIP LOCKED`,
    `SELECT /*+ MAX_EXECUTION_TIME(1000) */ id FROM big_table WHERE k = ${int(1e6)}`,
    `SELECT DATE_FORMAT(created_at, '%Y-%m-%d') AS d, COUNT(*) FROM signups WHERE created_at > '${day()}' GROUP BY d`,
    `UPDATE users SET last_seen_at = NOW(), login_count = login_count + 1 WHERE id = ${int(1e6)}`,
    `SELECT id FROM files WHERE path = 'C:\\\\Users\\\\doc.txt' AND owner = _utf8mb4'${pick(NAMES).replace("'", "\\'")}'`,
    `SELECT EXISTS (SELECT 1 FROM memberships WHERE org_id = ${int(1e4)} AND user_id = ${int(1e6)})`,
    `REPLACE INTO counters (name, n) VALUES ('visits', ${int(1e6)})`,
    `SELECT @rownum := @rownum + 1 AS rank, name FROM players ORDER BY score DESC`,
    `SELECT * FROM messages WHERE thread_id = ${int(1e6)} AND id > ${int(1e7)} ORDER BY id LIMIT 50`,
    `DELETE FROM cart_items WHERE cart_id = ${int(1e6)} AND product_id = ${int(1e4)}`,
    `SELECT HEX(uuid), b'1010', 0x1F, X'CAFE' FROM tokens WHERE token = '${int(1e9).toString(16)}'`,
    `SET @@session.sql_mode = 'STRICT_TRANS_TABLES'`,
  ];
}

/** Long analytic statements in PostgreSQL syntax. */
function postgresLong(): string[] {
  return [
    `WITH recent AS (
       SELECT o.id, o.user_id, o.total, o.created_at
       FROM orders o
       WHERE o.created_at >= '${day()}'::date AND o.status IN ('shipped', 'delivered')
     ), per_user AS (
       SELECT user_id, count(*) AS n, sum(total) AS revenue, avg(total) AS avg_total
       FROM recent GROUP BY user_id
     )
     SELECT u.id, u.email, p.n, p.revenue,
            rank() OVER (ORDER BY p.revenue DESC) AS revenue_rank,
            CASE WHEN p.revenue > ${money()} THEN 'whale' WHEN p.revenue > ${money()} THEN 'regular' ELSE 'small' END AS segment
     FROM per_user p JOIN users u ON u.id = p.user_id
     WHERE u.country IN ('DE', 'FR', 'NL', 'BE') AND u.deleted_at IS NULL
     ORDER BY p.revenue DESC LIMIT 100`,
    `SELECT d.name AS department, e.name, e.salary,
            avg(e.salary) OVER (PARTITION BY e.department_id) AS dept_avg,
            e.salary - lag(e.salary) OVER (PARTITION BY e.department_id ORDER BY e.hired_on) AS delta,
            row_number() OVER (PARTITION BY e.department_id ORDER BY e.salary DESC) AS rn
     FROM employees e
     JOIN departments d ON d.id = e.department_id
     LEFT JOIN offices o ON o.id = d.office_id
     WHERE e.hired_on BETWEEN '${day()}' AND '${day()}' AND o.city <> 'Berlin'
     ORDER BY d.name, rn`,
    `SELECT id, name FROM products WHERE id IN (${inList(120)}) AND active = true ORDER BY name`,
    `SELECT date_trunc('week', e.at) AS week, e.kind,
            count(*) FILTER (WHERE e.props->>'source' = 'email') AS from_email,
            count(*) FILTER (WHERE e.props->>'source' = 'ads') AS from_ads,
            percentile_cont(0.95) WITHIN GROUP (ORDER BY (e.props->>'ms')::int) AS p95
     FROM events e
     JOIN sessions s ON s.id = e.session_id AND s.bot = false
     JOIN users u ON u.id = s.user_id
     WHERE e.at >= now() - interval '90 days' AND e.kind NOT IN ('heartbeat', 'noop', 'ping')
     GROUP BY 1, 2
     HAVING count(*) > ${int(100)}
     ORDER BY week DESC, from_email DESC`,
    `WITH RECURSIVE tree AS (
       SELECT id, parent_id, name, 1 AS depth, ARRAY[id] AS path FROM categories WHERE parent_id IS NULL
       UNION ALL
       SELECT c.id, c.parent_id, c.name, t.depth + 1, t.path || c.id
       FROM categories c JOIN tree t ON c.parent_id = t.id
       WHERE t.depth < ${5 + int(5)}
     )
     SELECT t.id, repeat('  ', t.depth - 1) || t.name AS label, count(p.id) AS products
     FROM tree t LEFT JOIN products p ON p.category_id = t.id
     GROUP BY t.id, t.depth, t.name, t.path ORDER BY t.path`,
    `INSERT INTO daily_stats (day, site_id, visits, uniques, bounce_rate)
     SELECT v.day, v.site_id, count(*), count(DISTINCT v.visitor_id),
            round(avg(CASE WHEN v.pages = 1 THEN 1.0 ELSE 0.0 END), 4)
     FROM visits v
     WHERE v.day = '${day()}'::date AND v.site_id IN (${inList(40)})
     GROUP BY v.day, v.site_id
     ON CONFLICT (day, site_id) DO UPDATE SET visits = EXCLUDED.visits, uniques = EXCLUDED.uniques, bounce_rate = EXCLUDED.bounce_rate`,
  ];
}

/** Long analytic statements in MySQL syntax. */
function mysqlLong(): string[] {
  return [
    `SELECT c.id, c.name, SUM(oi.quantity * oi.unit_price) AS revenue,
            COUNT(DISTINCT o.id) AS orders, MAX(o.created_at) AS last_order,
            CASE WHEN SUM(oi.quantity * oi.unit_price) > ${money()} THEN 'gold' ELSE 'standard' END AS tier
     FROM customers c
     INNER JOIN orders o ON o.customer_id = c.id
     INNER JOIN order_items oi ON oi.order_id = o.id
     LEFT JOIN refunds r ON r.order_id = o.id
     WHERE o.created_at >= '${day()}' AND r.id IS NULL AND c.region IN ('EU', 'NA', 'APAC')
     GROUP BY c.id, c.name HAVING revenue > 1000 ORDER BY revenue DESC LIMIT 50`,
    `SELECT id, sku FROM products WHERE id IN (${inList(150)})`,
    `WITH ranked AS (
       SELECT p.id, p.category_id, p.price,
              ROW_NUMBER() OVER (PARTITION BY p.category_id ORDER BY p.price DESC) AS rn,
              DENSE_RANK() OVER (ORDER BY p.price DESC) AS global_rank
       FROM products p WHERE p.deleted = 0 AND p.title NOT LIKE '%test%'
     )
     SELECT r.category_id, GROUP_CONCAT(r.id ORDER BY r.rn SEPARATOR ',') AS top_ids
     FROM ranked r WHERE r.rn <= 5 GROUP BY r.category_id`,
    `CREATE TABLE \`invoices\` (
       \`id\` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
       \`customer_id\` INT NOT NULL,
       \`amount\` DECIMAL(12,2) NOT NULL DEFAULT '0.00' COMMENT 'gross amount',
       \`status\` ENUM('draft','sent','paid') NOT NULL DEFAULT 'draft',
       \`created_at\` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
       PRIMARY KEY (\`id\`),
       KEY \`idx_customer\` (\`customer_id\`),
       CONSTRAINT \`chk_amount\` CHECK (\`amount\` >= 0)
     ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='invoices for ${pick(NAMES).replace("'", '')}'`,
  ];
}

export interface BenchCorpus {
  /** PostgreSQL statements (short OLTP first, then long analytic ones). */
  postgres: string[];
  /** How many of `postgres` are short OLTP statements. */
  postgresShortCount: number;
  /** MySQL statements (short OLTP first, then long analytic ones). */
  mysql: string[];
  /** One realistic megabyte: the Postgres statements repeated, joined by `;`. */
  oneMb: string;
}

/**
 * A flat copy of `s`. Statements reach the anonymizer from the wire (JSON,
 * driver buffers) as flat strings, not as the concatenation trees template
 * literals build, so the corpus is flattened first.
 */
function flat(s: string): string {
  return JSON.parse(JSON.stringify(s)) as string;
}

/** Builds the same corpus on every call. */
export function buildCorpus(): BenchCorpus {
  rand = prng(20240611);
  const short = postgresShort();
  const postgres = [...short, ...postgresLong()].map(flat);
  const mysql = [...mysqlShort(), ...mysqlLong()].map(flat);
  let oneMb = '';
  for (let k = 0; oneMb.length < 1 << 20; k++) oneMb += postgres[k % postgres.length]! + ';\n';
  return { postgres, postgresShortCount: short.length, mysql, oneMb: flat(oneMb) };
}

// ---------------------------------------------------------------------------
// Measurement (in one child process)

type Fn = (q: string) => string;

interface Side {
  readonly fn: Fn;
  readonly corpus: readonly string[];
  /** Corpus passes per round. */
  reps: number;
}

let sink = 0;

/** Runs `side.reps` passes over the corpus; returns seconds. */
function runPasses(side: Side): number {
  const { fn, corpus, reps } = side;
  const t0 = performance.now();
  for (let r = 0; r < reps; r++) {
    for (let i = 0; i < corpus.length; i++) sink += fn(corpus[i]!).length;
  }
  return (performance.now() - t0) / 1000;
}

/** Sets `side.reps` so that one round takes about `targetMs`. */
function calibrate(side: Side, targetMs: number, maxReps: number): void {
  side.reps = 1;
  for (;;) {
    const ms = runPasses(side) * 1000;
    if (ms >= targetMs / 4 || side.reps >= maxReps) {
      side.reps = Math.max(1, Math.min(maxReps, Math.round((side.reps * targetMs) / Math.max(ms, 0.01))));
      return;
    }
    side.reps *= 4;
  }
}

/**
 * Runs `side` for at least `minMs`, and then until three rounds in a row
 * used no more CPU time than wall time: no compiler thread is still working
 * for it in the background (at most `maxMs`).
 */
function warmUp(side: Side, minMs: number, maxMs: number): void {
  const t0 = performance.now();
  let quiet = 0;
  while (performance.now() - t0 < maxMs) {
    const c0 = process.cpuUsage();
    const seconds = runPasses(side);
    const c = process.cpuUsage(c0);
    quiet = (c.user + c.system) / 1e6 <= seconds * 1.1 ? quiet + 1 : 0;
    if (quiet >= 3 && performance.now() - t0 >= minMs) return;
  }
}

function utf8Bytes(corpus: readonly string[]): number {
  let n = 0;
  for (const q of corpus) n += Buffer.byteLength(q, 'utf8');
  return n;
}

const PG: AnonymizeOptions = { dialect: 'postgres' };
const MY: AnonymizeOptions = { dialect: 'mysql' };

interface Interleaved {
  oursQps: number[];
  theirsQps: number[];
  ratios: number[];
}

/** Rounds of A then B, and B then A; each round's ratio compares two runs made back to back. */
function interleave(a: Side, b: Side, rounds: number): Interleaved {
  const out: Interleaved = { oursQps: [], theirsQps: [], ratios: [] };
  const qps = (side: Side): number => (side.reps * side.corpus.length) / runPasses(side);
  for (let r = 0; r < rounds; r++) {
    let qa: number;
    let qb: number;
    if (r % 2 === 0) {
      qa = qps(a);
      qb = qps(b);
    } else {
      qb = qps(b);
      qa = qps(a);
    }
    out.oursQps.push(qa);
    out.theirsQps.push(qb);
    out.ratios.push(qa / qb);
  }
  return out;
}

/** The figures of one process (what a child reports). */
interface ProcessFigures {
  ratio: number;
  ours_qps: number;
  theirs_qps: number;
  pg_short_ours_qps: number;
  pg_short_theirs_qps: number;
  pg_short_ratio: number;
  pg_long_ours_qps: number;
  pg_long_theirs_qps: number;
  pg_long_ratio: number;
  mysql_qps: number;
  one_mb_ms: number;
  warm_up_ms: number;
  pg_statements: number;
  pg_short_statements: number;
  pg_unparseable_by_libpg_query: number;
  pg_bytes: number;
  mysql_statements: number;
  mysql_bytes: number;
  one_mb_bytes: number;
}

type Anonymize = (sql: string, options?: AnonymizeOptions) => string;

/** anonymizeSql from src/ (through tsx) or, with --dist, from the built package. */
async function loadAnonymizer(dist: boolean): Promise<Anonymize> {
  const url = new URL(dist ? '../dist/index.js' : '../src/anonymize/index.js', import.meta.url);
  const module = (await import(url.href)) as { anonymizeSql: Anonymize };
  return module.anonymizeSql;
}

async function measureThisProcess(smoke: boolean, dist: boolean): Promise<ProcessFigures> {
  const anonymizeSql = await loadAnonymizer(dist);
  await loadModule();
  const rounds = smoke ? 2 : 15;
  const targetMs = smoke ? 20 : 100;
  const maxReps = smoke ? 20 : 1_000_000;

  const corpus = buildCorpus();
  const pgCorpus: string[] = [];
  const pgShort: string[] = [];
  let unparseable = 0;
  corpus.postgres.forEach((q, i) => {
    try {
      normalizeSync(q);
      pgCorpus.push(q);
      if (i < corpus.postgresShortCount) pgShort.push(q);
    } catch {
      unparseable++;
    }
  });
  const pgLong = pgCorpus.filter((q) => !pgShort.includes(q));
  const myCorpus = corpus.mysql;

  const anonPg: Fn = (q) => anonymizeSql(q, PG);
  const ours: Side = { fn: anonPg, corpus: pgCorpus, reps: 1 };
  const theirs: Side = { fn: normalizeSync, corpus: pgCorpus, reps: 1 };
  const mysql: Side = { fn: (q) => anonymizeSql(q, MY), corpus: myCorpus, reps: 1 };
  const warm0 = performance.now();
  for (const side of [ours, theirs, mysql]) calibrate(side, targetMs, maxReps);
  if (!smoke) {
    warmUp(ours, 1000, 1000);
    warmUp(mysql, 500, 500);
    warmUp(theirs, 2000, 20_000);
    for (const side of [ours, theirs, mysql]) calibrate(side, targetMs, maxReps);
  }
  const warmUpMs = performance.now() - warm0;

  const overall = interleave(ours, theirs, rounds);

  const mysqlQps: number[] = [];
  for (let r = 0; r < rounds; r++) mysqlQps.push((mysql.reps * myCorpus.length) / runPasses(mysql));

  // Short and long statements apart (fewer rounds; for the details only).
  const split = (subset: readonly string[]): Interleaved => {
    const a: Side = { fn: anonPg, corpus: subset, reps: 1 };
    const b: Side = { fn: normalizeSync, corpus: subset, reps: 1 };
    calibrate(a, targetMs / 2, maxReps);
    calibrate(b, targetMs / 2, maxReps);
    return interleave(a, b, smoke ? 2 : 6);
  };
  const short = split(pgShort);
  const long = split(pgLong);

  const big = corpus.oneMb;
  const bigTimes: number[] = [];
  for (let r = 0; r < (smoke ? 1 : 5); r++) {
    const t0 = performance.now();
    sink += anonymizeSql(big, PG).length;
    bigTimes.push(performance.now() - t0);
  }
  if (sink <= 0) throw new Error('nothing was produced');

  return {
    ratio: median(overall.ratios),
    ours_qps: median(overall.oursQps),
    theirs_qps: median(overall.theirsQps),
    pg_short_ours_qps: median(short.oursQps),
    pg_short_theirs_qps: median(short.theirsQps),
    pg_short_ratio: median(short.ratios),
    pg_long_ours_qps: median(long.oursQps),
    pg_long_theirs_qps: median(long.theirsQps),
    pg_long_ratio: median(long.ratios),
    mysql_qps: median(mysqlQps),
    one_mb_ms: median(bigTimes),
    warm_up_ms: warmUpMs,
    pg_statements: pgCorpus.length,
    pg_short_statements: pgShort.length,
    pg_unparseable_by_libpg_query: unparseable,
    pg_bytes: utf8Bytes(pgCorpus),
    mysql_statements: myCorpus.length,
    mysql_bytes: utf8Bytes(myCorpus),
    one_mb_bytes: Buffer.byteLength(big, 'utf8'),
  };
}

// ---------------------------------------------------------------------------
// Across processes

const SCRIPT = fileURLToPath(import.meta.url);

export async function runAnonymizerBench({
  smoke,
  dist = false,
}: {
  smoke: boolean;
  dist?: boolean;
}): Promise<AnonymizerBenchResult> {
  const runs: ProcessFigures[] = [];
  for (let k = 0; k < (smoke ? 1 : PROCESSES); k++) {
    const figures = await runFixture(SCRIPT, {
      args: ['--child', ...(smoke ? ['--smoke'] : []), ...(dist ? ['--dist'] : [])],
      timeoutMillis: 180_000,
    });
    runs.push(figures as unknown as ProcessFigures);
  }
  const med = (key: keyof ProcessFigures): number => median(runs.map((r) => r[key]));
  const ratios = runs.map((r) => r.ratio);
  const ratioMedian = med('ratio');
  const oursQ = med('ours_qps');
  const theirsQ = med('theirs_qps');
  const first = runs[0]!;
  const perQuery = first.pg_bytes / first.pg_statements / 1e6;
  lastDetails = {
    processes: runs.length,
    ratio_per_process: ratios.map((x) => round(x, 2)),
    ours_qps_per_process: runs.map((r) => Math.round(r.ours_qps)),
    theirs_qps_per_process: runs.map((r) => Math.round(r.theirs_qps)),
    pg_statements: first.pg_statements,
    pg_short_statements: first.pg_short_statements,
    pg_long_statements: first.pg_statements - first.pg_short_statements,
    pg_unparseable_by_libpg_query: first.pg_unparseable_by_libpg_query,
    pg_short_ours_qps: Math.round(med('pg_short_ours_qps')),
    pg_short_theirs_qps: Math.round(med('pg_short_theirs_qps')),
    pg_short_ratio_median: round(med('pg_short_ratio'), 2),
    pg_long_ours_qps: Math.round(med('pg_long_ours_qps')),
    pg_long_theirs_qps: Math.round(med('pg_long_theirs_qps')),
    pg_long_ratio_median: round(med('pg_long_ratio'), 2),
    mysql_statements: first.mysql_statements,
    mysql_qps: Math.round(med('mysql_qps')),
    mysql_mb_s: round((med('mysql_qps') * first.mysql_bytes) / first.mysql_statements / 1e6, 1),
    warm_up_ms: Math.round(med('warm_up_ms')),
    one_mb_bytes: first.one_mb_bytes,
  };
  return {
    ratio_median: round(ratioMedian, 2),
    ratio_min: round(Math.min(...ratios), 2),
    ratio_max: round(Math.max(...ratios), 2),
    goal: GOAL,
    met: ratioMedian >= GOAL,
    ours_qps: Math.round(oursQ),
    theirs_qps: Math.round(theirsQ),
    ours_mb_s: round(oursQ * perQuery, 1),
    theirs_mb_s: round(theirsQ * perQuery, 1),
    one_mb_ms: round(med('one_mb_ms'), 2),
  };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Extra figures of the last run, printed by the script entry point. */
let lastDetails: Record<string, unknown> = {};

async function main(): Promise<void> {
  const smoke = process.argv.includes('--smoke');
  const dist = process.argv.includes('--dist');
  if (process.argv.includes('--child')) {
    report({ ...(await measureThisProcess(smoke, dist)) });
    return;
  }
  if (dist) console.log('anonymizeSql from dist/ (the built package), not src/');
  const r = await runAnonymizerBench({ smoke, dist });
  const d = lastDetails;
  const rows: [string, string, string][] = [
    ['', 'anonymizeSql', 'normalizeSync'],
    ['postgres queries/s', String(r.ours_qps), String(r.theirs_qps)],
    ['postgres MB/s', String(r.ours_mb_s), String(r.theirs_mb_s)],
    ['  short statements', String(d['pg_short_ours_qps']), String(d['pg_short_theirs_qps'])],
    ['  long statements', String(d['pg_long_ours_qps']), String(d['pg_long_theirs_qps'])],
    ['mysql queries/s', String(d['mysql_qps']), '-'],
    ['mysql MB/s', String(d['mysql_mb_s']), '-'],
    ['1 MB input (ms)', String(r.one_mb_ms), '-'],
  ];
  for (const [a, b, c] of rows) console.log(`${a.padEnd(20)} ${b.padStart(14)} ${c.padStart(14)}`);
  console.log(
    `ratio ours/theirs: median ${r.ratio_median}x over ${String(d['processes'])} processes (${(d['ratio_per_process'] as number[]).join(', ')}), goal ${r.goal}x: ${r.met ? 'met' : 'NOT met'}`,
  );
  console.log(JSON.stringify({ ...r, details: d }, null, 2));
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  await main();
}
