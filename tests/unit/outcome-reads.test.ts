// Issue 10 items 7 and 8 (and the billing part of 3): reads never write, as-of is exact, billing reads the ledger.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../electron/core/db/connection.ts';
import { openDatabase } from '../../electron/core/db/connection.ts';
import { writeDemoHistory } from '../../electron/core/demo-database.ts';
import { DEMO_ACCOUNTS } from '../../electron/core/people/demo-accounts.ts';
import { rebuildAllProjections } from '../../electron/core/derived/refresh.ts';
import { AsOfError } from '../../electron/core/outcomes/as-of.ts';
import { attribution } from '../../electron/core/outcomes/attribution.ts';
import { explainTicket } from '../../electron/core/outcomes/explain.ts';
import { bookFrom, resolveContract } from '../../electron/core/outcomes/outcome-book.ts';
import { OutcomeRepository, type OutcomeEvent } from '../../electron/core/outcomes/outcome-repository.ts';
import { buildStatement } from '../../electron/core/outcomes/statement.ts';
import { runVerification, runVerificationJob } from '../../electron/core/outcomes/verification.ts';
import { openCore } from '../../electron/core/service.ts';
import { importPolicyText } from '../../electron/core/sla/policy-file.ts';
import { PolicySet } from '../../electron/core/sla/policy-set.ts';
import { ticketSlaOutcome } from '../../electron/core/sla/sla-queries.ts';
import { policyVersionsRecordedBy } from '../../electron/core/sla/sla-repository.ts';
import { ticketSlaAsOf } from '../../electron/core/sla/ticket-sla-as-of.ts';
import { SLA_METRICS } from '../../shared/contracts/sla.ts';
import { tamper, tempDb } from './helpers.ts';
import { aiSolved, BUYER, loadContract, outcomeEvents, record, ticketLines } from './outcome-kit.ts';

const CLI = fileURLToPath(new URL('../../bin/attest.js', import.meta.url));
const FUTURE = '2999-01-01T00:00:00Z';

function cli(...args: string[]): { status: number; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { status: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
}

const eventCount = (db: Db): number => db.prepare('SELECT count(*) FROM events').pluck().get() as number;

/** SHA-256 of every row of every table (the ledger and all derived tables), per table. */
function tableDigests(db: Db): Record<string, string> {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
  const digests: Record<string, string> = {};
  for (const table of tables) {
    const hash = createHash('sha256');
    for (const row of db.prepare(`SELECT * FROM "${table}"`).raw().iterate()) hash.update(JSON.stringify(row));
    digests[table] = hash.digest('hex');
  }
  return digests;
}

/** An SLA policy file: one calendar-time target for every ticket of normal priority. */
function slaPolicy(targets: Record<string, { minutes: number; business: boolean }>): string {
  return JSON.stringify({
    version: 1,
    effectiveFrom: '2026-01-01T00:00:00Z',
    calendars: { always: { timezone: 'UTC', hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '24:00']]])) } },
    policies: [{ id: 'all', match: {}, calendar: 'always', targets: { normal: targets } }],
  });
}

