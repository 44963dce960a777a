/**
 * Issue 10 item 6, in the field: the register entry never breaks an app that has an OpenTelemetry SDK of its own.
 * (a) The app starts its own NodeSDK (BatchSpanProcessor → OTLP/HTTP to a loopback receiver) after
 *     `--import ./src/register.ts`; (b) another preload registers a NodeSDK before the register entry, as
 *     `--import @opentelemetry/auto-instrumentations-node/register` would. Either way: the app's exporter gets its
 *     spans, no "duplicate registration" errors, every telemetry event still reaches the Segment receiver exactly
 *     once, and one process warning says how to add Segment to the app's SDK.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startReceiver } from '../../src/testing.js';
import type { ReceivedMessage } from '../../src/testing.js';
import { killChildren, startChild } from '../helpers/children.js';
import type { ChildResult } from '../helpers/children.js';
import { startOtlpReceiver } from '../helpers/otlp-receiver.js';
import type { OtlpSpan } from '../helpers/otlp-receiver.js';

after(killChildren);

const KEY = 'field-coexistence-key';
const APP = 'test/fixtures/field-register-app.ts';
const N = 5;

const versions = (prefix: string): string[] => Array.from({ length: N }, (_, i) => `${prefix}-${i}`);
const ALL = [...versions('top'), ...versions('span'), ...versions('remote')].sort();

interface Run {
  result: ChildResult;
  messages: ReceivedMessage[];
  spans: OtlpSpan[];
}

async function runWith(nodeArgs: string[], env: Record<string, string> = {}): Promise<Run> {
  const segment = await startReceiver({ writeKey: KEY });
  const otlp = await startOtlpReceiver();
  try {
    const child = startChild(nodeArgs, {
      RS_SEGMENT_HOST: segment.url,
      RS_SEGMENT_WRITE_KEY: KEY,
      FIELD_OTLP_URL: otlp.tracesUrl,
      ...env,
    });
    const timer = setTimeout(() => child.process.kill('SIGKILL'), 60_000);
    const result = await child.result.finally(() => clearTimeout(timer));
    return { result, messages: [...segment.messages], spans: [...otlp.spans] };
  } finally {
    await segment.close();
    await otlp.close();
  }
}

function checkCoexistence(name: string, run: Run): string[] {
  const failures: string[] = [];
  const check = (what: string, fn: () => void): void => {
    try {
      fn();
    } catch (error) {
      failures.push(`${name}: ${what}: ${(error as Error).message.slice(0, 600)}`);
    }
  };
  const { result, messages, spans } = run;
  check('exit code', () => assert.equal(result.code, 0, result.stderr));
  check("the app's exporter gets the app's spans", () =>
    assert.deepEqual(
      spans
        .filter((s) => s.name.startsWith('app-work-'))
        .map((s) => s.name)
        .sort(),
      Array.from({ length: N }, (_, i) => `app-work-${i}`).sort(),
    ),
  );
  check("the app's spans carry their telemetry events", () =>
    assert.ok(
      spans.filter((s) => s.name.startsWith('app-work-')).every((s) => s.events.includes('adapter_start')),
      JSON.stringify(spans),
    ),
  );
  check('no duplicate registration', () => assert.doesNotMatch(result.stderr, /duplicate registration/i));
  check('every event once at Segment', () =>
    assert.deepEqual(
      messages.map((m) => String((m.body['properties'] as Record<string, unknown>)['adapter_version'])).sort(),
      ALL,
    ),
  );
  check('one message says how to add Segment to the app SDK', () => {
    assert.equal(result.stderr.split('[OTEL_SEGMENT_BRIDGE_SECOND_SDK]').length - 1, 1, result.stderr);
    assert.match(result.stderr, /createSegmentSpanProcessor/);
  });
  return failures;
}

test('(a) the app starts its own NodeSDK after --import register: its OTLP exporter gets its spans, Segment still gets every event once', async () => {
  const run = await runWith(['--import', 'tsx', '--import', './src/register.ts', APP, 'own-sdk-after', String(N)]);
  assert.deepEqual(checkCoexistence('app SDK after', run), []);
});

test('(b) an SDK preloaded before the register entry: the bridge starts none, the app keeps tracing, Segment still gets every event once', async () => {
  const run = await runWith([
    '--import',
    'tsx',
    '--import',
    './test/fixtures/field-preload-sdk.ts',
    '--import',
    './src/register.ts',
    APP,
    'record',
    String(N),
  ]);
  assert.deepEqual(checkCoexistence('SDK preloaded before', run), []);
});

const REGISTER = ['--import', 'tsx', '--import', './src/register.ts', APP];

test('(c) following the advice: the app adds createSegmentSpanProcessor() to its own SDK under --import register, sampler always_off: every event still once at Segment', async () => {
  const run = await runWith([...REGISTER, 'own-sdk-after-segment', String(N)], { OTEL_TRACES_SAMPLER: 'always_off' });
  assert.equal(run.result.code, 0, run.result.stderr);
  assert.deepEqual(
    run.messages.map((m) => String((m.body['properties'] as Record<string, unknown>)['adapter_version'])).sort(),
    ALL,
  );
});

test('(d) startTelemetry() in an app run under --import register, sampler always_off: every event once at Segment', async () => {
  const run = await runWith([...REGISTER, 'start-telemetry', String(N)], { OTEL_TRACES_SAMPLER: 'always_off' });
  assert.equal(run.result.code, 0, run.result.stderr);
  assert.equal(run.result.stderr.split('[OTEL_SEGMENT_BRIDGE_SECOND_SDK]').length - 1, 1, run.result.stderr);
  assert.deepEqual(
    run.messages.map((m) => String((m.body['properties'] as Record<string, unknown>)['adapter_version'])).sort(),
    ALL,
  );
});

test('(e) the app registers a NodeTracerProvider (provider.register()) after --import register: its OTLP exporter gets its spans, Segment every event once', async () => {
  const run = await runWith([...REGISTER, 'provider-after', String(N)]);
  assert.deepEqual(checkCoexistence('NodeTracerProvider after', run), []);
});

test('(f) events recorded before and after the app starts its own NodeSDK under --import register: each once at Segment', async () => {
  const run = await runWith([...REGISTER, 'record-then-own-sdk', String(N)]);
  assert.equal(run.result.code, 0, run.result.stderr);
  const before = ALL.map((v) => `before-${v}`);
  assert.deepEqual(
    run.messages.map((m) => String((m.body['properties'] as Record<string, unknown>)['adapter_version'])).sort(),
    [...before, ...ALL].sort(),
  );
  assert.equal(
    run.spans.filter((s) => s.name.startsWith('app-work-')).length,
    N,
    "the app's exporter gets the spans after its start",
  );
});

test('(g) events recorded inside spans of a private (never registered) tracer provider under --import register: each once at Segment', async () => {
  const run = await runWith([...REGISTER, 'unregistered-provider', String(N)]);
  assert.equal(run.result.code, 0, run.result.stderr);
  assert.deepEqual(
    run.messages.map((m) => String((m.body['properties'] as Record<string, unknown>)['adapter_version'])).sort(),
    Array.from({ length: N }, (_, i) => `own-${i}`).sort(),
  );
});
