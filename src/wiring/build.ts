/**
 * A plan (plan.ts) → the span processors and resource the SDK starts with, from the app's SDK line
 * (sdk-modules.ts): sdk-trace-base 2.x takes `(exporter, config)`, sdk-trace 3.x takes `{ exporter, ...config }`.
 * Other exporters' failures are reported as theirs, named by the exporter, never as the bridge's.
 */
import type { Attributes } from '@opentelemetry/api';
import { SegmentSpanExporter } from '../exporter/exporter.js';
import { createSegmentSpanProcessor } from '../exporter/processor.js';
import type { SegmentSpanProcessor } from '../exporter/processor.js';
import type { Env } from '../exporter/settings.js';
import { log } from '../util/log.js';
import type { ExporterPlan, Plan } from './plan.js';
import type { SdkModules } from './sdk-modules.js';

/** The structural span processor every SDK line accepts. */
export interface AnySpanProcessor {
  onStart(span: never, context: never): void;
  onEnd(span: never): void;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

type ExporterClass = new (options?: Record<string, unknown>) => object;
type ProcessorClass = new (...args: unknown[]) => AnySpanProcessor;

interface TraceModule {
  BatchSpanProcessor: ProcessorClass;
  SimpleSpanProcessor: ProcessorClass;
  ConsoleSpanExporter: ExporterClass;
}

interface ResourcesModule {
  resourceFromAttributes(attributes: Attributes, options?: { schemaUrl?: string }): { merge(other: unknown): unknown };
  defaultResource(): { merge(other: unknown): unknown };
}

/** What the SDK is started with. */
export interface Built {
  spanProcessors: AnySpanProcessor[];
  /** The Segment processors among them (their exporters' stats). */
  segment: SegmentSpanProcessor[];
  /** Segment exporters that could not be built (a bad option in the file): the others start without them. */
  segmentProblems: string[];
  /** The resource from the file; undefined means the SDK's detectors. */
  resource: unknown;
}

function traceModule(sdk: SdkModules): TraceModule {
  return sdk.load<TraceModule>(sdk.line === 3 ? '@opentelemetry/sdk-trace' : '@opentelemetry/sdk-trace-base');
}

/** A processor around an exporter, in the constructor form of the app's SDK line. */
function processorFor(sdk: SdkModules, kind: 'batch' | 'simple', exporter: object, batching: object): AnySpanProcessor {
  const trace = traceModule(sdk);
  const Processor = kind === 'batch' ? trace.BatchSpanProcessor : trace.SimpleSpanProcessor;
  return sdk.line === 3 ? new Processor({ ...batching, exporter }) : new Processor(exporter, batching);
}

/** Wraps another exporter's processor so its failures are logged once, as that exporter's, and never thrown. */
function named(processor: AnySpanProcessor, name: string): AnySpanProcessor {
  const report = (what: string) => (error: unknown) => {
    log.warn(`${name}: ${what} failed: ${error instanceof Error ? error.message : String(error)}`);
  };
  return {
    onStart: (span, context) => processor.onStart(span, context),
    onEnd: (span) => processor.onEnd(span),
    forceFlush: () => processor.forceFlush().catch(report('flush')),
    shutdown: () => processor.shutdown().catch(report('shutdown')),
  };
}

function otherExporter(sdk: SdkModules, entry: Exclude<ExporterPlan, { kind: 'segment' }>): object {
  if (entry.kind === 'console') return new (traceModule(sdk).ConsoleSpanExporter)();
  const pkg =
    entry.encoding === 'json' ? '@opentelemetry/exporter-trace-otlp-http' : '@opentelemetry/exporter-trace-otlp-proto';
  const { OTLPTraceExporter } = sdk.load<{ OTLPTraceExporter: ExporterClass }>(pkg);
  // Without an endpoint the exporter reads OTEL_EXPORTER_OTLP_* (endpoint, headers, timeout, compression) itself.
  if (entry.endpoint === undefined) return new OTLPTraceExporter();
  return new OTLPTraceExporter({
    url: entry.endpoint,
    headers: entry.headers,
    timeoutMillis: entry.timeoutMillis,
    compression: entry.compression,
  });
}

/** Segment's processor: a bad option (say an unusable host from a file) throws, for the caller to report. */
function addSegment(
  built: Built,
  sdk: SdkModules,
  entry: Extract<ExporterPlan, { kind: 'segment' }>,
  env: Env,
  argv: readonly string[],
): void {
  const sources = { env, argv };
  if (entry.processor === 'batch') {
    const processor = createSegmentSpanProcessor({ ...entry.options, batching: entry.batching }, sources);
    built.segment.push(processor);
    built.spanProcessors.push(processor);
  } else {
    built.spanProcessors.push(processorFor(sdk, 'simple', new SegmentSpanExporter(entry.options, sources), {}));
  }
}

/** Builds the plan's processors; when another exporter cannot be built, stops those built and throws. */
export function build(plan: Plan, sdk: SdkModules, env: Env, argv: readonly string[]): Built {
  const built: Built = { spanProcessors: [], segment: [], segmentProblems: [], resource: undefined };
  try {
    for (const entry of plan.exporters) {
      if (entry.kind === 'segment') {
        try {
          addSegment(built, sdk, entry, env, argv);
        } catch (error) {
          built.segmentProblems.push(`${entry.where}: ${error instanceof Error ? error.message : String(error)}`);
        }
        continue;
      }
      const name = entry.kind === 'otlp' ? `otlp exporter (${entry.target})` : 'console exporter';
      built.spanProcessors.push(
        named(processorFor(sdk, entry.processor, otherExporter(sdk, entry), entry.batching), name),
      );
    }
  } catch (error) {
    for (const processor of built.spanProcessors) void processor.shutdown().catch(() => undefined);
    throw error;
  }
  if (plan.resource !== undefined) {
    const resources = sdk.load<ResourcesModule>('@opentelemetry/resources');
    const options = plan.schemaUrl === undefined ? {} : { schemaUrl: plan.schemaUrl };
    built.resource = resources.defaultResource().merge(resources.resourceFromAttributes(plan.resource, options));
  }
  return built;
}
