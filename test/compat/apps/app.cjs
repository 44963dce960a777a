// A CommonJS application that knows nothing of the SDK: run under --require otel-segment-bridge/register.
const { recordTelemetry } = require('otel-segment-bridge');

recordTelemetry('installer_finished');
console.log('app ran');
