/**
 * B1 skip path: what SegmentSpanExporter costs on spans that carry no telemetry event — the bulk of a traced
 * proxy's spans. Peer: the OTLP JSON serialization of the same spans (@opentelemetry/otlp-transformer's
 * JsonTraceSerializer), which an OTLP exporter beside ours pays anyway. Reference: a bare loop over the spans'
 * events looking each name up in a Set, the least any exporter can do. Spans are real ReadableSpans from a
 * BasicTracerProvider, handed over in batches of 512 as a BatchSpanProcessor does. 100k spans do not fit in the
 * CPU caches, so the exporter and the bare loop both pay memory latency per span; a second figure (not the
 * headline) exports one batch of 512 spans over and over, cache-hot, as a processor exporting spans that just
 * ended would see them.
 */
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { TELEMETRY_EVENTS } from '../src/catalogue/index.js';
import { SegmentSpanExporter } from '../src/exporter/exporter.js';
import { interleave, settle, timeSync } from './lib/interleave.js';
import { isMain, runAlone } from './lib/main.js';
import { median, ratioResult, rounded, sig } from './lib/stats.js';
import type { BenchResult } from './lib/stats.js';

const GOAL = 0.03;
const BATCH = 512;

/**
 * Spans shaped like a database proxy's: 6 attributes each and 1 to 3 ordinary events (1.6 on average), one
 * span in ten with an `exception` event.
 */
export function proxySpans(count: number): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] });
  const tracer = provider.getTracer('readyset-adapter', '1.8.0');
  for (let i = 0; i < count; i++) {
    const span = tracer.startSpan('pg.query', {
      kind: SpanKind.SERVER,
      attributes: {
        'db.system': 'postgresql',
        'db.operation': 'SELECT',
        'db.sql.table': 'orders',
        'net.peer.name': 'db.internal',
        'net.peer.port': 5432,
        'readyset.cached': i % 4 !== 0,
      },
    });
    span.addEvent('query.parsed', { 'parse.micros': i % 300 });
    if (i % 2 === 0) span.addEvent('upstream.sent', { 'upstream.bytes': 120 + (i % 64) });
    if (i % 10 === 0) {
      span.addEvent('exception', {
        'exception.type': 'QueryError',
        'exception.message': 'relation "x" does not exist',
      });
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    span.end();
  }
  return memory.getFinishedSpans();
}

function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** ns per span of ours and of OTLP on one batch exported `reps` times in a row (cache-hot), medians of 5. */
function hotBatch(batch: ReadableSpan[], exporter: SegmentSpanExporter, reps: number): { ours: number; otlp: number } {
  const ours: number[] = [];
  const otlp: number[] = [];
  for (let round = 0; round < 5; round++) {
    ours.push(
      (timeSync(() => {
        for (let r = 0; r < reps; r++) exporter.export(batch, () => undefined);
      }) *
        1e6) /
        reps /
        batch.length,
    );
    otlp.push(
      (timeSync(() => {
        for (let r = 0; r < Math.max(1, reps / 100); r++) JsonTraceSerializer.serializeRequest(batch);
      }) *
        1e6) /
        Math.max(1, reps / 100) /
        batch.length,
    );
  }
  return { ours: median(ours), otlp: median(otlp) };
}

export async function runB1({ smoke }: { smoke: boolean }): Promise<BenchResult> {
  const count = smoke ? 2000 : 100_000;
  const rounds = smoke ? 2 : 7;
  // Our side and the bare loop take milliseconds: repeat them so one measurement is well above timer noise.
  const passes = smoke ? 2 : 10;
  const spans = proxySpans(count);
  const groups = batches(spans, BATCH);
  const events = spans.reduce((n, span) => n + span.events.length, 0);
  const exporter = new SegmentSpanExporter({ disabled: true }, { env: {}, argv: [] });
  const names: ReadonlySet<string> = new Set(TELEMETRY_EVENTS);
  let failures = 0;
  let found = 0;
  let bytes = 0;

  const ours = (): number =>
    timeSync(() => {
      for (let p = 0; p < passes; p++) {
        for (const group of groups) exporter.export(group, (result) => void (failures += result.code));
      }
    }) / passes;
  const otlp = (): number =>
    timeSync(() => {
      for (const group of groups) bytes += JsonTraceSerializer.serializeRequest(group)?.length ?? 0;
    });
  const bare = (): number =>
    timeSync(() => {
      for (let p = 0; p < passes; p++) {
        for (const group of groups) {
          for (const span of group) for (const event of span.events) if (names.has(event.name)) found++;
        }
      }
    }) / passes;

  // Warm-up: let the JIT see every side before anything is measured.
  ours();
  otlp();
  bare();
  const times = await interleave(rounds, {
    ours: async () => (await settle(), ours()),
    otlp: async () => (await settle(), otlp()),
    bare: async () => (await settle(), bare()),
  });
  const ratios = times.ours.map((t, i) => t / times.otlp[i]!);
  const hot = hotBatch(groups[0] ?? [], exporter, smoke ? 20 : 2000);
  const perSpanNs = (ms: number[]): ReturnType<typeof rounded> => rounded(ms.map((t) => (t * 1e6) / count));
  await exporter.shutdown();
  return {
    ...ratioResult(ratios, GOAL, 'max', 'time, SegmentSpanExporter.export / OTLP JSON serialization'),
    valid: failures === 0 && found === 0,
    spans: count,
    span_events: events,
    batch: BATCH,
    rounds,
    ours_ns_per_span: perSpanNs(times.ours),
    otlp_ns_per_span: perSpanNs(times.otlp),
    bare_loop_ns_per_span: perSpanNs(times.bare),
    bare_loop_ratio_median: sig(rounded(times.bare.map((t, i) => t / times.otlp[i]!)).median),
    ours_over_bare_median: sig(rounded(times.ours.map((t, i) => t / times.bare[i]!)).median),
    hot_batch_ours_ns_per_span: sig(hot.ours),
    hot_batch_otlp_ns_per_span: sig(hot.otlp),
    hot_batch_ratio: sig(hot.ours / hot.otlp),
    otlp_bytes_per_span: Math.round(bytes / count / (rounds + 1)),
  };
}

if (isMain(import.meta.url)) await runAlone(runB1);
