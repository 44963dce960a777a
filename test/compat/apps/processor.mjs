// createSegmentSpanProcessor() in the line's NodeSDK (ESM).
import { NodeSDK } from '@opentelemetry/sdk-node';
import { createSegmentSpanProcessor, recordTelemetry } from 'otel-segment-bridge';

const sdk = new NodeSDK({ spanProcessors: [createSegmentSpanProcessor()] });
sdk.start();
recordTelemetry('adapter_start', { adapter_version: '1.8.0', db_backend: 'mysql' });
await sdk.shutdown();
console.log('done');
