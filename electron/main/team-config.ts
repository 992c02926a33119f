// The Electron console's remembered team ledger ("Connect to a team ledger…"), without Electron: what the person
// typed (host, port, database, user) checked and turned into a PostgreSQL URL, and kept in the user data folder —
// the fields in a plain JSON file, the password only as an encrypted blob through an injected protector (Electron's
// safeStorage), never in plain text. No Electron imports: tested in Node (tests/unit/team-electron-config.test.ts).
import { hash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyProtector } from '../core/checkpoints/installation-key.ts';

export interface TeamConnectionFields {
  host: string;
  port: number;
  database: string;
  user: string;
}

export interface SavedTeamConnection extends TeamConnectionFields {
  /** The console's replica of the team ledger: a file of the user data folder, one per team ledger. */
  replicaFile: string;
  /** Whether an encrypted password was kept with it. */
  passwordSaved: boolean;
}

export interface LoadedTeamConnection {
  connection: SavedTeamConnection;
  /** null: none was kept, or it could not be decrypted (see problem). */
  password: string | null;
  problem: string | null;
}

/** What a person typed is not a usable team ledger address; the message lists every problem. */
export class TeamConfigError extends Error {}

export const DEFAULT_POSTGRES_PORT = 5432;
export const CONFIG_FILE = 'team-connection.json';
export const PASSWORD_FILE = 'team-password.bin';
/** PostgreSQL truncates identifiers (role and database names) longer than this many bytes. */
const MAX_IDENTIFIER_BYTES = 63;
const HOST_NAME = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/;
const IPV6 = /^[0-9A-Fa-f:.]+$/;

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '');

/** Checks the form's fields; throws TeamConfigError naming every field that is wrong. */
export function parseTeamFields(input: Record<string, unknown>): TeamConnectionFields {
  const problems: string[] = [];
  const host = text(input.host).replace(/^\[(.*)\]$/, '$1');
  if (!host) problems.push('host: required (the PostgreSQL server, e.g. db.example.internal)');
  else if (!HOST_NAME.test(host) && !(host.includes(':') && IPV6.test(host))) problems.push(`host: "${host}" is not a host name or IP address`);
  const portText = text(input.port);
  const port = portText === '' ? DEFAULT_POSTGRES_PORT : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) problems.push(`port: "${portText}" is not a port number (1–65535)`);
  const database = text(input.database);
  const user = text(input.user);
  for (const [name, value] of [['database', database], ['user', user]] as const) {
    if (!value) problems.push(`${name}: required`);
    else if (Buffer.byteLength(value) > MAX_IDENTIFIER_BYTES) problems.push(`${name}: longer than PostgreSQL's ${MAX_IDENTIFIER_BYTES} bytes`);
  }
  if (problems.length > 0) throw new TeamConfigError(problems.join('\n'));
  return { host, port, database, user };
}

/** The URL the core connects with (`team: { url }`): every part percent-encoded, IPv6 hosts in brackets. */
export function teamUrl(fields: TeamConnectionFields, password: string): string {
  const host = fields.host.includes(':') ? `[${fields.host}]` : fields.host;
  const credentials = `${encodeURIComponent(fields.user)}${password ? `:${encodeURIComponent(password)}` : ''}`;
  return `postgres://${credentials}@${host}:${fields.port}/${encodeURIComponent(fields.database)}`;
}

/** user@host:port/database — how the console names a team ledger (never with its password). */
export function describeConnection(fields: TeamConnectionFields): string {
  const host = fields.host.includes(':') ? `[${fields.host}]` : fields.host;
  return `${fields.user}@${host}:${fields.port}/${fields.database}`;
}

/** One replica file per team ledger (readable name, plus a digest so two similar names never share a file). */
export function replicaFileName(fields: TeamConnectionFields): string {
  const slug = (value: string): string => value.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 40);
  const digest = hash('sha256', `${fields.host.toLowerCase()}\u0000${fields.port}\u0000${fields.database}`, 'hex').slice(0, 8);
  return `team-${slug(fields.host)}-${fields.port}-${slug(fields.database)}-${digest}.db`;
}

/**
 * Linux without a keyring: safeStorage's 'basic_text' backend encrypts with a key built into Chromium, so the
 * password file is only obscured. The person is told before it is kept.
 */
export function passwordStorageWarning(backend: string | null, platform: NodeJS.Platform = process.platform): string | null {
  if (platform !== 'linux' || backend !== 'basic_text') return null;
  return 'No keyring (GNOME Keyring, KWallet) was found: the password would be stored encrypted with a key built into Attest, so anyone who can read your user data folder could recover it.';
}

function writeAtomically(path: string, data: string | Buffer): void {
  const partial = `${path}.partial`;
  writeFileSync(partial, data, { mode: 0o600 });
  renameSync(partial, path);
}

/** The remembered team ledger in one folder (the user data folder). */
export class TeamConnectionStore {
  private readonly dir: string;
  private readonly protector: KeyProtector | null;

  /** `protector`: null when this computer cannot encrypt (then no password is ever kept). */
  constructor(dir: string, protector: KeyProtector | null) {
    this.dir = dir;
    this.protector = protector;
  }

