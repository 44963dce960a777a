// The BatchSpanProcessor of this line's trace SDK (3.x: @opentelemetry/sdk-trace), for the shared programs.
export { BatchSpanProcessor } from '@opentelemetry/sdk-trace';
