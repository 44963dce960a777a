// The BatchSpanProcessor of this line's trace SDK (2.x: @opentelemetry/sdk-trace-base), for the shared programs.
export { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
