/**
 * Shutdown at the end of the process: on normal exit (beforeExit) and on SIGTERM and SIGINT, so a short-lived
 * program delivers its last events and still ends as it would have without the bridge.
 */
import { withDeadline } from '../util/deadline.js';
import { SIGNAL_DEADLINE_MILLIS } from '../exporter/defaults.js';
import { log } from '../util/log.js';

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/** Runs the shutdown, logging a failure, and gives up waiting after SIGNAL_DEADLINE_MILLIS. */
async function withinDeadline(work: Promise<void>): Promise<void> {
  const logged = work.catch((error: unknown) => log.error('shutdown failed', error));
  // unref: the deadline alone must not keep a finished program alive.
  if (!(await withDeadline(logged, SIGNAL_DEADLINE_MILLIS, true))) {
    log.warn(`shutdown did not finish within ${SIGNAL_DEADLINE_MILLIS} ms; exiting anyway`);
  }
}

/**
 * Calls `shutdown` once, at the first of: the event loop running empty, SIGTERM, SIGINT. After a signal, when
 * the application has no handler of its own for it, the signal is raised again so the process ends with the
 * conventional status; an application with its own handler decides itself. Programs that call process.exit()
 * skip beforeExit and must shut down themselves. Returns a function that removes the hooks.
 */
export function shutdownOnExit(shutdown: () => Promise<void>): () => void {
  let finished: Promise<void> | undefined;
  const finish = (): Promise<void> => (finished ??= withinDeadline(shutdown()));

  // beforeExit is emitted again once the shutdown's own work has drained; `once` lets the process end then.
  const onBeforeExit = (): void => void finish();
  const onSignal = (signal: NodeJS.Signals): void => {
    dispose();
    // Keeps the process alive until the signal is raised again, even if the shutdown leaves nothing pending.
    const hold = setInterval(() => undefined, 1000);
    void finish().then(() => {
      clearInterval(hold);
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  };
  const dispose = (): void => {
    process.off('beforeExit', onBeforeExit);
    for (const signal of SIGNALS) process.off(signal, onSignal);
  };

  process.once('beforeExit', onBeforeExit);
  for (const signal of SIGNALS) process.once(signal, onSignal);
  return dispose;
}
