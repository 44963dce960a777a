/**
 * OTEL_CONFIG_FILE → a validated configuration model, read by the app's own @opentelemetry/configuration (the
 * one its sdk-node depends on): `createConfigFactory()` on the 0.22x line, `parseConfigFile(path)` on 0.30x. It
 * substitutes ${VAR} and ${VAR:-default} and checks the schema (file_format 1.x); plan.ts reads the model.
 * Problems throw one Error saying what is wrong, without the path (the caller names the file).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Env } from '../exporter/settings.js';
import type { ConfigModelLike } from './plan.js';
import { loadSdk } from './sdk-modules.js';

interface ConfigurationModule {
  parseConfigFile?: (path: string) => unknown;
  createConfigFactory?: () => { getConfigModel(): unknown };
}

interface YamlModule {
  parseDocument(text: string, options: { version: '1.2' }): { errors: { message: string }[] };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Reads the file and checks its YAML syntax with the YAML parser the configuration package uses. */
function checkYaml(path: string, configurationEntry: string): void {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the file (${message(error)})`);
  }
  let yaml: YamlModule;
  try {
    yaml = createRequire(configurationEntry)('yaml') as YamlModule;
  } catch {
    return; // The configuration package reports syntax errors too, only less clearly.
  }
  // The schema check reads past syntax errors, which then surface as confusing schema errors.
  const [first] = yaml.parseDocument(text, { version: '1.2' }).errors;
  if (first !== undefined) throw new Error(`not valid YAML: ${first.message.split('\n')[0] ?? ''}`);
}

/**
 * Runs `read` with process.env showing `env` (the configuration package substitutes ${VAR} from process.env
 * and, on 0.22x, reads the path from it too), then puts process.env back as it was.
 */
function withEnv<T>(env: Env, read: () => T): T {
  const saved = new Map<string, string | undefined>();
  for (const [name, value] of Object.entries(env)) {
    if (process.env[name] === value) continue;
    saved.set(name, process.env[name]);
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  try {
    return read();
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/** The validated model of the configuration file at `path`, with ${VAR} substituted from `env`. */
export function loadConfigModel(path: string, env: Env = process.env): ConfigModelLike {
  const sdk = loadSdk('OTEL_CONFIG_FILE');
  const entry = sdk.resolve('@opentelemetry/configuration');
  checkYaml(path, entry);
  const configuration = sdk.load<ConfigurationModule>('@opentelemetry/configuration');
  try {
    return withEnv({ ...env, OTEL_CONFIG_FILE: path }, () => {
      if (configuration.parseConfigFile !== undefined && sdk.line === 3)
        return configuration.parseConfigFile(path) as ConfigModelLike;
      if (configuration.createConfigFactory === undefined)
        throw new Error('this @opentelemetry/configuration cannot read files');
      return configuration.createConfigFactory().getConfigModel() as ConfigModelLike;
    });
  } catch (error) {
    throw new Error(
      message(error).replace('Invalid OpenTelemetry config file: ', 'invalid: ').replace(`${path}: `, ''),
    );
  }
}
