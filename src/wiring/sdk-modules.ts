/**
 * The application's OpenTelemetry SDK, loaded when a wiring path needs it (register entry, startTelemetry,
 * config files, status of a config file) and never by the core. Everything is taken from the app's
 * @opentelemetry/sdk-node and that package's own dependencies, so the bridge always builds with the SDK line
 * the app runs: 0.22x (sdk-trace-base 2.x, Node >= 20) or 0.30x (sdk-trace 3.x, Node >= 22.15).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as SdkNode from '@opentelemetry/sdk-node';

/** Raised when the app has no @opentelemetry/sdk-node: the message says what to install. */
export class SdkMissingError extends Error {
  constructor(what: string) {
    super(
      `${what} needs the OpenTelemetry Node SDK: npm install @opentelemetry/sdk-node ` +
        '(0.22x on Node >= 20, or 0.30x on Node >= 22.15, with @opentelemetry/api)',
    );
    this.name = 'SdkMissingError';
  }
}

/** The SDK line's modules, loaded through sdk-node's own dependency tree. */
export interface SdkModules {
  sdkNode: typeof SdkNode;
  /** 2 for sdk-node 0.2xx (sdk-trace-base 2.x), 3 for 0.3xx (sdk-trace 3.x). */
  line: 2 | 3;
  version: string;
  /** Requires a package the way sdk-node itself resolves it. */
  load<T>(name: string): T;
  /** Resolves a package's entry file the way sdk-node itself does. */
  resolve(name: string): string;
}

let cached: SdkModules | undefined;

/** The version in the package.json above a package's entry file (0.30x exports no ./package.json). */
function packageVersion(entry: string): string {
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === '@opentelemetry/sdk-node' && pkg.version !== undefined) return pkg.version;
    } catch {
      // No package.json at this level: look further up.
    }
  }
  return '0.0.0';
}

/** Loads the app's SDK once; throws SdkMissingError when it is not installed. */
export function loadSdk(what: string): SdkModules {
  if (cached !== undefined) return cached;
  const here = createRequire(import.meta.url);
  let entry: string;
  try {
    entry = here.resolve('@opentelemetry/sdk-node');
  } catch {
    throw new SdkMissingError(what);
  }
  const fromSdk = createRequire(entry);
  const version = packageVersion(entry);
  const minor = Number(version.split('.')[1] ?? '0');
  cached = {
    sdkNode: here('@opentelemetry/sdk-node') as typeof SdkNode,
    line: minor >= 300 ? 3 : 2,
    version,
    load: <T>(name: string) => fromSdk(name) as T,
    resolve: (name: string) => fromSdk.resolve(name),
  };
  return cached;
}
