/**
 * The telemetry catalogue: event names, property types and their validation. Everything here is derived from
 * schema/telemetry.yaml through src/generated/catalogue.ts.
 */
import { PROPERTY_SPECS, TELEMETRY_EVENTS } from './generated.js';

export { EVENT_DESCRIPTIONS, PROPERTY_SPECS, TELEMETRY_EVENTS } from './generated.js';

/** One of the 17 ReadySet telemetry events. */
export type TelemetryEvent = (typeof TELEMETRY_EVENTS)[number];

/** Name of one of the 9 telemetry properties. */
export type TelemetryPropertyName = keyof typeof PROPERTY_SPECS;

type SpecValue<S> = S extends { enum: readonly (infer V)[] } ? V : string;

/** The properties a telemetry event may carry, typed from the schema (enumerations as string unions). */
export type TelemetryProperties = {
  [K in TelemetryPropertyName]?: SpecValue<(typeof PROPERTY_SPECS)[K]>;
};

/** Why a property value was refused. */
export type PropertyProblem = 'not_a_string' | 'not_in_enum' | 'unknown_property';

const EVENT_SET: ReadonlySet<string> = new Set(TELEMETRY_EVENTS);
const PROPERTY_NAMES = Object.keys(PROPERTY_SPECS) as TelemetryPropertyName[];
const ENUMS = new Map<string, readonly string[]>(
  Object.entries(PROPERTY_SPECS).flatMap(([name, spec]) => ('enum' in spec ? [[name, spec.enum] as const] : [])),
);
/** Properties holding a version, where a number (`18`, `1.2`) is read as the version it writes. */
const VERSION_PROPERTIES: ReadonlySet<string> = new Set(['adapter_version', 'server_version', 'docker_version']);

/** The property names, in schema order. */
export const TELEMETRY_PROPERTIES: readonly TelemetryPropertyName[] = PROPERTY_NAMES;

/** True when `name` is one of the telemetry events. */
export function isTelemetryEvent(name: unknown): name is TelemetryEvent {
  return typeof name === 'string' && EVENT_SET.has(name);
}

/** True when `name` is one of the telemetry properties. */
export function isTelemetryProperty(name: string): name is TelemetryPropertyName {
  return Object.prototype.hasOwnProperty.call(PROPERTY_SPECS, name);
}

/** The value a property carries on the wire: strings as they are, a finite number for a version as its string. */
export function propertyValue(name: string, value: unknown): unknown {
  return typeof value === 'number' && Number.isFinite(value) && VERSION_PROPERTIES.has(name) ? String(value) : value;
}

/** Checks one property value (after {@link propertyValue}) against the schema; undefined when it is valid. */
export function checkProperty(name: string, value: unknown): PropertyProblem | undefined {
  if (!isTelemetryProperty(name)) return 'unknown_property';
  if (typeof value !== 'string') return 'not_a_string';
  const allowed = ENUMS.get(name);
  if (allowed !== undefined && !allowed.includes(value)) return 'not_in_enum';
  return undefined;
}

/** A sentence for people about a refused property value, naming what is allowed. */
export function describeProblem(name: string, problem: PropertyProblem): string {
  switch (problem) {
    case 'unknown_property':
      return `"${name}" is not a telemetry property (known: ${PROPERTY_NAMES.join(', ')})`;
    case 'not_a_string':
      if (ENUMS.has(name)) return describeProblem(name, 'not_in_enum');
      return `"${name}" must be a string${VERSION_PROPERTIES.has(name) ? ' or a number' : ''}`;
    case 'not_in_enum':
      return `"${name}" must be one of ${(ENUMS.get(name) ?? []).map((v) => `"${v}"`).join(', ')}`;
  }
}
