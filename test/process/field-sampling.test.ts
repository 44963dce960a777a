/**
 * Issue 10 item 1, in the field: every recordTelemetry event reaches Segment exactly once whatever sampler runs,
 * and still appears in the app's own trace pipeline wherever its span is sampled. Each case is a child process
 * (under the register entry, or an app with its own SDK) against a loopback Segment receiver and, where the
 * trace pipeline is OTLP, a loopback OTLP receiver; the assertions are on what those receivers got.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startReceiver } from '../../src/testing.js';
import type { ReceivedMessage } from '../../src/testing.js';
import { killChildren, runFixture, startChild, REGISTER_FROM_SOURCE } from '../helpers/children.js';
import { startOtlpReceiver } from '../helpers/otlp-receiver.js';

after(killChildren);

const KEY = 'field-sampling-key';
const APP = 'test/fixtures/field-register-app.ts';
const OWN = 'test/fixtures/field-own-sdk.ts';

const versions = (prefix: string, n = 10): string[] => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

/** adapter_version of every message, sorted; the test compares it to the expected list, so a duplicate or a loss shows. */
function sentVersions(messages: ReceivedMessage[]): string[] {
  return messages.map((m) => String((m.body['properties'] as Record<string, unknown>)['adapter_version'])).sort();
}

function assertOncePerEvent(messages: ReceivedMessage[], expected: string[], context: string): void {
  assert.deepEqual(sentVersions(messages), [...expected].sort(), `${context}: each event exactly once at Segment`);
  assert.deepEqual(
    messages.flatMap((m) => m.errors),
    [],
    `${context}: schema-valid messages`,
  );
  assert.equal(
    new Set(messages.map((m) => m.body['messageId'])).size,
    messages.length,
    `${context}: distinct messageIds`,
  );
}

function withTimeout<T>(work: Promise<T>, millis: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no result in ${millis} ms`)), millis)),
  );
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

interface RegisterCase {
  name: string;
  sampler: Record<string, string>;
  /** How many of the 30 events the OTLP pipeline gets: exact, or a range for a ratio sampler. */
  otlp: [number, number];
}

const REGISTER_CASES: RegisterCase[] = [
  {
    name: 'traceidratio 0.1',
    sampler: { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' },
    otlp: [0, 30],
  },
  {
    name: 'traceidratio 0',
    sampler: { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' },
    otlp: [0, 0],
  },
  { name: 'always_off', sampler: { OTEL_TRACES_SAMPLER: 'always_off' }, otlp: [0, 0] },
  {
    name: 'parentbased_traceidratio 0',
    sampler: { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' },
    otlp: [0, 0],
  },
  // Control: the default sampler samples every root span; an event recorded under an unsampled remote parent goes
  // on a root span of its own (recordTelemetry's rule for a non-recording active span), so OTLP gets all 30.
  { name: 'the default sampler (parentbased_always_on)', sampler: {}, otlp: [30, 30] },
];

test('register entry, OTEL_TRACES_EXPORTER=segment,otlp: every event exactly once at Segment under each sampler; OTLP gets the sampled ones', async () => {
  const results = await Promise.all(
    REGISTER_CASES.map(async (c) => {
      const segment = await startReceiver({ writeKey: KEY });
      const otlp = await startOtlpReceiver();
      try {
        const child = startChild([...REGISTER_FROM_SOURCE, APP, 'record', '10'], {
          RS_SEGMENT_HOST: segment.url,
          RS_SEGMENT_WRITE_KEY: KEY,
          OTEL_TRACES_EXPORTER: 'segment,otlp',
          OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
          OTEL_RESOURCE_ATTRIBUTES: 'readyset.server_version=9.9.9',
          ...c.sampler,
        });
        const result = await withTimeout(child.result, 60_000, c.name);
        return { c, result, messages: [...segment.messages], spans: [...otlp.spans] };
      } finally {
        await segment.close();
        await otlp.close();
      }
    }),
  );
  const failures: string[] = [];
  for (const { c, result, messages, spans } of results) {
    try {
      assert.equal(result.code, 0, `${c.name}: ${result.stderr}`);
      assertOncePerEvent(messages, [...versions('top'), ...versions('span'), ...versions('remote')], c.name);
      const serverVersions = messages.map((m) => (m.body['properties'] as Record<string, unknown>)['server_version']);
      assert.ok(
        serverVersions.every((v) => v === '9.9.9'),
        `${c.name}: the resource's properties on every message, sampled or not: ${serverVersions.join()}`,
      );
      const otlpEvents = spans.flatMap((s) => s.events).filter((e) => e === 'adapter_start').length;
      assert.ok(
        otlpEvents >= c.otlp[0] && otlpEvents <= c.otlp[1],
        `${c.name}: OTLP got ${otlpEvents} telemetry events, expected ${c.otlp.join('..')}`,
      );
    } catch (error) {
      failures.push((error as Error).message);
    }
  }
  assert.deepEqual(failures, []);
});

interface OwnResult {
  spans: { name: string; events: { name: string; adapter_version: string; delivered: boolean }[] }[];
}

async function runOwn(args: string[]): Promise<{ messages: ReceivedMessage[]; app: OwnResult; stderr: string }> {
  const segment = await startReceiver({ writeKey: KEY });
  try {
    const result = await runFixture(OWN, { RS_SEGMENT_HOST: segment.url, RS_SEGMENT_WRITE_KEY: KEY }, args, 60_000);
    assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
    const line = result.stdout.split('\n').find((l) => l.startsWith('RESULT '));
    assert.ok(line !== undefined, result.stdout + result.stderr);
    return { messages: [...segment.messages], app: JSON.parse(line.slice(7)) as OwnResult, stderr: result.stderr };
  } finally {
    await segment.close();
  }
}

