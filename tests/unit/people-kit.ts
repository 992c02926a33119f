// Shared by the people tests: callers over the real adapters (an IPC window, a browser with its cookie jar) and
// digests of a database file read through a separate read-only connection, as another process would see it.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import type { MethodName, Result } from '../../shared/contract.ts';
import type { Role } from '../../shared/domain.ts';
import type { DemoAccount } from '../../shared/contracts/people.ts';
import { DEMO_ACCOUNTS } from '../../electron/core/people/demo-accounts.ts';
import { methodChannel, registerCoreIpc, type IpcInvokeEventLike, type IpcMainLike } from '../../electron/adapters/ipc/register-ipc.ts';
import type { HttpBridge } from '../../electron/adapters/http/server.ts';
import type { CoreHandle } from '../../electron/core/service-api.ts';

/** One caller of the contract: a window, a browser, each with its own session. */
export type ContractCaller = (method: string, input: unknown) => Promise<Result<unknown>>;

/** The first demo account of a role, with its published password. */
export function demoAccountOf(role: Role): DemoAccount {
  const account = DEMO_ACCOUNTS.find((demo) => demo.role === role);
  if (!account) throw new Error(`the demo has no ${role}`);
  return account;
}

type Listener = (event: IpcInvokeEventLike, ...args: unknown[]) => unknown;

/** Electron's ipcMain as the adapter sees it; each `window` is a WebContents id, so each holds its own session. */
export class FakeIpcMain implements IpcMainLike {
  private readonly handlers = new Map<string, Listener>();
  handle(channel: string, listener: Listener): void {
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  invoke(window: number, method: string, input: unknown): Promise<Result<unknown>> {
    const handler = this.handlers.get(methodChannel(method as MethodName));
    if (!handler) throw new Error(`no IPC handler for ${method}`);
    return Promise.resolve(handler({ senderFrame: { url: CONSOLE_URL }, sender: { id: window } }, input) as Promise<Result<unknown>>);
  }
}

const CONSOLE_URL = 'attest://app/index.html';

/** The IPC adapter over a real core: `window()` is a new console window (trusted frame, no session yet). */
export function ipcWindows(core: CoreHandle): { window(): ContractCaller } {
  const ipc = new FakeIpcMain();
  registerCoreIpc(ipc, core, (url) => url.startsWith('attest://app/'));
  let nextId = 1;
  return {
    window() {
      const id = nextId++;
      return (method, input) => ipc.invoke(id, method, input);
    },
  };
}

/** A browser talking to the bridge: it sends the run token and keeps the cookies the bridge sets, as a browser does. */
export class BrowserSession {
  cookie: string | null = null;
  readonly setCookies: string[] = [];
  private readonly bridge: HttpBridge;
  private readonly token: string | null;
  constructor(bridge: HttpBridge, token: string | null = bridge.token) {
    this.bridge = bridge;
    this.token = token;
  }

  readonly call: ContractCaller = async (method, input) => {
    const response = await this.post(method, input);
    return (await response.json()) as Result<unknown>;
  };

  async post(method: string, input: unknown): Promise<Response> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (this.token) headers['X-Attest-Token'] = this.token;
    if (this.cookie) headers.Cookie = this.cookie;
    const response = await fetch(`http://127.0.0.1:${this.bridge.port}/api/rpc/${method}`, { method: 'POST', headers, body: JSON.stringify(input) });
    for (const header of response.headers.getSetCookie()) {
      this.setCookies.push(header);
      const [pair] = header.split(';');
      const value = pair!.slice(pair!.indexOf('=') + 1);
      this.cookie = value ? pair! : null;
    }
    return response;
  }

  /** Opens the event stream; the response status tells whether the bridge let it through. */
  async events(): Promise<number> {
    const controller = new AbortController();
    const headers: Record<string, string> = this.cookie ? { Cookie: this.cookie } : {};
    const response = await fetch(`http://127.0.0.1:${this.bridge.port}/api/events?token=${encodeURIComponent(this.token ?? '')}`, { headers, signal: controller.signal });
    controller.abort();
    return response.status;
  }
}

/** Creates a static directory the bridge can serve. */
export function staticDirIn(dir: string): string {
  const staticDir = join(dir, 'renderer');
  mkdirSync(staticDir, { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Attest</title>');
  return staticDir;
}

function readOnly<T>(dbPath: string, read: (db: Database.Database) => T): T {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** The ledger's length and head hash. */
export function ledgerHead(dbPath: string): { count: number; head: string | null } {
  return readOnly(dbPath, (db) => ({
    count: db.prepare('SELECT count(*) FROM events').pluck().get() as number,
    head: (db.prepare('SELECT hash FROM events ORDER BY seq DESC LIMIT 1').pluck().get() as string | undefined) ?? null,
  }));
}

/**
 * A digest of every row of every table (the ledger, projections, credentials, settings): the file's content.
 * `exceptAccessLog`: without the access log's events and the process's session.started (a CLI command signs in, and
 * that is recorded, before the permission table refuses it) and the head pointer they move (`ledger_head`); every other event still counts.
 */
export function contentDigest(dbPath: string, options: { exceptAccessLog?: boolean } = {}): string {
  return readOnly(dbPath, (db) => {
    const hash = createHash('sha256');
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
    for (const table of tables) {
      if (options.exceptAccessLog && table === 'ledger_head') continue;
      // A process that writes (a sign-in included) first records its session.started (sessions/session-start.ts).
      const where = options.exceptAccessLog && table === 'events' ? " WHERE type NOT LIKE 'access.%' AND type <> 'session.started'" : '';
      const rows = (db.prepare(`SELECT * FROM "${table.replaceAll('"', '""')}"${where}`).all() as unknown[]).map((row) => JSON.stringify(row)).sort();
      hash.update(`${table}\n${rows.join('\n')}\n`);
    }
    return hash.digest('hex');
  });
}

/** Every event of the ledger as stored (type, actor and payload text). */
export function storedEvents(dbPath: string): { seq: number; type: string; actor: string; payload: string }[] {
  return readOnly(dbPath, (db) => db.prepare('SELECT seq, type, actor, payload FROM events ORDER BY seq').all() as { seq: number; type: string; actor: string; payload: string }[]);
}

/** The stored scrypt hashes of the accounts' passwords. */
export function storedPasswordHashes(dbPath: string): string[] {
  return readOnly(dbPath, (db) => db.prepare('SELECT password FROM account_credentials').pluck().all() as string[]);
}

/** The id of the ledger's first ticket. */
export function firstTicket(dbPath: string): string {
  return readOnly(dbPath, (db) => db.prepare('SELECT ticket_id FROM events WHERE ticket_id IS NOT NULL ORDER BY seq LIMIT 1').pluck().get() as string);
}
