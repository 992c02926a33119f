// The auditor screen's core (issue 12, item 7): a seeded sample of billed tickets that anyone can redraw by the
// published rule, and review notes recorded as `audit.note` events under the rule book (a person's act, never a file's).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../electron/core/db/connection.ts';
import { recordEvents } from '../../electron/core/derived/record-events.ts';
import { importJsonlText } from '../../electron/core/interchange/jsonl-import.ts';
import { loadOrCreateInstallationKey, userDataDir } from '../../electron/core/checkpoints/installation-key.ts';
import { openDisputeOn } from '../../electron/core/outcomes/disputes.ts';
import { issueStatement } from '../../electron/core/outcomes/issued-statements.ts';
import { buildStatement } from '../../electron/core/outcomes/statement.ts';
import { runVerification } from '../../electron/core/outcomes/verification.ts';
import { addAccount } from '../../electron/core/people/accounts.ts';
import { openCore } from '../../electron/core/service.ts';
import type { AuditNoteRow, AuditSample, CheckpointRow, PackExportResult } from '../../shared/contracts/audit-console.ts';
import type { Result } from '../../shared/contract.ts';
import { tamper, tempDb } from './helpers.ts';
import { aiSolved, loadContract, record } from './outcome-kit.ts';

const TICKETS = Array.from({ length: 24 }, (_, i) => `T-${100 + i}`);

/** September: 24 AI resolutions verified (0.99 each); one of them disputed (held, not billed). */
function ledger(): { db: Db; path: string } {
  const handle = tempDb();
  loadContract(handle.db, { effectiveFrom: '2026-09-01' });
  TICKETS.forEach((id, i) => record(handle.db, aiSolved(id, `2026-09-${String(2 + (i % 20)).padStart(2, '0')}T10:00:00Z`)));
  runVerification(handle.db, '2026-10-10T00:00:00Z', () => 'achieved');
  openDisputeOn(handle.db, 'T-105', 'customer says it was not solved', { kind: 'human', id: 'aud-1' }, { at: '2026-10-11T00:00:00Z' });
  return handle;
}

/** The published rule, written here from its description alone (node:crypto, no app code). */
function redrawByHand(db: Db, period: string, seed: string, size: number): string[] {
  const lines = buildStatement(db, period).lines.filter((l) => l.status === 'billed' || l.status === 'billed_and_reversed');
  return lines
    .map((l) => ({ ticket: l.ticket, key: createHash('sha256').update(`${seed}:${l.ticket}`).digest('hex') }))
    .sort((a, b) => a.key.localeCompare(b.key))
    .slice(0, size)
    .map((l) => l.ticket);
}

async function value<T>(result: Promise<Result<unknown>>): Promise<T> {
  const res = await result;
  if (!res.ok) throw new Error(`${res.error.code}: ${res.error.message}`);
  return res.value as T;
}

