/**
 * The gateway's answers, in the request's format: ExportTraceServiceResponse
 * (opentelemetry/proto/collector/trace/v1/trace_service.proto: 1 partial_success {1 rejected_spans int64,
 * 2 error_message string}) and google.rpc.Status (google/rpc/status.proto: 1 code int32, 2 message string,
 * 3 details, never sent). Protobuf leaves default values out, as proto3 does; JSON follows the protobuf JSON
 * mapping (int64 as a decimal string).
 */

/** Response and request encoding. */
export type OtlpFormat = 'protobuf' | 'json';

/** What the gateway refused for good in an otherwise accepted request. */
export interface PartialSuccess {
  rejectedSpans: number;
  errorMessage: string;
}

const encoder = new TextEncoder();

/** An ExportTraceServiceResponse; partial_success is set only when `partial` is given. */
export function encodeExportResponse(format: OtlpFormat, partial?: PartialSuccess): Uint8Array {
  const rejected = count(partial?.rejectedSpans ?? 0);
  if (format === 'json') {
    const body =
      partial === undefined
        ? {}
        : {
            partialSuccess: {
              rejectedSpans: String(rejected),
              errorMessage: partial.errorMessage,
            },
          };
    return encoder.encode(JSON.stringify(body));
  }
  if (partial === undefined) return new Uint8Array(0);
  const inner: number[] = [];
  if (rejected > 0) writeVarintField(inner, 1, rejected);
  if (partial.errorMessage !== '') writeBytesField(inner, 2, encoder.encode(partial.errorMessage));
  const out: number[] = [];
  writeBytesField(out, 1, inner);
  return Uint8Array.from(out);
}

/** A google.rpc.Status with `code` (a google.rpc.Code) and `message`. */
export function encodeStatus(format: OtlpFormat, code: number, message: string): Uint8Array {
  const int32 = Number.isFinite(code) ? Math.trunc(code) | 0 : 0;
  if (format === 'json') return encoder.encode(JSON.stringify({ code: int32, message }));
  const out: number[] = [];
  if (int32 !== 0) writeVarintField(out, 1, int32);
  if (message !== '') writeBytesField(out, 2, encoder.encode(message));
  return Uint8Array.from(out);
}

/** A count as a non-negative integer (int64 on the wire; a JS number stays far below its limit). */
function count(n: number): number {
  return Number.isFinite(n) && n > 0 ? Math.min(Math.trunc(n), Number.MAX_SAFE_INTEGER) : 0;
}

function writeVarintField(out: number[], field: number, value: number): void {
  writeVarint(out, field << 3);
  if (value < 0) {
    // A negative int32 is sign-extended to 64 bits: ten bytes.
    let big = BigInt.asUintN(64, BigInt(value));
    while (big > 0x7fn) {
      out.push(Number(big & 0x7fn) | 0x80);
      big >>= 7n;
    }
    out.push(Number(big));
    return;
  }
  writeVarint(out, value);
}

function writeBytesField(out: number[], field: number, bytes: ArrayLike<number>): void {
  writeVarint(out, (field << 3) | 2);
  writeVarint(out, bytes.length);
  for (let i = 0; i < bytes.length; i++) out.push(bytes[i]!);
}

/** A non-negative integer up to 2^53 as a varint. */
function writeVarint(out: number[], value: number): void {
  let v = value;
  while (v > 0x7f) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}
