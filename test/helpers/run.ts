/** Runs a TypeScript fixture in a child Node process (through tsx) and collects its output. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Runs `node --import tsx <script> ...args` with `env` added to a minimal environment. */
export function runFixture(script: string, env: Record<string, string>, args: string[] = [], timeoutMillis = 30_000): Promise<RunResult> {
  const base = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '' };
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', script, ...args],
      { cwd: ROOT, env: { ...base, ...env }, timeout: timeoutMillis },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
