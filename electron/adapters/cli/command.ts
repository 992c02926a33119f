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
  /**
   * The command reads its key files itself (encrypt, rekey); every other command opens --db with the key in
   * --key-file or ATTEST_KEY_FILE, if one is given (db-args.ts useKeyFileFor).
   */
  managesKeys?: boolean;
  run(args: CommandArgs): number | Promise<number>;
}