const ALL_OWN = [...versions('top'), ...versions('span')];

test("the app's own SDK with TraceIdRatioBasedSampler(0): every event exactly once at Segment (BasicTracerProvider and NodeSDK; createSegmentSpanProcessor and a plain BatchSpanProcessor)", async () => {
  const setups = [
    ['basic', 'processor', 'ratio0'],
    ['basic', 'batch', 'ratio0'],
    ['node', 'processor', 'ratio0'],
  ];
  const runs = await Promise.all(setups.map(async (args) => ({ args, run: await runOwn(args) })));
  const failures: string[] = [];
  for (const { args, run } of runs) {
    try {
      assertOncePerEvent(run.messages, ALL_OWN, args.join(' '));
      assert.deepEqual(run.app.spans, [], `${args.join(' ')}: nothing sampled, nothing in the app's pipeline`);
    } catch (error) {
      failures.push((error as Error).message);
    }
  }
  assert.deepEqual(failures, []);
});

test("a sampler that samples some app spans: Segment gets every event once, the app's pipeline exactly the sampled spans' events, unmarked", async () => {
  const setups = [
    ['basic', 'processor', 'alternate'],
    ['basic', 'batch', 'alternate'],
    ['node', 'batch', 'parent-unsampled'],
  ];
  const runs = await Promise.all(setups.map(async (args) => ({ args, run: await runOwn(args) })));
  const failures: string[] = [];
  for (const { args, run } of runs) {
    try {
      assertOncePerEvent(run.messages, ALL_OWN, args.join(' '));
      // alternate: only work-<even> is sampled (readyset.telemetry spans are not recorded at all);
      // parent-unsampled: the app spans are not, but each event goes on a sampled root span of its own.
      const expected = args[2] === 'alternate' ? [0, 2, 4, 6, 8].map((i) => `span-${i}`) : ALL_OWN;
      const inApp = run.app.spans.flatMap((s) => s.events);
      assert.deepEqual(
        inApp.map((e) => e.adapter_version).sort(),
        [...expected].sort(),
        `${args.join(' ')}: the app's pipeline got the sampled spans' events`,
      );
      assert.ok(
        inApp.every((e) => e.name === 'adapter_start' && !e.delivered),
        `${args.join(' ')}: unmarked events in the app's pipeline`,
      );
    } catch (error) {
      failures.push((error as Error).message);
    }
  }
  assert.deepEqual(failures, []);
});

test("the configuration file's simple processor under always_off: every event once, with the file's resource properties", async () => {
  const segment = await startReceiver({ writeKey: KEY });
  try {
    const child = startChild([...REGISTER_FROM_SOURCE, APP, 'record', '3'], {
      OTEL_CONFIG_FILE: 'test/fixtures/config/resource-section.yaml',
      TEST_WRITE_KEY: KEY,
      TEST_SEGMENT_HOST: segment.url,
      OTEL_TRACES_SAMPLER: 'always_off',
    });
    const result = await withTimeout(child.result, 60_000, 'config file');
    assert.equal(result.code, 0, result.stderr);
    assertOncePerEvent(
      segment.messages,
      [...versions('top', 3), ...versions('span', 3), ...versions('remote', 3)],
      'config file, always_off',
    );
    for (const m of segment.messages) {
      const properties = m.body['properties'] as Record<string, unknown>;
      assert.deepEqual([properties['server_version'], properties['deployment_env']], ['2.0.1', 'installer_compose']);
    }
  } finally {
    await segment.close();
  }
});

test('a long-running server under always_off, ended by SIGTERM: its events reach Segment once, and it ends with the signal', async () => {
  const segment = await startReceiver({ writeKey: KEY });
  try {
    const child = startChild([...REGISTER_FROM_SOURCE, 'test/fixtures/register-app.ts', '--wait'], {
      RS_SEGMENT_HOST: segment.url,
      RS_SEGMENT_WRITE_KEY: KEY,
      OTEL_TRACES_SAMPLER: 'always_off',
    });
    await withTimeout(child.printed('ready'), 60_000, 'server start');
    child.process.kill('SIGTERM');
    const result = await withTimeout(child.result, 60_000, 'server stop');
    assert.equal(result.signal, 'SIGTERM', result.stderr);
    assert.deepEqual(segment.messages.map((m) => m.body['event']).sort(), ['deployment_started', 'installer_run']);
  } finally {
    await segment.close();
  }
});

test('an installer under always_off that ends with process.exit(0): its last event still reaches Segment, once', async () => {
  const segment = await startReceiver({ writeKey: KEY });
  try {
    const child = startChild([...REGISTER_FROM_SOURCE, 'test/fixtures/exit-app.ts', 'register'], {
      RS_SEGMENT_HOST: segment.url,
      RS_SEGMENT_WRITE_KEY: KEY,
      OTEL_TRACES_SAMPLER: 'always_off',
    });
    const result = await withTimeout(child.result, 60_000, 'installer');
    assert.equal(result.code, 0, result.stderr);
    // Delivered by the detached rescue process after the installer has gone.
    await segment.waitForMessages(1, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.deepEqual(
      segment.messages.map((m) => m.body['event']),
      ['installer_finished'],
    );
  } finally {
    await segment.close();
  }
});
