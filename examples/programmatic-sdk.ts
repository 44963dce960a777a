/**
 * Wiring in code, for applications that build their own OpenTelemetry SDK: Segment's span processor beside an
 * OTLP exporter in one NodeSDK.
 *
 *   npx tsx examples/programmatic-sdk.ts
 *
 * By default both go to embedded loopback receivers (a Segment-compatible one and a small OTLP/HTTP one), and
 * the program prints what each received. With RS_SEGMENT_WRITE_KEY set it sends to Segment instead; with
 * OTEL_EXPORTER_OTLP_ENDPOINT set, spans go to that collector. For one call without your own SDK, see
 * startTelemetry() in the README.
 */
import { trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createSegmentSpanProcessor, recordTelemetry, startReceiver } from '../src/index.js';
import { startOtlpReceiver } from '../test/helpers/otlp-receiver.js';

const out = (line: string): void => void process.stdout.write(line + '\n');
const segment = process.env['RS_SEGMENT_WRITE_KEY'] ? undefined : await startReceiver();
const otlp = process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] ? undefined : await startOtlpReceiver();

const segmentProcessor = createSegmentSpanProcessor(segment ? { writeKey: 'demo-write-key', host: segment.url } : {});
const sdk = new NodeSDK({
  serviceName: 'readyset-adapter',
  resource: resourceFromAttributes({ 'readyset.adapter_version': '1.8.0', 'readyset.db_backend': 'mysql' }),
  spanProcessors: [
    segmentProcessor,
    new BatchSpanProcessor(new OTLPTraceExporter(otlp ? { url: otlp.tracesUrl } : {})),
  ],
  instrumentations: [],
});
sdk.start();

const tracer = trace.getTracer('readyset-adapter');
tracer.startActiveSpan('adapter.startup', (span) => {
  recordTelemetry('adapter_start');
  recordTelemetry('upstream_connected', { server_version: '8.0.36' });
  span.end();
});
tracer.startActiveSpan('query', (span) => {
  recordTelemetry('proxied_query', { proxied_query: "SELECT * FROM orders WHERE customer = 'alice'" });
  span.end();
});
tracer.startSpan('unrelated work').end();

await sdk.shutdown();
out(`Segment: ${segmentProcessor.exporter.getStats().sent} events delivered`);
for (const m of segment?.messages ?? []) out(`  ${String(m.body['event'])} ${JSON.stringify(m.body['properties'])}`);
for (const span of otlp?.spans ?? []) out(`OTLP span ${span.name}: events [${span.events.join(', ')}]`);
await segment?.close();
await otlp?.close();
