/**
 * The benchmarks cannot rot: the whole of `npm run bench` runs in --smoke mode (tiny sizes, one or two rounds)
 * and must write a results file with B1..B5 and G1..G3, each with numeric ratios and its goal. Whether the goals are met
 * is the full run's business (BENCHMARKS.md), not this test's.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runFixture } from '../helpers/children.js';

test('npm run bench -- --smoke writes B1..B5 and G1..G3 with numeric ratios', { timeout: 240_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
  const out = join(dir, 'results.json');
  try {
    // Bounded by the timeout only: these machines are shared, so no timing is asserted.
    const run = await runFixture('bench/run.ts', {}, ['--smoke', '--out', out], 230_000);
    assert.equal(run.code, 0, `bench --smoke failed:\n${run.stdout.slice(-3000)}\n${run.stderr.slice(-3000)}`);

    const results = JSON.parse(readFileSync(out, 'utf8')) as Record<string, Record<string, unknown>>;
    for (const id of ['B1', 'B2', 'B3', 'B4', 'B5', 'G1', 'G2', 'G3']) {
      const result = results[id];
      assert.ok(result !== undefined, `${id} missing from results.json`);
      for (const field of ['ratio_median', 'ratio_min', 'ratio_max', 'goal']) {
        assert.equal(typeof result[field], 'number', `${id}.${field} is ${JSON.stringify(result[field])}`);
        assert.ok(Number.isFinite(result[field]), `${id}.${field} is ${String(result[field])}`);
      }
      assert.ok((result['ratio_min'] as number) <= (result['ratio_median'] as number), `${id}: min > median`);
      assert.ok((result['ratio_median'] as number) <= (result['ratio_max'] as number), `${id}: median > max`);
      assert.equal(typeof result['met'], 'boolean', `${id}.met`);
      assert.ok(result['goal_kind'] === 'max' || result['goal_kind'] === 'min', `${id}.goal_kind`);
    }
    assert.match(run.stdout, /^B1\s/m, 'the table is printed');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
