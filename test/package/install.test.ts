/**
 * Install hygiene, as a new user meets it on Node 20: the packed tarball installed into a fresh app next to
 * @opentelemetry/api 1.10 and, separately, 1.9, with no OpenTelemetry SDK. npm must not override a peer
 * (no ERESOLVE), `npm ls --all` must find a valid tree, the core's node_modules stays small, "." loads no SDK
 * module, and the register entry without sdk-node says once what to install while the app runs on.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { killChildren } from '../helpers/children.js';
import { npm, npmOk, NPM_FLAGS, packedTarball, ROOT } from '../helpers/pack.js';
import { probeOf, runBounded, sdkPackages } from './compat.js';

/** The bound for the core alone (no SDK): node_modules at most this many MiB on disk (du -sk). */
const CORE_MAX_MIB = 15;
const APIS = ['1.10.0', '1.9.0'] as const;

const work = mkdtempSync(join(tmpdir(), 'otel-segment-bridge-install-'));
const apps = new Map<string, { dir: string; installOutput: string }>();

/** node_modules size in KiB: on disk (what du -sh shows) and apparent (sum of file sizes). */
function duKib(dir: string): { disk: number; apparent: number } {
  const kib = (args: string[]): number =>
    Number(execFileSync('du', ['-sk', ...args, dir], { encoding: 'utf8' }).split('\t')[0]);
  return { disk: kib([]), apparent: kib(['--apparent-size']) };
}

before(
  async () => {
    const tarball = await packedTarball();
    await Promise.all(
      APIS.map(async (api) => {
        const dir = join(work, `api-${api}`);
        mkdirSync(dir);
        writeFileSync(
          join(dir, 'package.json'),
          JSON.stringify({ name: `fresh-app-api-${api}`, version: '1.0.0', private: true }),
        );
        for (const program of ['app.mjs', 'app.cjs', 'probe.mjs', 'probe.cjs'])
          cpSync(join(ROOT, 'test', 'compat', 'apps', program), join(dir, program));
        // Default log level: ERESOLVE "overriding peer dependency" is a warning.
        const { output } = await npmOk(
          ['install', tarball, `@opentelemetry/api@${api}`, '--prefer-offline', '--no-audit', '--no-fund'],
          dir,
        );
        apps.set(api, { dir, installOutput: output });
      }),
    );
  },
  { timeout: 300_000 },
);

after(() => {
  killChildren();
  rmSync(work, { recursive: true, force: true });
});

function app(api: string): { dir: string; installOutput: string } {
  const found = apps.get(api);
  assert.ok(found !== undefined, `no app for api ${api} (install failed)`);
  return found;
}

for (const api of APIS) {
  test(`npm i <tgz> @opentelemetry/api@${api}: no ERESOLVE, and npm ls --all finds a valid tree`, async () => {
    const { dir, installOutput } = app(api);
    assert.doesNotMatch(installOutput, /ERESOLVE|overriding peer/i, installOutput);
    const ls = await npm(['ls', '--all', ...NPM_FLAGS], dir);
    assert.equal(ls.code, 0, ls.output);
    // UNMET OPTIONAL DEPENDENCY lines are the optional peers (the SDK), left out on purpose.
    assert.doesNotMatch(ls.output, /\binvalid\b|UNMET DEPENDENCY|\bmissing\b|extraneous/i, ls.output);
  });

  test(`api ${api}: the core's node_modules (no SDK) stays within ${CORE_MAX_MIB} MiB`, (t) => {
    const size = duKib(join(app(api).dir, 'node_modules'));
    const figures = `${(size.disk / 1024).toFixed(1)} MiB on disk (du -sk), ${(size.apparent / 1024).toFixed(1)} MiB apparent`;
    t.diagnostic(`node_modules: ${figures}`);
    assert.ok(size.disk <= CORE_MAX_MIB * 1024, `node_modules is ${figures}`);
  });

  test(`api ${api}: no OpenTelemetry package is installed but the API`, () => {
    const scoped = join(app(api).dir, 'node_modules', '@opentelemetry');
    assert.deepEqual(existsSync(scoped) ? readdirSync(scoped) : [], ['api']);
  });

  for (const program of ['probe.mjs', 'probe.cjs']) {
    test(`api ${api}: ${program.endsWith('.mjs') ? 'import' : 'require'} of "." works without any SDK installed and loads no SDK module`, async () => {
      const result = await runBounded(process.execPath, [program], {}, app(api).dir);
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(sdkPackages(probeOf(result.stdout).loaded), []);
    });
  }
}

for (const [preload, program] of [
  ['--import', 'app.mjs'],
  ['--require', 'app.cjs'],
] as const) {
  test(`without @opentelemetry/sdk-node, ${preload} otel-segment-bridge/register gives one clear error naming it, and the app runs on`, async () => {
    const result = await runBounded(
      process.execPath,
      [preload, 'otel-segment-bridge/register', program],
      { RS_SEGMENT_WRITE_KEY: 'k', RS_SEGMENT_HOST: 'http://127.0.0.1:9' },
      app('1.10.0').dir,
    );
    assert.equal(result.signal, null, 'exited by itself');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /app ran/);
    const naming = result.stderr.split('\n').filter((line) => line.includes('@opentelemetry/sdk-node'));
    assert.equal(naming.length, 1, `one line names @opentelemetry/sdk-node:\n${result.stderr}`);
    assert.match(naming[0]!, /install/i, 'the line says to install it');
    assert.doesNotMatch(result.stderr, /^\s+at /m, `no stack trace:\n${result.stderr}`);
  });
}
