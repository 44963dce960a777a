/**
 * otel-segment-bridge/testing: the development receiver with its fault-injection hooks, for tests of delivery
 * through failures (status codes, hangs, resets, lost answers). The main entry's startReceiver has no hooks.
 */
export { startReceiver } from './devtools/receiver.js';
export type { Fault, Receiver, ReceiverOptions, ReceivedMessage, RejectedRequest } from './devtools/receiver.js';
