/**
 * The program the exit rescue starts as a detached child (`node -e RESCUE_CHILD_SOURCE`): it delivers the Track
 * messages a process left undelivered when it called process.exit(). It is a self-contained CommonJS string, with
 * no import of the project's files, so it runs the same from dist and from the TypeScript sources.
 *
 * Contract with exit-rescue.ts: the job file (RESCUE_FILE_VARIABLE) holds `{ url, timeoutMillis, batch }`, with
 * messages already in Segment's wire form; the write key comes in RESCUE_KEY_VARIABLE, never in the file or on
 * the command line. The child reads and deletes the file and its directory first, then POSTs
 * `{"batch":[…],"sentAt":…}` with Basic auth in requests of at most 100 messages and 450 KB (Segment refuses
 * over 500 KB), retries network errors and the statuses Segment's libraries retry, and exits by itself within
 * timeoutMillis whatever happens. It prints nothing: its stdio is ignored, and errors only end it.
 */

/** Environment variable naming the job file. */
export const RESCUE_FILE_VARIABLE = 'OTEL_SEGMENT_BRIDGE_RESCUE_FILE';
/** Environment variable carrying the write key. */
export const RESCUE_KEY_VARIABLE = 'OTEL_SEGMENT_BRIDGE_RESCUE_KEY';

/** What the job file holds. */
export interface RescueFile {
  url: string;
  timeoutMillis: number;
  batch: readonly object[];
}

/** @internal The child program. The retry rule is transport/retry-policy.ts's isRetryableStatus, restated. */
export const RESCUE_CHILD_SOURCE = `'use strict';
const fs = require('node:fs');
const path = require('node:path');
const MAX_MESSAGES = 100;
const MAX_BYTES = 450 * 1024;
const quit = () => process.exit(0);
process.on('uncaughtException', quit);
process.on('unhandledRejection', quit);

function readJob(file) {
  if (file === '') return undefined;
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  } finally {
    try { fs.unlinkSync(file); } catch {}
    try { fs.rmdirSync(path.dirname(file)); } catch {}
  }
}

function chunks(batch) {
  const out = [];
  let current = [];
  let size = 0;
  for (const message of batch) {
    const bytes = Buffer.byteLength(JSON.stringify(message), 'utf8') + 1;
    if (current.length > 0 && (current.length >= MAX_MESSAGES || size + bytes > MAX_BYTES)) {
      out.push(current);
      current = [];
      size = 0;
    }
    current.push(message);
    size += bytes;
  }
  if (current.length > 0) out.push(current);
  return out;
}

function retryable(status) {
  if (status === 0 || status >= 500) return status !== 501 && status !== 505;
  return status === 408 || status === 410 || status === 429 || status === 460;
}

// Resolves with the HTTP status, or 0 for a network error or a timeout.
function post(target, headers, body, millis) {
  return new Promise((resolve) => {
    let req;
    let timer;
    const finish = (status) => {
      clearTimeout(timer);
      resolve(status);
    };
    try {
      const http = require(target.protocol === 'https:' ? 'node:https' : 'node:http');
      req = http.request(target, { method: 'POST', agent: false, headers: { ...headers, 'Content-Length': Buffer.byteLength(body, 'utf8') } }, (res) => {
        res.resume();
        finish(res.statusCode || 0);
      });
    } catch {
      return resolve(0);
    }
    timer = setTimeout(() => {
      req.destroy();
      finish(0);
    }, Math.max(1, millis));
    req.on('error', () => finish(0));
    req.end(body);
  });
}

async function send(target, headers, batch, deadline) {
  for (let attempt = 0; ; attempt++) {
    const body = JSON.stringify({ batch, sentAt: new Date().toISOString() });
    const status = await post(target, headers, body, deadline - Date.now());
    if ((status >= 200 && status < 300) || !retryable(status)) return;
    const wait = Math.min(100 * 2 ** attempt, deadline - Date.now() - 50);
    if (wait <= 0) return;
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

async function main() {
  const job = readJob(process.env.${RESCUE_FILE_VARIABLE} || '');
  if (job === null || typeof job !== 'object' || !Array.isArray(job.batch) || typeof job.url !== 'string') return;
  const budget = Number.isFinite(job.timeoutMillis) && job.timeoutMillis > 0 ? Math.min(job.timeoutMillis, 10000) : 5000;
  const deadline = Date.now() + budget;
  // The backstop: whatever is still pending at the deadline ends with the process.
  setTimeout(quit, budget).unref();
  const target = new URL(job.url);
  if (target.protocol !== 'https:' && target.protocol !== 'http:') return;
  const headers = {
    'Content-Type': 'application/json',
    Authorization: 'Basic ' + Buffer.from((process.env.${RESCUE_KEY_VARIABLE} || '') + ':').toString('base64'),
    'User-Agent': 'otel-segment-bridge (exit rescue)',
  };
  const queue = chunks(job.batch);
  const worker = async () => {
    for (let batch = queue.shift(); batch !== undefined; batch = queue.shift()) await send(target, headers, batch, deadline);
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
}

main().then(quit, quit);
`;
