/**
 * Child processes for the register and CLI tests: runs a script with preload flags in a minimal environment
 * (loopback addresses only come from the test) and remembers every child so `after` can kill what is left.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
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

/** Starts `node <nodeArgs...>` in `cwd` with `env` added to PATH and HOME. */
export function startChild(nodeArgs: readonly string[], env: Record<string, string>, cwd = ROOT): Child {
  const base = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '' };
  return startCommand(process.execPath, nodeArgs, { ...base, ...env }, cwd);
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
export function runUnderRegister(script: string, env: Record<string, string>, args: readonly string[] = []): Promise<ChildResult> {
  return startChild([...REGISTER_FROM_SOURCE, script, ...args], env).result;
}

/** Kills every child still running; for `after`. */
export function killChildren(): void {
  for (const child of live) child.kill('SIGKILL');
}