describe('as-of may not be later than now', () => {
  it('is refused by the core functions, the contract (invalid_input) and the CLI (exit 2)', async () => {
    const { db, path } = tempDb();
    loadContract(db);
    record(db, aiSolved('T-1', '2026-10-05T10:00:00Z'));
    const before = eventCount(db);
    expect(() => runVerification(db, FUTURE)).toThrow(AsOfError);
    expect(() => runVerification(db, FUTURE)).toThrow(`as-of: "${FUTURE}" is in the future`);
    expect(() => explainTicket(db, 'T-1', { asOf: FUTURE })).toThrow(AsOfError);
    expect(() => attribution(db, { asOf: FUTURE })).toThrow(AsOfError);
    await expect(runVerificationJob(db, FUTURE, () => undefined)).rejects.toThrow(AsOfError);
    expect(eventCount(db)).toBe(before);
    db.close();

    const core = openCore({ dbPath: path, role: 'supervisor' });
    try {
      for (const [method, input] of [
        ['outcomes.verify', { asOf: FUTURE }],
        ['outcomes.explain', { ticket: 'T-1', asOf: FUTURE }],
        ['outcomes.attribution', { asOf: FUTURE }],
      ] as const) {
        const res = await core.invoke(method, input);
        expect(res, method).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
        expect(res.ok ? '' : res.error.message, method).toContain('is in the future');
      }
    } finally {
      core.close();
    }

    for (const args of [
      ['outcomes', '--db', path, '--as-of', FUTURE],
      ['explain', '--db', path, '--ticket', 'T-1', '--as-of', FUTURE],
    ]) {
      const run = cli(...args);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr).toContain(`--as-of: "${FUTURE}" is in the future`);
    }
    const check = openDatabase(path);
    expect(eventCount(check)).toBe(before);
    check.close();
  });

  it('"as of 2030" no longer bills a ticket whose window is still open: verification as of now leaves it pending', () => {
    const { db } = tempDb();
    loadContract(db);
    // Solved by the AI 50 minutes ago: its 72-hour window runs for almost three more days.
    const created = new Date(Date.now() - 60 * 60_000).toISOString();
    record(db, aiSolved('T-OPEN', created));
    expect(() => runVerification(db, '2030-01-01T00:00:00Z')).toThrow('is in the future');
    expect(runVerification(db)).toMatchObject({ verifiedAdded: 0, examined: 1 });
    expect(outcomeEvents(db, 'outcome.verified')).toEqual([]);
    expect(explainTicket(db, 'T-OPEN')).toMatchObject({ state: 'pending', basis: 'dry_evaluation' });
  });
});

describe('an evaluation as of T uses only events with at <= T', () => {
  it('ignores a reopen and a low CSAT after T', () => {
    const { db } = tempDb();
    loadContract(db);
    // Both solved 2026-10-05T10:10Z; the windows end 2026-10-08T10:10Z.
    record(db, aiSolved('T-1', '2026-10-05T10:00:00Z', [{ kind: 'customer', at: '2026-10-08T10:00:00Z' }]));
    record(db, aiSolved('T-2', '2026-10-05T10:00:00Z', [{ kind: 'csat', at: '2026-10-07T12:00:00Z', score: 1 }]));
    expect(explainTicket(db, 'T-1', { asOf: '2026-10-08T09:00:00Z' })).toMatchObject({
      state: 'pending',
      basis: 'dry_evaluation',
      asOf: '2026-10-08T09:00:00.000Z',
      reason: 'solved by the AI; the verification window ends 2026-10-08T10:10:00.000Z',
    });
    expect(explainTicket(db, 'T-1', { asOf: '2026-10-08T10:10:00Z' })).toMatchObject({ state: 'not_billable', clause: 'criteria.verificationWindowHours' });
    expect(explainTicket(db, 'T-2', { asOf: '2026-10-07T11:00:00Z' })).toMatchObject({ state: 'pending' });
    expect(explainTicket(db, 'T-2', { asOf: '2026-10-07T12:00:00Z' })).toMatchObject({ state: 'not_billable', clause: 'criteria.minCsat' });
    // Verification as of a moment before either problem was known writes nothing for them.
    expect(runVerification(db, '2026-10-07T11:00:00Z')).toMatchObject({ verifiedAdded: 0, examined: 2 });
  });

  it('takes the SLA from the engine over the events and policies known at T, not from the SLA projection of today', () => {
    const { db } = tempDb();
    importPolicyText(db, 'sla.json', slaPolicy({ total_resolution: { minutes: 24 * 60, business: false } }), BUYER, '2026-01-01T00:00:00Z');
    loadContract(db, {}, { requireSla: ['total_resolution'] });
    // Solved by the AI in 10 minutes (achieved); reopened after the window and never solved again.
    record(db, aiSolved('T-5', '2026-10-05T10:00:00Z', [{ kind: 'customer', at: '2026-10-09T00:00:00Z' }]));
    // Today the projection knows of the reopen: the restarted clock is long past its target.
    expect(ticketSlaOutcome(db, 'T-5', 'total_resolution')).toBe('breached');
    // As of the window's end, the SLA was achieved: the ticket is billable.
    expect(explainTicket(db, 'T-5', { asOf: '2026-10-08T12:00:00Z' })).toMatchObject({ state: 'pending', basis: 'dry_evaluation' });
    expect(explainTicket(db, 'T-5', { asOf: '2026-10-08T12:00:00Z' }).reason).toContain('not yet verified');
    expect(runVerification(db, '2026-10-08T12:00:00Z')).toMatchObject({ verifiedAdded: 1 });
  });

  it('uses only SLA policies recorded by T: a policy recorded later does not fail an earlier verification', () => {
    const { db } = tempDb();
    loadContract(db, {}, { requireSla: ['first_reply'] });
    // The AI replied after two hours; a first-reply target of 60 minutes is recorded (back-dated) on 10-20.
    record(db, ticketLines('T-6', '2026-10-05T10:00:00Z', [{ kind: 'ai_reply', at: '2026-10-05T12:00:00Z' }, { kind: 'solve_ai', at: '2026-10-05T12:01:00Z' }]));
    importPolicyText(db, 'sla.json', slaPolicy({ first_reply: { minutes: 60, business: false } }), BUYER, '2026-10-20T00:00:00Z');
    expect(explainTicket(db, 'T-6', { asOf: '2026-10-19T00:00:00Z' }).reason).toContain('not yet verified');
    expect(explainTicket(db, 'T-6', { asOf: '2026-10-21T00:00:00Z' })).toMatchObject({ state: 'not_billable', reason: 'SLA first_reply breached', clause: 'criteria.requireSla' });
  });
});

