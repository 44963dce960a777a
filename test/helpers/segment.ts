/** The one test-exporter factory: a SegmentSpanExporter pointed at a loopback receiver, the environment ignored. */
import { SegmentSpanExporter } from '../../src/index.js';
import type { SegmentExporterOptions, SettingsSources } from '../../src/index.js';

/** Settings sources with no environment and no argv: tests never depend on the developer's shell. */
export const NO_ENV: SettingsSources = { env: {}, argv: [] };

/** An exporter sending to `receiver` with `options` (a write key among them, unless the test wants none). */
export function testExporter(
  receiver: { url: string },
  options: SegmentExporterOptions = {},
  sources: SettingsSources = NO_ENV,
): SegmentSpanExporter {
  return new SegmentSpanExporter({ host: receiver.url, ...options }, sources);
}
