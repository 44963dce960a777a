/**
 * `otel-segment-bridge sink`: a local Segment-compatible receiver that prints each message it accepts and each
 * request it refuses, and a summary when stopped (Ctrl-C or SIGTERM).
 */
import { formatMessage } from '../devtools/format.js';
import { startReceiver } from '../devtools/receiver.js';
import { atMost, parseArgs, UsageError } from './args.js';

export const SINK_HELP = `Usage: otel-segment-bridge sink [--port N] [--write-key KEY]

Listens on 127.0.0.1 and accepts POST /v1/batch as Segment's HTTP Tracking API does (Basic auth with the
write key; 200 on success, 400 on a malformed body or a batch over 500 KB, 401 on a wrong key, 404 elsewhere).
Each message is validated against the telemetry schema and printed on one line; each refused request is
printed with its status and reason. Ctrl-C (or SIGTERM) stops it and prints a summary. Point an exporter at
it with RS_SEGMENT_HOST=http://127.0.0.1:N.

  -p, --port N         port to listen on (default 0: any free port, printed at start)
      --write-key KEY  accept only this write key (default: any non-empty key)
  -h, --help           show this help`;

/** Counts for the summary printed at the end. */
class Tally {
  messages = 0;
  invalid = 0;
  readonly rejected = new Map<number, number>();

  summary(): string {
    const rejected = [...this.rejected.entries()].sort(([a], [b]) => a - b);
    const total = rejected.reduce((sum, [, count]) => sum + count, 0);
    const byStatus = rejected.map(([status, count]) => `${status}: ${count}`).join(', ');
    return (
      `sink stopped: received ${this.messages} message${this.messages === 1 ? '' : 's'} (${this.invalid} invalid); ` +
      `rejected ${total} request${total === 1 ? '' : 's'}${total === 0 ? '' : ` (${byStatus})`}`
    );
  }
}

export async function runSink(args: readonly string[], out: (line: string) => void): Promise<number> {
  const { flags, positional } = parseArgs(args, ['port', 'write-key'], ['help'], { p: 'port' });
  if (flags.has('help')) {
    out(SINK_HELP);
    return 0;
  }
  atMost(positional, 0);
  const portFlag = flags.get('port');
  const port = portFlag === undefined ? 0 : Number(portFlag);
  if (portFlag === '' || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--port must be a port number (0-65535), not "${String(portFlag)}"`);
  }
  const writeKey = flags.get('write-key');
  const tally = new Tally();
  const receiver = await startReceiver({
    port,
    ...(typeof writeKey === 'string' ? { writeKey } : {}),
    onMessage: (message) => {
      tally.messages++;
      if (message.errors.length > 0) tally.invalid++;
      out(formatMessage(message));
    },
    onReject: (status, reason, request) => {
      tally.rejected.set(status, (tally.rejected.get(status) ?? 0) + 1);
      out(`REJECTED ${status} ${request.method} ${request.path}: ${reason}`);
    },
  });
  out(`Segment-compatible receiver listening on ${receiver.url}/v1/batch (Ctrl-C to stop)`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await receiver.close();
  out(tally.summary());
  return 0;
}
