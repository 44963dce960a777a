/**
 * `npm start`: a simulated ReadySet adapter session, recorded through OpenTelemetry and exported to Segment by
 * the bridge's span processor (createSegmentSpanProcessor) in a NodeSDK.
 *
 * By default it starts an embedded Segment-compatible receiver on 127.0.0.1 and prints each Track message as the
 * receiver got it (the JSON body Segment would receive, with the userId shown as set or not). With
 * RS_SEGMENT_WRITE_KEY set it sends to real Segment instead (RS_SEGMENT_HOST picks the region).
 */
import { trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { createSegmentSpanProcessor, recordTelemetry, startReceiver } from '../src/index.js';
import { formatMessage } from '../src/devtools/format.js';

const out = (line: string): void => void process.stdout.write(line + '\n');
const toRealSegment = (process.env['RS_SEGMENT_WRITE_KEY'] ?? '') !== '';
const receiver = toRealSegment
  ? undefined
  : await startReceiver({
      onMessage: (m) => {
        out('  received  ' + formatMessage(m));
        const { userId, ...body } = m.body;
        out('            ' + JSON.stringify({ ...body, ...(userId === undefined ? {} : { userId: '[set]' }) }));
      },
    });

const processor = createSegmentSpanProcessor({
  ...(receiver ? { writeKey: 'demo-write-key', host: receiver.url } : {}),
  batching: { scheduledDelayMillis: 200 },
});
const exporter = processor.exporter;
const sdk = new NodeSDK({
  serviceName: 'readyset-adapter',
  resource: resourceFromAttributes({
    'readyset.adapter_version': '1.8.0',
    'readyset.commit_id': '4f2a9c1',
    'readyset.db_backend': 'postgres',
  }),
  spanProcessors: [processor],
  instrumentations: [],
});
sdk.start();

out(
  receiver
    ? `Segment-compatible receiver on ${receiver.url}/v1/batch`
    : 'Sending to Segment (RS_SEGMENT_WRITE_KEY is set)',
);
out('Simulating a ReadySet adapter session…');

const tracer = trace.getTracer('readyset-adapter');
tracer.startActiveSpan('adapter.startup', (span) => {
  recordTelemetry('adapter_start');
  recordTelemetry('upstream_connected', { server_version: '16.4' });
  span.end();
});
tracer.startActiveSpan('snapshot', (span) => {
  recordTelemetry('schema', { schema: 'CREATE TABLE "customers" ("id" int PRIMARY KEY, "email" text)' });
  recordTelemetry('snapshot_complete');
  span.end();
});
tracer.startActiveSpan('query', (span) => {
  recordTelemetry('create_cache');
  recordTelemetry('show_caches');
  recordTelemetry('proxied_query', { proxied_query: "SELECT * FROM customers WHERE email = 'alice@example.com'" });
  span.end();
});
recordTelemetry('adapter_stop');

await sdk.shutdown();
const stats = exporter.getStats();
out(`Done: ${stats.sent} events delivered, ${Object.values(stats.dropped).reduce((a, b) => a + b, 0)} dropped.`);
if (receiver) {
  const invalid = receiver.messages.filter((m) => m.errors.length > 0).length;
  out(`The receiver got ${receiver.messages.length} Track messages (${invalid} invalid).`);
  await receiver.close();
  if (invalid > 0 || receiver.messages.length !== 8) process.exitCode = 1;
}
