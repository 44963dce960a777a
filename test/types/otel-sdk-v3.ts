/**
 * The OpenTelemetry JS 3.x (sdk-trace 3.1 / core 3.1) declarations SegmentSpanExporter must satisfy, copied
 * from those packages' .d.mts files, so that `npm run typecheck` (the repository's dev tree is the 2.x line) catches
 * a break at once. The enum is declared anew, as in a separate package. The authoritative check is against the real
 * 3.x declarations, installed: test/package/otel-v3.test.ts runs tsc on a program using the packed package with
 * sdk-trace 3.1 and sdk-node 0.301 (both BatchSpanProcessor forms, createSegmentSpanProcessor in NodeSDK).
 */
import type { Attributes, HrTime, Link, SpanContext, SpanKind, SpanStatus } from '@opentelemetry/api';

export declare enum ExportResultCode {
  SUCCESS = 0,
  FAILED = 1,
}
export interface ExportResult {
  code: ExportResultCode;
  error?: Error;
}
export interface TimedEvent {
  time: HrTime;
  name: string;
  attributes?: Attributes;
  droppedAttributesCount?: number;
}
export interface Resource {
  readonly asyncAttributesPending?: boolean;
  readonly attributes: Attributes;
}
export interface InstrumentationScope {
  readonly name: string;
  readonly version?: string;
  readonly schemaUrl?: string;
}
export interface ReadableSpan {
  readonly name: string;
  readonly kind: SpanKind;
  readonly spanContext: () => SpanContext;
  readonly parentSpanContext?: SpanContext;
  readonly startTime: HrTime;
  readonly endTime: HrTime;
  readonly status: SpanStatus;
  readonly attributes: Attributes;
  readonly links: Link[];
  readonly events: TimedEvent[];
  readonly duration: HrTime;
  readonly ended: boolean;
  readonly resource: Resource;
  readonly instrumentationScope: InstrumentationScope;
  readonly droppedAttributesCount: number;
  readonly droppedEventsCount: number;
  readonly droppedLinksCount: number;
}
export interface SpanExporter {
  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
  forceFlush?(): Promise<void>;
}
