/**
 * The argv conventions every subcommand shares: `--name value`, `--name=value`, `-x value` (a one-letter alias),
 * bare flags (`--json`, and `--json=true|1|false|0`), `-h` for `--help` wherever a command has help, `--` ends the
 * options, and `-` alone is an argument (standard input, by convention). A mistake throws a UsageError naming it.
 */

import { closest } from '../util/did-you-mean.js';

/** A mistake in the command line: the CLI prints it with the command's usage and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface ParsedArgs {
  flags: Map<string, string | true>;
  positional: string[];
}

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'on']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'off']);

function unknown(option: string, known: readonly string[]): UsageError {
  const name = option.replace(/^-+/, '');
  const close = closest(name, known);
  const hint = close === undefined ? '' : ` (did you mean --${close}?)`;
  return new UsageError(`unknown option ${option}${hint}`);
}

/**
 * Parses `args`. `valued` names the options that take a value, `bare` the flags; `short` maps one-letter
 * aliases to those names (`-h` means `--help` whenever `help` is a flag). A flag given `=false` or `=0` is
 * treated as absent. Throws a UsageError on an unknown option or a missing value.
 */
export function parseArgs(
  args: readonly string[],
  valued: readonly string[],
  bare: readonly string[],
  short: Readonly<Record<string, string>> = {},
): ParsedArgs {
  const aliases: Record<string, string> = bare.includes('help') ? { h: 'help', ...short } : { ...short };
  const known = [...valued, ...bare];
  const flags = new Map<string, string | true>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    let name: string;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      inline = eq === -1 ? undefined : arg.slice(eq + 1);
    } else {
      const alias = aliases[arg.slice(1)];
      if (alias === undefined) throw unknown(arg, known);
      name = alias;
    }
    if (valued.includes(name)) {
      const value = inline ?? args[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      flags.set(name, value);
    } else if (bare.includes(name)) {
      if (inline === undefined || TRUE_WORDS.has(inline.toLowerCase())) flags.set(name, true);
      else if (FALSE_WORDS.has(inline.toLowerCase())) flags.delete(name);
      else throw new UsageError(`--${name} takes no value (or true/false)`);
    } else {
      throw unknown(arg.startsWith('--') ? `--${name}` : arg, known);
    }
  }
  return { flags, positional };
}

/** Throws a UsageError when more than `max` arguments were given. */
export function atMost(positional: readonly string[], max: number): void {
  if (positional.length > max) throw new UsageError(`unexpected argument "${positional[max] ?? ''}"`);
}

/** The usage line(s) of a help text: its first paragraph. */
export function usageOf(help: string): string {
  return help.split('\n\n')[0] ?? help;
}
