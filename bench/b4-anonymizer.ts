/**
 * B4 anonymizer: bench/anonymize.ts (owned by the anonymizer's author) measures anonymizeSql against
 * libpg-query's normalizeSync, queries/s, interleaved; this maps its figures to the common result shape.
 */
import { runAnonymizerBench } from './anonymize.js';
import { isMain, runAlone } from './lib/main.js';
import type { BenchResult } from './lib/stats.js';

export async function runB4({ smoke }: { smoke: boolean }): Promise<BenchResult> {
  const { ratio_median, ratio_min, ratio_max, goal, met, ...extra } = await runAnonymizerBench({ smoke });
  return {
    ratio_median,
    ratio_min,
    ratio_max,
    goal,
    goal_kind: 'min',
    met,
    valid: Number.isFinite(ratio_median),
    ratio_is: 'queries/s, anonymizeSql / libpg-query normalizeSync (PostgreSQL corpus)',
    ...extra,
  };
}

if (isMain(import.meta.url)) await runAlone(runB4);
