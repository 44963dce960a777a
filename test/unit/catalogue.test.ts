import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { CATALOGUE_PATH, renderCatalogue, SCHEMA_PATH } from '../../scripts/generate-catalogue.js';
import {
  checkProperty,
  isTelemetryEvent,
  PROPERTY_SPECS,
  TELEMETRY_EVENTS,
  TELEMETRY_PROPERTIES,
} from '../../src/catalogue/index.js';
import { schemaDocument } from '../helpers/schema.js';

test('src/catalogue/generated.ts is what schema/telemetry.yaml generates (run `npm run generate`)', () => {
  assert.equal(readFileSync(CATALOGUE_PATH, 'utf8'), renderCatalogue(readFileSync(SCHEMA_PATH, 'utf8')));
});

test('the 17 event names agree with the schema', () => {
  const fromSchema = schemaDocument.components.schemas.TrackBody.properties.event.enum;
  assert.equal(TELEMETRY_EVENTS.length, 17);
  assert.deepEqual([...TELEMETRY_EVENTS].sort(), [...fromSchema].sort());
  for (const event of fromSchema) assert.ok(isTelemetryEvent(event), event);
  assert.equal(isTelemetryEvent('not_an_event'), false);
});

test('the 9 properties and both enumerations agree with the schema', () => {
  const fromSchema = schemaDocument.components.schemas.Properties.properties;
  assert.equal(TELEMETRY_PROPERTIES.length, 9);
  assert.deepEqual([...TELEMETRY_PROPERTIES].sort(), Object.keys(fromSchema).sort());
  assert.deepEqual(PROPERTY_SPECS.db_backend.enum, ['mysql', 'postgres']);
  assert.deepEqual(PROPERTY_SPECS.deployment_env.enum, ['eks', 'helm', 'installer_compose']);
  assert.deepEqual(fromSchema['db_backend']?.enum, ['mysql', 'postgres']);
  assert.deepEqual(fromSchema['deployment_env']?.enum, ['eks', 'helm', 'installer_compose']);
});

test('checkProperty enforces types and enumerations', () => {
  assert.equal(checkProperty('db_backend', 'mysql'), undefined);
  assert.equal(checkProperty('db_backend', 'oracle'), 'not_in_enum');
  assert.equal(checkProperty('deployment_env', 'helm'), undefined);
  assert.equal(checkProperty('deployment_env', 'k8s'), 'not_in_enum');
  assert.equal(checkProperty('server_version', 12), 'not_a_string');
  assert.equal(checkProperty('server_version', ['1']), 'not_a_string');
  assert.equal(checkProperty('colour', 'red'), 'unknown_property');
  assert.equal(checkProperty('__proto__', 'x'), 'unknown_property');
});
