// startTelemetry() and nothing else: its exit hooks deliver the event when the program ends.
import { recordTelemetry, startTelemetry } from 'otel-segment-bridge';

startTelemetry({ resourceAttributes: { 'readyset.deployment_env': 'helm' } });
recordTelemetry('installer_run');
console.log('done');
