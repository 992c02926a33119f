import type { ParseArgsOptionsConfig } from 'node:util';

export interface CommandArgs {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  /** Positionals after the command's name (and its subcommand, if it has one). */
  positionals: string[];
}

export interface Command {
  /** "verify", or "contract import" for a subcommand. */
  name: string;
  usage: string;
  /** Options besides --db and --json, which every command accepts. */
  options?: ParseArgsOptionsConfig;
  run(args: CommandArgs): number | Promise<number>;
}
