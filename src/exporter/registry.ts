/**
 * What recordTelemetry needs to know about the bridge's exporters and processors in this process, kept on a
 * global symbol so the ESM and CommonJS builds share it:
 * - which spans a Segment span processor sees (it adds each span it is told about at start): an event on such a
 *   span reaches Segment through the span pipeline, whatever the sampler decided for the trace;
 * - the exporters that take events directly: an event on a span no exporter will see (sampled out) is handed to
 *   one exporter per destination (write key and URL), so two wirings of the same Segment source in one process
 *   send it once; an event on a sampled span of an SDK without the bridge's processor is handed to the
 *   standalone exporters (those the wiring runs beside an app's own SDK);
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

interface Registry {
  /** Every exporter, and whether it is standalone (in no span pipeline). */
  sinks: Map<DirectSink, boolean>;
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

function registry(): Registry {
  const store = globalThis as unknown as Record<symbol, Registry | undefined>;
  return (store[KEY] ??= {
    sinks: new Map(),
    seen: new WeakSet(),
    resource: undefined,
    dialect: undefined,
    early: [],
    noneComing: false,
  });
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
  state.sinks.set(sink, state.sinks.get(sink) ?? false);
  state.noneComing = false;
  const early = state.early.splice(0);
  for (const event of early) sink.deliverDirect(event, state.resource);
  return () => state.sinks.delete(sink);
}

/** Marks an exporter as standalone: the wiring runs it beside an SDK that has no Segment processor. */
export function markStandalone(sink: DirectSink): void {
  registry().sinks.set(sink, true);
}

/** True when some exporter runs standalone. */
export function hasStandaloneSink(): boolean {
  for (const standalone of registry().sinks.values()) if (standalone) return true;
  return false;
}

/** The number of exporters in the process (the wiring's advice depends on whether the app added its own). */
export function sinkCount(): number {
  return registry().sinks.size;
}

/** Tells the bridge that no exporter will come (the wiring starts none): recorded events are not kept. */
export function noExporterComing(): void {
  const state = registry();
  if (state.sinks.size > 0) return;
  state.noneComing = true;
  state.early.length = 0;
}

/** One sink per destination, a pipeline's own exporter before a standalone one. */
function chosenSinks(sinks: Map<DirectSink, boolean>, standaloneOnly: boolean): DirectSink[] {
  const byDestination = new Map<string, DirectSink>();
  for (const [sink, standalone] of sinks) {
    if (standaloneOnly && !standalone) continue;
    const chosen = byDestination.get(sink.destination);
    if (chosen === undefined || (sinks.get(chosen) === true && !standalone)) byDestination.set(sink.destination, sink);
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

/** The resource and dialect option known so far. */
export function knownResource(): { resource: Attributes | undefined; dialect: BackendDialect | undefined } {
  const state = registry();
  return { resource: state.resource, dialect: state.dialect };
}
