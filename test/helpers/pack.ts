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
  statSync,
  symlinkSync,
  writeFileSync,
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
/** A lock held longer than this belongs to a process that died while packing. */
const STALE_LOCK_MILLIS = 5 * 60_000;

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

function tarballIn(dir: string): string | undefined {
  if (!existsSync(join(dir, 'done'))) return undefined;
  const name = readdirSync(dir).find((file) => file.endsWith('.tgz'));
  return name === undefined ? undefined : join(dir, name);
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

async function pack(): Promise<string> {
  const dir = join(PACKS, sourceHash());
  const lock = `${dir}.lock`;
  mkdirSync(PACKS, { recursive: true });
  for (;;) {
    const ready = tarballIn(dir);
    if (ready !== undefined) return ready;
    try {
      mkdirSync(lock); // atomic: whoever creates it packs
    } catch {
      const held = statSync(lock, { throwIfNoEntry: false });
      if (held !== undefined && Date.now() - held.mtimeMs > STALE_LOCK_MILLIS)
        rmSync(lock, { recursive: true, force: true });
      await sleep(250);
      continue;
    }
    // Packed from a copy of the inputs: the build's `clean` then never empties the working tree's dist/ under a
    // running test, and a build someone runs in the working tree cannot empty this one half-way through the pack.
    const stage = `${dir}.stage`;
    try {
      rmSync(dir, { recursive: true, force: true });
      rmSync(stage, { recursive: true, force: true });
      mkdirSync(dir);
      mkdirSync(stage);
      for (const input of INPUTS) {
        if (existsSync(join(ROOT, input))) cpSync(join(ROOT, input), join(stage, input), { recursive: true });
      }
      symlinkSync(join(ROOT, 'node_modules'), join(stage, 'node_modules'), 'dir');
      await npmOk(['pack', '--pack-destination', dir, '--loglevel=warn'], stage);
      const tarball = readdirSync(dir).find((file) => file.endsWith('.tgz'));
      if (tarball === undefined) throw new Error('npm pack made no tarball');
      const listed = execFileSync('tar', ['-tzf', join(dir, tarball)], { encoding: 'utf8' });
      const missing = MUST_SHIP.filter((file) => !listed.includes(`package/${file}\n`));
      if (missing.length > 0) throw new Error(`the tarball lacks ${missing.join(', ')}`);
      writeFileSync(join(dir, 'done'), new Date().toISOString());
      return join(dir, tarball);
    } finally {
      rmSync(stage, { recursive: true, force: true });
      rmSync(lock, { recursive: true, force: true });
    }
  }
}

/**
 * Copies the application project `template` (a folder with package.json, package-lock.json and its programs) to
 * `target`, installs its lock file (`npm ci`), then the tarball without saving it, the way a user adds the package
 * to an existing app.
 */
export async function installApp(template: string, target: string, tarball: string): Promise<void> {
  rmSync(target, { recursive: true, force: true });
  cpSync(template, target, { recursive: true, filter: (source) => !source.includes('node_modules') });
  await npmOk(['ci', ...NPM_FLAGS], target);
  await npmOk(['install', '--no-save', ...NPM_FLAGS, tarball], target);
}
