// The permission matrix, generated from the one table (shared/permissions.ts) and the contract's method list, so a
// new method cannot be forgotten: every method × every role and no session, over the real IPC adapter and the real
// HTTP bridge, each in front of a real core on a real demo database with accounts.
//   allowed  → the call passes the gate: it reaches input validation (the probe below is no valid input for any
//              method, so nothing runs and the answer is invalid_input);
//   refused  → `forbidden` (a role) or `unauthenticated` (no session) with the table's plain sentence, and the
//              ledger and the whole file unchanged — even though the refused call carries an input that would
//              write if it ran.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METHOD_NAMES, parseInput, type MethodName, type Result } from '../../shared/contract.ts';
import { ROLES, type Role } from '../../shared/domain.ts';
import { KPI_DRILL } from '../../shared/contracts/kpis.ts';
import { PERMISSIONS, isPublic, mayDo, refusal } from '../../shared/permissions.ts';
import { createDemoDatabase } from '../../electron/core/demo-database.ts';
import { openCore } from '../../electron/core/service.ts';
import type { CoreHandle } from '../../electron/core/service-api.ts';
import { startHttpBridge, type HttpBridge } from '../../electron/adapters/http/server.ts';
import { BrowserSession, contentDigest, demoAccountOf, ipcWindows, ledgerHead, staticDirIn, storedEvents, firstTicket, type ContractCaller } from './people-kit.ts';

/** No contract schema accepts a bare string: an allowed call stops at validation, after the gate. */
const PROBE = 'not an input: the permission matrix probes the gate';

/** Inputs that would change the demo ledger if the call ran: what a refused caller sends. */
function wouldWrite(ticket: string): Partial<Record<MethodName, unknown>> {
  return {
    'auth.logout': {},
    'users.add': { name: 'intruder', display: 'Ian Truder', role: 'admin', password: 'a-long-enough-passphrase-7' },
    'users.setRole': { name: 'jlindqvist', role: 'admin' },
    'users.disable': { name: 'admin' },
    'users.enable': { name: 'admin' },
    'users.setPassword': { name: 'admin', password: 'a-long-enough-passphrase-7' },
    'people.setIdleMinutes': { minutes: 1 },
    'import.jsonl': { fileName: 'x.jsonl', text: JSON.stringify({ ticket: 'INJ-1', type: 'created', at: '2026-01-01T00:00:00Z', channel: 'email', priority: 'normal', category: 'billing', subject: 'Injected', requester: 'c-1' }) },
    'categories.setMode': { category: 'billing', mode: 'off', reason: 'matrix' },
    'kpis.freezeBaseline': { name: 'matrix', from: '2020-01-01', to: '2030-01-01' },
    'sla.importPolicies': { fileName: 'p.json', text: '[]' },
    'ai.configure': { host: null, model: 'm', confidenceThreshold: 0.5, parallel: 1, redaction: { card: true, iban: true, email: true, phone: true }, reason: 'matrix' },
    'ai.allowRemoteHost': { host: 'http://ollama.matrix.invalid:11434', reason: 'matrix' },
    'organization.configure': { name: 'Matrix Inc', aiSignature: null, aiDisclosure: null, reason: 'matrix' },
    'ai.resolve': { limit: 1 },
    'ai.cancel': {},
    'ai.draftLive': { ticketId: ticket },
    'kb.edit': { id: 'matrix-article', title: 'Matrix', body: 'written by a refused caller', tags: [], reason: 'matrix' },
    'outcomes.verify': {},
    'outcomes.disputeOpen': { ticket, reason: 'matrix' },
    'outcomes.disputeUphold': { dispute: 1, reason: 'matrix' },
    'outcomes.disputeReject': { dispute: 1, reason: 'matrix' },
    'imports.upload': { chunkBase64: Buffer.from('id,subject\n1,x\n').toString('base64'), offset: 0 },
    'imports.start': { uploadId: 'matrix-upload', fileName: 'x.csv', format: 'csv' },
    'imports.cancel': { runId: 'matrix-upload' },
    'ai.review': { runId: 'matrix-run', action: 'reject', reason: 'matrix' },
    'outcomes.issueStatement': { period: '2026-06' },
    'audit.note': { ticket, period: '2026-06', sample: { seed: 'matrix', size: 3 }, verdict: 'finding', note: 'matrix' },
    // A receipt and a pack are in the access log (and may sign a checkpoint): writes.
    'audit.receipt': { ticket },
    'audit.exportPack': {},
    // Signing in is a write of the access log; the matrix's setup does it for real.
    'auth.login': { name: 'admin', password: 'not the password' },
  };
}

