// An ESM application that knows nothing of the SDK: run under --import otel-segment-bridge/register.
import { recordTelemetry } from 'otel-segment-bridge';

recordTelemetry('installer_run', { deployment_env: 'helm' });
console.log('app ran');
