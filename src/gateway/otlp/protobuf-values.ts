/**
 * Protobuf attributes → OpenTelemetry Attributes: repeated KeyValue (opentelemetry/proto/common/v1/common.proto:
 * KeyValue 1 key, 2 value; AnyValue oneof 1 string, 2 bool, 3 int64, 4 double, 5 array, 6 kvlist, 7 bytes;
 * ArrayValue 1 values). Mapping: string, bool and double as themselves; int64 as a number, or as its decimal
 * string beyond ±(2^53 − 1); arrays of one scalar type (empty elements as null) as arrays. kvlist, bytes, empty
 * values and mixed arrays are no OpenTelemetry attribute value: they are skipped, unread.
 */
import type { AttributeValue, Attributes } from '@opentelemetry/api';
import { setAttribute } from './attributes.js';
import { FIXED64, LEN, VARINT, type ProtoReader } from './reader.js';

type Scalar = string | number | boolean;

const KEY = (1 << 3) | LEN;
const VALUE = (2 << 3) | LEN;
const STRING = (1 << 3) | LEN;
const BOOL = (2 << 3) | VARINT;
const INT = (3 << 3) | VARINT;
const DOUBLE = (4 << 3) | FIXED64;
const ARRAY = (5 << 3) | LEN;
const KVLIST = (6 << 3) | LEN;
const BYTES = (7 << 3) | LEN;
const ARRAY_VALUES = (1 << 3) | LEN;

/** Reads one KeyValue message ending at `end` into `into` (a later key overwrites an earlier one). */
export function readKeyValue(r: ProtoReader, end: number, into: Attributes): void {
  let key: string | undefined;
  let value: AttributeValue | undefined;
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag === KEY) {
      const keyEnd = r.lengthEnd(end);
      key = r.text(r.pos, keyEnd);
      r.pos = keyEnd;
    } else if (tag === VALUE) {
      const valueEnd = r.lengthEnd(end);
      value = readAnyValue(r, valueEnd);
      r.pos = valueEnd;
    } else {
      r.skip(tag, end);
    }
  }
  if (key === undefined || value === undefined) return;
  setAttribute(into, key, value);
}

function readAnyValue(r: ProtoReader, end: number): AttributeValue | undefined {
  let value: AttributeValue | undefined;
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag === ARRAY) {
      const arrayEnd = r.lengthEnd(end);
      value = readArray(r, arrayEnd);
      r.pos = arrayEnd;
    } else {
      const item = readOneof(r, tag, end);
      if (item !== UNKNOWN) value = item === NOT_SCALAR ? undefined : item;
    }
  }
  return value;
}

const NOT_SCALAR: unique symbol = Symbol('not a scalar');
const UNKNOWN: unique symbol = Symbol('not in the oneof');

/**
 * Reads field `tag` of an AnyValue other than array_value: a scalar; NOT_SCALAR for kvlist, bytes (skipped) or
 * a nested array (when `tag` is ARRAY); UNKNOWN for a field outside the oneof (skipped).
 */
function readOneof(r: ProtoReader, tag: number, end: number): Scalar | typeof NOT_SCALAR | typeof UNKNOWN {
  switch (tag) {
    case STRING: {
      const stringEnd = r.lengthEnd(end);
      const text = r.text(r.pos, stringEnd);
      r.pos = stringEnd;
      return text;
    }
    case BOOL:
      r.varint64(end);
      return r.lo !== 0 || r.hi !== 0;
    case INT:
      r.varint64(end);
      return int64(r.lo, r.hi);
    case DOUBLE:
      return r.double(end);
    case ARRAY:
    case KVLIST:
    case BYTES:
      r.skip(tag, end);
      return NOT_SCALAR;
    default:
      r.skip(tag, end);
      return UNKNOWN;
  }
}

/** An ArrayValue of one scalar type (empty elements as null) as an array; undefined for anything else. */
function readArray(r: ProtoReader, end: number): AttributeValue | undefined {
  const items: (Scalar | null)[] = [];
  let kind: string | undefined;
  let valid = true;
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag !== ARRAY_VALUES) {
      r.skip(tag, end);
      continue;
    }
    const itemEnd = r.lengthEnd(end);
    let item: Scalar | null = null;
    let scalar = true;
    while (r.pos < itemEnd) {
      const value = readOneof(r, r.tag(itemEnd), itemEnd);
      if (value === UNKNOWN) continue;
      scalar = value !== NOT_SCALAR;
      item = scalar ? (value as Scalar) : null;
    }
    r.pos = itemEnd;
    if (!scalar) valid = false;
    else if (item !== null) {
      if (kind === undefined) kind = typeof item;
      else if (kind !== typeof item) valid = false;
    }
    items.push(item);
  }
  return valid ? (items as AttributeValue) : undefined;
}

/** A two's-complement int64 as a number when exact, else as its decimal string. */
function int64(lo: number, hi: number): number | string {
  const value = (hi | 0) * 0x100000000 + lo;
  if (Number.isSafeInteger(value)) return value;
  return BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo)).toString();
}
