import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { readPersistentOptOut, userConfigPath, writePersistentOptOut } from '../../src/util/user-config.js';

const root = mkdtempSync(join(tmpdir(), 'user-config-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
/** A fresh XDG_CONFIG_HOME for each test. */
function freshEnv(): { XDG_CONFIG_HOME: string } {
  return { XDG_CONFIG_HOME: join(root, String(n++)) };
}

test('userConfigPath: XDG_CONFIG_HOME when absolute, else ~/.config; %APPDATA% on Windows', () => {
  assert.equal(
    userConfigPath({ XDG_CONFIG_HOME: '/x/conf', HOME: '/home/u' }),
    join('/x/conf', 'otel-segment-bridge', 'config.json'),
  );
  assert.equal(userConfigPath({ HOME: '/home/u' }), join('/home/u', '.config', 'otel-segment-bridge', 'config.json'));
  // A relative XDG_CONFIG_HOME is invalid per the XDG spec and ignored.
  assert.equal(
    userConfigPath({ XDG_CONFIG_HOME: 'conf', HOME: '/home/u' }),
    join('/home/u', '.config', 'otel-segment-bridge', 'config.json'),
  );
  assert.equal(
    userConfigPath({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming', HOME: '/home/u' }, 'win32'),
    join('C:\\Users\\u\\AppData\\Roaming', 'otel-segment-bridge', 'config.json'),
  );
});

test('no file: not disabled; write(true) disables; write(false) removes the file', () => {
  const env = freshEnv();
  assert.equal(readPersistentOptOut(env), false);
  writePersistentOptOut(env, true);
  assert.deepEqual(JSON.parse(readFileSync(userConfigPath(env), 'utf8')), { disableTelemetry: true });
  assert.equal(readPersistentOptOut(env), true);
  writePersistentOptOut(env, true); // idempotent
  assert.equal(readPersistentOptOut(env), true);
  writePersistentOptOut(env, false);
  assert.equal(existsSync(userConfigPath(env)), false);
  assert.equal(readPersistentOptOut(env), false);
  writePersistentOptOut(env, false); // nothing to remove: no error
});

test('other keys of the file are kept by disable and enable', () => {
  const env = freshEnv();
  const path = userConfigPath(env);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify({ other: 1 }));
  assert.equal(readPersistentOptOut(env), false);
  writePersistentOptOut(env, true);
  assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), { other: 1, disableTelemetry: true });
  writePersistentOptOut(env, false);
  assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), { other: 1 });
  assert.equal(readPersistentOptOut(env), false);
});

test('fail-safe: a file that exists but is corrupt or unreadable counts as disabled, with one warning; never throws', () => {
  const warnings: string[] = [];
  diag.setLogger(
    {
      error: () => {},
      warn: (...args: unknown[]) => void warnings.push(args.join(' ')),
      info: () => {},
      debug: () => {},
      verbose: () => {},
    },
    DiagLogLevel.WARN,
  );
  try {
    const cases: [string, (path: string) => void][] = [
      ['not JSON', (path) => writeFileSync(path, '{"disableTelemetry": tru')],
      ['an array', (path) => writeFileSync(path, '[]')],
      ['a non-boolean value', (path) => writeFileSync(path, '{"disableTelemetry": "no"}')],
      ['a directory', (path) => mkdirSync(path)],
      ['too large', (path) => writeFileSync(path, ' '.repeat(100 * 1024) + '{}')],
    ];
    for (const [name, make] of cases) {
      const env = freshEnv();
      const path = userConfigPath(env);
      mkdirSync(dirname(path), { recursive: true });
      make(path);
      const before = warnings.length;
      assert.equal(readPersistentOptOut(env), true, name);
      assert.equal(readPersistentOptOut(env), true, name);
      assert.equal(warnings.length, before + 1, `${name}: one warning, not one per read`);
      assert.ok(warnings.at(-1)?.includes(path), `${name}: the warning names the file`);
    }
    // `enable` clears a corrupt file.
    const env = freshEnv();
    const path = userConfigPath(env);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, 'garbage');
    writePersistentOptOut(env, false);
    assert.equal(readPersistentOptOut(env), false);
    // A config directory under a regular file: still no throw.
    const blocked = join(root, 'blocked');
    writeFileSync(blocked, '');
    assert.equal(readPersistentOptOut({ XDG_CONFIG_HOME: blocked }), false);
  } finally {
    diag.disable();
  }
});
