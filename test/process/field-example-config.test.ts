/**
 * Issue 10 item 8, in the field: the shipped otel-config.yaml, as a new user runs it under the register entry.
 * Without a collector (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT unset) it delivers to Segment, attempts no OTLP
 * connection, prints no ECONNREFUSED and exits promptly; with the endpoint set to a live collector the collector
 * gets the spans; with it set to a dead one, the failure is reported as the OTLP exporter's, never the bridge's,
 * and Segment still gets every event. Connections are watched by test/fixtures/field-net-spy.ts.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { startReceiver } from '../../src/testing.js';
import { killChildren, REGISTER_FROM_SOURCE, startChild } from '../helpers/children.js';
import type { ChildResult } from '../helpers/children.js';
import { startOtlpReceiver } from '../helpers/otlp-receiver.js';

after(killChildren);

const KEY = 'field-example-key';
const APP = ['test/fixtures/field-register-app.ts', 'record', '1'];
const EVENTS = ['remote-0', 'span-0', 'top-0'];

async function runExample(
  env: Record<string, string>,
  file: Record<string, string> = { OTEL_CONFIG_FILE: 'otel-config.yaml' },
): Promise<ChildResult & { millis: number }> {
  const started = Date.now();
  const child = startChild(
    ['--import', 'tsx', '--import', './test/fixtures/field-net-spy.ts', ...REGISTER_FROM_SOURCE, ...APP],
    { ...file, ...env },
  );
  const timer = setTimeout(() => child.process.kill('SIGKILL'), 60_000);
  const result = await child.result.finally(() => clearTimeout(timer));
  return { ...result, millis: Date.now() - started };
}

const connections = (stderr: string): string[] =>
  [...stderr.matchAll(/^field-net-spy connect (.+)$/gm)]
    .map((m) => m[1] ?? '')
    .filter((target) => !target.startsWith('/'));

const versionsOf = (messages: { body: Record<string, unknown> }[]): string[] =>
  messages.map((m) => String((m.body['properties'] as Record<string, unknown>)['adapter_version'])).sort();

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Assertions that all run, their failures collected (one run of the app answers several questions). */
function softChecks(): { failures: string[]; check: (what: string, fn: () => void) => void } {
  const failures: string[] = [];
  const check = (what: string, fn: () => void): void => {
    try {
      fn();
    } catch (error) {
      failures.push(`${what}: ${(error as Error).message.slice(0, 800)}`);
    }
  };
  return { failures, check };
}
test('otel-config.yaml without a collector: Segment gets the events, no OTLP connection, no ECONNREFUSED, exit well under 8 s', async () => {
  const segment = await startReceiver({ writeKey: KEY });
  const otlp = await startOtlpReceiver();
  const dead = await closedPort();
  try {
    const [baseline, alone, withCollector, deadCollector] = await Promise.all([
      // The same app with Segment alone from the environment: what "prompt" means on this machine right now.
      runExample({ RS_SEGMENT_HOST: segment.url, RS_SEGMENT_WRITE_KEY: KEY }, { OTEL_TRACES_EXPORTER: 'segment' }),
      runExample({ RS_SEGMENT_HOST: segment.url, RS_SEGMENT_WRITE_KEY: KEY }),
      runExample({
        RS_SEGMENT_HOST: segment.url,
        RS_SEGMENT_WRITE_KEY: KEY,
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: otlp.tracesUrl,
      }),
      runExample({
        RS_SEGMENT_HOST: segment.url,
        RS_SEGMENT_WRITE_KEY: KEY,
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `http://127.0.0.1:${dead}/v1/traces`,
      }),
    ]);
    const { failures, check } = softChecks();
    check('no collector: exit 0', () => assert.equal(alone.code, 0, alone.stderr));
    check('no collector: connections only to the Segment receiver', () =>
      assert.deepEqual([...new Set(connections(alone.stderr))], [`127.0.0.1:${segment.port}`]),
    );
    check('no collector: nothing blamed', () => assert.doesNotMatch(alone.stderr, /ECONNREFUSED|shutdown failed|4318/));
    // The issue saw 8-10 s (OTLP retries to localhost:4318); a shared test machine makes absolute times noisy, so
    // the bound is relative to the baseline run: at most 4 s more, and under 8 s whenever the baseline is under 5 s.
    check('no collector: prompt exit', () => {
      assert.ok(alone.millis < baseline.millis + 4000, `took ${alone.millis} ms, baseline ${baseline.millis} ms`);
      if (baseline.millis < 5000) assert.ok(alone.millis < 8000, `took ${alone.millis} ms`);
    });
    check('live collector: exit 0', () => assert.equal(withCollector.code, 0, withCollector.stderr));
    check('live collector: the collector gets the telemetry spans', () =>
      assert.equal(
        otlp.spans.flatMap((s) => s.events).filter((e) => e === 'adapter_start').length,
        3,
        JSON.stringify(otlp.spans),
      ),
    );
    check('dead collector: exit 0', () => assert.equal(deadCollector.code, 0, deadCollector.stderr));
    check("dead collector: the failure is the OTLP exporter's", () => {
      assert.match(deadCollector.stderr, /otlp exporter \(http:\/\/127\.0\.0\.1:\d+\/v1\/traces\)/);
      assert.doesNotMatch(deadCollector.stderr, /otel-segment-bridge shutdown failed/);
      assert.doesNotMatch(deadCollector.stderr, /^\s+at /m, 'no stack trace');
    });
    check('Segment got every event of each run once', () =>
      assert.deepEqual(versionsOf(segment.messages), [...EVENTS, ...EVENTS, ...EVENTS, ...EVENTS].sort()),
    );
    assert.deepEqual(failures, []);
    // Not asserted (the issue names no bound for it): how long a run with a dead collector takes to exit.
    process.stdout.write(
      `# baseline ${baseline.millis} ms, no collector ${alone.millis} ms, dead collector ${deadCollector.millis} ms\n`,
    );
  } finally {
    await segment.close();
    await otlp.close();
  }
});

