/** `otel-segment-bridge sink`: a local Segment-compatible receiver that prints what it receives. */
import { formatMessage } from '../devtools/format.js';
import { startReceiver } from '../devtools/receiver.js';
import { parseArgs } from './args.js';

export const SINK_HELP = `Usage: otel-segment-bridge sink [--port N] [--write-key KEY]

Listens on 127.0.0.1 and accepts POST /v1/batch as Segment's HTTP Tracking API does (Basic auth with the
write key; 200 on success, 400 on a malformed body, 401 on a wrong key). Each message is validated against the
telemetry schema and printed on one line. Point an exporter at it with RS_SEGMENT_HOST=http://127.0.0.1:N.

  --port N         port to listen on (default 0: any free port, printed at start)
  --write-key KEY  accept only this write key (default: any non-empty key)
  --help           show this help`;

export async function runSink(args: readonly string[], out: (line: string) => void): Promise<number> {
  const { flags } = parseArgs(args, ['port', 'write-key'], ['help']);
  if (flags.has('help')) {
    out(SINK_HELP);
    return 0;
  }
  const portFlag = flags.get('port');
  const port = portFlag === undefined ? 0 : Number(portFlag);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('--port must be a port number');
  const writeKey = flags.get('write-key');
  const receiver = await startReceiver({
    port,
    ...(typeof writeKey === 'string' ? { writeKey } : {}),
    onMessage: (message) => out(formatMessage(message)),
  });
  out(`Segment-compatible receiver listening on ${receiver.url}/v1/batch (Ctrl-C to stop)`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await receiver.close();
  return 0;
}
