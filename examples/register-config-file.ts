/**
 * Wiring by a declarative configuration file: the register entry builds the SDK from OTEL_CONFIG_FILE
 * (env-substituted, validated, file_format 1.x). This program only records telemetry.
 *
 * With the example file (Segment in debug mode, printing each Track payload on stderr, beside the console
 * exporter; no network):
 *
 *   OTEL_CONFIG_FILE=examples/register-config-file.yaml node --import tsx --import ./src/register.ts examples/register-config-file.ts
 *
 * With the repo's otel-config.yaml (Segment beside OTLP), against a local receiver (`npm run sink -- --port
 * 4319`) and a collector on localhost:4318:
 *
 *   OTEL_CONFIG_FILE=otel-config.yaml RS_SEGMENT_HOST=http://127.0.0.1:4319 RS_SEGMENT_WRITE_KEY=demo \
 *     node --import tsx --import ./src/register.ts examples/register-config-file.ts
 *
 * Point OTEL_CONFIG_FILE at a broken file to see the one error it gets; the program runs on without tracing.
 */
import { recordTelemetry } from '../src/index.js';

recordTelemetry('server_start');
recordTelemetry('upstream_connected', { db_backend: 'postgres' });
recordTelemetry('snapshot_complete');
recordTelemetry('server_stop');
process.stdout.write('server session done\n');
