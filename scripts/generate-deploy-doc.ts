/**
 * Renders the "what to record" section of deploy/README.md from schema/telemetry.yaml: the event names, the
 * attribute keys and their types, as a service in any language records them on span events. The section sits
 * between two markers; the rest of the README is written by hand.
 *
 *   tsx scripts/generate-deploy-doc.ts          rewrites the section
 *   tsx scripts/generate-deploy-doc.ts --check  exits 1 when the README is out of date (test/unit/gateway)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'yaml';

export const SCHEMA_PATH = fileURLToPath(new URL('../schema/telemetry.yaml', import.meta.url));
export const DEPLOY_README_PATH = fileURLToPath(new URL('../deploy/README.md', import.meta.url));
export const START = '<!-- generated from schema/telemetry.yaml by scripts/generate-deploy-doc.ts: do not edit -->';
export const END = '<!-- end of generated section -->';

interface PropertySchema {
  type?: string;
  enum?: string[];
}

/** The generated section (markers included) for a schema document (YAML text). */
export function renderEventSection(yamlText: string): string {
  const doc = parse(yamlText) as {
    components: {
      schemas: {
        TrackBody: { properties: { event: { enum: string[] } } };
        Properties: { properties: Record<string, PropertySchema> };
      };
    };
    'x-event-descriptions'?: Record<string, string>;
  };
  const events = doc.components.schemas.TrackBody.properties.event.enum;
  const properties = doc.components.schemas.Properties.properties;
  const descriptions = doc['x-event-descriptions'] ?? {};
  const type = (spec: PropertySchema): string =>
    spec.enum === undefined ? (spec.type ?? 'string') : `string, one of ${spec.enum.map((v) => `\`${v}\``).join(', ')}`;
  return [
    START,
    '',
    `Span event names (${events.length}); any other event name is ignored by the gateway:`,
    '',
    '| event name | when |',
    '| --- | --- |',
    ...events.map((event) => `| \`${event}\` | ${descriptions[event] ?? ''} |`),
    '',
    'Span event attributes: any of these keys, on any of the events (other keys are dropped; a value of the wrong',
    'type is left out and counted):',
    '',
    '| attribute key | type | also as resource attribute |',
    '| --- | --- | --- |',
    ...Object.entries(properties).map(([name, spec]) => `| \`${name}\` | ${type(spec)} | \`readyset.${name}\` |`),
    '',
    END,
  ].join('\n');
}

/** The README with its generated section replaced. */
export function withSection(readme: string, section: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start === -1 || end === -1 || end < start)
    throw new Error(`deploy/README.md lacks the generated-section markers`);
  return readme.slice(0, start) + section + readme.slice(end + END.length);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const readme = readFileSync(DEPLOY_README_PATH, 'utf8');
  const updated = withSection(readme, renderEventSection(readFileSync(SCHEMA_PATH, 'utf8')));
  if (process.argv.includes('--check')) {
    if (updated !== readme) {
      process.stderr.write('deploy/README.md is out of date: run tsx scripts/generate-deploy-doc.ts\n');
      process.exitCode = 1;
    }
  } else {
    writeFileSync(DEPLOY_README_PATH, updated);
    process.stdout.write(`wrote ${DEPLOY_README_PATH}\n`);
  }
}
