/**
 * G1 skip path on the wire: what the gateway costs on an OTLP request whose spans carry no telemetry event — the
 * bulk of what a Collector forwards. Ours: decodeTracesProtobuf of a 512-span ExportTraceServiceRequest, which
 * must count every span and skip it. Peer: @opentelemetry/otlp-transformer's ProtobufTraceSerializer encoding the
 * same 512 spans, which the producer's OTLP exporter pays for every batch anyway. The spans are B1's (a database
 * proxy's: 6 attributes, 1 to 3 ordinary events, some with an `exception` event), real ReadableSpans from a
 * BasicTracerProvider. Several distinct batches are cycled so the figure is not one cache-hot buffer's.
 * Goal: ours ≤ 0.5× the serializer's time.
 *
 *   npx tsx bench/g1-skip-path.ts [--smoke]
 */
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { decodeTracesProtobuf } from '../src/gateway/otlp/index.js';
import { proxySpans } from './b1-skip-path.js';
import { interleave, settle, timeSync } from './lib/interleave.js';
import { isMain, runAlone } from './lib/main.js';
import { ratioResult, rounded } from './lib/stats.js';
import type { BenchResult, Spread } from './lib/stats.js';

const GOAL = 0.5;
const BATCH = 512;

export async function runG1({ smoke }: { smoke: boolean }): Promise<BenchResult> {
  const batchCount = smoke ? 2 : 32;
  const rounds = smoke ? 2 : 9;
  // One measurement covers `passes` passes over every batch: tens of milliseconds, well above timer noise.
  const passes = smoke ? 1 : 4;
  const spans = proxySpans(batchCount * BATCH);
  const batches: ReadableSpan[][] = [];
  for (let i = 0; i < spans.length; i += BATCH) batches.push(spans.slice(i, i + BATCH));
  const bodies = batches.map((batch) => ProtobufTraceSerializer.serializeRequest(batch)!);
  let counted = 0;
  let kept = 0;
  let encoded = 0;

  const ours = (): number =>
    timeSync(() => {
      for (let p = 0; p < passes; p++) {
        for (const body of bodies) {
          const traces = decodeTracesProtobuf(body);
          counted += traces.spanCount;
          kept += traces.resourceSpans.length;
        }
      }
    }) / passes;
  const official = (): number =>
    timeSync(() => {
      for (let p = 0; p < passes; p++) {
        for (const batch of batches) encoded += ProtobufTraceSerializer.serializeRequest(batch)!.length;
      }
    }) / passes;

  // Warm-up: let the JIT see both sides before anything is measured.
  ours();
  official();
  counted = 0;
  kept = 0;
  const times = await interleave(rounds, {
    ours: async () => (await settle(), ours()),
    official: async () => (await settle(), official()),
  });
  const ratios = times.ours.map((t, i) => t / times.official[i]!);
  const perBatchUs = (ms: number[]): ReturnType<typeof rounded> => rounded(ms.map((t) => (t * 1000) / batchCount));
  const bytes = bodies.reduce((n, b) => n + b.length, 0);
  return {
    ...ratioResult(ratios, GOAL, 'max', 'time, decodeTracesProtobuf (skip) / ProtobufTraceSerializer.serializeRequest'),
    // Every span counted, none kept: the skip path ran, on requests that really were telemetry-free.
    valid: counted === rounds * passes * spans.length && kept === 0 && encoded > 0,
    spans_per_batch: BATCH,
    batches: batchCount,
    rounds,
    bytes_per_batch: Math.round(bytes / batchCount),
    ours_us_per_batch: perBatchUs(times.ours),
    official_us_per_batch: perBatchUs(times.official),
    ours_mb_per_s: rounded(times.ours.map((t) => bytes / 1e6 / (t / 1000))),
  };
}

if (isMain(import.meta.url)) {
  await runAlone(async (options) => {
    const r = await runG1(options);
    const line = (name: string, s: Spread): string => `${name}: min ${s.min} / median ${s.median} / max ${s.max}`;
    console.error(line('ours µs/batch', r.ours_us_per_batch as Spread));
    console.error(line('official µs/batch', r.official_us_per_batch as Spread));
    console.error(`${line('ratio', { min: r.ratio_min, median: r.ratio_median, max: r.ratio_max })} (goal ≤ ${GOAL})`);
    return r;
  });
}
