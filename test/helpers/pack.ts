/**
 * The package as a consumer gets it: `npm pack` of the working tree's sources, once for all the test files of a
 * run and reused by later runs while those sources stay the same. It packs a staged copy of the inputs (its
 * prepack builds dist/ there, so the working tree's own dist/ is left alone). The tarball lives in
 * `<tmpdir>/otel-segment-bridge-pack/<hash of the packed inputs>/`; a lock folder makes concurrent test files wait
 * for the one that packs. Also: installing that tarball into a copy of an application project, and running npm
 * with a checked result.
 */
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  renameSync,
  statSync,
  symlinkSync,
  utimesSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PACKS = join(tmpdir(), 'otel-segment-bridge-pack');
/** What goes into the tarball or decides how it is built. */
const INPUTS = [
  'src',
  'schema',
  'package.json',
  'package-lock.json',
  'tsup.config.ts',
  'tsconfig.json',
  'otel-config.yaml',
  'README.md',
  'CHANGELOG.md',
];
/** A lock held longer than this belongs to a process that died while packing or installing (a v3 install takes 20-100 s). */
const STALE_LOCK_MILLIS = 8 * 60_000;

/** Flags that keep npm quick and quiet; the registry is used only for what the npm cache lacks. */
export const NPM_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=warn'];

export interface NpmResult {
  code: number;
  /** stdout and stderr together, as npm printed them. */
  output: string;
}

