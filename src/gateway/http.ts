/**
 * OTLP/HTTP (opentelemetry-proto docs/specification.md, "OTLP/HTTP"): POST /v1/traces as application/x-protobuf
 * or application/json, optionally gzip-encoded; the answer has the request's Content-Type. Beside it, the
 * operations endpoints: GET /healthz, /readyz, /metrics.
 *
 *   200 ExportTraceServiceResponse (partial_success when events were refused for good)
 *   400 body does not decode · 401 token missing or wrong · 404 other path · 405 other method
 *   413 body over maxBodyBytes (before or after gzip) · 415 other content type or encoding
 *   429 / 503 + Retry-After: backpressure (sink, in-flight cap) or draining
 * Errors carry a google.rpc.Status in the request's format (JSON when the type is not one of the two).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeTracesJson, decodeTracesProtobuf, encodeExportResponse, encodeStatus } from './otlp/index.js';
import { OtlpDecodeError } from './otlp/types.js';
import type { OtlpTraces } from './otlp/types.js';
import { gunzipBounded, readBody } from './limits.js';
import type { GatewayCore } from './core.js';

type Format = 'protobuf' | 'json';

const CONTENT_TYPE: Record<Format, string> = { protobuf: 'application/x-protobuf', json: 'application/json' };

/** google.rpc.Code of each HTTP status the gateway answers with. */
const RPC_CODE: Record<number, number> = { 400: 3, 401: 16, 404: 5, 405: 12, 413: 3, 415: 3, 429: 8, 500: 13, 503: 14 };

const TRACES_PATH = '/v1/traces';

function formatOf(contentType: string | undefined): Format | undefined {
  const media = contentType?.split(';', 1)[0]?.trim().toLowerCase();
  if (media === 'application/x-protobuf') return 'protobuf';
  if (media === 'application/json') return 'json';
  return undefined;
}

function plain(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
  res.end(text + '\n');
}

/** Creates the request listener of the gateway's HTTP port. */
export function createHttpHandler(core: GatewayCore, metrics: (req: IncomingMessage, res: ServerResponse) => void) {
  function status(
    res: ServerResponse,
    format: Format,
    code: number,
    message: string,
    headers: Record<string, string> = {},
  ): number {
    res.writeHead(code, { 'content-type': CONTENT_TYPE[format], ...headers });
    res.end(encodeStatus(format, RPC_CODE[code] ?? 2, message));
    return code;
  }

  /** Answers an export request; resolves to the status and the body bytes read. */
  async function exportTraces(req: IncomingMessage, res: ServerResponse): Promise<[number, number]> {
    const format = formatOf(req.headers['content-type']);
    const replyFormat = format ?? 'json';
    if (core.draining) {
      req.resume();
      return [
        status(res, replyFormat, 503, 'the gateway is shutting down', { 'retry-after': '1', connection: 'close' }),
        0,
      ];
    }
    if (!core.checkToken(req.headers.authorization)) {
      req.resume();
      core.problem('http-401', 'refused OTLP/HTTP requests without the right bearer token (401)');
      return [status(res, replyFormat, 401, 'missing or wrong bearer token', { 'www-authenticate': 'Bearer' }), 0];
    }
    const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    if (format === undefined || (encoding !== 'gzip' && encoding !== 'identity')) {
      req.resume();
      core.problem('http-415', 'refused OTLP/HTTP requests with an unsupported Content-Type or Content-Encoding (415)');
      const what =
        format === undefined
          ? 'Content-Type must be application/x-protobuf or application/json'
          : 'Content-Encoding must be gzip or identity';
      return [status(res, replyFormat, 415, what), 0];
    }
    const max = core.settings.maxBodyBytes;
    if (Number(req.headers['content-length'] ?? 0) > max) {
      core.problem('http-413', `refused OTLP/HTTP bodies over ${max} bytes (413)`);
      return [status(res, format, 413, `body over ${max} bytes`, { connection: 'close' }), 0];
    }
    if (!core.inFlight.tryEnter()) {
      req.resume();
      core.problem('http-429-cap', `reached the cap of ${core.inFlight.max} export requests in flight; answered 429`);
      return [status(res, format, 429, 'too many requests in flight', { 'retry-after': '1' }), 0];
    }
    try {
      const read = await readBody(req, max);
      if (read.kind === 'aborted') return [0, 0];
      if (read.kind !== 'ok') {
        core.problem('http-413', `refused OTLP/HTTP bodies over ${max} bytes (413)`);
        return [status(res, format, 413, `body over ${max} bytes`, { connection: 'close' }), 0];
      }
      const wireBytes = read.body.length;
      const inflated = encoding === 'gzip' ? await gunzipBounded(read.body, max) : read;
      if (inflated.kind === 'too_large') {
        core.problem('http-413-gzip', `refused gzip bodies that inflate past ${max} bytes (413)`);
        return [status(res, format, 413, `body inflates past ${max} bytes`), wireBytes];
      }
      if (inflated.kind !== 'ok') {
        core.problem('http-400-gzip', 'refused bodies that are not valid gzip (400)');
        return [status(res, format, 400, 'body is not valid gzip'), wireBytes];
      }
      let traces: OtlpTraces;
      try {
        traces = format === 'protobuf' ? decodeTracesProtobuf(inflated.body) : decodeTracesJson(inflated.body);
      } catch (error) {
        const message = error instanceof OtlpDecodeError ? error.message : 'body does not decode';
        core.problem(
          `http-400-${format}`,
          `refused ${format} bodies that do not decode as OTLP traces (400), first: ${message}`,
        );
        return [status(res, format, 400, message), wireBytes];
      }
      const outcome = await core.submit(traces);
      if (outcome.kind === 'retry') {
        const after = String(Math.max(1, Math.ceil(outcome.retryAfterSeconds)));
        return [status(res, format, outcome.status, outcome.reason, { 'retry-after': after }), wireBytes];
      }
      const partial =
        outcome.rejectedSpans > 0
          ? { rejectedSpans: outcome.rejectedSpans, errorMessage: outcome.errorMessage ?? '' }
          : undefined;
      res.writeHead(200, { 'content-type': CONTENT_TYPE[format] });
      res.end(encodeExportResponse(format, partial));
      return [200, wireBytes];
    } finally {
      core.inFlight.leave();
    }
  }

  function operations(path: string, req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return plain(res, 405, 'method not allowed', { allow: 'GET, HEAD' });
    if (path === '/healthz') return plain(res, 200, 'ok');
    if (path === '/readyz') {
      if (core.draining) return plain(res, 503, 'draining');
      if (core.sink.unhealthy()) return plain(res, 503, 'Segment keeps failing');
      return plain(res, 200, 'ready');
    }
    return metrics(req, res);
  }

  return (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
    if (path === '/healthz' || path === '/readyz' || path === '/metrics') return operations(path, req, res);
    if (path !== TRACES_PATH) {
      req.resume();
      return plain(res, 404, 'not found: OTLP traces go to POST /v1/traces');
    }
    if (req.method !== 'POST') {
      req.resume();
      const format = formatOf(req.headers['content-type']) ?? 'json';
      status(res, format, 405, 'use POST', { allow: 'POST' });
      return;
    }
    exportTraces(req, res).then(
      ([code, bytes]) => {
        if (code !== 0) core.count('http', String(code), bytes);
      },
      (error: unknown) => {
        core.problem(
          'http-500',
          `internal error answering an OTLP/HTTP request: ${error instanceof Error ? error.message : String(error)}`,
        );
        if (!res.headersSent) plain(res, 500, 'internal error');
        else res.destroy();
        core.count('http', '500', 0);
      },
    );
  };
}
