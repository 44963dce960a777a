#!/usr/bin/env node
/** Entry of the `otel-segment-bridge` executable. */
import { main } from './main.js';

// A reader that stops early (`anonymize --lines < big.sql | head`) is not an error of ours: end quietly.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `otel-segment-bridge: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