/** Runs `npm <args>` in `cwd`; never rejects (the caller checks `code`). */
export function npm(args: readonly string[], cwd: string, timeoutMillis = 240_000): Promise<NpmResult> {
  return new Promise((resolve) => {
    execFile(
      'npm',
      args,
      { cwd, timeout: timeoutMillis, maxBuffer: 64 * 1024 * 1024, env: process.env },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}

/** Runs npm and throws with its output when it fails. */
export async function npmOk(args: readonly string[], cwd: string, timeoutMillis?: number): Promise<NpmResult> {
  const result = await npm(args, cwd, timeoutMillis);
  if (result.code !== 0)
    throw new Error(`npm ${args.join(' ')} (in ${cwd}) exited ${result.code}:\n${result.output.slice(-4000)}`);
  return result;
}

function files(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => files(join(path, name)));
}

/** A hash of every packed input: same hash, same tarball. */
export function sourceHash(): string {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap((input) => files(join(ROOT, input)))) {
    hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/** Packs and apps unused for this long are pruned (a whole test run takes ~15 min; each v3 app is ~230 MB). */
const PRUNE_AFTER_MILLIS = 30 * 60_000;

/**
 * Makes `dir` once across processes: the first caller takes `<dir>.lock` and runs `build(staging)`, which fills a
 * staging folder that is then renamed to `dir`; the others wait for it. A `dir` that exists is complete.
 */
async function once(dir: string, build: (staging: string) => Promise<void>): Promise<string> {
  const lock = `${dir}.lock`;
  mkdirSync(PACKS, { recursive: true });
  for (;;) {
    if (existsSync(dir)) {
      const now = new Date();
      utimesSync(dir, now, now); // in use: not to be pruned
      return dir;
    }
    try {
      mkdirSync(lock); // atomic: whoever creates it builds
    } catch {
      const held = statSync(lock, { throwIfNoEntry: false });
      if (held !== undefined && Date.now() - held.mtimeMs > STALE_LOCK_MILLIS)
        rmSync(lock, { recursive: true, force: true });
      await sleep(250);
      continue;
    }
    const staging = `${dir}.staging`;
    try {
      rmSync(staging, { recursive: true, force: true });
      mkdirSync(staging);
      await build(staging);
      renameSync(staging, dir);
      return dir;
    } finally {
      rmSync(staging, { recursive: true, force: true });
      rmSync(lock, { recursive: true, force: true });
    }
  }
}

/** Removes earlier runs' packs and apps that nobody used for PRUNE_AFTER_MILLIS. */
function prune(): void {
  for (const name of existsSync(PACKS) ? readdirSync(PACKS) : []) {
    const path = join(PACKS, name);
    const age = Date.now() - (statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
    if (age > PRUNE_AFTER_MILLIS) rmSync(path, { recursive: true, force: true });
  }
}

let pending: Promise<string> | undefined;

/**
 * The path of a tarball `npm pack` made from the working tree as it is now; or the one PACKED_TARBALL names
 * (to test or measure another build, e.g. a release, without packing).
 */
export function packedTarball(): Promise<string> {
  const given = process.env['PACKED_TARBALL'];
  pending ??= given !== undefined && given !== '' ? Promise.resolve(given) : pack();
  return pending;
}

/** Files every tarball must hold; a pack without them (a build that failed half-way) is an error. */
const MUST_SHIP = ['dist/index.js', 'dist/index.cjs', 'dist/register.js', 'dist/register.cjs', 'dist/index.d.ts'];
const TARBALL = 'otel-segment-bridge.tgz';

async function pack(): Promise<string> {
  prune();
  const dir = await once(join(PACKS, `pack-${sourceHash()}`), async (out) => {
    // Packed from a copy of the inputs: the build's `clean` then never empties the working tree's dist/ under a
    // running test, and a build someone runs in the working tree cannot empty this one half-way through the pack.
    const stage = join(out, 'sources');
    mkdirSync(stage);
    for (const input of INPUTS) {
      if (existsSync(join(ROOT, input))) cpSync(join(ROOT, input), join(stage, input), { recursive: true });
    }
    symlinkSync(join(ROOT, 'node_modules'), join(stage, 'node_modules'), 'dir');
    await npmOk(['pack', '--pack-destination', out, '--loglevel=warn'], stage);
    rmSync(stage, { recursive: true, force: true });
    const made = readdirSync(out).find((file) => file.endsWith('.tgz'));
    if (made === undefined) throw new Error('npm pack made no tarball');
    renameSync(join(out, made), join(out, TARBALL));
    const listed = execFileSync('tar', ['-tzf', join(out, TARBALL)], { encoding: 'utf8' });
    const missing = MUST_SHIP.filter((file) => !listed.includes(`package/${file}\n`));
    if (missing.length > 0) throw new Error(`the tarball lacks ${missing.join(', ')}`);
  });
  return join(dir, TARBALL);
}

function hashOf(paths: readonly string[]): string {
  const hash = createHash('sha256');
  for (const file of paths.flatMap((path) => files(path)))
    hash.update(file).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex').slice(0, 16);
}

/**
 * The application project test/compat/<line> with the tarball installed and the shared programs of
 * test/compat/apps beside it, installed once for all the test files of a run (and reused while the tarball, the
 * project and the programs stay the same). Tests may add files to it but must not change what is installed.
 */
export function installedApp(line: 'v2' | 'v3', tarball: string): Promise<string> {
  const template = join(ROOT, 'test', 'compat', line);
  const programs = join(ROOT, 'test', 'compat', 'apps');
  const key = hashOf([tarball, template, programs]);
  return once(join(PACKS, `app-${line}-${key}`), async (staging) => {
    await installApp(template, staging, tarball);
    cpSync(programs, staging, { recursive: true });
  });
}

/**
 * Copies the application project `template` (a folder with package.json, package-lock.json and its programs) to
 * `target`, installs its lock file (`npm ci`), then the tarball without saving it, the way a user adds the package
 * to an existing app.
 */
export async function installApp(template: string, target: string, tarball: string): Promise<void> {
  cpSync(template, target, { recursive: true, filter: (source) => !source.includes('node_modules') });
  await npmOk(['ci', ...NPM_FLAGS], target);
  await npmOk(['install', '--no-save', ...NPM_FLAGS, tarball], target);
}