test('otel-config.yaml with an unusable RS_SEGMENT_HOST: Segment stops with one INVALID_HOST warning, the OTLP exporter keeps working, status lists what really starts', async () => {
  const otlp = await startOtlpReceiver();
  const env = {
    RS_SEGMENT_HOST: 'ftp://127.0.0.1:1',
    RS_SEGMENT_WRITE_KEY: KEY,
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: otlp.tracesUrl,
  };
  try {
    const result = await runExample(env);
    const lines: string[] = [];
    const { runStatus } = await import('../../src/cli/status.js');
    const code = runStatus(
      [],
      (line) => lines.push(line),
      { XDG_CONFIG_HOME: '/nonexistent-field', OTEL_CONFIG_FILE: 'otel-config.yaml', ...env },
      [],
    );
    const { failures, check } = softChecks();
    check('exit 0', () => assert.equal(result.code, 0, result.stderr));
    check("the OTLP exporter (another exporter) still gets the app's spans", () =>
      assert.equal(otlp.spans.flatMap((s) => s.events).filter((e) => e === 'adapter_start').length, 3, result.stderr),
    );
    check('one INVALID_HOST process warning', () =>
      assert.equal(result.stderr.split('[OTEL_SEGMENT_BRIDGE_INVALID_HOST]').length - 1, 1, result.stderr),
    );
    check('no connection but the OTLP receiver', () =>
      assert.deepEqual([...new Set(connections(result.stderr))], [`127.0.0.1:${new URL(otlp.url).port}`]),
    );
    check('status: misconfigured', () => assert.equal(code, 3));
    check('status lists otlp as starting, and it did', () =>
      assert.match(lines.join('\n'), /Exporters: .*otlp \(http\/protobuf/),
    );
    assert.deepEqual(failures, []);
  } finally {
    await otlp.close();
  }
});
