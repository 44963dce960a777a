/**
 * OTLP/JSON attributes → OpenTelemetry Attributes, with the same mapping as the protobuf side
 * (protobuf-values.ts): AnyValue {stringValue | boolValue | intValue | doubleValue | arrayValue} as
 * string, boolean, number (int64 beyond ±(2^53 − 1) as its decimal string), and arrays of one scalar type;
 * kvlistValue, bytesValue, empty values and mixed arrays are left out. Per the protobuf JSON mapping, int64 may
 * be a number or a decimal string, and a double may be a number, a numeric string, "NaN" or "±Infinity".
 */
import type { AttributeValue, Attributes } from '@opentelemetry/api';
import { setAttribute } from './attributes.js';
import { field, invalid, object, objects, string, type JsonObject } from './json-fields.js';

type Scalar = string | number | boolean;

const INT64 = /^-?\d{1,19}$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const SPECIAL_DOUBLES: Readonly<Record<string, number>> = {
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  '-Infinity': Number.NEGATIVE_INFINITY,
};

/** Reads `attributes` (repeated KeyValue) of `obj` into a new Attributes. */
export function readAttributes(obj: JsonObject, into: Attributes = {}): Attributes {
  for (const kv of objects(obj, 'attributes', 'attributes')) {
    const key = string(kv, 'key');
    const any = object(kv, 'value');
    if (key === undefined || any === undefined) continue;
    const value = readAnyValue(any);
    if (value === undefined) continue;
    setAttribute(into, key, value);
  }
  return into;
}

function readAnyValue(any: JsonObject): AttributeValue | undefined {
  const array = object(any, 'arrayValue', 'array_value');
  if (array !== undefined) return readArray(array);
  const scalar = readScalar(any);
  return scalar === null ? undefined : scalar;
}

/** A scalar AnyValue; null for an empty, kvlist or bytes value (and for a nested array). */
function readScalar(any: JsonObject): Scalar | null {
  const text = string(any, 'stringValue', 'string_value');
  if (text !== undefined) return text;
  const bool = field(any, 'boolValue', 'bool_value');
  if (bool !== undefined) return typeof bool === 'boolean' ? bool : invalid('boolValue', 'true or false');
  const int = field(any, 'intValue', 'int_value');
  if (int !== undefined) return readInt64(int);
  const double = field(any, 'doubleValue', 'double_value');
  if (double !== undefined) return readDouble(double);
  return null;
}

function readArray(array: JsonObject): AttributeValue | undefined {
  const items: (Scalar | null)[] = [];
  let kind: string | undefined;
  for (const any of objects(array, 'values', 'values')) {
    if (
      field(any, 'arrayValue', 'array_value') !== undefined ||
      field(any, 'kvlistValue', 'kvlist_value') !== undefined
    ) {
      return undefined;
    }
    if (field(any, 'bytesValue', 'bytes_value') !== undefined) return undefined;
    const item = readScalar(any);
    if (item !== null) {
      if (kind === undefined) kind = typeof item;
      else if (kind !== typeof item) return undefined;
    }
    items.push(item);
  }
  return items as AttributeValue;
}

/** int64 from a JSON number or decimal string: a number when exact, else the decimal string. */
function readInt64(value: unknown): number | string {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return invalid('intValue', 'an int64');
    if (Number.isSafeInteger(value)) return value + 0;
    // Beyond int64 the sender had a double in hand (JsonTraceSerializer writes any integral number as intValue).
    return value < -(2 ** 63) || value >= 2 ** 63 ? value : BigInt(value).toString();
  }
  if (typeof value !== 'string' || !INT64.test(value)) return invalid('intValue', 'an int64');
  const big = BigInt(value);
  if (big < INT64_MIN || big > INT64_MAX) return invalid('intValue', 'an int64');
  const n = Number(big);
  return Number.isSafeInteger(n) ? n : big.toString();
}

function readDouble(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const special = Object.hasOwn(SPECIAL_DOUBLES, value) ? SPECIAL_DOUBLES[value] : undefined;
    if (special !== undefined) return special;
    const n = value.trim() === '' ? Number.NaN : Number(value);
    if (Number.isFinite(n)) return n;
  }
  return invalid('doubleValue', 'a number');
}
