/**
 * The register entry under OTEL_CONFIG_FILE, end to end: the repo's otel-config.yaml delivers to Segment and
 * OTLP; a resource section reaches Track messages; a broken file is one clear error and the program runs on.
 * Applications run in child processes; the test asserts on what loopback receivers got.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startReceiver } from '../../src/index.js';
import type { ReceivedMessage } from '../../src/index.js';
import { killChildren, runUnderRegister } from '../helpers/children.js';
import type { ChildResult } from '../helpers/children.js';
import { startOtlpReceiver } from '../helpers/otlp-receiver.js';
import type { OtlpSpan } from '../helpers/otlp-receiver.js';

const APP = 'test/fixtures/register-app.ts';
const EVENTS = ['deployment_started', 'installer_run'];
const KEY = 'config-key';

after(killChildren);

interface Run {
  result: ChildResult;
  messages: ReceivedMessage[];
  segmentRequests: number;
  spans: OtlpSpan[];
}

/** Runs the app with OTEL_CONFIG_FILE=`file` against fresh receivers, named to the file by the env below. */
async function runWithFile(file: string, env: Record<string, string> = {}): Promise<Run> {
  const segment = await startReceiver({ writeKey: KEY });
  const otlp = await startOtlpReceiver();
  try {
    const result = await runUnderRegister(APP, {
      OTEL_CONFIG_FILE: file,
      RS_SEGMENT_WRITE_KEY: KEY,
      RS_SEGMENT_HOST: segment.url,
      TEST_WRITE_KEY: KEY,
      TEST_SEGMENT_HOST: segment.url,
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: otlp.tracesUrl,
      ...env,
    });
    return { result, messages: segment.messages, segmentRequests: segment.requests(), spans: otlp.spans };
  } finally {
    await segment.close();
    await otlp.close();
  }
}

const eventsOf = (messages: ReceivedMessage[]): unknown[] => messages.map((m) => m.body['event']).sort();

test("the repo's otel-config.yaml delivers to Segment and to OTLP, with the resource's properties", async () => {
  const run = await runWithFile('otel-config.yaml', {
    OTEL_RESOURCE_ATTRIBUTES: 'readyset.server_version=1.2.3,readyset.deployment_env=helm',
  });
  assert.equal(run.result.code, 0, run.result.stderr);
  assert.equal(run.result.stderr, '');
  assert.deepEqual(eventsOf(run.messages), EVENTS);
  assert.deepEqual(
    run.messages.flatMap((m) => m.errors),
    [],
  );
  const byEvent = new Map(run.messages.map((m) => [m.body['event'], m.body['properties']]));
  assert.deepEqual(byEvent.get('installer_run'), { server_version: '1.2.3', deployment_env: 'helm' });
  assert.deepEqual(byEvent.get('deployment_started'), { server_version: '1.2.3', deployment_env: 'eks' });
  assert.deepEqual(run.spans.flatMap((span) => span.events).sort(), EVENTS);
  assert.equal(run.spans[0]?.resource['service.name'], 'readyset');
});

test("opting out with the repo's otel-config.yaml turns off Segment only", async () => {
  const run = await runWithFile('otel-config.yaml', { DO_NOT_TRACK: '1' });
  assert.equal(run.result.code, 0, run.result.stderr);
  assert.equal(run.segmentRequests, 0);
  assert.deepEqual(run.spans.flatMap((span) => span.events).sort(), EVENTS);
});

test("the file's resource section reaches every Track message that lacks those properties", async () => {
  const run = await runWithFile('test/fixtures/config/resource-section.yaml');
  assert.equal(run.result.code, 0, run.result.stderr);
  const byEvent = new Map(run.messages.map((m) => [m.body['event'], m.body['properties']]));
  assert.deepEqual(byEvent.get('installer_run'), { server_version: '2.0.1', deployment_env: 'installer_compose' });
  assert.deepEqual(byEvent.get('deployment_started'), { server_version: '2.0.1', deployment_env: 'eks' });
});

const BROKEN = [
  { file: 'bad-yaml.yaml', problem: /not valid YAML: .*line 4/ },
  {
    file: 'unknown-exporter.yaml',
    problem: /tracer_provider\.processors\[1\]\.batch\.exporter\.zipkin: unsupported exporter "zipkin"/,
  },
  { file: 'wrong-file-format.yaml', problem: /Unsupported file_format: "2\.0"/ },
  { file: 'missing.yaml', problem: /cannot read the file/ },
];

for (const { file, problem } of BROKEN) {
  test(`a broken file (${file}) is one clear error, and the program runs on without tracing`, async () => {
    const path = `test/fixtures/config/${file}`;
    const run = await runWithFile(path);
    assert.equal(run.result.code, 0, run.result.stderr);
    assert.match(run.result.stdout, /recorded/);
    const lines = run.result.stderr.trim().split('\n');
    assert.equal(lines.length, 1, run.result.stderr);
    assert.ok(lines[0]?.includes(`OTEL_CONFIG_FILE ${path}: `), lines[0]);
    assert.match(lines[0] ?? '', problem);
    assert.match(lines[0] ?? '', /tracing is off/);
    // Not even the exporters the file names correctly start.
    assert.equal(run.segmentRequests, 0);
    assert.equal(run.spans.length, 0);
  });
}