describe('audit.sample', () => {
  it('draws the billed lines ordered by SHA-256(seed:ticket); the same seed gives the same sample, computed independently', async () => {
    const { db, path } = ledger();
    const core = openCore({ dbPath: path, chainPollIntervalMs: 0 });
    try {
      const draw = (seed: string, size: number) => value<AuditSample>(core.invoke('audit.sample', { period: '2026-09', seed, size }));
      const first = await draw('q3-audit', 6);
      const again = await draw('q3-audit', 6);
      expect(again).toEqual(first);
      expect(first.population).toBe(23); // T-105 is held by its dispute: not billed
      expect(first.lines.map((l) => l.line.ticket)).toEqual(redrawByHand(db, '2026-09', 'q3-audit', 6));
      expect(first.lines.every((l) => l.key === createHash('sha256').update(`q3-audit:${l.line.ticket}`).digest('hex'))).toBe(true);
      expect(first.lines.map((l) => l.line.ticket)).not.toContain('T-105');
      // A larger sample with the same seed extends the smaller one; another seed draws another order.
      const larger = await draw('q3-audit', 10);
      expect(larger.lines.slice(0, 6)).toEqual(first.lines);
      const other = await draw('q4-audit', 6);
      expect(other.lines.map((l) => l.line.ticket)).toEqual(redrawByHand(db, '2026-09', 'q4-audit', 6));
      expect(other.lines.map((l) => l.line.ticket)).not.toEqual(first.lines.map((l) => l.line.ticket));
      // A size above the population is the whole population, in key order.
      const all = await draw('q3-audit', 1000);
      expect(all.lines.map((l) => l.line.ticket)).toEqual(redrawByHand(db, '2026-09', 'q3-audit', 1000));
      expect(all.lines).toHaveLength(23);
      expect(first.rule).toContain('SHA-256 of "<seed>:<ticket>"');
      expect(first.issued).toBe(false);
    } finally {
      core.close();
    }
  });

  it('of an issued period draws from the issued document, unchanged by a later dispute', async () => {
    const { db, path } = ledger();
    issueStatement(db, { period: '2026-09', key: loadOrCreateInstallationKey(), actor: { kind: 'human', id: 'os:controller' }, now: new Date('2026-10-12T00:00:00Z') });
    const core = openCore({ dbPath: path, chainPollIntervalMs: 0 });
    try {
      const before = await value<AuditSample>(core.invoke('audit.sample', { period: '2026-09', seed: 's1', size: 23 }));
      expect(before.issued).toBe(true);
      const victim = before.lines[0]!.line.ticket;
      openDisputeOn(db, victim, 'late dispute', { kind: 'human', id: 'aud-1' });
      const after = await value<AuditSample>(core.invoke('audit.sample', { period: '2026-09', seed: 's1', size: 23 }));
      expect(after.lines.map((l) => l.line.ticket)).toEqual(before.lines.map((l) => l.line.ticket));
    } finally {
      core.close();
    }
  });

  it('refuses a seed or size outside the contract', async () => {
    const { path } = ledger();
    const core = openCore({ dbPath: path, chainPollIntervalMs: 0 });
    try {
      for (const input of [{ period: '2026-09', seed: '', size: 5 }, { period: '2026-09', seed: 'a b', size: 5 }, { period: '2026-09', seed: 'x', size: 0 }]) {
        const res = await core.invoke('audit.sample', input);
        expect(res.ok ? 'ok' : res.error.code).toBe('invalid_input');
      }
    } finally {
      core.close();
    }
  });
});

const AUDITOR = { name: 'jlindqvist', display: 'Johan Lindqvist', role: 'auditor' as const, password: 'amber-glacier-93' };
const ADMIN = { name: 'admin', display: 'Dana Whitfield', role: 'admin' as const, password: 'harbor-lantern-42' };
const MAYA = { name: 'mrivera', display: 'Maya Rivera', role: 'supervisor' as const, password: 'copper-meadow-17' };
const SYSTEM = { kind: 'system', id: 'test-installer' } as const;
const noteFields = { period: '2026-09', contract: 'acme-ai-2026', sample: { seed: 'q3-audit', size: 6 }, verdict: 'finding', note: 'CSAT event is missing' };

