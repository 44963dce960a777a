/**
 * The preload entry: `node --import otel-segment-bridge/register app.js` (ESM applications) or
 * `node --require otel-segment-bridge/register app.js` (CommonJS). Starts the OpenTelemetry Node SDK before the
 * application, with the exporters OTEL_TRACES_EXPORTER names (default `segment`; also `otlp`, `console`,
 * `none`) or those of the declarative configuration file OTEL_CONFIG_FILE names, and shuts it down on SIGTERM,
 * SIGINT and normal exit so the last events are delivered.
 */
import { startFromEnvironment } from './wiring/bootstrap.js';

startFromEnvironment();
