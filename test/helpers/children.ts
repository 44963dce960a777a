/**
 * The one child-process helper of the tests: runs a script (TypeScript through tsx, optionally under the register
 * entry) in a minimal environment (loopback addresses only come from the test; a config directory of its own, so
 * a developer's `otel-segment-bridge disable` never leaks in) and remembers every child so `after` can kill what is
 * left.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The preload flags that run a TypeScript app under the register entry from source. */
export const REGISTER_FROM_SOURCE = ['--import', 'tsx', '--import', './src/register.ts'];

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Child {
  process: ChildProcess;
  /** Resolves once `text` has appeared on stdout. */
  printed(text: string): Promise<void>;
  result: Promise<ChildResult>;
}

const live = new Set<ChildProcess>();

let configHome: string | undefined;

/** PATH, HOME and an empty XDG_CONFIG_HOME of this test process's own: what every child starts from. */
export function baseEnv(): Record<string, string> {
  configHome ??= mkdtempSync(join(tmpdir(), 'osb-test-config-'));
  return { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', XDG_CONFIG_HOME: configHome };
}

/** Starts `node <nodeArgs...>` in `cwd` with `env` added to the base environment. */
export function startChild(nodeArgs: readonly string[], env: Record<string, string>, cwd = ROOT): Child {
  return startCommand(process.execPath, nodeArgs, { ...baseEnv(), ...env }, cwd);
}

/** Runs `node --import tsx <script> ...args` to its end, killed after `timeoutMillis`. */
export async function runFixture(
  script: string,
  env: Record<string, string>,
  args: readonly string[] = [],
  timeoutMillis = 30_000,
): Promise<ChildResult> {
  const child = startChild(['--import', 'tsx', script, ...args], env);
  const timer = setTimeout(() => child.process.kill('SIGKILL'), timeoutMillis);
  try {
    return await child.result;
  } finally {
    clearTimeout(timer);
  }
}

/** Starts `command` with exactly `env`. */
export function startCommand(command: string, args: readonly string[], env: NodeJS.ProcessEnv, cwd = ROOT): Child {
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let stdout = '';
  let stderr = '';
  const watchers = new Set<() => void>();
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    for (const watch of watchers) watch();
  });
  child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString('utf8')));
  const result = new Promise<ChildResult>((resolve) => {
    child.on('close', (code, signal) => {
      live.delete(child);
      resolve({ code, signal, stdout, stderr });
    });
  });
  const printed = (text: string): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const watch = (): void => {
        if (!stdout.includes(text)) return;
        watchers.delete(watch);
        resolve();
      };
      watchers.add(watch);
      watch();
      void result.then(() => reject(new Error(`exited before printing "${text}": ${stderr}`)));
    });
  return { process: child, printed, result };
}

/** Runs a script to its end under the register entry (from source, through tsx). */
export function runUnderRegister(
  script: string,
  env: Record<string, string>,
  args: readonly string[] = [],
): Promise<ChildResult> {
  return startChild([...REGISTER_FROM_SOURCE, script, ...args], env).result;
}

/** Kills every child still running; for `after`. */
export function killChildren(): void {
  for (const child of live) child.kill('SIGKILL');
}
