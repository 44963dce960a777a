/**
 * The end-to-end set one OpenTelemetry JS line runs (test/package/otel-v2.test.ts, otel-v3.test.ts): the packed
 * tarball is installed into a temporary copy of that line's application project (test/compat/<line>: its
 * package.json and lock, plus the shared programs of test/compat/apps; installed once per run, see
 * test/helpers/pack.ts installedApp), then each program runs on the line's
 * Node.js against the loopback Segment-compatible receiver. Every scenario asserts what crossed the wire (the
 * receiver's messages, valid against the schema), exit code 0, no signal, and an exit within a bound.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startReceiver } from '../../src/index.js';
import { killChildren, startCommand } from '../helpers/children.js';
import type { ChildResult } from '../helpers/children.js';
import { startOtlpReceiver } from '../helpers/otlp-receiver.js';
import { installedApp, packedTarball, ROOT } from '../helpers/pack.js';

/** A program not ended by then is taken as kept alive (they normally end within one to three seconds). */
export const EXIT_BOUND_MILLIS = 15_000;
const KEY = 'compat-key';
/**
 * For the programs that build their own NodeSDK: the 3.x NodeSDK starts OTLP metrics and logs exporters to
 * localhost:4318 unless told otherwise, and waits ~10 s at shutdown for the refused exports: the app's choice, not
 * the bridge's. The register entry and startTelemetry run without these, so a default of theirs would show.
 */
const APP_SDK_ENV = { OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' };

/** @opentelemetry packages "." must not load: the SDK, the trace SDKs, configuration, resources, core, exporters. */
export const SDK_MODULE =
  /\/node_modules\/@opentelemetry\/(sdk-node|sdk-trace|sdk-trace-base|sdk-trace-node|configuration|resources|core|exporter-[^/]+|otlp-[^/]+)\//;

/**
 * What probe.mjs / probe.cjs printed (the names "." exports, the files loaded), after checking "." exports the
 * main names.
 */
export function probeOf(stdout: string): { exports: string[]; loaded: string[] } {
  const probe = JSON.parse(stdout.trim().split('\n').pop()!) as { exports: string[]; loaded: string[] };
  for (const name of [
    'SegmentSpanExporter',
    'createSegmentSpanProcessor',
    'recordTelemetry',
    'anonymizeSql',
    'startReceiver',
  ]) {
    assert.ok(probe.exports.includes(name), `"." exports ${name}`);
  }
  return probe;
}

/** The distinct SDK packages (as node_modules paths) among loaded module files or URLs. */
export function sdkPackages(loaded: readonly string[]): string[] {
  const found = new Set<string>();
  for (const file of loaded) {
    const match = SDK_MODULE.exec(file);
    if (match !== null) found.add(file.slice(file.indexOf('node_modules/'), match.index + match[0].length - 1));
  }
  return [...found].sort();
}

export interface Line {
  /** Folder under test/compat. */
  name: 'v2' | 'v3';
  /** What the test names say, e.g. "sdk-node 0.301 on Node 24". */
  title: string;
  /** The Node.js binary this line runs on. */
  node: () => Promise<string>;
  /** BatchSpanProcessor constructor forms the line's trace SDK has. */
  forms: readonly ('positional' | 'options')[];
  /** The line's trace SDK package (BatchSpanProcessor, SpanExporter, SpanProcessor). */
  traceModule: '@opentelemetry/sdk-trace' | '@opentelemetry/sdk-trace-base';
}

/**
 * A compile-only program against the line's real declarations and the package's shipped ones: the exporter is a
 * SpanExporter of the line, fits each BatchSpanProcessor constructor form the line has, and
 * createSegmentSpanProcessor() is a SpanProcessor NodeSDK takes.
 */
function typedefs(line: Line): string {
  return [
    `import { NodeSDK } from '@opentelemetry/sdk-node';`,
    `import { BatchSpanProcessor } from '${line.traceModule}';`,
    `import type { SpanExporter, SpanProcessor } from '${line.traceModule}';`,
    `import { createSegmentSpanProcessor, SegmentSpanExporter } from 'otel-segment-bridge';`,
    `export const exporter: SpanExporter = new SegmentSpanExporter({ disabled: true });`,
    `export const processor: SpanProcessor = createSegmentSpanProcessor({ disabled: true });`,
    ...(line.forms.includes('positional')
      ? [`export const positional = new BatchSpanProcessor(new SegmentSpanExporter({ disabled: true }));`]
      : []),
    ...(line.forms.includes('options')
      ? [`export const options = new BatchSpanProcessor({ exporter: new SegmentSpanExporter({ disabled: true }) });`]
      : []),
    `export const sdk = new NodeSDK({ spanProcessors: [createSegmentSpanProcessor({ disabled: true }), new BatchSpanProcessor(${line.forms.includes('positional') ? 'new SegmentSpanExporter()' : '{ exporter: new SegmentSpanExporter() }'})] });`,
    '',
  ].join('\n');
}

const TYPEDEFS_TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    typeRoots: [join(ROOT, 'node_modules', '@types')],
    types: ['node'],
  },
  files: ['typedefs.mts'],
};

/** Where the programs of a line run; filled by `before`. */
interface Installed {
  node: string;
  dir: string;
}

/** Runs `node <args>` in the app with only PATH, HOME and `env`; kills it (signal set) after `boundMillis`. */
export async function runBounded(
  node: string,
  args: readonly string[],
  env: Record<string, string>,
  cwd: string,
  boundMillis = EXIT_BOUND_MILLIS,
): Promise<ChildResult & { millis: number }> {
  const started = Date.now();
  const child = startCommand(
    node,
    args,
    { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env },
    cwd,
  );
  const bound = setTimeout(() => child.process.kill('SIGKILL'), boundMillis);
  const result = await child.result;
  clearTimeout(bound);
  return { ...result, millis: Date.now() - started };
}

