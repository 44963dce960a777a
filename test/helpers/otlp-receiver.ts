/**
 * A loopback OTLP/HTTP traces receiver for tests: accepts POST /v1/traces as JSON (http/json) or protobuf
 * (http/protobuf), and keeps what crossed the wire: requests, and each span's name, event names and resource.
 */
import { createServer } from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeTraces } from './otlp-protobuf.js';

/** One span as received. */
export interface OtlpSpan {
  name: string;
  events: string[];
  resource: Record<string, string>;
}

export interface OtlpReceiver {
  /** Base URL (OTEL_EXPORTER_OTLP_ENDPOINT). */
  url: string;
  /** Full traces URL (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, or `endpoint` in a configuration file). */
  tracesUrl: string;
  spans: OtlpSpan[];
  /** Content types of the requests, in arrival order. */
  contentTypes: string[];
  close(): Promise<void>;
}

interface JsonKeyValue {
  key: string;
  value?: { stringValue?: string };
}

interface JsonRequest {
  resourceSpans?: {
    resource?: { attributes?: JsonKeyValue[] };
    scopeSpans?: { spans?: { name: string; events?: { name: string }[] }[] }[];
  }[];
}

function decodeJson(body: Buffer): OtlpSpan[] {
  const request = JSON.parse(body.toString('utf8')) as JsonRequest;
  return (request.resourceSpans ?? []).flatMap((rs) => {
    const resource = Object.fromEntries(
      (rs.resource?.attributes ?? []).map((kv) => [kv.key, kv.value?.stringValue ?? '']),
    );
    return (rs.scopeSpans ?? []).flatMap((ss) =>
      (ss.spans ?? []).map((span) => ({ name: span.name, events: (span.events ?? []).map((e) => e.name), resource })),
    );
  });
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Starts a receiver on 127.0.0.1 on a free port. */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: OtlpSpan[] = [];
  const contentTypes: string[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const type = req.headers['content-type'] ?? '';
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      const body = await readAll(req);
      contentTypes.push(type);
      const json = type.includes('json');
      spans.push(...(json ? decodeJson(body) : decodeTraces(body)));
      res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' });
      res.end(json ? '{}' : undefined);
    })().catch(() => res.writeHead(400).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    tracesUrl: `${url}/v1/traces`,
    spans,
    contentTypes,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
