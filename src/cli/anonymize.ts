/** `otel-segment-bridge anonymize`: shows exactly what the bridge would send for a piece of SQL. */
import { privatize } from '../exporter/privacy.js';
import { parseArgs } from './args.js';

export const ANONYMIZE_HELP = `Usage: otel-segment-bridge anonymize [--dialect mysql|postgres] [--json] [SQL]

Prints the anonymized form of SQL exactly as a proxied_query would be sent: identifiers become anon_id_N,
literals '<anonymized>', comments are removed; input that cannot be split into tokens safely becomes a fixed
redaction. Reads standard input when SQL is not given.

  --dialect D   mysql or postgres (default: strict, as for an event without db_backend)
  --json        print {"proxied_query": …, "query_id": …} instead of the text alone
  --help        show this help`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

export async function runAnonymize(
  args: readonly string[],
  out: (line: string) => void,
  input: () => Promise<string> = readStdin,
): Promise<number> {
  const { flags, positional } = parseArgs(args, ['dialect'], ['help', 'json']);
  if (flags.has('help')) {
    out(ANONYMIZE_HELP);
    return 0;
  }
  const dialect = flags.get('dialect') ?? 'strict';
  if (dialect !== 'mysql' && dialect !== 'postgres' && dialect !== 'strict') throw new Error('--dialect must be mysql or postgres');
  const sql = positional.length > 0 ? positional.join(' ') : await input();
  const sent = privatize({ proxied_query: sql }, dialect);
  out(flags.has('json') ? JSON.stringify({ proxied_query: sent.proxied_query, query_id: sent.query_id }) : (sent.proxied_query ?? ''));
  return 0;
}