describe('the SLA as of an instant', () => {
  it('as of now agrees with the SLA projection for every ticket and metric of a demo ledger', () => {
    const { db } = tempDb();
    writeDemoHistory(db, { tickets: 80, seed: 5 });
    const now = Date.now();
    const policies = new PolicySet(policyVersionsRecordedBy(db, new Date(now).toISOString()));
    const repository = new OutcomeRepository(db);
    const ids = db.prepare('SELECT id FROM tickets ORDER BY id').pluck().all() as string[];
    let compared = 0;
    for (const [ticket, rows] of repository.ticketEventsMany(ids)) {
      const facts = rows
        .map((row) => ({ seq: row.seq, at: row.at, type: row.type, payload: JSON.parse(row.payload) as Record<string, unknown> }))
        .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.seq - b.seq));
      const outcomeOf = ticketSlaAsOf(facts, policies, now);
      for (const metric of SLA_METRICS) {
        expect(outcomeOf(metric), `${ticket} ${metric}`).toBe(ticketSlaOutcome(db, ticket, metric));
        compared++;
      }
    }
    expect(compared).toBe(80 * SLA_METRICS.length);
  });
});

describe('billing reads the ledger, not a projection row nobody checks', () => {
  it('an UPDATE of a price in the outcome projection never changes a statement, a new verification or survives rebuild', () => {
    const { db } = tempDb();
    loadContract(db);
    for (const id of ['T-1', 'T-2', 'T-3']) record(db, aiSolved(id, '2026-10-05T10:00:00Z'));
    expect(runVerification(db, '2026-10-10T00:00:00Z').verifiedAdded).toBe(3);
    const statement = JSON.stringify(buildStatement(db, '2026-10'));
    expect(JSON.parse(statement)).toMatchObject({ verified: 3, total: '2.97' });

    tamper(db, "UPDATE outcome_events SET payload = json_set(payload, '$.pricePerResolution', 99.99) WHERE type = 'contract.version'");
    tamper(db, "UPDATE outcome_events SET payload = json_set(payload, '$.price', '99.99') WHERE type = 'outcome.verified'");
    expect(JSON.stringify(buildStatement(db, '2026-10'))).toBe(statement);
    expect(new OutcomeRepository(db).contractVersions()[0]!.contract.pricePerResolution).toBe(0.99);

    // The job that writes reads the contract from its event: new verifications are billed at 0.99.
    record(db, aiSolved('T-4', '2026-10-06T10:00:00Z'));
    expect(runVerification(db, '2026-10-12T00:00:00Z').verifiedAdded).toBe(1);
    expect(outcomeEvents(db, 'outcome.verified').map((e) => e.payload.price)).toEqual(['0.99', '0.99', '0.99', '0.99']);
    expect(buildStatement(db, '2026-10')).toMatchObject({ verified: 4, total: '3.96', discrepancies: 0 });

    // Rebuild recomputes the projection from the events: every row equals its event again.
    rebuildAllProjections(db);
    const differing = db
      .prepare('SELECT count(*) FROM outcome_events o JOIN events e ON e.seq = o.seq WHERE o.payload <> e.payload OR o.type <> e.type OR o.at <> e.at')
      .pluck()
      .get();
    expect(differing).toBe(0);
    expect(db.prepare('SELECT count(*) FROM outcome_events').pluck().get()).toBe(5);
  });

  it('a verification whose recorded price disagrees with its contract version is billed at the contract price and flagged', () => {
    const { db } = tempDb();
    loadContract(db);
    const contract = resolveContract(new OutcomeRepository(db));
    const verified = (seq: number, ticket: string, price: string, version = 1): OutcomeEvent => ({
      seq,
      ticket,
      type: 'outcome.verified',
      at: '2026-10-08T10:10:00.000Z',
      actor: { kind: 'system', id: 'attest-verifier' },
      payload: { contract: contract.id, version, price, currency: 'EUR', period: '2026-10', category: 'how_to', solveSeq: seq - 1, evidence: [] },
    });
    const book = bookFrom([verified(10, 'T-1', '0.99'), verified(20, 'T-2', '99.99'), verified(30, 'T-3', '0.99', 7)], contract);
    expect(book.get('T-1')).toMatchObject({ priceMinor: 99, priceProblem: null });
    expect(book.get('T-2')).toMatchObject({ priceMinor: 99 });
    expect(book.get('T-2')!.priceProblem).toContain('records the price 99.99');
    expect(book.get('T-3')).toMatchObject({ priceMinor: 0 });
    expect(book.get('T-3')!.priceProblem).toContain('version 7');
  });
});

