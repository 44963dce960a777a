/**
 * B3 recording hot path: `recordTelemetry('proxied_query', { proxied_query, db_backend })` of a query already
 * reported, inside an active span — what a proxy pays on every proxied query — against a bare `span.addEvent`
 * with the same, already anonymized attributes, both in an SDK with the bridge's span processor. Anonymization and the query id must come from a cache for the
 * ratio to stay low. Both sides add events to the same kind of spans (100 events each, below the SDK's event
 * limit of 128, so no event is dropped cheaply), made before the clock starts.
 */
import { context, trace } from '@opentelemetry/api';
import type { Attributes, Span } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { privatize } from '../src/exporter/privacy.js';
import { createSegmentSpanProcessor } from '../src/exporter/processor.js';
import { recordTelemetry } from '../src/record.js';
import { interleave, settle, timeSync } from './lib/interleave.js';
import { isMain, runAlone } from './lib/main.js';
import { RAW_QUERY } from './lib/payloads.js';
import { ratioResult, rounded } from './lib/stats.js';
import type { BenchResult } from './lib/stats.js';

const GOAL = 2;
const EVENTS_PER_SPAN = 100;

export async function runB3({ smoke }: { smoke: boolean }): Promise<BenchResult> {
  const ops = smoke ? 20_000 : 200_000;
  const rounds = smoke ? 2 : 7;
  const manager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(manager);
  // As in a proxy that runs the bridge: the SDK has the Segment processor (telemetry off here, so nothing is sent),
  // which marks the spans it sees; both sides use this provider.
  const provider = new BasicTracerProvider({
    spanProcessors: [createSegmentSpanProcessor({ disabled: true }, { env: {}, argv: [] })],
  });
  trace.setGlobalTracerProvider(provider);
  const tracer = provider.getTracer('readyset-adapter');

  const properties = { proxied_query: RAW_QUERY, db_backend: 'postgres' } as const;
  // What recordTelemetry puts on the span: the anonymized text, its query_id and the backend.
  const anonymized = privatize(properties, 'strict') as Attributes;
  recordTelemetry('proxied_query', properties); // reported once before: the bridge has it cached from here on

  const spans = (): Span[] =>
    Array.from({ length: Math.ceil(ops / EVENTS_PER_SPAN) }, () => tracer.startSpan('pg.query'));
  const run = (each: (span: Span) => void): number => {
    const pool = spans();
    const ms = timeSync(() => {
      for (const span of pool) {
        context.with(trace.setSpan(context.active(), span), () => {
          for (let i = 0; i < EVENTS_PER_SPAN; i++) each(span);
        });
      }
    });
    for (const span of pool) span.end();
    return ms;
  };
  const ours = (): number => run(() => recordTelemetry('proxied_query', properties));
  const bare = (): number => run((span) => span.addEvent('proxied_query', anonymized));

  ours();
  bare();
  const times = await interleave(rounds, {
    ours: async () => (await settle(), ours()),
    bare: async () => (await settle(), bare()),
  });
  const ratios = times.ours.map((t, i) => t / times.bare[i]!);
  const perOpNs = (ms: number[]): ReturnType<typeof rounded> => rounded(ms.map((t) => (t * 1e6) / ops));
  const checked = tracer.startSpan('check');
  context.with(trace.setSpan(context.active(), checked), () => recordTelemetry('proxied_query', properties));
  const recorded = (checked as unknown as { events: { attributes?: Attributes }[] }).events[0]?.attributes;
  checked.end();
  context.disable();
  trace.disable();
  return {
    ...ratioResult(ratios, GOAL, 'max', 'time per event, recordTelemetry / bare span.addEvent'),
    valid: JSON.stringify(recorded) === JSON.stringify(anonymized),
    events: ops,
    rounds,
    ours_ns_per_event: perOpNs(times.ours),
    bare_ns_per_event: perOpNs(times.bare),
  };
}

if (isMain(import.meta.url)) await runAlone(runB3);
