// SegmentSpanExporter in the line's own BatchSpanProcessor, in the constructor form argv[2] names:
// `positional` = new BatchSpanProcessor(exporter) (2.x form), `options` = new BatchSpanProcessor({ exporter }) (3.x form).
// It waits past one scheduled flush (OTEL_BSP_SCHEDULE_DELAY is short in the test) before shutting down.
import { setTimeout as sleep } from 'node:timers/promises';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { recordTelemetry, SegmentSpanExporter } from 'otel-segment-bridge';
import { BatchSpanProcessor } from './trace.mjs';

const form = process.argv[2];
const exporter = new SegmentSpanExporter();
const processor =
  form === 'options'
    ? new BatchSpanProcessor({ exporter, scheduledDelayMillis: 200 })
    : new BatchSpanProcessor(exporter);
const sdk = new NodeSDK({ spanProcessors: [processor] });
sdk.start();
recordTelemetry('adapter_start', { adapter_version: '1.8.0', db_backend: 'postgres' });
await sleep(800);
recordTelemetry('installer_finished');
await sdk.shutdown();
console.log('done');