/** Valid inputs for the reads (every method the matrix does not list as a write), to run them for real. */
function readInputs(ticket: string, kbArticle: string): Partial<Record<MethodName, unknown>> {
  const range = { from: '2026-05-01', to: '2026-11-01' };
  return {
    'tickets.get': { id: ticket },
    'kpis.report': range,
    'kpis.series': range,
    'kpis.tickets': { ...range, drill: KPI_DRILL[0] },
    'kpis.drill': { ...range, kpi: 'fcr' },
    'kpis.drillExport': { ...range, kpi: 'fcr' },
    'kpis.board': range,
    'kpis.roiInputs': range,
    'kpis.export': { ...range, view: 'overview', format: 'csv' },
    'sla.compliance': range,
    'sla.trend': range,
    'sla.tickets': { ...range, metric: 'first_reply', outcome: 'achieved' },
    'sla.ticketsExport': { ...range, metric: 'first_reply', outcome: 'breached' },
    'sla.ticket': { id: ticket },
    'ai.attribution': { ticketId: ticket },
    'kb.search': { query: 'password reset' },
    'kb.article': { id: kbArticle },
    'kb.get': { id: kbArticle },
    'kb.diff': { id: kbArticle, from: 1, to: 1 },
    'kb.citations': { id: kbArticle, version: 1 },
    'outcomes.explain': { ticket },
    'outcomes.statement': { period: '2026-06' },
    'outcomes.statementPdf': { period: '2026-06' },
    'audit.sample': { period: '2026-06', seed: 'matrix', size: 3 },
    'imports.status': { runId: 'matrix-upload' },
    'imports.preview': { text: 'id,subject\n1,Cannot log in\n' },
    'imports.values': { uploadId: 'matrix-upload', fileName: 'matrix.csv', mapping: { columns: { id: 'id' } } },
    'imports.anomaliesCsv': { runId: 'matrix-upload' },
  };
}

/** A demo ledger and three scrypt sign-ins, on a machine other test files share. */
const SETUP_TIMEOUT_MS = 120_000;

type Who = Role | 'no session';
const EVERY_CALLER: readonly Who[] = [...ROLES, 'no session'];

function expectedCode(who: Who, method: MethodName): 'invalid_input' | 'forbidden' | 'unauthenticated' {
  if (who === 'no session') return isPublic(method) ? 'invalid_input' : 'unauthenticated';
  return mayDo(who, method) ? 'invalid_input' : 'forbidden';
}

describe('the permission table', () => {
  it('names every contract method, and nothing but contract methods and CLI operations', () => {
    const tabled = Object.keys(PERMISSIONS);
    expect(tabled.filter((operation) => !operation.startsWith('cli.')).sort()).toEqual([...METHOD_NAMES].sort());
  });

  it('the probe is refused by every method’s input schema', () => {
    for (const method of METHOD_NAMES) expect(parseInput(method, PROBE).ok, method).toBe(false);
  });
});

interface Adapter {
  name: string;
  start(core: CoreHandle, dir: string): Promise<{ caller(): ContractCaller; close(): Promise<void> }>;
}

