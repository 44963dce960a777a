/** The `otel-segment-bridge` command: dispatches to the subcommands. */
import { runAnonymize } from './anonymize.js';
import { runSink } from './sink.js';
import { runStatus } from './status.js';

const HELP = `Usage: otel-segment-bridge <command> [options]

Commands:
  anonymize   print the anonymized form of SQL, exactly as it would be sent
  sink        run a local Segment-compatible receiver that prints what it receives
  status      show whether telemetry is on, where it goes and what it may contain

Run "otel-segment-bridge <command> --help" for a command's options.`;

/** Runs the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: readonly string[], out = (line: string): void => void process.stdout.write(line + '\n')): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'anonymize':
        return await runAnonymize(rest, out);
      case 'sink':
        return await runSink(rest, out);
      case 'status':
        return runStatus(rest, out);
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        out(HELP);
        return command === undefined ? 1 : 0;
      default:
        process.stderr.write(`otel-segment-bridge: unknown command "${command}"\n\n${HELP}\n`);
        return 2;
    }
  } catch (error) {
    process.stderr.write(`otel-segment-bridge ${command}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
}
