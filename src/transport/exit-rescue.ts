/**
 * Delivery of what is still pending when a program calls process.exit(), the way Next.js telemetry does it: at
 * 'exit' no asynchronous work can run, so the pending Track messages are written to a private temporary file
 * and a detached child process (rescue-child.ts) delivers them after the parent is gone.
 *
 * Contract: the exporter registers `rescueOnExit(collect)` only when it sends to Segment (never opted out, in
 * debug mode or without a write key). At 'exit', when no opt-out is set at that moment, `collect()` returns
 * what is undelivered (empty after a normal shutdown); a non-empty job is handed to one child, bounded by its
 * timeoutMillis (at most 10 s). The write key travels in the child's environment, never in the file or on a
 * command line. Nothing is printed, except one stderr line with the count and the reason when the job cannot be
 * handed over. Never throws out of the listener.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { TrackMessage } from '../exporter/types.js';
import { optOutSource } from '../exporter/settings.js';
import type { Env } from '../exporter/settings.js';
import { VERSION } from '../util/version.js';
import { RESCUE_CHILD_SOURCE, RESCUE_FILE_VARIABLE, RESCUE_KEY_VARIABLE } from './rescue-child.js';
import type { RescueFile } from './rescue-child.js';

/** What must still be delivered when the process exits; built synchronously by the exporter at 'exit'. */
export interface RescueJob {
  /** Never printed, never on a command line: the child gets it in its environment. */
  writeKey: string;
  /** The full batch URL, e.g. https://api.segment.io/v1/batch. */
  url: string;
  messages: readonly TrackMessage[];
  /** The child's whole budget; capped at MAX_RESCUE_MILLIS. */
  timeoutMillis: number;
}

/** The longest a rescue child may run. */
export const MAX_RESCUE_MILLIS = 10_000;

/** Variables the child keeps from the parent: what finding node, TLS and proxies need; never NODE_OPTIONS. */
const KEPT_VARIABLES = [
  'PATH',
  'SYSTEMROOT',
  'NODE_EXTRA_CA_CERTS',
  'NODE_USE_ENV_PROXY',
  'HTTPS_PROXY',
  'HTTP_PROXY',
  'NO_PROXY',
];

const collectors = new Set<() => RescueJob | undefined>();

function onExit(): void {
  for (const collect of collectors) rescue(collect);
}

/** Registers one process 'exit' listener that hands `collect()`'s job to a detached child; returns a dispose function. */
export function rescueOnExit(collect: () => RescueJob | undefined): () => void {
  // A wrapper per registration, so that each dispose removes its own; one 'exit' listener serves them all.
  const entry = (): RescueJob | undefined => collect();
  collectors.add(entry);
  if (collectors.size === 1) process.on('exit', onExit);
  return () => {
    if (collectors.delete(entry) && collectors.size === 0) process.off('exit', onExit);
  };
}

/** @internal Hands `collect()`'s job to a detached child now, unless opted out; what the 'exit' listener does. */
export function rescue(
  collect: () => RescueJob | undefined,
  env: Env = process.env,
  argv: readonly string[] = process.argv,
): void {
  try {
    if (optOutSource(env, argv) !== undefined) return;
    const job = collect();
    if (job === undefined || job.messages.length === 0) return;
    const problem = launchProblem();
    if (problem !== undefined) return lost(job.messages.length, problem);
    let file: string;
    try {
      file = writeJobFile(job);
    } catch (error) {
      return lost(job.messages.length, `cannot write a temporary file in ${tmpdir()}: ${errorCode(error)}`);
    }
    let started = false;
    try {
      const child = spawn(process.execPath, ['-e', RESCUE_CHILD_SOURCE], {
        detached: true,
        stdio: 'ignore',
        windowsHide: true,
        cwd: tmpdir(),
        env: childEnv(job.writeKey, file, env),
      });
      // Spawn errors are reported on a later tick, which never comes at 'exit': a missing pid is the sign.
      child.on('error', () => undefined);
      started = child.pid !== undefined;
      if (started) child.unref();
    } catch {
      started = false;
    }
    if (!started) {
      removeQuietly(dirname(file));
      lost(job.messages.length, `cannot start ${process.execPath}`);
    }
  } catch (error) {
    lost(undefined, `internal error: ${errorCode(error)}`);
  }
}

/** @internal Writes the job, messages in Segment's wire form, to a new 0600 file in a new 0700 directory. */
export function writeJobFile(job: RescueJob): string {
  const dir = mkdtempSync(join(tmpdir(), 'otel-segment-bridge-'));
  const file = join(dir, 'events.json');
  const timeoutMillis = Math.min(Math.max(job.timeoutMillis, 1), MAX_RESCUE_MILLIS);
  const library = { name: 'otel-segment-bridge', version: VERSION };
  const batch = job.messages.map((message) => ({
    ...message,
    type: 'track',
    context: { library },
  }));
  const content: RescueFile = { url: job.url, timeoutMillis, batch };
  try {
    writeFileSync(file, JSON.stringify(content), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    removeQuietly(dir);
    throw error;
  }
  return file;
}

/** @internal The child's whole environment: the job file, the key, and KEPT_VARIABLES. */
export function childEnv(writeKey: string, file: string, env: Env = process.env): Record<string, string> {
  const kept = KEPT_VARIABLES.flatMap((name) => {
    const value = env[name];
    return value === undefined ? [] : [[name, value] as const];
  });
  // ELECTRON_RUN_AS_NODE: under Electron, process.execPath is the app; this makes it plain Node. Node ignores it.
  return {
    ...Object.fromEntries(kept),
    ELECTRON_RUN_AS_NODE: '1',
    [RESCUE_FILE_VARIABLE]: file,
    [RESCUE_KEY_VARIABLE]: writeKey,
  };
}

/** Why process.execPath cannot run `-e` here, or undefined: packaged executables would run the app again. */
function launchProblem(): string | undefined {
  if ('pkg' in process) return 'a pkg executable cannot start a Node.js delivery process';
  const sea = process.getBuiltinModule?.('node:sea') as { isSea?: () => boolean } | undefined;
  if (sea?.isSea?.() === true) return 'a single executable application cannot start a Node.js delivery process';
  if ('Deno' in globalThis) return 'Deno cannot start a Node.js delivery process';
  return undefined;
}

function removeQuietly(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    // A leftover 0700 directory in the temporary directory is all it costs.
  }
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.message : String(error);
}

/** The one line for events that cannot be delivered. */
function lost(count: number | undefined, reason: string): void {
  const what =
    count === undefined
      ? 'pending telemetry events were'
      : count === 1
        ? '1 telemetry event was'
        : `${count} telemetry events were`;
  try {
    process.stderr.write(`otel-segment-bridge: ${what} not delivered at exit (${reason})\n`);
  } catch {
    // stderr is closed: there is nowhere left to say it.
  }
}
