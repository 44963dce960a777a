/**
 * The anonymizer's buffers and what it writes into them. Reusable code-unit
 * buffers: the input string is copied
 * once into a Uint16Array (one native call), and the output, which is
 * always ASCII, is written byte by byte into a Buffer and turned into a
 * string with one native call. Typed-array reads and writes are much cheaper
 * than charCodeAt() on arbitrary string representations and than building
 * the result by concatenation.
 *
 * Buffers up to KEEP_CODES code units are kept between calls; larger ones
 * are dropped after use. They are allocated outside Node's shared pool
 * (allocUnsafeSlow) so that the Uint16Array view is always aligned; only
 * bytes written by the current call are ever read.
 */

const KEEP_CODES = 1 << 16;

/** True on little-endian hosts, where 'utf16le' bytes are Uint16Array code units. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Node's per-encoding Buffer methods behind buf.write(s, o, l, 'utf16le') and
 * buf.toString('latin1', a, b). They skip the encoding dispatch, which is a
 * noticeable share of the cost for short statements; when a runtime lacks
 * them, the documented calls are used.
 */
interface EncodingMethods {
  ucs2Write?: (s: string, offset: number, length: number) => number;
  latin1Slice?: (start: number, end: number) => string;
}
const PROTO = Buffer.prototype as unknown as EncodingMethods;
const FAST = typeof PROTO.ucs2Write === 'function' && typeof PROTO.latin1Slice === 'function';

let inputBytes: Buffer = Buffer.allocUnsafeSlow(4096);
let inputCodes = new Uint16Array(inputBytes.buffer, inputBytes.byteOffset, inputBytes.length >> 1);

/**
 * The UTF-16 code units of `s`, in a shared buffer valid until the next
 * call (its length may exceed s.length).
 */
export function loadCodes(s: string): Uint16Array {
  const len = s.length;
  if (len > inputCodes.length) {
    inputBytes = Buffer.allocUnsafeSlow(len * 2);
    inputCodes = new Uint16Array(inputBytes.buffer, inputBytes.byteOffset, len);
  }
  if (LITTLE_ENDIAN) {
    if (FAST) (inputBytes as unknown as Required<EncodingMethods>).ucs2Write(s, 0, len * 2);
    else inputBytes.write(s, 0, len * 2, 'utf16le');
  } else {
    for (let i = 0; i < len; i++) inputCodes[i] = s.charCodeAt(i);
  }
  const codes = inputCodes;
  if (codes.length > KEEP_CODES) {
    inputBytes = Buffer.allocUnsafeSlow(4096);
    inputCodes = new Uint16Array(inputBytes.buffer, inputBytes.byteOffset, inputBytes.length >> 1);
  }
  return codes;
}

const KEEP_BYTES = 1 << 17;

let outputBytes: Buffer = Buffer.allocUnsafeSlow(8192);
let outputView = new DataView(outputBytes.buffer, outputBytes.byteOffset, outputBytes.length);

/** An output buffer with room for at least `size` bytes (shared when small). */
export function outputBuffer(size: number): Buffer {
  if (size <= outputBytes.length) return outputBytes;
  return keep(Buffer.allocUnsafeSlow(roundUp(size)));
}

/** Bytes 0..n of `buf` (all ASCII) as a string. */
export function decodeOutput(buf: Buffer, n: number): string {
  return FAST ? (buf as unknown as Required<EncodingMethods>).latin1Slice(0, n) : buf.toString('latin1', 0, n);
}

function roundUp(size: number): number {
  let n = 8192;
  while (n < size) n *= 2;
  return n;
}

function keep(buf: Buffer): Buffer {
  if (buf.length <= KEEP_BYTES) {
    outputBytes = buf;
    outputView = new DataView(buf.buffer, buf.byteOffset, buf.length);
  }
  return buf;
}

/**
 * Output bytes as little-endian float64s and int16s (DataView stores take
 * the byte order as an argument): `'<anonymized>'` in two overlapping
 * eight-byte stores and `anon_id_` in one, where each byte stored alone
 * would cost a checked store. Each float64 is the number whose eight bytes
 * are those chars (none is a NaN, whose bits a store may change); a test
 * checks them.
 */
const enum Packed {
  /** `'<anonym` */
  LIT_0 = 2.244331067184275e219,
  /** `ymized>'`, stored at 6 */
  LIT_6 = 1.1769648511524056e-119,
  /** `anon_id_` */
  NAME = 3.340759018959364e151,
}

/** Packed's values, for the test that checks their bytes. */
export const PACKED_OUTPUT: Readonly<Record<'LIT_0' | 'LIT_6' | 'NAME', number>> = {
  LIT_0: Packed.LIT_0,
  LIT_6: Packed.LIT_6,
  NAME: Packed.NAME,
};

/** A DataView over all of `buf` (the one kept with the shared buffer, or a new one). */
export function viewOf(buf: Buffer): DataView {
  if (buf === outputBytes) return outputView;
  return new DataView(buf.buffer, buf.byteOffset, buf.length);
}

/** Writes `'<anonymized>'`, the replacement for every literal, at view[at]; returns the new end. */
export function writeLiteral(view: DataView, at: number): number {
  view.setFloat64(at, Packed.LIT_0, true);
  view.setFloat64(at + 6, Packed.LIT_6, true);
  return at + 14;
}

/** The two ASCII digits of 0..99 as a little-endian int16 (`07` is 0x3730). */
const TWO_DIGITS = new Uint16Array(100);
for (let k = 0; k < 100; k++) TWO_DIGITS[k] = (48 + ((k / 10) | 0)) | ((48 + (k % 10)) << 8);

/**
 * Writes `anon_id_<n>` at view[at]; returns the new end (-1 when n < 0).
 * Numbers up to 99 (nearly all) are written here, in one store; V8 inlines
 * this into the rewriter's loop.
 */
export function writeName(view: DataView, at: number, n: number): number {
  if (n < 0) return -1;
  view.setFloat64(at, Packed.NAME, true);
  if (n < 10) {
    view.setUint8(at + 8, 48 + n);
    return at + 9;
  }
  if (n < 100) {
    view.setUint16(at + 8, TWO_DIGITS[n]!, true);
    return at + 10;
  }
  return writeDecimal(view, at + 8, n);
}

/** Writes n >= 100 in decimal at view[at]; returns the new end. Kept out of writeName(), which stays small. */
function writeDecimal(view: DataView, at: number, n: number): number {
  let digits = 1;
  for (let m = n; m >= 10; m = Math.floor(m / 10)) digits++;
  for (let k = digits - 1, m = n; k >= 0; k--, m = Math.floor(m / 10)) view.setUint8(at + k, 48 + (m % 10));
  return at + digits;
}
