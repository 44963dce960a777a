/**
 * OTEL_RESOURCE_ATTRIBUTES as the OpenTelemetry specification defines it (`key1=value1,key2=value2`, values
 * percent-encoded), read without loading @opentelemetry/resources: the core uses it to know the resource's
 * `readyset.*` attributes where no SDK told it. Malformed pairs are skipped, as the SDK's env detector does.
 */
import type { Attributes } from '@opentelemetry/api';
import type { Env } from '../exporter/settings.js';

/** The attributes OTEL_RESOURCE_ATTRIBUTES sets, with OTEL_SERVICE_NAME as service.name. */
export function resourceAttributesFromEnv(env: Env): Attributes {
  const attributes: Attributes = {};
  for (const pair of (env['OTEL_RESOURCE_ATTRIBUTES'] ?? '').split(',')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    try {
      attributes[decodeURIComponent(pair.slice(0, eq).trim())] = decodeURIComponent(pair.slice(eq + 1).trim());
    } catch {
      // A bad percent-escape: the SDK skips the pair too.
    }
  }
  const service = env['OTEL_SERVICE_NAME']?.trim();
  if (service !== undefined && service !== '') attributes['service.name'] = service;
  return attributes;
}
