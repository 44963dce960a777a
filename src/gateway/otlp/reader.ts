/**
 * A bounds-checked protobuf wire reader (https://protobuf.dev/programming-guides/encoding/): varints, fixed
 * widths, length-delimited slices, UTF-8 strings, and the skipping of any field. One reader walks a whole
 * request; nested messages are walked by passing their end offset, so no slice or reader is allocated per
 * message. Every read checks `end` first: it never reads out of bounds and throws OtlpDecodeError instead.
 */
import { OtlpDecodeError } from './types.js';

/** Wire types (the low 3 bits of a tag). */
export const VARINT = 0;
export const FIXED64 = 1;
export const LEN = 2;
const START_GROUP = 3;
const END_GROUP = 4;
const FIXED32 = 5;

/** Deprecated groups are the only recursion in skipping; legitimate OTLP never nests them. */
const MAX_GROUP_DEPTH = 32;
/** Strings up to this length are built from ASCII bytes directly, which beats TextDecoder's call overhead. */
const SHORT_STRING = 64;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** A reader over one request body. */
export class ProtoReader {
  readonly buf: Uint8Array;
  pos = 0;
  /** Low and high 32 bits (unsigned) of the last varint64/fixed64 read. */
  lo = 0;
  hi = 0;
  private view: DataView | undefined;

  constructor(buf: Uint8Array) {
    this.buf = buf;
  }

  /** Throws the decode error, naming the offset (never the bytes). */
  fail(what: string): never {
    throw new OtlpDecodeError(`invalid protobuf: ${what} at byte ${this.pos}`);
  }

  /** Reads an unsigned varint as a number (exact up to 2^53; larger values only need to compare as too big). */
  uint(end: number): number {
    const buf = this.buf;
    let pos = this.pos;
    if (pos >= end) this.fail('truncated varint');
    let b = buf[pos++]!;
    if (b < 0x80) {
      this.pos = pos;
      return b;
    }
    let value = b & 0x7f;
    let scale = 0x80;
    for (let i = 1; i < 10; i++) {
      if (pos >= end) {
        this.pos = pos;
        this.fail('truncated varint');
      }
      b = buf[pos++]!;
      value += (b & 0x7f) * scale;
      if (b < 0x80) {
        this.pos = pos;
        return value;
      }
      scale *= 0x80;
    }
    this.pos = pos;
    return this.fail('varint longer than 10 bytes');
  }

  /** Reads a tag: (field number << 3) | wire type, with field number ≥ 1. */
  tag(end: number): number {
    const pos = this.pos;
    // Single-byte tags (fields 1-15) are nearly all of them.
    if (pos < end) {
      const b = this.buf[pos]!;
      if (b < 0x80 && b >= 8) {
        this.pos = pos + 1;
        return b;
      }
    }
    const tag = this.uint(end);
    if (tag > 0xffffffff || tag < 8) this.fail('invalid tag');
    return tag;
  }

  /** Reads a length prefix and checks the payload lies within `end`; returns the payload's end offset. */
  lengthEnd(end: number): number {
    const length = this.uint(end);
    if (length > end - this.pos) this.fail('length beyond the end of its message');
    return this.pos + length;
  }

  /** Reads a varint of up to 64 bits into lo/hi. */
  varint64(end: number): void {
    const buf = this.buf;
    let lo = 0;
    let hi = 0;
    let b = 0;
    for (let i = 0; i < 4; i++) {
      if (this.pos >= end) this.fail('truncated varint');
      b = buf[this.pos++]!;
      lo = (lo | ((b & 0x7f) << (i * 7))) >>> 0;
      if (b < 0x80) {
        this.lo = lo;
        this.hi = 0;
        return;
      }
    }
    if (this.pos >= end) this.fail('truncated varint');
    b = buf[this.pos++]!;
    lo = (lo | ((b & 0x7f) << 28)) >>> 0;
    hi = (b & 0x7f) >> 4;
    for (let i = 0; b >= 0x80; i++) {
      if (i === 5) this.fail('varint longer than 10 bytes');
      if (this.pos >= end) this.fail('truncated varint');
      b = buf[this.pos++]!;
      hi = (hi | ((b & 0x7f) << (i * 7 + 3))) >>> 0;
    }
    this.lo = lo;
    this.hi = hi;
  }

  /** Reads a little-endian fixed64 into lo/hi. */
  fixed64(end: number): void {
    if (end - this.pos < 8) this.fail('truncated fixed64');
    this.lo = this.u32le(this.pos);
    this.hi = this.u32le(this.pos + 4);
    this.pos += 8;
  }

  /** Reads a little-endian IEEE 754 double. */
  double(end: number): number {
    if (end - this.pos < 8) this.fail('truncated double');
    this.view ??= new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    const value = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return value;
  }

  /** Decodes buf[start, end) as UTF-8; invalid UTF-8 is a decode error, as proto3 requires for strings. */
  text(start: number, end: number): string {
    const buf = this.buf;
    if (end - start <= SHORT_STRING) {
      let out = '';
      for (let i = start; i < end; i++) {
        const c = buf[i]!;
        if (c >= 0x80) return this.utf8(start, end);
        out += String.fromCharCode(c);
      }
      return out;
    }
    return this.utf8(start, end);
  }

  /** Lowercase hex of buf[start, end). */
  hex(start: number, end: number): string {
    let out = '';
    for (let i = start; i < end; i++) out += HEX[this.buf[i]!]!;
    return out;
  }

  /** Skips the payload of a field whose tag was just read. */
  skip(tag: number, end: number, depth = 0): void {
    switch (tag & 7) {
      case VARINT:
        this.skipVarint(end);
        return;
      case FIXED64:
        if (end - this.pos < 8) this.fail('truncated fixed64');
        this.pos += 8;
        return;
      case LEN:
        this.pos = this.lengthEnd(end);
        return;
      case FIXED32:
        if (end - this.pos < 4) this.fail('truncated fixed32');
        this.pos += 4;
        return;
      case START_GROUP:
        this.skipGroup(tag >>> 3, end, depth + 1);
        return;
      default:
        this.fail(`unexpected wire type ${tag & 7}`);
    }
  }

  private skipVarint(end: number): void {
    for (let i = 0; i < 10; i++) {
      if (this.pos >= end) this.fail('truncated varint');
      if (this.buf[this.pos++]! < 0x80) return;
    }
    this.fail('varint longer than 10 bytes');
  }

  private skipGroup(field: number, end: number, depth: number): void {
    if (depth > MAX_GROUP_DEPTH) this.fail('groups nested too deep');
    for (;;) {
      const tag = this.tag(end);
      if ((tag & 7) === END_GROUP) {
        if (tag >>> 3 !== field) this.fail('mismatched end group');
        return;
      }
      this.skip(tag, end, depth);
    }
  }

  private u32le(at: number): number {
    const buf = this.buf;
    return (buf[at]! | (buf[at + 1]! << 8) | (buf[at + 2]! << 16)) + buf[at + 3]! * 0x1000000;
  }

  private utf8(start: number, end: number): string {
    try {
      return utf8.decode(this.buf.subarray(start, end));
    } catch {
      this.pos = start;
      return this.fail('invalid UTF-8 in a string');
    }
  }
}