  get canKeepPassword(): boolean {
    return this.protector !== null;
  }

  replicaPath(connection: SavedTeamConnection): string {
    return join(this.dir, connection.replicaFile);
  }

  /** The remembered connection, or null when none is (or its file is unreadable: then it is as if none were). */
  load(): LoadedTeamConnection | null {
    const configPath = join(this.dir, CONFIG_FILE);
    if (!existsSync(configPath)) return null;
    let saved: Record<string, unknown>;
    let fields: TeamConnectionFields;
    try {
      saved = JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, unknown>;
      fields = parseTeamFields(saved);
    } catch {
      return null;
    }
    const replicaFile = typeof saved.replicaFile === 'string' && /^[A-Za-z0-9._-]+\.db$/.test(saved.replicaFile) ? saved.replicaFile : replicaFileName(fields);
    const secretPath = join(this.dir, PASSWORD_FILE);
    const passwordSaved = existsSync(secretPath);
    const connection: SavedTeamConnection = { ...fields, replicaFile, passwordSaved };
    if (!passwordSaved) return { connection, password: null, problem: null };
    if (!this.protector) return { connection, password: null, problem: 'the saved password cannot be decrypted here (no safe storage available)' };
    try {
      return { connection, password: this.protector.decrypt(readFileSync(secretPath)).toString('utf8'), problem: null };
    } catch (error) {
      return { connection, password: null, problem: `the saved password could not be decrypted (${(error as Error).message})` };
    }
  }

  /**
   * Remembers the connection; the password encrypted when `password` is given (refused without a protector: it is
   * never written in plain text), any earlier one removed when it is null.
   */
  save(fields: TeamConnectionFields, password: string | null): SavedTeamConnection {
    if (password !== null && !this.protector) throw new TeamConfigError('the password cannot be kept: this computer offers no encrypted storage');
    mkdirSync(this.dir, { recursive: true });
    const connection: SavedTeamConnection = { ...fields, replicaFile: replicaFileName(fields), passwordSaved: password !== null };
    const secretPath = join(this.dir, PASSWORD_FILE);
    if (password !== null) writeAtomically(secretPath, this.protector!.encrypt(Buffer.from(password, 'utf8')));
    else rmSync(secretPath, { force: true });
    const { host, port, database, user, replicaFile } = connection;
    writeAtomically(join(this.dir, CONFIG_FILE), `${JSON.stringify({ host, port, database, user, replicaFile, savedAt: new Date().toISOString() }, null, 2)}\n`);
    return connection;
  }

  /** Forgets the team ledger (the replica file stays: reconnecting later catches it up). */
  forget(): void {
    rmSync(join(this.dir, CONFIG_FILE), { force: true });
    rmSync(join(this.dir, PASSWORD_FILE), { force: true });
  }
}

const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The connect form (a data: page without scripts of its own; the Electron side reads the submitted fields). The
 * password field is never pre-filled.
 */
export type ConnectFormFields = Partial<Record<keyof TeamConnectionFields, string | number>>;

export function connectFormHtml(options: { fields?: ConnectFormFields; error?: string | null; warning?: string | null } = {}): string {
  const value = (name: keyof TeamConnectionFields): string => escapeHtml(options.fields?.[name] === undefined ? '' : String(options.fields[name]));
  const field = (name: keyof TeamConnectionFields | 'password', label: string, attributes: string): string =>
    `<label>${label}<input name="${name}" ${attributes}${name === 'password' ? '' : ` value="${value(name)}"`}></label>`;
  const note = (className: string, message: string | null | undefined): string =>
    message ? `<p class="${className}" role="${className === 'error' ? 'alert' : 'note'}">${escapeHtml(message).replace(/\n/g, '<br>')}</p>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Connect to a team ledger</title>
<style>
body { font: 14px system-ui, sans-serif; margin: 20px; background: #0f1115; color: #e6e6e6; }
label { display: block; margin: 8px 0; } input { display: block; width: 100%; box-sizing: border-box; padding: 6px; margin-top: 2px; }
.error { color: #ff8a80; } .warning { color: #ffd180; } .buttons { text-align: right; margin-top: 14px; } button { margin-left: 8px; padding: 6px 14px; }
</style></head><body>
<form id="team" autocomplete="off">
<p>The team ledger is a PostgreSQL database (version 14 or later) set up with <code>attest team init</code>. Connect as its writer role.</p>
${field('host', 'Host', 'required autofocus')}
${field('port', 'Port', `inputmode="numeric" placeholder="${DEFAULT_POSTGRES_PORT}"`)}
${field('database', 'Database', 'required')}
${field('user', 'User', 'required')}
${field('password', 'Password', 'type="password"')}
${note('error', options.error)}${note('warning', options.warning)}
<div class="buttons"><button type="button" id="cancel">Cancel</button><button type="submit">Connect</button></div>
</form></body></html>`;
}

export function htmlDataUrl(html: string): string {
  return `data:text/html;charset=utf-8,${encodeURIComponent(html)}`;
}
