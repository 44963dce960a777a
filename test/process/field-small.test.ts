/**
 * Issue 10 item 11, in the field: ReadySet passes `--disable-telemetry` on its own command line, so the flag's
 * value forms are checked in a program under the register entry: `=1` opts out (the Segment receiver gets no
 * request), `=false` does not (it gets the events).
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startReceiver } from '../../src/testing.js';
import { killChildren, REGISTER_FROM_SOURCE, startChild } from '../helpers/children.js';

after(killChildren);

const KEY = 'field-small-key';

test('--disable-telemetry=1 on the program command line opts out under the register entry; --disable-telemetry=false does not', async () => {
  const runs = await Promise.all(
    (['--disable-telemetry=1', '--disable-telemetry=false'] as const).map(async (flag) => {
      const receiver = await startReceiver({ writeKey: KEY });
      try {
        const child = startChild([...REGISTER_FROM_SOURCE, 'test/fixtures/register-app.ts', flag], {
          RS_SEGMENT_HOST: receiver.url,
          RS_SEGMENT_WRITE_KEY: KEY,
        });
        const timer = setTimeout(() => child.process.kill('SIGKILL'), 60_000);
        const result = await child.result.finally(() => clearTimeout(timer));
        return {
          flag,
          result,
          requests: receiver.requests(),
          events: receiver.messages.map((m) => m.body['event']).sort(),
        };
      } finally {
        await receiver.close();
      }
    }),
  );
  const [off, on] = runs;
  assert.ok(off !== undefined && on !== undefined);
  assert.equal(off.result.code, 0, off.result.stderr);
  assert.equal(off.requests, 0, `${off.flag}: nothing on the wire`);
  assert.equal(on.result.code, 0, on.result.stderr);
  assert.deepEqual(on.events, ['deployment_started', 'installer_run'], `${on.flag}: telemetry stays on`);
});

test('a program that opted out, or chose no Segment exporter, records many events under the register entry: nothing is sent and nothing is printed', async () => {
  const receiver = await startReceiver({ writeKey: KEY });
  try {
    const choices: Record<string, string>[] = [
      { DO_NOT_TRACK: '1' },
      { OTEL_TRACES_EXPORTER: 'none' },
      { OTEL_SDK_DISABLED: 'true' },
    ];
    const results = await Promise.all(
      choices.map(async (choice) => {
        // 300 events: more than the bridge keeps for an exporter that may still come (256).
        const child = startChild([...REGISTER_FROM_SOURCE, 'test/fixtures/field-register-app.ts', 'record', '100'], {
          RS_SEGMENT_HOST: receiver.url,
          RS_SEGMENT_WRITE_KEY: KEY,
          ...choice,
        });
        const timer = setTimeout(() => child.process.kill('SIGKILL'), 60_000);
        return { choice, result: await child.result.finally(() => clearTimeout(timer)) };
      }),
    );
    const failures: string[] = [];
    for (const { choice, result } of results) {
      if (result.code !== 0) failures.push(`${JSON.stringify(choice)}: exit ${String(result.code)}`);
      if (result.stderr.trim() !== '')
        failures.push(`${JSON.stringify(choice)}: printed ${JSON.stringify(result.stderr.slice(0, 300))}`);
    }
    assert.equal(receiver.requests(), 0);
    assert.deepEqual(failures, []);
  } finally {
    await receiver.close();
  }
});

test('events recorded before the app calls startTelemetry() still reach Segment: alone, and under --import register with OTEL_TRACES_EXPORTER=none', async () => {
  const runs = await Promise.all(
    [[], REGISTER_FROM_SOURCE].map(async (preload) => {
      const receiver = await startReceiver({ writeKey: KEY });
      try {
        const args = preload.length === 0 ? ['--import', 'tsx'] : preload;
        const child = startChild([...args, 'test/fixtures/field-start-telemetry.ts', 'early'], {
          RS_SEGMENT_HOST: receiver.url,
          RS_SEGMENT_WRITE_KEY: KEY,
          OTEL_TRACES_EXPORTER: 'none',
        });
        const timer = setTimeout(() => child.process.kill('SIGKILL'), 60_000);
        const result = await child.result.finally(() => clearTimeout(timer));
        return {
          name: preload.length === 0 ? 'no register' : 'under register',
          result,
          events: receiver.messages.map((m) => m.body['event']).sort(),
        };
      } finally {
        await receiver.close();
      }
    }),
  );
  const failures: string[] = [];
  for (const { name, result, events } of runs) {
    if (result.code !== 0) failures.push(`${name}: exit ${String(result.code)} ${result.stderr}`);
    const expected = ['deployment_started', 'installer_finished', 'installer_run'];
    if (JSON.stringify(events) !== JSON.stringify(expected))
      failures.push(`${name}: receiver got ${JSON.stringify(events)}; stdout ${result.stdout.trim()}`);
  }
  assert.deepEqual(failures, []);
});
