/**
 * Marks a context so that OpenTelemetry SDKs create no spans in it: the bridge's own requests to Segment must not
 * become spans that come back to the exporter. @opentelemetry/core's suppressTracing() sets a context key made by
 * the API's createContextKey from this fixed description (core/src/trace/suppress-tracing.ts); context keys are
 * Symbol.for(description), so the key made here is the very same one, on every SDK line, without loading core.
 */
import { createContextKey } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';

const SUPPRESS_TRACING_KEY = createContextKey('OpenTelemetry SDK Context Key SUPPRESS_TRACING');

/** The context with tracing suppressed. */
export function suppressTracing(context: Context): Context {
  return context.setValue(SUPPRESS_TRACING_KEY, true);
}
