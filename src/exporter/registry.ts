/**
 * What recordTelemetry needs to know about the bridge's exporters and processors in this process, kept on a
 * global symbol so the ESM and CommonJS builds share it:
 * - which spans a Segment span processor sees (it adds each span it is told about at start): an event on such a
 *   span reaches Segment through the span pipeline, whatever the sampler decided for the trace;
 * - the exporters that take events directly: an event on a span no exporter will see (sampled out) is handed to
 *   every exporter, once, so sampling never loses telemetry; an event on a sampled span of an SDK without the
 *   bridge's processor is handed to the standalone exporters (those the wiring runs beside an app's own SDK);
 * - the resource the SDK runs with, for the dialect decision (readyset.db_backend) and static properties.
 */
import type { Attributes } from '@opentelemetry/api';
import type { BackendDialect, SpanEventLike } from './types.js';

/** An exporter that takes telemetry events that no Segment span processor will see. */
export interface DirectSink {
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
}

/** Events kept for an exporter that does not exist yet, at most. */
const EARLY_EVENTS_MAX = 256;

const KEY = Symbol.for('otel-segment-bridge.registry');

function registry(): Registry {
  const store = globalThis as unknown as Record<symbol, Registry | undefined>;
  return (store[KEY] ??= { sinks: new Map(), seen: new WeakSet(), resource: undefined, dialect: undefined, early: [] });
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

/**
 * Hands an event to every exporter (or, with `standaloneOnly`, to the standalone ones); with no exporter yet,
 * keeps it, bounded, for the first one. False when it was refused.
 */
export function deliverDirect(event: SpanEventLike, standaloneOnly = false): boolean {
  const state = registry();
  if (state.sinks.size === 0) {
    if (state.early.length >= EARLY_EVENTS_MAX) return false;
    state.early.push(event);
    return true;
  }
  for (const [sink, standalone] of state.sinks) if (standalone || !standaloneOnly) sink.deliverDirect(event, state.resource);
  return true;
}

/** Tells the bridge the resource the SDK runs with (the first one wins; wiring paths know it before any span). */
export function noteResource(attributes: Attributes, dialect?: BackendDialect): void {
  const state = registry();
  state.resource ??= attributes;
  state.dialect ??= dialect;
}

/** The resource and dialect option known so far. */
export function knownResource(): { resource: Attributes | undefined; dialect: BackendDialect | undefined } {
  const state = registry();
  return { resource: state.resource, dialect: state.dialect };
}
