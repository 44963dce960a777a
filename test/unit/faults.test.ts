/**
 * Delivery through faults: a loopback receiver injects each fault; every case asserts what reached it (by
 * messageId), what was counted as dropped, and that nothing else was lost.
 */
import assert from 'node:assert/strict';
import { testExporter } from '../helpers/segment.js';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { ExportResultCode } from '@opentelemetry/core';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ExportResult } from '@opentelemetry/core';
import type { SegmentSpanExporter } from '../../src/index.js';
import { startReceiver } from '../../src/testing.js';
import type { SegmentExporterOptions } from '../../src/index.js';
import type { Fault, Receiver } from '../../src/testing.js';
import { BATCHES_IN_FLIGHT } from '../../src/transport/segment.js';
import { captureDiag } from '../helpers/diag.js';
import { fakeEvent, fakeSpan } from '../helpers/spans.js';

const logs = captureDiag();
const WRITE_KEY = 'wk_faults_SECRET';
const quiet = { env: { RS_API_KEY: 'rsk_faults_SECRET' }, argv: [] };

function exporterFor(receiverUrl: string, options: SegmentExporterOptions = {}): SegmentSpanExporter {
  return testExporter(
    { url: receiverUrl },
    { writeKey: WRITE_KEY, flushIntervalMillis: 20, shutdownTimeoutMillis: 10_000, ...options },
    quiet,
  );
}

let queries = 0;

/** Exports `n` distinct telemetry events on one span; returns the callback results. */
function exportEvents(exporter: SegmentSpanExporter, n: number): ExportResult[] {
  const results: ExportResult[] = [];
  const span = fakeSpan(Array.from({ length: n }, () => fakeEvent('proxied_query', { query_id: `q${queries++}` })));
  exporter.export([span], (r) => results.push(r));
  return results;
}

function distinctMessageIds(receiver: Receiver): number {
  return new Set(receiver.messages.map((m) => m.body['messageId'])).size;
}

function totalDropped(exporter: SegmentSpanExporter): number {
  return Object.values(exporter.getStats().dropped).reduce((a, b) => a + b, 0);
}

async function withFaults(
  fault: (i: number) => Fault | undefined,
  body: (receiver: Receiver) => Promise<void>,
): Promise<void> {
  const receiver = await startReceiver({ writeKey: WRITE_KEY, fault });
  try {
    await body(receiver);
  } finally {
    await receiver.close();
  }
}

test('5xx: retried with backoff, then every event delivered once', async () => {
  await withFaults(
    (i) => (i < 2 ? { status: 503 } : undefined),
    async (receiver) => {
      const exporter = exporterFor(receiver.url);
      exportEvents(exporter, 10);
      await exporter.shutdown();
      assert.equal(receiver.requests(), 3);
      assert.equal(receiver.messages.length, 10);
      assert.equal(distinctMessageIds(receiver), 10);
      assert.deepEqual([exporter.getStats().sent, totalDropped(exporter), exporter.getStats().retries], [10, 0, 2]);
    },
  );
});

test('connection reset after Segment recorded the batch: the retry carries the same messageIds', async () => {
  await withFaults(
    (i) => (i === 0 ? { destroy: true, afterRecording: true } : undefined),
    async (receiver) => {
      const exporter = exporterFor(receiver.url);
      exportEvents(exporter, 5);
      await exporter.shutdown();
      // Segment saw every event twice, under one messageId each: its de-duplication keeps exactly one.
      assert.equal(receiver.messages.length, 10);
      assert.equal(distinctMessageIds(receiver), 5);
      assert.deepEqual([exporter.getStats().sent, totalDropped(exporter)], [5, 0]);
    },
  );
});

test('a server that accepts the connection and never answers: bounded by the request timeout, then retried', async () => {
  await withFaults(
    (i) => (i === 0 ? { hang: true } : undefined),
    async (receiver) => {
      const exporter = exporterFor(receiver.url, { httpRequestTimeoutMillis: 300 });
      exportEvents(exporter, 4);
      await exporter.shutdown();
      assert.equal(receiver.requests(), 2);
      assert.equal(distinctMessageIds(receiver), 4);
      assert.deepEqual([exporter.getStats().sent, totalDropped(exporter)], [4, 0]);
    },
  );
});

test('connection refused: retried until the receiver comes up', async () => {
  // Find a free port, leave it closed, and open the receiver there a little later.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const exporter = exporterFor(`http://127.0.0.1:${port}`);
  exportEvents(exporter, 3);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const receiver = await startReceiver({ writeKey: WRITE_KEY, port });
  try {
    await exporter.shutdown();
    assert.equal(distinctMessageIds(receiver), 3);
    assert.ok(exporter.getStats().retries >= 1);
    assert.deepEqual([exporter.getStats().sent, totalDropped(exporter)], [3, 0]);
  } finally {
    await receiver.close();
  }
});

test('429 with Retry-After: waits as told, then delivers', async () => {
  const times: number[] = [];
  await withFaults(
    (i) => {
      times.push(Date.now());
      return i === 0 ? { status: 429, headers: { 'retry-after': '1' } } : undefined;
    },
    async (receiver) => {
      const exporter = exporterFor(receiver.url);
      exportEvents(exporter, 2);
      await exporter.shutdown();
      assert.equal(times.length, 2);
      // Only a lower bound: a slow machine makes the wait longer, never shorter.
      assert.ok(times[1]! - times[0]! >= 950, `retried after ${times[1]! - times[0]!} ms`);
      assert.deepEqual([distinctMessageIds(receiver), exporter.getStats().sent, totalDropped(exporter)], [2, 2, 0]);
    },
  );
});

