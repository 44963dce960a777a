/** A small argv parser shared by the subcommands: `--name value`, `--name=value` and bare flags. */

export interface ParsedArgs {
  flags: Map<string, string | true>;
  positional: string[];
}

/** Parses `args`; `valued` names the options that take a value. Throws on an unknown option. */
export function parseArgs(args: readonly string[], valued: readonly string[], bare: readonly string[]): ParsedArgs {
  const flags = new Map<string, string | true>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (!arg.startsWith('--') || arg === '--') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    if (valued.includes(name)) {
      const value = eq === -1 ? args[++i] : arg.slice(eq + 1);
      if (value === undefined) throw new Error(`--${name} needs a value`);
      flags.set(name, value);
    } else if (bare.includes(name) && eq === -1) {
      flags.set(name, true);
    } else {
      throw new Error(`unknown option --${name}`);
    }
  }
  return { flags, positional };
}
