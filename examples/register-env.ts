/**
 * Wiring by the environment: this program only records telemetry; the register entry, preloaded by node,
 * starts OpenTelemetry with the exporters OTEL_TRACES_EXPORTER names and delivers the last events on exit.
 *
 * Print the Track payloads instead of sending them (no network):
 *
 *   RS_TELEMETRY_DEBUG=1 OTEL_RESOURCE_ATTRIBUTES=readyset.server_version=1.2.3,readyset.deployment_env=helm \
 *     node --import tsx --import ./src/register.ts examples/register-env.ts
 *
 * Send them to a local Segment-compatible receiver (`npm run sink -- --port 4319` in another terminal), and
 * every span to the console as well:
 *
 *   OTEL_TRACES_EXPORTER=segment,console RS_SEGMENT_HOST=http://127.0.0.1:4319 RS_SEGMENT_WRITE_KEY=demo \
 *     node --import tsx --import ./src/register.ts examples/register-env.ts
 *
 * Add `otlp` (OTEL_TRACES_EXPORTER=segment,otlp) to send spans to a collector too, as OTEL_EXPORTER_OTLP_*
 * say. An installed package is loaded the same way: `node --import otel-segment-bridge/register app.js`, or
 * `node --require otel-segment-bridge/register app.js` for a CommonJS application.
 */
import { trace } from '@opentelemetry/api';
import { recordTelemetry } from '../src/index.js';

const tracer = trace.getTracer('readyset-installer');

recordTelemetry('installer_run');
tracer.startActiveSpan('deploy', (span) => {
  recordTelemetry('deployment_started', { deployment_env: 'installer_compose' });
  recordTelemetry('deployment_finished');
  span.end();
});
recordTelemetry('installer_finished');
process.stdout.write('installer done; the register entry delivers the events as the program exits\n');
