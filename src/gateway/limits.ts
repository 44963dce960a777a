/**
 * The gateway's bounds: request bodies read with a byte counter and inflated with zlib's maxOutputLength (a gzip
 * bomb costs at most the limit, then 413), and the cap on export requests in flight shared by both ports.
 */
import { gunzip } from 'node:zlib';
import type { IncomingMessage } from 'node:http';

/** A body read within the limit, or why not. */
export type BodyResult =
  { kind: 'ok'; body: Buffer } | { kind: 'too_large' } | { kind: 'corrupt' } | { kind: 'aborted' };

/** Reads the whole request body, stopping (without buffering more) as soon as it passes `maxBytes`. */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: BodyResult): void => {
      if (done) return;
      done = true;
      req.off('data', onData);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) {
        chunks.length = 0;
        req.pause();
        finish({ kind: 'too_large' });
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => finish({ kind: 'ok', body: Buffer.concat(chunks, size) }));
    req.once('error', () => finish({ kind: 'aborted' }));
    req.once('close', () => finish({ kind: 'aborted' }));
  });
}

/** Inflates a gzip body to at most `maxBytes`. */
export function gunzipBounded(body: Buffer, maxBytes: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    gunzip(body, { maxOutputLength: maxBytes }, (error, result) => {
      if (error === null) resolve({ kind: 'ok', body: result });
      else
        resolve({ kind: (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' ? 'too_large' : 'corrupt' });
    });
  });
}

/** Counts export requests in flight across both ports and lets a drain wait for them. */
export class InFlight {
  private count = 0;
  private readonly idleWaiters = new Set<() => void>();

  constructor(readonly max: number) {}

  get current(): number {
    return this.count;
  }

  /** Takes a slot; false when the cap is reached. */
  tryEnter(): boolean {
    if (this.count >= this.max) return false;
    this.count++;
    return true;
  }

  leave(): void {
    this.count--;
    if (this.count === 0) for (const wake of this.idleWaiters) wake();
  }

  /** Resolves once no request is in flight. */
  idle(): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = (): void => {
        this.idleWaiters.delete(wake);
        resolve();
      };
      this.idleWaiters.add(wake);
    });
  }
}
