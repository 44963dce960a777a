/**
 * Segment refuses a batch request over 500 KB. analytics-node's own estimate of a batch's size undercounts
 * ASCII text, so the bridge measures the real request body and splits one that is over into several that are
 * not. Each message keeps its messageId, so a repeated part is de-duplicated by Segment.
 */
import { MAX_REQUEST_BYTES } from '../exporter/size.js';

/** Where a batch body is split: Segment's limit on one request, less headroom for the envelope. */
export const SPLIT_AT_BYTES = MAX_REQUEST_BYTES - 1024;

interface BatchBody {
  batch: unknown[];
  [field: string]: unknown;
}

/** The request bodies to send for `body`: itself when it fits, else parts that each fit. */
export function splitBatchBody(body: string, limit: number = SPLIT_AT_BYTES): string[] {
  if (Buffer.byteLength(body, 'utf8') <= limit) return [body];
  let parsed: BatchBody;
  try {
    parsed = JSON.parse(body) as BatchBody;
  } catch {
    return [body];
  }
  if (!Array.isArray(parsed.batch) || parsed.batch.length < 2) return [body];
  const envelope = Buffer.byteLength(JSON.stringify({ ...parsed, batch: [] }), 'utf8');
  const parts: unknown[][] = [];
  let current: unknown[] = [];
  let size = envelope;
  for (const message of parsed.batch) {
    const bytes = Buffer.byteLength(JSON.stringify(message), 'utf8') + 1;
    if (current.length > 0 && size + bytes > limit) {
      parts.push(current);
      current = [];
      size = envelope;
    }
    current.push(message);
    size += bytes;
  }
  if (current.length > 0) parts.push(current);
  return parts.map((batch) => JSON.stringify({ ...parsed, batch }));
}
