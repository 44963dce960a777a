/** otel-segment-bridge/gateway: OTLP traces in (HTTP and gRPC), telemetry span events out to Segment. */
export { startGateway } from './server.js';
export type { Gateway, GatewayStats } from './server.js';
export { GATEWAY_DEFAULTS } from './options.js';
export type { GatewayOptions } from './options.js';
