/**
 * The end-to-end set on the OpenTelemetry JS 2.x line: sdk-node 0.223, sdk-trace-base 2.12, api 1.9, on the Node
 * that runs the suite (20). The 2.x BatchSpanProcessor has only the positional constructor form.
 */
import { defineCompatSuite } from './compat.js';

defineCompatSuite({
  name: 'v2',
  title: 'sdk-node 0.223 / sdk-trace-base 2.12 / api 1.9 on Node 20',
  node: () => Promise.resolve(process.execPath),
  forms: ['positional'],
  traceModule: '@opentelemetry/sdk-trace-base',
});
