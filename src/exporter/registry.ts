/**
 * What recordTelemetry needs to know about the bridge's exporters and processors in this process, kept on a
 * global symbol so the ESM and CommonJS builds share it:
 * - which spans a Segment span processor sees (it adds each span it is told about at start): an event on such a
 *   span reaches Segment through the span pipeline, whatever the sampler decided for the trace;
 * - the exporters that take events directly, and how each is used: inside a SegmentSpanProcessor (which marks the
 *   spans it sees), bare (perhaps inside a plain BatchSpanProcessor, which marks nothing), or standalone (the
 *   wiring runs it beside an app's own SDK). An event on a span no Segment pipeline will export is handed to one
 *   exporter per destination (write key and URL), so two wirings of one Segment source send it once;
 * - the resource the SDK runs with and the `dialect` option, for the one dialect decision (privacy.ts).
 */
import type { Attributes } from '@opentelemetry/api';
import type { BackendDialect, SpanEventLike } from './types.js';

/** An exporter that takes telemetry events that no Segment span processor will see. */
export interface DirectSink {
  /** Where its events go (a digest of the write key and the URL): one sink per destination gets each event. */
  readonly destination: string;
  deliverDirect(event: SpanEventLike, resource: Attributes | undefined): void;
}

/** How an exporter is used (see the header). */
type SinkKind = 'processor' | 'bare' | 'standalone';

interface Registry {
  /** Every exporter, and how it is used. */
  sinks: Map<DirectSink, SinkKind>;
  seen: WeakSet<object>;
  resource: Attributes | undefined;
  dialect: BackendDialect | undefined;
  /** Events recorded before any exporter existed (e.g. before the SDK started), delivered to the first one. */
  early: SpanEventLike[];
  /** Set by the wiring when no exporter will ever come (telemetry off, or no Segment exporter chosen). */
  noneComing: boolean;
}

/** Events kept for an exporter that does not exist yet, at most. */
const EARLY_EVENTS_MAX = 256;

const KEY = Symbol.for('otel-segment-bridge.registry');

const shared: Registry = ((globalThis as unknown as Record<symbol, Registry | undefined>)[KEY] ??= {
  sinks: new Map(),
  seen: new WeakSet(),
  resource: undefined,
  dialect: undefined,
  early: [],
  noneComing: false,
});

// One object per process, made by whichever build loaded first; looked up once (recordTelemetry is a hot path).
function registry(): Registry {
  return shared;
}

/** Marks a span as one a Segment span processor will export. */
export function markSeen(span: object): void {
  registry().seen.add(span);
}

/** True when a Segment span processor will export this span. */
export function isSeen(span: object): boolean {
  return registry().seen.has(span);
}

/** Adds an exporter for direct events; hands it what was recorded before. Returns the removal function. */
export function addDirectSink(sink: DirectSink): () => void {
  const state = registry();
  state.sinks.set(sink, state.sinks.get(sink) ?? 'bare');
  state.noneComing = false;
  const early = state.early.splice(0);
  for (const event of early) sink.deliverDirect(event, state.resource);
  return () => state.sinks.delete(sink);
}

/** Marks an exporter as standalone: the wiring runs it beside an SDK that has no Segment processor. */
export function markStandalone(sink: DirectSink): void {
  registry().sinks.set(sink, 'standalone');
}

/** Marks an exporter as the one of a SegmentSpanProcessor (unless the wiring made it standalone). */
export function markInProcessor(sink: DirectSink): void {
  const sinks = registry().sinks;
  if (sinks.get(sink) !== 'standalone') sinks.set(sink, 'processor');
}

/** True when some exporter is of the kind given. */
export function hasSink(kind: SinkKind): boolean {
  for (const each of registry().sinks.values()) if (each === kind) return true;
  return false;
}

/** The number of exporters in the process (the wiring's advice depends on whether the app added its own). */
export function sinkCount(): number {
  return registry().sinks.size;
}

/** Tells the bridge that no exporter will come (telemetry is off): recorded events are not kept. */
export function noExporterComing(): void {
  const state = registry();
  if (state.sinks.size > 0) return;
  state.noneComing = true;
  state.early.length = 0;
}

/** One sink per destination, a pipeline's own exporter before a standalone one. */
function chosenSinks(sinks: Map<DirectSink, SinkKind>, standaloneOnly: boolean): DirectSink[] {
  const byDestination = new Map<string, DirectSink>();
  for (const [sink, kind] of sinks) {
    const standalone = kind === 'standalone';
    if (standaloneOnly && !standalone) continue;
    const chosen = byDestination.get(sink.destination);
    if (chosen === undefined || (sinks.get(chosen) === 'standalone' && !standalone))
      byDestination.set(sink.destination, sink);
  }
  return [...byDestination.values()];
}

/**
 * Hands an event to one exporter per destination (or, with `standaloneOnly`, among the standalone ones); with no
 * exporter yet, keeps it, bounded, for the first one (unless the wiring said none will come: then it is dropped,
 * as telemetry is off). False only when the bound refused it.
 */
export function deliverDirect(event: SpanEventLike, standaloneOnly = false): boolean {
  const state = registry();
  if (state.sinks.size === 0) {
    if (state.noneComing) return true;
    if (state.early.length >= EARLY_EVENTS_MAX) return false;
    state.early.push(event);
    return true;
  }
  for (const sink of chosenSinks(state.sinks, standaloneOnly)) sink.deliverDirect(event, state.resource);
  return true;
}

/** Tells the bridge the resource the SDK runs with (the first one wins; wiring paths know it before any span). */
export function noteResource(attributes: Attributes): void {
  registry().resource ??= attributes;
}

/** Tells the bridge the `dialect` option of an exporter (the first one wins). */
export function noteDialect(dialect: BackendDialect | undefined): void {
  registry().dialect ??= dialect;
}

/** The dialect SQL is read in when the event names no db_backend: the resource's, else the option's, else strict. */
export function knownDialect(): 'mysql' | 'postgres' | undefined {
  const backend = shared.resource?.['readyset.db_backend'];
  return backend === 'mysql' || backend === 'postgres' ? backend : shared.dialect;
}
