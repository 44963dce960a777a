/**
 * The `otel-segment-bridge` command: dispatches to the subcommands. Conventions shared by all of them:
 * `-h`/`--help` everywhere, `--` ends the options, and a usage error exits 2 with the command's usage on
 * standard error; any other failure exits 1.
 */
import { once } from 'node:events';
import { VERSION } from '../util/version.js';
import { ANONYMIZE_HELP, runAnonymize } from './anonymize.js';
import { usageOf, UsageError } from './args.js';
import { DISABLE_HELP, ENABLE_HELP, runDisable, runEnable } from './persistent-opt-out.js';
import { runSink, SINK_HELP } from './sink.js';

const HELP = `Usage: otel-segment-bridge <command> [options]
       otel-segment-bridge --version | --help

Commands:
  anonymize   print the anonymized form of SQL, as the exporter computes it
  sink        run a local Segment-compatible receiver that prints what it receives
  status      show whether telemetry is on, where it goes and what it may contain
  gateway     receive OTLP traces and forward their telemetry events to Segment
  disable     turn telemetry off for your user account (persistent)
  enable      undo "disable" (other opt-outs still apply)
  version     print the version (also -v, --version)
  help        show this help, or a command's ("help anonymize")

Run "otel-segment-bridge <command> --help" for a command's options.
Exit status: 0 success, 1 failure, 2 usage error (status has its own codes: see status --help).`;

/** Where the CLI writes: one or more lines (joined by "\n"); a returned promise means "wait before writing more". */
type Write = (lines: string) => void | Promise<void>;

function processWriter(stream: NodeJS.WriteStream): Write {
  return (lines) => {
    if (stream.write(lines + '\n')) return;
    return once(stream, 'drain').then(() => undefined);
  };
}

// status and gateway are loaded on demand: they pull in the SDK wiring and the OTLP decoders, which the
// other commands do not need.
async function helpOf(command: string | undefined): Promise<string | undefined> {
  switch (command) {
    case 'anonymize':
      return ANONYMIZE_HELP;
    case 'sink':
      return SINK_HELP;
    case 'status':
      return (await import('./status.js')).STATUS_HELP;
    case 'disable':
      return DISABLE_HELP;
    case 'enable':
      return ENABLE_HELP;
    case 'gateway':
      return (await import('./gateway.js')).GATEWAY_HELP;
    default:
      return undefined;
  }
}

async function dispatch(
  command: string,
  rest: readonly string[],
  out: (line: string) => void,
  write: Write,
): Promise<number> {
  switch (command) {
    case 'anonymize': {
      const input = process.stdin as AsyncIterable<Buffer>;
      const note = (line: string): void => void process.stderr.write(line + '\n');
      return await runAnonymize(rest, { input, isTTY: process.stdin.isTTY === true, out: write, note });
    }
    case 'sink':
      return await runSink(rest, out);
    case 'status': {
      const { runStatus } = await import('./status.js');
      return runStatus(rest, out);
    }
    case 'gateway': {
      const { runGateway } = await import('./gateway.js');
      return await runGateway(rest, out);
    }
    case 'disable':
      return runDisable(rest, out);
    case 'enable':
      return runEnable(rest, out);
    case 'version':
    case '--version':
    case '-v':
      out(VERSION);
      return 0;
    case 'help':
    case '--help':
    case '-h': {
      const help = command === 'help' && rest[0] !== undefined ? await helpOf(rest[0]) : HELP;
      if (help === undefined) throw new UsageError(`unknown command "${rest[0] ?? ''}"`);
      out(help);
      return 0;
    }
    default:
      throw new UsageError(command.startsWith('-') ? `unknown option ${command}` : `unknown command "${command}"`);
  }
}

/**
 * Runs the CLI with `argv` (without node and script); resolves to the exit code. `out` receives standard
 * output line by line and `err` standard error; by default they are the process's streams.
 */
export async function main(
  argv: readonly string[],
  out?: (line: string) => void,
  err?: (line: string) => void,
): Promise<number> {
  const write: Write = out ?? processWriter(process.stdout);
  const print = out ?? ((line: string): void => void process.stdout.write(line + '\n'));
  const error = err ?? ((line: string): void => void process.stderr.write(line + '\n'));
  const [command, ...rest] = argv;
  if (command === undefined) {
    error(HELP);
    return 2;
  }
  try {
    return await dispatch(command, rest, print, write);
  } catch (failure) {
    const message = failure instanceof Error ? failure.message : String(failure);
    if (!(failure instanceof UsageError)) {
      error(`otel-segment-bridge ${command}: ${message}`);
      return 1;
    }
    const help = await helpOf(command).catch(() => undefined);
    const name = help === undefined ? 'otel-segment-bridge' : `otel-segment-bridge ${command}`;
    const more = help === undefined ? 'otel-segment-bridge --help' : `otel-segment-bridge ${command} --help`;
    error(`${name}: ${message}\n\n${usageOf(help ?? HELP)}\n\nRun "${more}" for more.`);
    return 2;
  }
}
