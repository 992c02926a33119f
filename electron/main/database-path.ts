// Where the Electron shell finds its database: `--db=FILE` (or `--db FILE`) on the command line, else
// the demo database in the user-data directory, generated on first run. No Electron imports: shared
// with scripts/start.ts and testable in Node.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ROLES, type Role } from '../../shared/domain.ts';
import { createDemoDatabase } from '../core/demo-database.ts';
import { useDatabaseKey, type DatabaseKey } from '../core/db/database-key.ts';

export const DEMO_DATABASE_NAME = 'attest-demo.db';

export interface ShellArgs {
  db?: string;
  /** `--key-file=F`: the key file of an encrypted --db made elsewhere (e.g. by `attest encrypt`). */
  keyFile?: string;
  role?: Role;
  ollamaHost?: string;
}

function flagValue(argv: readonly string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith(`--${name}=`)) return arg.slice(name.length + 3);
    if (arg === `--${name}`) {
      const next = argv[i + 1];
      if (next !== undefined && !next.startsWith('--')) return next;
    }
  }
  return undefined;
}

/** Reads the shell's own flags from argv (everything else, e.g. Chromium switches, is ignored). */
export function parseShellArgs(argv: readonly string[], cwd: string = process.cwd()): ShellArgs {
  const args: ShellArgs = {};
  const db = flagValue(argv, 'db');
  if (db) args.db = resolve(cwd, db);
  const keyFile = flagValue(argv, 'key-file');
  if (keyFile) args.keyFile = resolve(cwd, keyFile);
  const role = flagValue(argv, 'role');
  if (role && (ROLES as readonly string[]).includes(role)) args.role = role as Role;
  const ollama = flagValue(argv, 'ollama-host');
  if (ollama) args.ollamaHost = ollama;
  return args;
}

/**
 * Makes sure the demo database at `dbPath` exists; an interrupted first run never leaves a half-filled ledger behind.
 * With a key (the desktop app's, main/database-key.ts) it is created encrypted. Returns true when it was created now.
 */
export function ensureDemoDatabase(dbPath: string, options: { tickets?: number; seed?: number; key?: DatabaseKey | null } = {}): boolean {
  if (existsSync(dbPath)) return false;
  mkdirSync(dirname(dbPath), { recursive: true });
  const { key, ...demo } = options;
  if (key) useDatabaseKey(dbPath, key);
  // createDemoDatabase builds it under a hidden name beside dbPath and moves it into place only when complete.
  createDemoDatabase(dbPath, demo);
  return true;
}

/**
 * The directory Electron uses as `userData` for Attest (appData + "Attest"): ~/.config/Attest
 * (or $XDG_CONFIG_HOME/Attest) on Linux, %APPDATA%\\Attest on Windows, ~/Library/Application Support/Attest
 * on macOS. The browser-mode fallback of scripts/start.ts uses it too, so both modes share the demo database.
 */
export function userDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = env.HOME ?? env.USERPROFILE ?? '.',
): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Attest');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Attest');
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'Attest');
}