const ADAPTERS: Adapter[] = [
  {
    name: 'IPC',
    async start(core) {
      const windows = ipcWindows(core);
      return { caller: () => windows.window(), close: async () => undefined };
    },
  },
  {
    name: 'HTTP',
    async start(core, dir) {
      const bridge: HttpBridge = await startHttpBridge({ core, staticDir: staticDirIn(dir) });
      return { caller: () => new BrowserSession(bridge).call, close: () => bridge.close() };
    },
  },
];

describe.each(ADAPTERS)('every method × every role over $name', (adapter) => {
  let dir: string;
  let dbPath: string;
  let core: CoreHandle;
  let close: () => Promise<void>;
  const callers = new Map<Who, ContractCaller>();
  let signedIn: string;
  let ticket: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'attest-matrix-'));
    dbPath = join(dir, 'demo.db');
    createDemoDatabase(dbPath, { tickets: 3, seed: 11 });
    ticket = firstTicket(dbPath);
    core = openCore({ dbPath, demo: true, chainPollIntervalMs: 0 });
    const started = await adapter.start(core, dir);
    close = started.close;
    for (const role of ROLES) {
      const call = started.caller();
      const { account, password } = demoAccountOf(role);
      const login = await call('auth.login', { name: account, password });
      expect(login, `${role} signs in`).toMatchObject({ ok: true, value: { mode: 'accounts', person: { account, role } } });
      callers.set(role, call);
    }
    callers.set('no session', started.caller());
    // The sign-ins are in the access log; from here on, nothing the matrix tries may change the file.
    signedIn = contentDigest(dbPath);
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await close?.();
    core?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe.each(EVERY_CALLER)('%s', (who) => {
    it.each(METHOD_NAMES)('%s', async (method) => {
      const expected = expectedCode(who, method);
      const refused = expected !== 'invalid_input';
      const input = refused ? (wouldWrite(ticket)[method] ?? PROBE) : PROBE;
      const before = ledgerHead(dbPath);
      const result = (await callers.get(who)!(method, input)) as Result<unknown>;
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.code).toBe(expected);
      if (refused) expect(result.error.message).toBe(refusal(who === 'no session' ? null : who, method));
      expect(ledgerHead(dbPath)).toEqual(before);
    });
  });

  it('left every table of the file as it was after signing in', () => {
    expect(contentDigest(dbPath)).toBe(signedIn);
  });

  it.each(ROLES)('runs every read the %s may do for real', async (role) => {
    const kbArticle = ((await callers.get('admin')!('kb.list', {})) as { ok: true; value: { id: string }[] }).value[0]!.id;
    const inputs = readInputs(ticket, kbArticle);
    const writes = wouldWrite(ticket);
    const failed: string[] = [];
    for (const method of METHOD_NAMES.filter((m) => !(m in writes) && mayDo(role, m))) {
      const result = await callers.get(role)!(method, inputs[method] ?? {});
      // No import run or upload exists in the demo: asking for one's status, values or anomalies is answered, with not_found.
      const answered = result.ok || ((method === 'imports.status' || method === 'imports.values' || method === 'imports.anomaliesCsv') && result.error.code === 'not_found');
      if (!answered) failed.push(`${method}: ${result.error.code} ${result.error.message}`);
    }
    expect(failed).toEqual([]);
  });

  it('still runs an allowed write for real, and the same write refused leaves no trace', async () => {
    const input = { name: 'newhire', display: 'New Hire', role: 'auditor', password: 'a-long-enough-passphrase-7' };
    const before = contentDigest(dbPath);
    const refusedBy = await callers.get('supervisor')!('users.add', input);
    expect(refusedBy).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(contentDigest(dbPath)).toBe(before);
    const added = await callers.get('admin')!('users.add', input);
    expect(added).toMatchObject({ ok: true, value: { account: 'newhire', role: 'auditor', enabled: true } });
    const created = storedEvents(dbPath).at(-1)!;
    expect(created.type).toBe('account.created');
    expect(JSON.parse(created.actor)).toEqual({ kind: 'human', id: 'acct:admin', name: demoAccountOf('admin').display });
  });
});
