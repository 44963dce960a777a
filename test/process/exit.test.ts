/**
 * Nothing the bridge leaves behind keeps a finished program alive: retries wait on unref'd timers, so a
 * program exits once its events are delivered, and at once when Segment is unreachable (instead of retrying
 * for minutes). The bound asserted is generous on purpose: a kept-alive process would take > 2 minutes.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { startReceiver } from '../../src/index.js';
import { runFixture } from '../helpers/children.js';

const FIXTURE = 'test/fixtures/export-and-return.ts';

test('a program that exports and returns exits by itself once the events are delivered', async () => {
  const receiver = await startReceiver();
  try {
    const run = await runFixture(FIXTURE, { RS_SEGMENT_HOST: receiver.url }, [], 30_000);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /export result 0/);
    assert.equal(receiver.messages.length, 3);
  } finally {
    await receiver.close();
  }
});

test('with Segment unreachable it exits too, instead of waiting out the retries', async () => {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const run = await runFixture(FIXTURE, { RS_SEGMENT_HOST: `http://127.0.0.1:${port}` }, [], 30_000);
  assert.equal(run.code, 0, `killed or failed: ${run.stderr}`);
});
