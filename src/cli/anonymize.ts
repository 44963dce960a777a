/**
 * `otel-segment-bridge anonymize`: the anonymized text and query_id the exporter computes for a piece of SQL.
 * Standard input is read in chunks and never held whole: without --lines it is one statement of at most
 * MAX_STATEMENT_BYTES; with --lines each line is a statement, streamed through with bounded memory.
 */
import { privatize } from '../exporter/privacy.js';
import { atMost, parseArgs, UsageError } from './args.js';

/** The longest statement read: the whole input without --lines, one line with --lines. */
export const MAX_STATEMENT_BYTES = 1024 * 1024;

export const ANONYMIZE_HELP = `Usage: otel-segment-bridge anonymize [--dialect mysql|postgres] [--json] [--lines] [--] [SQL...]

Prints the anonymized form of SQL as the exporter computes it for a proxied_query: identifiers become
anon_id_N, literals '<anonymized>', comments are removed; input that cannot be split into tokens safely
becomes a fixed redaction. (The exporter may still shorten a message over 32 KB when it sends it.)

SQL comes from the arguments (joined by spaces) or, when there are none or the only one is "-", from standard
input. Without --lines, standard input is one statement of at most 1 MiB; larger input is refused: use --lines.

  -d, --dialect D   mysql or postgres (default: strict, as for an event without db_backend)
      --json        print {"proxied_query": …, "query_id": …} instead of the text alone
  -l, --lines       one statement per line of standard input, one result per line (blank lines stay blank),
                    in constant memory for any input size; each line at most 1 MiB
  -h, --help        show this help

Exit status: 0 done, 1 input too large or unreadable, 2 usage error.`;

type Dialect = 'mysql' | 'postgres' | 'strict';

/** Where the command reads and writes; the CLI passes the process's streams, tests pass their own. */
export interface AnonymizeIO {
  /** Standard input, read chunk by chunk. */
  input: AsyncIterable<Buffer | string>;
  /** True when standard input is a terminal: the command then says what it expects. */
  isTTY: boolean;
  /** Writes one or more lines (joined by "\n"); a returned promise means "wait before writing more". */
  out: (lines: string) => void | Promise<void>;
  /** A message for the person at the terminal (standard error). */
  note: (line: string) => void;
}

/** The one call into the exporter's privacy step, so the CLI shows what the exporter computes. */
function anonymizeStatement(sql: string, dialect: Dialect, json: boolean): string {
  const sent = privatize({ proxied_query: sql }, dialect);
  return json
    ? JSON.stringify({ proxied_query: sent.proxied_query, query_id: sent.query_id })
    : (sent.proxied_query ?? '');
}

function toBuffer(chunk: Buffer | string): Buffer {
  return typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
}

/** Reads all of `input` as one statement, refusing (without reading further) past MAX_STATEMENT_BYTES. */
async function readStatement(input: AsyncIterable<Buffer | string>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    const buffer = toBuffer(chunk);
    size += buffer.length;
    if (size > MAX_STATEMENT_BYTES) {
      throw new Error(
        'standard input is over 1 MiB, the most read as one statement; for one statement per line use --lines',
      );
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Streams `input` line by line: splitting bytes on "\n" is safe for UTF-8 (no multi-byte sequence contains
 * it). Each chunk's results are written together, and the next chunk is read only after they were taken.
 */
async function streamLines(io: AnonymizeIO, convert: (line: string) => string): Promise<void> {
  let partial: Buffer[] = [];
  let partialSize = 0;
  let lineNumber = 0;
  const finish = (bytes: Buffer): string => {
    lineNumber++;
    const line = bytes.toString('utf8').replace(/\r$/, '');
    return line.trim() === '' ? '' : convert(line);
  };
  const tooLong = (): Error => new Error(`line ${lineNumber + 1} is over 1 MiB, the longest statement read`);
  for await (const chunk of io.input) {
    const buffer = toBuffer(chunk);
    const results: string[] = [];
    let start = 0;
    for (let newline = buffer.indexOf(10); newline !== -1; newline = buffer.indexOf(10, start)) {
      const tail = buffer.subarray(start, newline);
      if (partialSize + tail.length > MAX_STATEMENT_BYTES) throw tooLong();
      results.push(finish(partial.length === 0 ? tail : Buffer.concat([...partial, tail])));
      partial = [];
      partialSize = 0;
      start = newline + 1;
    }
    if (start < buffer.length) {
      partialSize += buffer.length - start;
      if (partialSize > MAX_STATEMENT_BYTES) throw tooLong();
      partial.push(buffer.subarray(start));
    }
    if (results.length > 0) await io.out(results.join('\n'));
  }
  if (partialSize > 0) await io.out(finish(Buffer.concat(partial)));
}

export async function runAnonymize(args: readonly string[], io: AnonymizeIO): Promise<number> {
  const { flags, positional } = parseArgs(args, ['dialect'], ['help', 'json', 'lines'], { d: 'dialect', l: 'lines' });
  if (flags.has('help')) {
    await io.out(ANONYMIZE_HELP);
    return 0;
  }
  const dialect = flags.get('dialect') ?? 'strict';
  if (dialect !== 'mysql' && dialect !== 'postgres' && dialect !== 'strict') {
    throw new UsageError(`--dialect must be mysql or postgres, not "${String(dialect)}"`);
  }
  const json = flags.has('json');
  const fromStdin = positional.length === 0 || (positional.length === 1 && positional[0] === '-');
  if (flags.has('lines')) {
    if (!fromStdin) throw new UsageError('--lines reads standard input: give no SQL argument');
    atMost(positional, 1);
    if (io.isTTY)
      io.note('anonymize --lines: type one SQL statement per line; end with Ctrl-D (Ctrl-Z then Enter on Windows).');
    await streamLines(io, (line) => anonymizeStatement(line, dialect, json));
    return 0;
  }
  if (fromStdin && io.isTTY) {
    io.note('anonymize: type one SQL statement (several lines are fine), then Ctrl-D (Ctrl-Z then Enter on Windows).');
    io.note('Or pass the SQL as an argument; see otel-segment-bridge anonymize --help.');
  }
  const sql = fromStdin ? await readStatement(io.input) : positional.join(' ');
  await io.out(anonymizeStatement(sql, dialect, json));
  return 0;
}
