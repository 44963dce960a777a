/** The shipped schema/telemetry.yaml compiled with ajv: what tests check wire payloads against. */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';

export const schemaDocument = parse(readFileSync(new URL('../../schema/telemetry.yaml', import.meta.url), 'utf8')) as {
  components: {
    schemas: {
      TrackBody: { properties: { event: { enum: string[] } } };
      Properties: { properties: Record<string, { enum?: string[] }> };
    };
  };
};

// ajv-formats is CommonJS with a default export; under ESM interop it may arrive wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv,
) => Ajv;
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(schemaDocument, 'telemetry');

const validateTrackBody = ajv.getSchema('telemetry#/components/schemas/TrackBody');
if (validateTrackBody === undefined) throw new Error('TrackBody not found in schema/telemetry.yaml');

/** ajv's errors for `body` against TrackBody, or an empty list when it is valid. */
export function schemaErrors(body: unknown): string[] {
  if (validateTrackBody!(body)) return [];
  return (validateTrackBody!.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}
