/**
 * Runs a benchmark fixture in a child process of its own, so its memory (peak RSS) and exit are its own.
 * Fixtures report by printing one line `BENCH <json>` on stdout; the parent also notes, on a clock both
 * processes share, when the child's process exited.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Milliseconds since the epoch with sub-millisecond resolution; comparable across processes of one host. */
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}

/** Prints a fixture's report for the parent (one line, parsed by runChild). */
export function report(fields: Record<string, unknown>): void {
  process.stdout.write(`BENCH ${JSON.stringify(fields)}\n`);
}

export interface ChildOptions {
  /** Node flags before the script, e.g. ['--import', './src/register.ts']; `--import tsx` is always first. */
  nodeArgs?: readonly string[];
  args?: readonly string[];
  /** Added to a minimal environment (PATH and HOME only), so no RS_* / OTEL_* variable leaks in. */
  env?: Record<string, string>;
  /** Killed (and the run rejected) after this long. */
  timeoutMillis?: number;
  /** Called with each line the child prints on stdout, as it prints it (besides the BENCH report). */
  onLine?: (line: string) => void;
}

export interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The fixture's BENCH report (the last one), or {} when it printed none. */
  report: Record<string, unknown>;
  /** epochMs() when the parent saw the process exit. */
  exitedAt: number;
  /** From spawn to exit, in ms. */
  wallMs: number;
}

/** Runs `node --import tsx [nodeArgs] <script> [args]` from the repository root. */
export function runChild(script: string, options: ChildOptions = {}): Promise<ChildRun> {
  const env = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...options.env };
  const started = epochMs();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', ...(options.nodeArgs ?? []), script, ...(options.args ?? [])],
    {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  let partial = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    stdout += text;
    if (options.onLine === undefined) return;
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (!line.startsWith('BENCH ')) options.onLine(line);
  });
  child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString('utf8')));
  return new Promise<ChildRun>((resolve, reject) => {
    let exitedAt = 0;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not finish within ${options.timeoutMillis} ms\n${stderr.slice(-2000)}`));
    }, options.timeoutMillis ?? 120_000);
    child.on('exit', () => void (exitedAt = epochMs()));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout
        .split('\n')
        .filter((l) => l.startsWith('BENCH '))
        .pop();
      const parsed = line === undefined ? {} : (JSON.parse(line.slice(6)) as Record<string, unknown>);
      resolve({ code, signal, stdout, stderr, report: parsed, exitedAt, wallMs: exitedAt - started });
    });
  });
}

/** Like runChild, but rejects unless the fixture exited with status 0 and printed a report. */
export async function runFixture(script: string, options: ChildOptions = {}): Promise<Record<string, unknown>> {
  const run = await runChild(script, options);
  if (run.code !== 0 || Object.keys(run.report).length === 0) {
    throw new Error(
      `${script} ${(options.args ?? []).join(' ')} failed (code ${run.code}, signal ${run.signal}):\n${run.stderr.slice(-3000)}`,
    );
  }
  return run.report;
}

/** A number from a fixture's report (NaN when missing). */
export function num(report: Record<string, unknown>, key: string): number {
  const value = report[key];
  return typeof value === 'number' ? value : Number.NaN;
}
