/** Lets a benchmark module run on its own: `npx tsx bench/b1-skip-path.ts [--smoke]`. */
import { pathToFileURL } from 'node:url';
import type { BenchResult } from './stats.js';

/** True when the module at `url` is the script node was started with. */
export function isMain(url: string): boolean {
  const entry = process.argv[1];
  return entry !== undefined && url === pathToFileURL(entry).href;
}

/** Runs one benchmark and prints its result as JSON. */
export async function runAlone(run: (options: { smoke: boolean }) => Promise<BenchResult>): Promise<void> {
  const result = await run({ smoke: process.argv.includes('--smoke') });
  console.log(JSON.stringify(result, null, 2));
}