describe('reads never write', () => {
  it('every read method of the contract leaves the event count and every derived table unchanged', async () => {
    const { db, path } = tempDb();
    writeDemoHistory(db, { tickets: 60, seed: 3 });
    // Some outcomes recorded, some not yet: explanations take both paths.
    runVerification(db, '2026-09-15T00:00:00Z');
    const tickets = db.prepare('SELECT id FROM tickets ORDER BY created_at DESC LIMIT 8').pluck().all() as string[];
    const verifiedTicket = db.prepare("SELECT ticket_id FROM events WHERE type = 'outcome.verified' LIMIT 1").pluck().get() as string | undefined;
    expect(verifiedTicket, 'the demo has verified outcomes by mid-September').toBeDefined();
    const period = db.prepare("SELECT json_extract(payload, '$.period') FROM events WHERE type = 'outcome.verified' LIMIT 1").pluck().get() as string;
    db.close();

    const range = { from: '2026-05-01', to: '2026-11-28' };
    const reads: [string, unknown][] = [
      ['session.info', {}],
      ['tickets.list', { filter: {}, offset: 0, limit: 50 }],
      ['tickets.facets', {}],
      ...[...tickets, verifiedTicket!].flatMap((id): [string, unknown][] => [
        ['tickets.get', { id }],
        ['outcomes.explain', { ticket: id }],
        ['outcomes.explain', { ticket: id, asOf: '2026-09-01T00:00:00Z' }],
        ['sla.ticket', { id }],
        ['ai.attribution', { ticketId: id }],
      ]),
      ['outcomes.contracts', {}],
      ['outcomes.periods', {}],
      ['outcomes.statement', { period }],
      ['outcomes.statementPdf', { period }],
      ['outcomes.attribution', {}],
      ['outcomes.attribution', { period, asOf: '2026-10-01T00:00:00Z' }],
      ['outcomes.disputes', {}],
      ['sla.compliance', range],
      ['sla.compliance', { ...range, by: 'actor' }],
      ['sla.trend', range],
      ['sla.tickets', { ...range, metric: 'first_reply', outcome: 'achieved' }],
      ['sla.ticketsExport', { ...range, metric: 'first_reply', outcome: 'breached' }],
      ['sla.live', {}],
      ['sla.policies', {}],
      ['kpis.definitions', {}],
      ['kpis.report', { ...range, by: 'category' }],
      ['kpis.series', range],
      ['kpis.tickets', { ...range, drill: 'tickets' }],
      ['kpis.drill', { ...range, kpi: 'fcr', show: 'not_counted' }],
      ['kpis.drillExport', { ...range, kpi: 'deflection' }],
      ['kpis.baselines', {}],
      ['kpis.board', range],
      ['kpis.roiInputs', range],
      ['kpis.export', { view: 'overview', format: 'csv', ...range }],
      ['categories.list', {}],
      ['kb.list', {}],
      ['kb.search', { query: 'password' }],
      ['ai.settings', {}],
      ['ai.status', {}],
      ['ai.reviewQueue', {}],
      ['ai.gaps', {}],
    ];
    const core = openCore({ dbPath: path });
    // The demo has accounts: sign in (which the access log records) before taking the measure of the file.
    let session: string | null = null;
    const signedIn = await core.invoke('auth.login', { name: DEMO_ACCOUNTS[0]!.account, password: DEMO_ACCOUNTS[0]!.password }, { onSession: (token) => (session = token) });
    expect(signedIn.ok).toBe(true);
    const check = openDatabase(path);
    const events = eventCount(check);
    const digests = tableDigests(check);
    check.close();
    try {
      for (const [method, input] of reads) {
        const res = await core.invoke(method, input, { session });
        expect(res.ok ? 'ok' : res.error, `${method} ${JSON.stringify(input)}`).toBe('ok');
      }
    } finally {
      core.close();
    }

    // Nothing but the access records the issue asks for: who handed a file out of the console (the statement PDF,
    // the KPI export: access.export) and who viewed the settings (access.settingsViewed).
    const after = openDatabase(path);
    const added = after.prepare('SELECT type, json_extract(payload, \'$.what\') AS what FROM events WHERE seq > ? ORDER BY seq').all(events);
    expect(added).toEqual([
      { type: 'access.export', what: 'statement PDF' },
      { type: 'access.export', what: 'KPI export' },
      { type: 'access.settingsViewed', what: null },
    ]);
    // Every other table, derived or not, is as it was (the events and their head moved by that one record).
    const beyondTheLedger = (all: Record<string, string>) => Object.fromEntries(Object.entries(all).filter(([table]) => table !== 'events' && table !== 'ledger_head'));
    expect(beyondTheLedger(tableDigests(after))).toEqual(beyondTheLedger(digests));
    after.close();
  });
});

