/**
 * The anonymizer's privacy and utility figures, judged by PostgreSQL's own
 * parser (libpg-query 18) on the corpus of test/fixtures/sql: user names
 * kept, output that still parses, literal leaks, idempotence. The same
 * figures test/unit/anonymize/differential.test.ts fails below.
 *
 *   npx tsx bench/anonymize-corpus.ts             3000 generated statements + the hand-written ones
 *   npx tsx bench/anonymize-corpus.ts 20000       a larger corpus
 *   npx tsx bench/anonymize-corpus.ts 3000 -v     with examples of every failure
 */
import { postgresCorpus } from '../test/fixtures/sql/corpus.js';
import { describe, judge, loadParser } from '../test/fixtures/sql/differential.js';

const size = Number(process.argv[2] ?? 3000);
const verbose = process.argv.includes('-v');
await loadParser();
const corpus = postgresCorpus(size);
for (const dialect of ['postgres', 'strict'] as const) {
  const t0 = performance.now();
  const f = judge(corpus, dialect);
  console.log(`${describe(f)} (${Math.round(performance.now() - t0)} ms)`);
  if (verbose)
    for (const e of f.examples) console.log(`  [${e.kind}] ${e.input}\n    -> ${e.output}\n    :: ${e.detail}`);
}
