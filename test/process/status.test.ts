/**
 * `otel-segment-bridge status`: the pure telemetryStatus(env, argv) with plain objects, the command's text and
 * JSON output, and one run of the real executable.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { runStatus } from '../../src/cli/status.js';
import { processAnonymousId, telemetryStatus, TELEMETRY_EVENTS, TELEMETRY_PROPERTIES } from '../../src/index.js';
import { killChildren, startChild } from '../helpers/children.js';

after(killChildren);

const SECRET_KEY = 'wk_SECRET_status_0123';

function statusRun(
  env: Record<string, string>,
  args: string[] = [],
  argv: string[] = [],
): { code: number; text: string } {
  const lines: string[] = [];
  const code = runStatus(
    args,
    (line) => lines.push(line),
    { XDG_CONFIG_HOME: '/nonexistent-otel-segment-bridge', ...env },
    argv,
  );
  return { code, text: lines.join('\n') };
}

function statusText(env: Record<string, string>, args: string[] = [], argv: string[] = []): string {
  return statusRun(env, args, argv).text;
}

const OPT_OUTS: { source: string; env: Record<string, string>; argv: string[] }[] = [
  { source: '--disable-telemetry', env: {}, argv: ['node', 'app.js', '--disable-telemetry'] },
  { source: 'DISABLE_TELEMETRY', env: { DISABLE_TELEMETRY: '1' }, argv: [] },
  { source: 'DO_NOT_TRACK', env: { DO_NOT_TRACK: 'true' }, argv: [] },
  { source: 'OTEL_SDK_DISABLED', env: { OTEL_SDK_DISABLED: 'true' }, argv: [] },
];

for (const { source, env, argv } of OPT_OUTS) {
  test(`status under ${source} reports telemetry off, decided by ${source}`, () => {
    const status = telemetryStatus({ RS_SEGMENT_WRITE_KEY: SECRET_KEY, ...env }, argv);
    assert.equal(status.telemetry, 'off');
    assert.equal(status.decidedBy, source);
    assert.deepEqual(status.exporters.started, []);
    if (source === 'OTEL_SDK_DISABLED') {
      // The specification's OTEL_SDK_DISABLED turns the whole SDK off: no exporter at all starts.
      assert.equal(status.delivery, 'none');
      assert.match(status.exporters.off.join('\n'), /SDK is disabled/);
    } else {
      assert.equal(status.delivery, 'disabled');
      assert.deepEqual(status.exporters.off, [`segment: telemetry is off (${source})`]);
    }
    assert.equal(statusRun({ RS_SEGMENT_WRITE_KEY: SECRET_KEY, ...env }, [], argv).code, 1, 'exit code 1: off');
    assert.match(
      statusText({ RS_SEGMENT_WRITE_KEY: SECRET_KEY, ...env }, [], argv),
      new RegExp(`Telemetry: +off \\(turned off by ${source}\\)`),
    );
  });
}

test('status --disable-telemetry shows a program started with that flag', () => {
  assert.match(statusText({}, ['--disable-telemetry']), /off \(turned off by --disable-telemetry\)/);
});

test('with nothing opted out, telemetry is on and the write key source is shown, never the key', () => {
  const env = {
    RS_SEGMENT_WRITE_KEY: SECRET_KEY,
    RS_SEGMENT_HOST: 'https://events.eu1.segmentapis.com',
    RS_API_KEY: 'rsk_SECRET',
  };
  const status = telemetryStatus(env, []);
  assert.equal(status.telemetry, 'on');
  assert.equal(status.decidedBy, 'default');
  assert.equal(status.delivery, 'segment');
  assert.equal(status.host, 'https://events.eu1.segmentapis.com');
  assert.equal(status.writeKeySource, 'env');
  assert.equal(status.userIdSet, true);
  assert.equal(status.verdict, 'sending');
  assert.equal(statusRun(env).code, 0);
  assert.doesNotMatch(statusText(env), new RegExp(processAnonymousId()), 'no made-up anonymousId');
  assert.match(statusText(env), /Anonymous id: +a new random UUID for each process/);
  for (const output of [statusText(env), statusText(env, ['--json'])]) {
    assert.ok(!output.includes(SECRET_KEY) && !output.includes('rsk_SECRET'), output);
  }
  assert.equal(telemetryStatus({}, []).writeKeySource, 'none');
});

test('status lists the exporters OTEL_TRACES_EXPORTER would start, and what it ignores', () => {
  const status = telemetryStatus(
    {
      OTEL_TRACES_EXPORTER: 'segment,otlp,zipkin',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    },
    [],
  );
  assert.equal(status.exporters.from, 'OTEL_TRACES_EXPORTER');
  assert.deepEqual(status.exporters.started, ['segment', 'otlp (http/json → http://collector:4318/v1/traces)']);
  assert.match(status.problems.join('\n'), /"zipkin" is not an exporter the bridge knows/);
  assert.deepEqual(telemetryStatus({}, []).exporters.started, ['segment']);
  assert.deepEqual(telemetryStatus({ OTEL_TRACES_EXPORTER: 'none' }, []).exporters.started, []);
});

test('status lists the exporters OTEL_CONFIG_FILE would start, with the host it sets', () => {
  const endpoint = 'http://127.0.0.1:4318/v1/traces';
  const env = {
    OTEL_CONFIG_FILE: 'otel-config.yaml',
    RS_SEGMENT_HOST: 'http://127.0.0.1:9',
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: endpoint,
  };
  const status = telemetryStatus(env, []);
  assert.equal(status.exporters.from, 'OTEL_CONFIG_FILE');
  assert.deepEqual(status.exporters.started, ['segment', `otlp (http/protobuf → ${endpoint})`]);
  assert.equal(status.host, 'http://127.0.0.1:9');
  assert.equal(status.hostSource, 'file');
  assert.deepEqual(telemetryStatus({ ...env, DO_NOT_TRACK: '1' }, []).exporters.started, [
    `otlp (http/protobuf → ${endpoint})`,
  ]);
  const broken = telemetryStatus({ OTEL_CONFIG_FILE: 'test/fixtures/config/unknown-exporter.yaml' }, []);
  assert.deepEqual(broken.exporters.started, []);
  assert.equal(broken.verdict, 'misconfigured');
  assert.match(broken.problems.join('\n'), /unsupported exporter "zipkin"/);
});

test('status lists every event and property that may be sent', () => {
  const status = telemetryStatus({}, []);
  assert.deepEqual(
    status.events.map((e) => e.name),
    [...TELEMETRY_EVENTS],
  );
  assert.deepEqual(
    status.properties.map((p) => p.name),
    [...TELEMETRY_PROPERTIES],
  );
  const text = statusText({});
  for (const name of [...TELEMETRY_EVENTS, ...TELEMETRY_PROPERTIES]) assert.match(text, new RegExp(`\\b${name}\\b`));
  assert.match(text, /deployment_env +eks \| helm \| installer_compose/);
});

test('status --help describes the command', () => {
  assert.match(statusText({}, ['--help']), /Usage: otel-segment-bridge status \[--json\]/);
});

test('the executable prints the status as JSON', async () => {
  const child = startChild(['--import', 'tsx', 'src/cli/bin.ts', 'status', '--json'], {
    DO_NOT_TRACK: '1',
    RS_SEGMENT_WRITE_KEY: SECRET_KEY,
  });
  const result = await child.result;
  assert.equal(result.code, 1, result.stderr);
  const status = JSON.parse(result.stdout) as { telemetry: string; decidedBy: string; writeKeySource: string };
  assert.deepEqual([status.telemetry, status.decidedBy, status.writeKeySource], ['off', 'DO_NOT_TRACK', 'env']);
  assert.ok(!result.stdout.includes(SECRET_KEY));
});
