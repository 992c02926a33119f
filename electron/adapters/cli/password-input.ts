// Where the CLI gets passwords: the first line of a file (scripts: --password-file, ATTEST_PASSWORD_FILE) or typed
// at a terminal without echo. Never from a flag's value, which would land in the shell history and `ps`.
import { existsSync, readFileSync } from 'node:fs';
import { CliError } from './output.ts';

/** The first line of a password file, its line ending stripped. */
export function passwordFromFile(path: string, what: string): string {
  if (!existsSync(path)) throw new CliError(`${what} ${path}: no such file`, 2);
  const line = readFileSync(path, 'utf8').split(/\r?\n/)[0] ?? '';
  if (line === '') throw new CliError(`${what} ${path}: the first line is empty`, 2);
  return line;
}

export const hasTerminal = (): boolean => process.stdin.isTTY === true;

/** Reads one line from the terminal with echo off (raw mode): Enter ends it, Backspace erases, Ctrl-C cancels. */
export function promptHidden(question: string): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) throw new CliError('no terminal to type a password at', 2);
  return new Promise((resolve, reject) => {
    let typed: string[] = [];
    const finish = (error?: CliError): void => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(typed.join(''));
    };
    const onData = (chunk: string): void => {
      for (const character of chunk) {
        if (character === '\r' || character === '\n' || character === '\u0004') return finish();
        if (character === '\u0003') return finish(new CliError('cancelled', 130));
        if (character === '\u007f' || character === '\b') typed = typed.slice(0, -1);
        else if (character >= ' ') typed.push(character);
      }
    };
    // Echo off before the prompt shows: whatever is typed (or pasted) as soon as it appears is never echoed.
    input.setEncoding('utf8');
    input.setRawMode(true);
    process.stderr.write(question);
    input.resume();
    input.on('data', onData);
  });
}

/**
 * A new password: the first line of `file`, or typed twice at the terminal (the two must match). Without either,
 * a usage error (exit 2) that says how to give one. The password policy is the core's (passwords.ts).
 */
export async function newPassword(file: string | undefined, whose: string): Promise<string> {
  if (file !== undefined) return passwordFromFile(file, '--password-file');
  if (!hasTerminal()) throw new CliError(`a new password for ${whose} is needed: give --password-file FILE (first line) or run on a terminal to type it`, 2);
  const first = await promptHidden(`New password for ${whose}: `);
  const again = await promptHidden('Type it again: ');
  if (first !== again) throw new CliError('the two passwords differ; nothing changed', 2);
  if (first === '') throw new CliError('no password typed; nothing changed', 2);
  return first;
}
