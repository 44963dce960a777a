/**
 * CPU profiles for BENCHMARKS.md: runs one B2 side under `node --cpu-prof` against a loopback receiver in this
 * process, or reads a .cpuprofile made otherwise, and prints the top frames by self time, by function and by
 * package.
 *
 *   npx tsx bench/profile.ts ours|theirs [--events 50000] [--top 25]
 *   node --import tsx --cpu-prof --cpu-prof-dir /tmp/p bench/b3-record.ts && npx tsx bench/profile.ts --file /tmp/p/<name>.cpuprofile
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { anonymizeSql } from '../src/anonymize/index.js';
import { runChild } from './lib/child.js';
import { countingReceiver, numberArg, stringArg } from './lib/fixture.js';
import { isMain } from './lib/main.js';
import { BENCH_WRITE_KEY, RAW_QUERY } from './lib/payloads.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time per frame and per package of a .cpuprofile, as shares of all samples. */
export function summarise(profile: Profile, top: number): { frames: [string, number][]; packages: [string, number][] } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const frames = new Map<string, number>();
  const packages = new Map<string, number>();
  for (const [id, micros] of self) {
    const frame = byId.get(id)?.callFrame;
    if (frame === undefined) continue;
    const url = frame.url.replace(/^file:\/\//, '');
    const where =
      url === '' ? '' : `${url.replace(/^.*node_modules\//, '').replace(/^.*\/main\//, '')}:${frame.lineNumber + 1}`;
    const name = `${frame.functionName || '(anonymous)'} ${where}`.trim();
    frames.set(name, (frames.get(name) ?? 0) + micros);
    const pkg =
      url === ''
        ? frame.functionName
        : (/node_modules\/((@[^/]+\/)?[^/]+)/.exec(url)?.[1] ??
          (url.startsWith('node:')
            ? 'node:internal'
            : url.includes('/main/src/')
              ? 'bridge src'
              : url.includes('/main/bench/')
                ? 'bench'
                : url));
    packages.set(pkg, (packages.get(pkg) ?? 0) + micros);
  }
  const share = (m: Map<string, number>): [string, number][] =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, v]) => [k, Math.round((1000 * v) / total) / 10]);
  return { frames: share(frames), packages: share(packages) };
}

function print(title: string, profile: Profile, top: number): void {
  const { frames, packages } = summarise(profile, top);
  console.log(title);
  console.log('\nself time by package (% of samples)');
  for (const [name, pct] of packages) console.log(`${String(pct).padStart(6)}  ${name}`);
  console.log('\nself time by function (% of samples)');
  for (const [name, pct] of frames) console.log(`${String(pct).padStart(6)}  ${name}`);
}

/** Profiles one B2 side; returns the .cpuprofile's path. */
async function profileB2(side: 'ours' | 'theirs', events: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'b2-prof-'));
  const counting = await countingReceiver(events, { writeKey: BENCH_WRITE_KEY });
  const args = ['--host', counting.receiver.url, '--events', String(events)];
  if (side === 'theirs') args.push('--query', anonymizeSql(RAW_QUERY, { dialect: 'postgres' }));
  const run = await runChild(`bench/fixtures/b2-${side}.ts`, { nodeArgs: ['--cpu-prof', '--cpu-prof-dir', dir], args });
  await counting.receiver.close();
  const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
  if (run.code !== 0 || file === undefined) throw new Error(`profiling failed: ${run.stderr}`);
  return join(dir, file);
}

if (isMain(import.meta.url)) {
  const top = numberArg('--top', 25);
  const given = stringArg('--file', '');
  const side = process.argv[2] === 'theirs' ? 'theirs' : 'ours';
  const events = numberArg('--events', 50_000);
  const file = given !== '' ? given : await profileB2(side, events);
  print(
    given !== '' ? file : `B2 ${side}: ${events} events; profile ${file}`,
    JSON.parse(readFileSync(file, 'utf8')) as Profile,
    top,
  );
}