for (const status of [400, 401, 403]) {
  test(`${status}: not retried, counted as rejected, one diag error per cause, the key never logged`, async () => {
    await withFaults(
      () => ({ status }),
      async (receiver) => {
        const exporter = exporterFor(receiver.url, { flushAt: 3 });
        const results = [...exportEvents(exporter, 3), ...exportEvents(exporter, 3)];
        assert.deepEqual(
          results.map((r) => r.code),
          [ExportResultCode.SUCCESS, ExportResultCode.SUCCESS],
        );
        await exporter.shutdown();
        assert.equal(receiver.requests(), 2); // one per batch, no retry
        assert.equal(exporter.getStats().dropped.rejected, 6);
        assert.equal(exporter.getStats().retries, 0);
        assert.equal(logs.filter((l) => l.level === 'error' && l.message.includes(`HTTP ${status}`)).length, 1);
        for (const line of logs) assert.ok(!line.message.includes('SECRET'), line.message);
      },
    );
  });
}

test('retries are bounded: after maxRetries the events are counted as failed, not lost silently', async () => {
  await withFaults(
    () => ({ status: 500 }),
    async (receiver) => {
      const exporter = exporterFor(receiver.url, { maxRetries: 1 });
      exportEvents(exporter, 4);
      await exporter.shutdown();
      assert.equal(receiver.requests(), 2);
      assert.deepEqual([exporter.getStats().sent, exporter.getStats().dropped.delivery_failed], [0, 4]);
    },
  );
});

test('the pending bound: beyond maxPendingEvents new events are dropped and counted, never blocking', async () => {
  await withFaults(
    () => ({ hang: true }),
    async (receiver) => {
      const exporter = exporterFor(receiver.url, {
        maxPendingEvents: 50,
        shutdownTimeoutMillis: 100,
        httpRequestTimeoutMillis: 60_000,
      });
      const results = exportEvents(exporter, 500);
      // SUCCESS: a FAILED result would make a BatchSpanProcessor skip exporter.shutdown() at the end, and log
      // an error per batch; the drops are counted and logged once instead.
      assert.deepEqual(
        results.map((r) => r.code),
        [ExportResultCode.SUCCESS],
      );
      assert.equal(logs.filter((l) => l.message.includes('dropping new ones')).length, 1);
      assert.equal(exporter.getStats().pending, 50);
      // With the queue full, a later batch is refused (and counted) without being mapped at all.
      assert.deepEqual(
        exportEvents(exporter, 25).map((r) => r.code),
        [ExportResultCode.SUCCESS],
      );
      await exporter.shutdown();
      const stats = exporter.getStats();
      assert.deepEqual([stats.dropped.queue_full, stats.dropped.shutdown, stats.sent, stats.pending], [475, 50, 0, 0]);
      assert.ok(receiver.requests() >= 1);
    },
  );
});

test(
  'forceFlush honours its deadline while Segment is unreachable; the events stay pending, not dropped',
  { timeout: 15_000 },
  async () => {
    await withFaults(
      () => ({ hang: true }),
      async (receiver) => {
        const exporter = exporterFor(receiver.url, { shutdownTimeoutMillis: 200, httpRequestTimeoutMillis: 60_000 });
        exportEvents(exporter, 3);
        // Unbounded, this would wait for the 60 s request timeout: the test's 15 s limit fails it.
        await exporter.forceFlush();
        assert.deepEqual([exporter.getStats().pending, totalDropped(exporter)], [3, 0]);
        await exporter.shutdown();
        assert.deepEqual([exporter.getStats().pending, exporter.getStats().dropped.shutdown], [0, 3]);
        assert.equal(
          logs.filter((l) => l.message.includes('still undelivered at the shutdown deadline')).length >= 1,
          true,
        );
      },
    );
  },
);

test(
  'with the queue full and Segment hanging, a tracer provider still shuts down within the deadline',
  { timeout: 20_000 },
  async () => {
    await withFaults(
      () => ({ hang: true }),
      async (receiver) => {
        const exporter = exporterFor(receiver.url, {
          shutdownTimeoutMillis: 300,
          httpRequestTimeoutMillis: 60_000,
          maxPendingEvents: 100,
        });
        const provider = new BasicTracerProvider({
          spanProcessors: [new BatchSpanProcessor(exporter, { maxExportBatchSize: 50 })],
        });
        const tracer = provider.getTracer('t');
        for (let i = 0; i < 30; i++) {
          const span = tracer.startSpan('burst');
          for (let e = 0; e < 10; e++) span.addEvent('proxied_query', { query_id: `burst-${i}-${e}` });
          span.end();
        }
        // Unbounded (the processor skipping exporter.shutdown), retries would hold this for minutes.
        await provider.shutdown();
        const stats = exporter.getStats();
        assert.deepEqual([stats.pending, stats.dropped.queue_full + stats.dropped.shutdown, stats.sent], [0, 300, 0]);
      },
    );
  },
);

test('while Segment hangs, only BATCHES_IN_FLIGHT batches are in analytics-node; the rest wait as plain messages', async () => {
  await withFaults(
    () => ({ hang: true }),
    async (receiver) => {
      const exporter = exporterFor(receiver.url, {
        flushAt: 10,
        shutdownTimeoutMillis: 100,
        httpRequestTimeoutMillis: 60_000,
      });
      exportEvents(exporter, 100);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(receiver.requests(), BATCHES_IN_FLIGHT);
      assert.equal(exporter.getStats().pending, 100);
      await exporter.shutdown();
      assert.equal(exporter.getStats().dropped.shutdown, 100);
    },
  );
});