function assertExitedCleanly(result: ChildResult & { millis: number }): void {
  assert.equal(result.signal, null, `did not exit by itself within ${EXIT_BOUND_MILLIS} ms\n${result.stderr}`);
  assert.equal(result.code, 0, `exit code ${String(result.code)}\n${result.stderr}`);
  assert.doesNotMatch(result.stderr, /TypeError|Unhandled|ERR_/, result.stderr);
}

/** Declares the line's tests. */
export function defineCompatSuite(line: Line): void {
  const app: Installed = { node: '', dir: '' };

  before(
    async () => {
      const [tarball, node] = await Promise.all([packedTarball(), line.node()]);
      app.dir = await installedApp(line.name, tarball);
      app.node = node;
    },
    { timeout: 400_000 },
  );

  after(() => {
    killChildren();
  });

  /** Runs a program with Segment pointed at a fresh receiver; returns the events received, in order, and stderr. */
  async function deliver(
    args: readonly string[],
    env: Record<string, string> = {},
  ): Promise<{ events: string[]; stderr: string }> {
    const receiver = await startReceiver({ writeKey: KEY });
    try {
      const result = await runBounded(
        app.node,
        args,
        { RS_SEGMENT_WRITE_KEY: KEY, RS_SEGMENT_HOST: receiver.url, ...env },
        app.dir,
      );
      assertExitedCleanly(result);
      assert.deepEqual(
        receiver.messages.flatMap((m) => m.errors),
        [],
        'schema problems',
      );
      return { events: receiver.messages.map((m) => String(m.body['event'])), stderr: result.stderr };
    } finally {
      await receiver.close();
    }
  }

  /** Runs a program and asserts the receiver got exactly `expected`. */
  async function expectEvents(args: readonly string[], env: Record<string, string>, expected: string[]): Promise<void> {
    const { events, stderr } = await deliver(args, env);
    assert.deepEqual(events, expected, `events received; the program's stderr:\n${stderr}`);
  }

  for (const form of line.forms) {
    const shape = form === 'positional' ? 'new BatchSpanProcessor(exporter)' : 'new BatchSpanProcessor({ exporter })';
    test(`${line.title}: SegmentSpanExporter in ${shape} delivers across a scheduled flush and shutdown`, async () => {
      await expectEvents(['exporter.mjs', form], { ...APP_SDK_ENV, OTEL_BSP_SCHEDULE_DELAY: '200' }, [
        'adapter_start',
        'installer_finished',
      ]);
    });
  }

  test(`${line.title}: createSegmentSpanProcessor() in NodeSDK delivers (ESM)`, async () => {
    await expectEvents(['processor.mjs'], APP_SDK_ENV, ['adapter_start']);
  });

  test(`${line.title}: createSegmentSpanProcessor() in NodeSDK delivers (CommonJS)`, async () => {
    await expectEvents(['processor.cjs'], APP_SDK_ENV, ['adapter_start']);
  });

  test(`${line.title}: startTelemetry() delivers at exit without an explicit shutdown`, async () => {
    await expectEvents(['start-telemetry.mjs'], {}, ['installer_run']);
  });

  test(`${line.title}: an ESM app under --import otel-segment-bridge/register delivers and exits`, async () => {
    await expectEvents(['--import', 'otel-segment-bridge/register', 'app.mjs'], {}, ['installer_run']);
  });

  test(`${line.title}: a CommonJS app under --require otel-segment-bridge/register delivers and exits`, async () => {
    await expectEvents(['--require', 'otel-segment-bridge/register', 'app.cjs'], {}, ['installer_finished']);
  });

  test(`${line.title}: OTEL_CONFIG_FILE=otel-config.yaml (as shipped) sends to Segment and to OTLP`, async () => {
    const otlp = await startOtlpReceiver();
    try {
      const { events, stderr } = await deliver(['--import', 'otel-segment-bridge/register', 'app.mjs'], {
        OTEL_CONFIG_FILE: join(app.dir, 'node_modules', 'otel-segment-bridge', 'otel-config.yaml'),
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: otlp.tracesUrl,
      });
      assert.deepEqual(events, ['installer_run'], `events received; the program's stderr:\n${stderr}`);
      assert.deepEqual(
        otlp.spans.flatMap((span) => span.events),
        ['installer_run'],
        'the OTLP exporter of the same file got the span with its event',
      );
    } finally {
      await otlp.close();
    }
  });

  test(`${line.title}: tsc accepts the shipped types against the line's own declarations (${line.forms.join(' and ')} form)`, async () => {
    writeFileSync(join(app.dir, 'typedefs.mts'), typedefs(line));
    writeFileSync(join(app.dir, 'tsconfig.json'), JSON.stringify(TYPEDEFS_TSCONFIG));
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await runBounded(process.execPath, [tsc, '-p', 'tsconfig.json'], {}, app.dir, 120_000);
    assert.equal(result.code, 0, `${result.stdout}${result.stderr}`);
  });

  for (const program of ['probe.mjs', 'probe.cjs']) {
    test(`${line.title}: ${program.endsWith('.mjs') ? 'import' : 'require'} of "." loads no SDK, trace SDK, configuration, resources, core or exporter module`, async () => {
      const result = await runBounded(app.node, [program], {}, app.dir);
      assertExitedCleanly(result);
      const probe = probeOf(result.stdout);
      assert.ok(
        probe.loaded.some((file) => file.includes('/node_modules/otel-segment-bridge/')),
        'the probe saw the package load',
      );
      assert.deepEqual(
        sdkPackages(probe.loaded),
        [],
        'SDK packages loaded by "." (they are installed here, so only the import graph keeps them out)',
      );
    });
  }
}
