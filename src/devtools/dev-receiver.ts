/** The receiver as the main entry offers it: without the fault-injection hooks (those are on ./testing). */
import { startReceiver as startWithHooks } from './receiver.js';
import type { Receiver, ReceiverOptions } from './receiver.js';

/** Options of the development receiver: port, write key, callbacks. */
export type DevReceiverOptions = Omit<ReceiverOptions, 'fault'>;

/** Starts a Segment-compatible receiver on 127.0.0.1 that validates and keeps what it receives. */
export function startReceiver(options: DevReceiverOptions = {}): Promise<Receiver> {
  const rest: ReceiverOptions = { ...options };
  delete rest.fault;
  return startWithHooks(rest);
}
