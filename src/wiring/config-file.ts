/**
 * OTEL_CONFIG_FILE → what the SDK is started with. The file is read as YAML, env-substituted (${VAR},
 * ${VAR:-default}) and validated (file_format 1.x) by @opentelemetry/configuration; then its resource section
 * and tracer_provider.processors are built. Problems throw one Error naming the file.
 */
import { readFileSync } from 'node:fs';
import { DiagLogLevel } from '@opentelemetry/api';
import type { Attributes } from '@opentelemetry/api';
import { createConfigFactory, mergeResourceAttributesConfig } from '@opentelemetry/configuration';
import type { ConfigurationModel, ResourceConfigModel } from '@opentelemetry/configuration';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import type { Resource } from '@opentelemetry/resources';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { parseDocument } from 'yaml';
import { processorEntries, processorFromEntry } from './config-processors.js';
import { log } from '../util/log.js';
import type { Env } from '../exporter/settings.js';

/** What a configuration file asks the SDK to start with. */
export interface FilePlan {
  /** `disabled: true` in the file: start nothing. */
  disabled: boolean;
  resource: Resource;
  spanProcessors: SpanProcessor[];
  /** The file's log_level, as a diag level. */
  logLevel: DiagLogLevel | undefined;
}

const HANDLED: Record<string, readonly string[]> = {
  '': ['disabled', 'log_level', 'resource', 'tracer_provider'],
  'tracer_provider.': ['processors'],
  'resource.': ['attributes', 'attributes_list', 'schema_url'],
};

const LOG_LEVELS: readonly [string, DiagLogLevel][] = [
  ['trace', DiagLogLevel.VERBOSE],
  ['debug', DiagLogLevel.DEBUG],
  ['info', DiagLogLevel.INFO],
  ['warn', DiagLogLevel.WARN],
  ['error', DiagLogLevel.ERROR],
  ['fatal', DiagLogLevel.ERROR],
];

/** Parses the file as YAML; throws an Error saying what is wrong and where, or that it cannot be read. */
export function readYaml(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the file (${error instanceof Error ? error.message : String(error)})`);
  }
  const doc = parseDocument(text, { version: '1.2' });
  const [first] = doc.errors;
  if (first !== undefined) throw new Error(`not valid YAML: ${first.message.split('\n')[0]}`);
  return doc.toJS() as unknown;
}

/** Reads and validates the file process.env.OTEL_CONFIG_FILE names, as @opentelemetry/configuration does. */
export function loadConfigFile(path: string): ConfigurationModel {
  // The YAML parser the schema check uses reads past syntax errors, which then surface as confusing schema
  // errors; checking the syntax first names the real problem.
  readYaml(path);
  try {
    return createConfigFactory().getConfigModel();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(message.replace('Invalid OpenTelemetry config file: ', 'invalid: ').replace(`${path}: `, ''));
  }
}

function ignoredSections(model: ConfigurationModel): string[] {
  return Object.entries(HANDLED).flatMap(([prefix, handled]) => {
    const section: unknown = prefix === '' ? model : model[prefix.slice(0, -1)];
    if (section === null || typeof section !== 'object') return [];
    return Object.keys(section).filter((key) => !handled.includes(key)).map((key) => prefix + key);
  });
}

function resourceFromConfig(config: ResourceConfigModel | undefined): Resource {
  const attributes: Attributes = {};
  for (const { name, value } of mergeResourceAttributesConfig(config?.attributes, config?.attributes_list) ?? []) {
    if (value !== null) attributes[name] = value;
  }
  const schemaUrl = config?.schema_url ?? undefined;
  return defaultResource().merge(resourceFromAttributes(attributes, schemaUrl === undefined ? {} : { schemaUrl }));
}

function logLevelOf(level: string | null | undefined): DiagLogLevel | undefined {
  if (level === null || level === undefined) return undefined;
  return LOG_LEVELS.find(([prefix]) => level.startsWith(prefix))?.[1];
}

/** Builds what the validated configuration describes; throws (after stopping what it built) on what it cannot. */
export function planFromConfig(model: ConfigurationModel, path: string, env: Env, argv: readonly string[]): FilePlan {
  const ignored = ignoredSections(model);
  if (ignored.length > 0) log.warn(`${path}: ignoring ${ignored.join(', ')} (the bridge builds the resource and span processors only)`);
  const logLevel = logLevelOf(model.log_level);
  if (model.disabled === true) return { disabled: true, resource: defaultResource(), spanProcessors: [], logLevel };
  const resource = resourceFromConfig(model.resource);
  const spanProcessors: SpanProcessor[] = [];
  try {
    for (const entry of processorEntries(model.tracer_provider?.processors ?? [])) {
      const processor = processorFromEntry(entry, env, argv);
      if (processor !== undefined) spanProcessors.push(processor);
    }
  } catch (error) {
    for (const processor of spanProcessors) void processor.shutdown().catch(() => undefined);
    throw error;
  }
  return { disabled: false, resource, spanProcessors, logLevel };
}
