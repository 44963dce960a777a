// createSegmentSpanProcessor() in the line's NodeSDK (CommonJS).
const { NodeSDK } = require('@opentelemetry/sdk-node');
const { createSegmentSpanProcessor, recordTelemetry } = require('otel-segment-bridge');

const sdk = new NodeSDK({ spanProcessors: [createSegmentSpanProcessor()] });
sdk.start();
recordTelemetry('adapter_start', { adapter_version: '1.8.0', db_backend: 'mysql' });
sdk.shutdown().then(
  () => console.log('done'),
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
