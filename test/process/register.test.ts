/**
 * The register entry under OTEL_TRACES_EXPORTER, end to end: an application runs in a child process under
 * `--import ./src/register.ts`, and the test asserts on what a loopback Segment receiver and a loopback OTLP
 * receiver got. The application ends by itself, so everything it delivers has arrived when it has exited.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startReceiver } from '../../src/index.js';
import type { ReceivedMessage } from '../../src/index.js';
import { killChildren, REGISTER_FROM_SOURCE, runUnderRegister, startChild } from '../helpers/children.js';
import { startOtlpReceiver } from '../helpers/otlp-receiver.js';
import type { OtlpSpan } from '../helpers/otlp-receiver.js';

const APP = 'test/fixtures/register-app.ts';
const EVENTS = ['deployment_started', 'installer_run'];
const KEY = 'register-key';

after(killChildren);

interface Received {
  messages: ReceivedMessage[];
  segmentRequests: number;
  spans: OtlpSpan[];
  otlpContentTypes: string[];
}

/** Runs the app under the register entry with `env`, against fresh receivers; returns what they got. */
async function runApp(env: Record<string, string>): Promise<Received> {
  const segment = await startReceiver({ writeKey: KEY });
  const otlp = await startOtlpReceiver();
  try {
    const result = await runUnderRegister(APP, {
      RS_SEGMENT_HOST: segment.url,
      RS_SEGMENT_WRITE_KEY: KEY,
      OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
      ...env,
    });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /recorded/);
    return {
      messages: segment.messages,
      segmentRequests: segment.requests(),
      spans: otlp.spans,
      otlpContentTypes: otlp.contentTypes,
    };
  } finally {
    await segment.close();
    await otlp.close();
  }
}

const eventsOf = (messages: ReceivedMessage[]): unknown[] => messages.map((m) => m.body['event']).sort();
const spanEventsOf = (spans: OtlpSpan[]): string[] => spans.flatMap((span) => span.events).sort();

test('OTEL_TRACES_EXPORTER=segment,otlp: both receive the events (OTLP over http/protobuf, the default)', async () => {
  const got = await runApp({ OTEL_TRACES_EXPORTER: 'segment,otlp' });
  assert.deepEqual(eventsOf(got.messages), EVENTS);
  assert.deepEqual(
    got.messages.flatMap((m) => m.errors),
    [],
  );
  assert.deepEqual(spanEventsOf(got.spans), EVENTS);
  assert.ok(
    got.otlpContentTypes.every((type) => type.includes('protobuf')),
    got.otlpContentTypes.join(),
  );
});

test('otlp honours OTEL_EXPORTER_OTLP_PROTOCOL=http/json', async () => {
  const got = await runApp({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' });
  assert.deepEqual(spanEventsOf(got.spans), EVENTS);
  assert.ok(got.otlpContentTypes.length > 0 && got.otlpContentTypes.every((type) => type.includes('json')));
});

test('OTEL_TRACES_EXPORTER=otlp alone: the Segment receiver gets nothing', async () => {
  const got = await runApp({ OTEL_TRACES_EXPORTER: 'otlp' });
  assert.deepEqual(spanEventsOf(got.spans), EVENTS);
  assert.equal(got.segmentRequests, 0);
});

test('OTEL_TRACES_EXPORTER=none: nothing anywhere', async () => {
  const got = await runApp({ OTEL_TRACES_EXPORTER: 'none' });
  assert.equal(got.segmentRequests, 0);
  assert.equal(got.otlpContentTypes.length, 0);
});

test('OTEL_TRACES_EXPORTER unset means segment alone', async () => {
  const got = await runApp({});
  assert.deepEqual(eventsOf(got.messages), EVENTS);
  assert.equal(got.otlpContentTypes.length, 0);
});

for (const optOut of [{ DO_NOT_TRACK: '1' }, { DISABLE_TELEMETRY: 'true' }] as Record<string, string>[]) {
  test(`opting out (${Object.keys(optOut)[0]}) turns off Segment only: OTLP keeps receiving`, async () => {
    const got = await runApp({ OTEL_TRACES_EXPORTER: 'segment,otlp', ...optOut });
    assert.equal(got.segmentRequests, 0);
    assert.deepEqual(spanEventsOf(got.spans), EVENTS);
  });
}

test('OTEL_RESOURCE_ATTRIBUTES reach every Track message that lacks those properties', async () => {
  const got = await runApp({ OTEL_RESOURCE_ATTRIBUTES: 'readyset.server_version=1.2.3,readyset.deployment_env=helm' });
  const byEvent = new Map(got.messages.map((m) => [m.body['event'], m.body['properties']]));
  assert.deepEqual(byEvent.get('installer_run'), { server_version: '1.2.3', deployment_env: 'helm' });
  // The event's own property wins over the resource's.
  assert.deepEqual(byEvent.get('deployment_started'), { server_version: '1.2.3', deployment_env: 'eks' });
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`on ${signal} the last events are delivered and the process still ends by the signal`, async () => {
    const segment = await startReceiver({ writeKey: KEY });
    try {
      const child = startChild([...REGISTER_FROM_SOURCE, APP, '--wait'], {
        RS_SEGMENT_HOST: segment.url,
        RS_SEGMENT_WRITE_KEY: KEY,
      });
      await child.printed('ready');
      child.process.kill(signal);
      const result = await child.result;
      assert.equal(result.signal, signal, result.stderr);
      assert.deepEqual(eventsOf(segment.messages), EVENTS);
    } finally {
      await segment.close();
    }
  });
}

test('an application with its own SIGTERM handler decides how it ends', async () => {
  const segment = await startReceiver({ writeKey: KEY });
  try {
    const child = startChild([...REGISTER_FROM_SOURCE, APP, '--wait', '--own-handler'], {
      RS_SEGMENT_HOST: segment.url,
      RS_SEGMENT_WRITE_KEY: KEY,
    });
    await child.printed('ready');
    child.process.kill('SIGTERM');
    const result = await child.result;
    assert.equal(result.code, 3, result.stderr);
  } finally {
    await segment.close();
  }
});