describe('verification is a job for the roles that may write', () => {
  it('the auditor gets forbidden; a supervisor runs it in batches with progress, and a rerun writes 0 events', async () => {
    const { db, path } = tempDb();
    loadContract(db);
    for (let i = 1; i <= 7; i++) record(db, aiSolved(`T-${i}`, '2026-10-05T10:00:00Z'));
    db.close();

    const auditor = openCore({ dbPath: path, role: 'auditor' });
    try {
      expect(await auditor.invoke('outcomes.verify', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    } finally {
      auditor.close();
    }

    const progress: { done: number; total: number }[] = [];
    const direct = openDatabase(path);
    const report = await runVerificationJob(direct, '2026-10-10T00:00:00Z', (p) => progress.push({ done: p.done, total: p.total }), { batchSize: 3 });
    expect(report).toMatchObject({ verifiedAdded: 7, examined: 7 });
    expect(progress).toEqual([
      { done: 3, total: 7 },
      { done: 6, total: 7 },
      { done: 7, total: 7 },
    ]);
    const count = eventCount(direct);
    direct.close();

    const supervisor = openCore({ dbPath: path, role: 'supervisor' });
    const pushed: number[] = [];
    const unsubscribe = supervisor.subscribe('outcomes.progress', (p) => pushed.push(p.done));
    try {
      const rerun = await supervisor.invoke('outcomes.verify', { asOf: '2026-10-10T00:00:00Z' });
      expect(rerun).toMatchObject({ ok: true, value: { verifiedAdded: 0, reversedAdded: 0, discrepanciesAdded: 0, examined: 7 } });
      expect(pushed).toEqual([7]);
    } finally {
      unsubscribe();
      supervisor.close();
    }
    const check = openDatabase(path);
    expect(eventCount(check)).toBe(count);
    check.close();
  });
});
