/** Captures what the library logs through the OpenTelemetry diag API. */
import { diag, DiagLogLevel } from '@opentelemetry/api';
import type { DiagLogger } from '@opentelemetry/api';

export interface CapturedLog {
  level: 'error' | 'warn' | 'info' | 'debug' | 'verbose';
  message: string;
}

/** Installs a diag logger at ALL level that records every line; returns the list it fills. */
export function captureDiag(): CapturedLog[] {
  const lines: CapturedLog[] = [];
  const record =
    (level: CapturedLog['level']) =>
    (message: string, ...args: unknown[]) => {
      lines.push({ level, message: [message, ...args.map(String)].join(' ') });
    };
  const logger: DiagLogger = {
    error: record('error'),
    warn: record('warn'),
    info: record('info'),
    debug: record('debug'),
    verbose: record('verbose'),
  };
  diag.setLogger(logger, { logLevel: DiagLogLevel.ALL, suppressOverrideMessage: true });
  return lines;
}
