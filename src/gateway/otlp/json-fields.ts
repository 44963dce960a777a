/**
 * Typed field access for OTLP/JSON objects. Per the OTLP specification ("JSON Protobuf Encoding") field names
 * are lowerCamelCase; the original snake_case names are accepted too, as the protobuf JSON mapping allows.
 * null is an unset field. A field of the wrong JSON type is a decode error; unknown fields are never looked at.
 */
import { OtlpDecodeError } from './types.js';

/** A parsed JSON object. */
export type JsonObject = Record<string, unknown>;

/** The value of field `camel` (or `snake`) of `obj`; undefined when absent or null. */
export function field(obj: JsonObject, camel: string, snake: string = camel): unknown {
  const value = Object.hasOwn(obj, camel) ? obj[camel] : Object.hasOwn(obj, snake) ? obj[snake] : undefined;
  return value === null ? undefined : value;
}

/** Throws the decode error for field `name` (the message names the field, never its value). */
export function invalid(name: string, expected: string): never {
  throw new OtlpDecodeError(`invalid OTLP/JSON: ${name} must be ${expected}`);
}

/** True for a JSON object (not an array). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A repeated message field: an array of objects (absent: empty). */
export function objects(obj: JsonObject, camel: string, snake: string): JsonObject[] {
  const value = field(obj, camel, snake);
  if (value === undefined) return [];
  if (!Array.isArray(value)) return invalid(camel, 'an array');
  for (const item of value) if (!isObject(item)) invalid(camel, 'an array of objects');
  return value as JsonObject[];
}

/** A message field: an object (absent: undefined). */
export function object(obj: JsonObject, camel: string, snake: string = camel): JsonObject | undefined {
  const value = field(obj, camel, snake);
  if (value === undefined || isObject(value)) return value;
  return invalid(camel, 'an object');
}

/** A string field (absent: undefined). */
export function string(obj: JsonObject, camel: string, snake: string = camel): string | undefined {
  const value = field(obj, camel, snake);
  if (value === undefined || typeof value === 'string') return value;
  return invalid(camel, 'a string');
}
