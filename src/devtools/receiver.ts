/**
 * A Segment-compatible receiver on 127.0.0.1 for development, demos and tests: accepts POST /v1/batch with
 * Basic auth like Segment's HTTP Tracking API, validates each message against the telemetry schema and keeps
 * what it received.
 */
import { MAX_REQUEST_BYTES } from '../exporter/size.js';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { validateTrackMessage } from './validate.js';

/** One message of an accepted batch. */
export interface ReceivedMessage {
  body: Record<string, unknown>;
  /** Schema problems; empty when valid. */
  errors: string[];
  /** Write key from the request's Basic auth. */
  writeKey: string;
  authorization: string;
}

/** A deliberate fault for one request (tests of retries and timeouts). */
export interface Fault {
  status?: number;
  headers?: Record<string, string>;
  /** Accept the request and never answer. */
  hang?: boolean;
  /** Close the connection without an answer. */
  destroy?: boolean;
  /** Accept and record the batch first, then apply the fault instead of answering 200 (a lost answer). */
  afterRecording?: boolean;
}

export interface ReceiverOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** When set, requests must authenticate with this write key (401 otherwise). */
  writeKey?: string;
  /** Called for every message of an accepted batch. */
  onMessage?: (message: ReceivedMessage) => void;
  /** Chooses a fault for the n-th request (0-based); undefined answers normally. */
  fault?: (requestIndex: number) => Fault | undefined;
  /**
   * Called for every request the receiver refuses on its own (404, 401, 400, 500; not injected faults) with the
   * status and the reason it answered.
   */
  onReject?: (status: number, reason: string, request: RejectedRequest) => void;
}

/** What onReject is told about a refused request. */
export interface RejectedRequest {
  method: string;
  path: string;
}

export interface Receiver {
  /** Base URL, e.g. http://127.0.0.1:43210: use it as the exporter's host. */
  readonly url: string;
  readonly port: number;
  /** Messages of every accepted batch, in arrival order. */
  readonly messages: ReceivedMessage[];
  /** Requests received, accepted or not. */
  readonly requests: () => number;
  /** Resolves once `count` messages have arrived; rejects after `timeoutMillis`. */
  waitForMessages(count: number, timeoutMillis?: number): Promise<void>;
  close(): Promise<void>;
}

function basicAuthKey(header: string | undefined): string | undefined {
  if (header === undefined || !header.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 ? decoded.slice(0, colon) : undefined;
}

function reply(res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
  // A refusal may come before the body was read: close, so no half-read request poisons a kept-alive socket.
  const close: Record<string, string> = status === 200 ? {} : { connection: 'close' };
  res.writeHead(status, { 'content-type': 'application/json', ...close, ...headers });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function applyFault(req: IncomingMessage, res: ServerResponse, fault: Fault): void {
  if (fault.hang === true) return;
  if (fault.destroy === true) {
    req.socket.destroy();
    return;
  }
  reply(res, fault.status ?? 500, { error: 'injected fault' }, fault.headers);
}

/** Starts a receiver on 127.0.0.1. */
export async function startReceiver(options: ReceiverOptions = {}): Promise<Receiver> {
  const messages: ReceivedMessage[] = [];
  const waiters = new Set<() => void>();
  let requests = 0;

  function refuse(req: IncomingMessage, res: ServerResponse, status: number, reason: string): void {
    try {
      options.onReject?.(status, reason, { method: req.method ?? '?', path: req.url ?? '?' });
    } catch {
      // A logging hook must not change the answer.
    }
    reply(res, status, { error: reason });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const index = requests++;
    if (req.method !== 'POST' || req.url !== '/v1/batch') return refuse(req, res, 404, 'not found');
    const fault = options.fault?.(index);
    if (fault !== undefined && fault.afterRecording !== true) return applyFault(req, res, fault);
    const authorization = req.headers.authorization ?? '';
    const writeKey = basicAuthKey(authorization);
    if (writeKey === undefined || (options.writeKey !== undefined && writeKey !== options.writeKey)) {
      return refuse(req, res, 401, 'invalid write key');
    }
    const text = await readBody(req, MAX_REQUEST_BYTES);
    if (text === undefined) return refuse(req, res, 400, 'batch over 500 KB');
    let batch: unknown;
    try {
      batch = (JSON.parse(text) as { batch?: unknown }).batch;
    } catch {
      return refuse(req, res, 400, 'malformed JSON');
    }
    if (!Array.isArray(batch)) return refuse(req, res, 400, 'body has no batch array');
    for (const body of batch as Record<string, unknown>[]) {
      const message: ReceivedMessage = { body, errors: validateTrackMessage(body), writeKey, authorization };
      messages.push(message);
      options.onMessage?.(message);
    }
    for (const wake of waiters) wake();
    if (fault !== undefined) return applyFault(req, res, fault);
    reply(res, 200, { success: true });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => refuse(req, res, 500, 'receiver error'));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    messages,
    requests: () => requests,
    waitForMessages(count, timeoutMillis = 10_000) {
      return new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (messages.length < count) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`receiver got ${messages.length} of ${count} messages in ${timeoutMillis} ms`));
        }, timeoutMillis);
        waiters.add(check);
        check();
      });
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