describe('audit.note', () => {
  it('is recorded for the signed-in auditor, listed by audit.notes, and refused to a supervisor', async () => {
    const { db, path } = ledger();
    addAccount(db, ADMIN, SYSTEM);
    for (const person of [AUDITOR, MAYA]) addAccount(db, person, { kind: 'human', id: 'acct:admin', name: ADMIN.display });
    const core = openCore({ dbPath: path, chainPollIntervalMs: 0 });
    try {
      const sessions: Record<string, string | null> = {};
      for (const person of [AUDITOR, MAYA]) {
        await value(core.invoke('auth.login', { name: person.name, password: person.password }, { onSession: (t) => (sessions[person.name] = t) }));
      }
      const asAuditor = { session: sessions[AUDITOR.name] };
      const note = await value<AuditNoteRow>(core.invoke('audit.note', { ticket: 'T-101', ...noteFields }, asAuditor));
      expect(note).toMatchObject({ ticket: 'T-101', verdict: 'finding', by: 'acct:jlindqvist', byName: 'Johan Lindqvist', sample: { seed: 'q3-audit', size: 6 } });
      const stored = db.prepare('SELECT ticket_id, actor, payload FROM events WHERE seq = ?').get(note.seq) as { ticket_id: string; actor: string; payload: string };
      expect(stored.ticket_id).toBe('T-101');
      expect(JSON.parse(stored.actor)).toEqual({ kind: 'human', id: 'acct:jlindqvist', name: 'Johan Lindqvist' });
      expect(JSON.parse(stored.payload)).toEqual(noteFields);
      expect(await value<AuditNoteRow[]>(core.invoke('audit.notes', { period: '2026-09' }, asAuditor))).toEqual([note]);
      expect(await value<AuditNoteRow[]>(core.invoke('audit.notes', { period: '2026-10' }, asAuditor))).toEqual([]);

      const refused = await core.invoke('audit.note', { ticket: 'T-102', ...noteFields }, { session: sessions[MAYA.name] });
      expect(refused.ok ? 'ok' : refused.error.code).toBe('forbidden');
      const unknown = await core.invoke('audit.note', { ticket: 'T-999', ...noteFields }, asAuditor);
      expect(unknown.ok ? 'ok' : unknown.error.message).toMatch(/T-999 is not in the sample of 2026-09 drawn with seed "q3-audit" and size 6/);
      // A ticket of the ledger, billed in the period, but not drawn by that seed and size: no note for it either.
      const drawn = redrawByHand(db, '2026-09', 'q3-audit', 6);
      const outside = TICKETS.find((id) => !drawn.includes(id) && id !== 'T-105')!;
      const undrawn = await core.invoke('audit.note', { ticket: outside, ...noteFields }, asAuditor);
      expect(undrawn.ok ? 'ok' : undrawn.error.code).toBe('invalid_input');
    } finally {
      core.close();
    }
  });

  it('audit.receipt hands out the receipt, signing a checkpoint when none covers it, with its access record first', async () => {
    const { db, path } = ledger();
    addAccount(db, ADMIN, SYSTEM);
    addAccount(db, AUDITOR, { kind: 'human', id: 'acct:admin', name: ADMIN.display });
    const core = openCore({ dbPath: path, chainPollIntervalMs: 0 });
    try {
      let session: string | null = null;
      await value(core.invoke('auth.login', { name: AUDITOR.name, password: AUDITOR.password }, { onSession: (t) => (session = t) }));
      const checkpointsBefore = await value<CheckpointRow[]>(core.invoke('audit.checkpoints', {}, { session }));
      expect(checkpointsBefore).toEqual([]);
      const file = await value<{ fileName: string; text: string }>(core.invoke('audit.receipt', { ticket: 'T-101' }, { session }));
      expect(file.fileName).toBe('T-101.receipt.json');
      const receipt = JSON.parse(file.text) as { format: string; ticket: string; treeSize: number; events: { line: { seq: number } }[]; outcome: { state: string; price: string } };
      expect(receipt).toMatchObject({ format: 'attest-receipt/v1', ticket: 'T-101', outcome: { state: 'billed', price: '0.99' } });
      const types = db.prepare('SELECT seq, type, payload FROM events ORDER BY seq DESC LIMIT 2').all() as { seq: number; type: string; payload: string }[];
      // The access record, then the checkpoint the receipt's proofs are under.
      expect(types.map((t) => t.type)).toEqual(['checkpoint', 'access.export']);
      expect(JSON.parse(types[1]!.payload)).toMatchObject({ account: AUDITOR.name, what: 'receipt T-101' });
      expect(receipt.treeSize).toBe(types[0]!.seq - 1);
      const checkpoints = await value<CheckpointRow[]>(core.invoke('audit.checkpoints', {}, { session }));
      expect(checkpoints.map((c) => [c.seq, c.treeSize, c.cosignatures])).toEqual([[types[0]!.seq, receipt.treeSize, []]]);
      const none = await core.invoke('audit.receipt', { ticket: 'T-999' }, { session });
      expect(none.ok ? 'ok' : none.error.code).toBe('invalid_input');
    } finally {
      core.close();
    }
  });

  it('audit.exportPack writes a pack under <user data>/packs/ holding its own access record, and refuses a ledger that does not verify', async () => {
    const { db, path } = ledger();
    addAccount(db, ADMIN, SYSTEM);
    addAccount(db, AUDITOR, { kind: 'human', id: 'acct:admin', name: ADMIN.display });
    const core = openCore({ dbPath: path, chainPollIntervalMs: 0 });
    try {
      let session: string | null = null;
      await value(core.invoke('auth.login', { name: AUDITOR.name, password: AUDITOR.password }, { onSession: (t) => (session = t) }));
      await value(core.invoke('audit.note', { ticket: 'T-101', ...noteFields, verdict: 'ok' }, { session }));
      const pack = await value<PackExportResult>(core.invoke('audit.exportPack', { period: '2026-09' }, { session }));
      // The independent verifier the pack carries reproduces it (the review note is just another event to it).
      const verify = spawnSync(process.execPath, [join(pack.dir, 'attest-verify.mjs'), pack.dir], { encoding: 'utf8' });
      expect(verify.stdout).toMatch(/^PACK OK: \d+ events, 1 statements? reproduced to the cent/);
      expect(verify.status).toBe(0);
      expect(dirname(pack.dir)).toBe(join(userDataDir(), 'packs'));
      expect(basename(pack.dir)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z(-\d+)?$/);
      const manifest = JSON.parse(readFileSync(join(pack.dir, 'manifest.json'), 'utf8')) as { treeSize: number; period: string; files: { path: string }[] };
      expect(manifest).toMatchObject({ treeSize: pack.treeSize, period: '2026-09' });
      expect(pack.files).toBe(manifest.files.length + 2);
      expect(manifest.files.map((f) => f.path)).toContain('statements/acme-ai-2026/2026-09.json');
      // The access record is the event before the pack's checkpoint, and inside the pack.
      const access = db.prepare("SELECT seq, payload FROM events WHERE type = 'access.export'").all() as { seq: number; payload: string }[];
      expect(access).toHaveLength(1);
      expect(JSON.parse(access[0]!.payload)).toMatchObject({ account: AUDITOR.name, what: `pack ${pack.dir}`, file: pack.dir });
      expect(access[0]!.seq).toBe(pack.treeSize);
      const lines = readFileSync(join(pack.dir, 'events.jsonl'), 'utf8').trim().split('\n');
      expect(lines).toHaveLength(pack.treeSize);
      expect(JSON.parse(lines.at(-1)!)).toMatchObject({ type: 'access.export', what: `pack ${pack.dir}` });

      // An edited event: the console's verifier finds it, and no pack (and no access record) is made.
      tamper(db, "UPDATE events SET payload = json_set(payload, '$.price', '0.01') WHERE type = 'outcome.verified' AND ticket_id = 'T-101'");
      const before = db.prepare('SELECT count(*) FROM events').pluck().get();
      const refused = await core.invoke('audit.exportPack', {}, { session });
      expect(refused.ok ? 'ok' : refused.error.message).toMatch(/^refusing to pack a ledger that does not verify: /);
      expect(db.prepare('SELECT count(*) FROM events').pluck().get()).toBe(before);
      expect(readdirSync(join(userDataDir(), 'packs'))).toEqual([basename(pack.dir)]);
    } finally {
      core.close();
    }
  });

  it('the rule book: the actor must be a person, and a note cannot come from a file', () => {
    const { db } = ledger();
    const count = (): number => db.prepare("SELECT count(*) FROM events WHERE type = 'audit.note'").pluck().get() as number;
    const line = (actor: Record<string, unknown>) => ({ ticket: 'T-101', type: 'audit.note', at: '2026-10-12T00:00:00Z', actor, ...noteFields });
    // Attest itself records it for a person (single-user: the operating-system user)…
    recordEvents(db, [line({ kind: 'human', id: 'os:auditor' })]);
    expect(count()).toBe(1);
    // …never for the system or an AI.
    expect(() => recordEvents(db, [line({ kind: 'system', id: 'attest' })])).toThrow(/an audit note is written by a person/);
    expect(() => recordEvents(db, [line({ kind: 'ai', model: 'llama3.2:3b' })])).toThrow(/an audit note is written by a person/);
    // A file (a JSONL import) cannot state one: only Attest writes audit notes.
    const text = `${JSON.stringify(line({ kind: 'human', id: 'os:auditor' }))}\n`;
    expect(() => importJsonlText(db, 'notes.jsonl', text, { importedBy: { kind: 'human', id: 'os:auditor' } })).toThrow(/notes\.jsonl:1: type: "audit\.note" is written only by Attest itself/);
    expect(count()).toBe(1);
  });
});
