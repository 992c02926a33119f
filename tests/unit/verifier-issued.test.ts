// The independent verifier on a pack with an issued period: the issued document is checked against its
// `statement.issued` event (text, SHA-256 of its canonical JSON, totals, checkpoint) and recomputed from the events
// up to that checkpoint only; a reopen, a dispute upheld and a dispute opened after the issue show up as adjustment
// lines of the next open period, which the verifier reproduces to the cent too.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateInstallationKey } from '../../electron/core/checkpoints/installation-key.ts';
import { openDatabase, type Db } from '../../electron/core/db/connection.ts';
import { decideDispute, listDisputes, openDisputeOn } from '../../electron/core/outcomes/disputes.ts';
import { issueStatement } from '../../electron/core/outcomes/issued-statements.ts';
import { runVerification } from '../../electron/core/outcomes/verification.ts';
import { tempDir } from './helpers.ts';
import { aiSolved, loadContract, record } from './outcome-kit.ts';
import { runVerifier, runVerifierJson, sealManifest, seqWhere, writeTestPack, type BuiltPack } from './verifier-kit.ts';

const AUDITOR = { kind: 'human', id: 'aud-1' } as const;
const SUPERVISOR = { kind: 'human', id: 'sup-1' } as const;
const CONTRACT = 'acme-ai-2026';

const openDisputeSeq = (db: Db, ticket: string): number => listDisputes(db).disputes.find((d) => d.ticket === ticket && d.state === 'open')!.seq;

interface Statement {
  total: string;
  adjustments: { ticket: string; period: string; was: string; now: string; charge: string; credit: string; net: string; events: number[] }[];
  adjustmentsTotal: string;
  lines: { ticket: string; status: string }[];
}

const root = mkdtempSync(join(tmpdir(), 'attest-verifier-issued-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let pack: BuiltPack;
let issuedSeq: number;

beforeAll(async () => {
  const db = openDatabase(join(root, 'issued.db'));
  try {
    loadContract(db);
    record(db, [
      ...aiSolved('T-1', '2026-10-05T09:00:00.000Z'),
      ...aiSolved('T-2', '2026-10-05T10:00:00.000Z'),
      ...aiSolved('T-3', '2026-10-06T09:00:00.000Z'),
      ...aiSolved('T-4', '2026-10-06T10:00:00.000Z'),
      ...aiSolved('T-5', '2026-10-30T09:00:00.000Z'),
    ]);
    runVerification(db, '2026-11-20T00:00:00.000Z');
    openDisputeOn(db, 'T-2', 'the link never arrived', AUDITOR, { at: '2026-11-20T09:00:00.000Z' });
    issuedSeq = issueStatement(db, { period: '2026-10', contract: CONTRACT, key: loadOrCreateInstallationKey(), actor: SUPERVISOR }).seq;
    // After the issue: T-2's dispute upheld, T-3 reopened within the clawback, T-4 disputed (still open).
    decideDispute(db, openDisputeSeq(db, 'T-2'), 'upheld', 'never sent', SUPERVISOR);
    record(db, [{ ticket: 'T-3', type: 'message', at: '2026-11-03T08:00:00.000Z', author: { kind: 'customer', id: 'c-1' }, public: true, body: 'Still broken' }]);
    runVerification(db);
    openDisputeOn(db, 'T-4', 'escalated by phone', AUDITOR);
    pack = await writeTestPack(db, join(root, 'pack'), CONTRACT);
  } finally {
    db.close();
  }
}, 60_000);

const statementOf = (dir: string, period: string): Statement => JSON.parse(readFileSync(join(dir, 'statements', CONTRACT, `${period}.json`), 'utf8')) as Statement;

function copyPack(): string {
  const dir = join(tempDir(), 'pack');
  cpSync(pack.dir, dir, { recursive: true });
  return dir;
}

describe('a pack with an issued period and changes after it', () => {
  it('reproduces the issued statement and the adjustments of the next open period', () => {
    const json = runVerifierJson(pack.dir);
    expect(json.problems).toEqual([]);
    expect(json.ok).toBe(true);
    expect(json.statements).toBe(2);
    // The scenario really has adjustments of each kind, posted in November for October.
    const november = statementOf(pack.dir, '2026-11');
    expect(november.adjustments.map((a) => [a.ticket, a.period, a.was, a.now, a.net])).toEqual([
      ['T-2', '2026-10', 'held', 'billed_and_reversed', '0.00'],
      ['T-3', '2026-10', 'billed', 'billed_and_reversed', '-0.99'],
      ['T-4', '2026-10', 'billed', 'held', '-0.99'],
    ]);
    expect(statementOf(pack.dir, '2026-10').lines.find((l) => l.ticket === 'T-4')?.status).toBe('billed');
  });

  it('an issued statement file that is not the issued document', () => {
    const dir = copyPack();
    const path = join(dir, 'statements', CONTRACT, '2026-10.json');
    const statement = statementOf(dir, '2026-10');
    writeFileSync(path, JSON.stringify({ ...statement, total: '0.01' }, null, 2) + '\n');
    sealManifest(dir, pack.key);
    const run = runVerifier(dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`^statements/${CONTRACT}/2026-10\\.json: not the document issued by event #${issuedSeq} \\(SHA-256 of its canonical JSON [0-9a-f]{64}, issued [0-9a-f]{64}\\)$`, 'm'));
    // Its CSV, the issued figures, no longer says what the edited JSON says.
    expect(run.stdout).toMatch(new RegExp(`^statements/${CONTRACT}/2026-10\\.csv:\\d+: TOTAL row net: the CSV says \\d+\\.\\d\\d, the JSON says 0\\.01$`, 'm'));
  });

  it('an adjustment edited in the open statement names the ticket, the period and both figures', () => {
    const dir = copyPack();
    const november = statementOf(dir, '2026-11');
    const t3 = november.adjustments.find((a) => a.ticket === 'T-3')!;
    Object.assign(t3, { credit: '0.00', net: '0.00' });
    writeFileSync(join(dir, 'statements', CONTRACT, '2026-11.json'), JSON.stringify(november, null, 2) + '\n');
    sealManifest(dir, pack.key);
    const messages = runVerifierJson(dir).problems.map((p) => p.message);
    const events = JSON.stringify(t3.events);
    expect(messages).toEqual([
      `statements/${CONTRACT}/2026-11.json: adjustment T-3 (period 2026-10): the statement says billed→billed_and_reversed charge 0.00 credit 0.00 net 0.00 events ${events}, ` +
        `the events give billed→billed_and_reversed charge 0.00 credit 0.99 net -0.99 events ${events}`,
    ]);
    expect(t3.events.length).toBeGreaterThan(0);
  });

  it('an issued document whose events were changed before its checkpoint no longer follows from them', () => {
    const dir = copyPack();
    // Drop T-1's verification from the history and re-hash everything after it: the issued October no longer adds up.
    const lines = readFileSync(join(dir, 'events.jsonl'), 'utf8').trimEnd().split('\n');
    const seq = seqWhere(lines, (l) => l.type === 'outcome.verified' && l.ticket === 'T-1');
    const changed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    changed[seq - 1] = { ...changed[seq - 1]!, contract: 'another-contract' };
    writeFileSync(join(dir, 'events.jsonl'), changed.map((l) => JSON.stringify(l)).join('\n') + '\n');
    sealManifest(dir, pack.key);
    const run = runVerifier(dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`event #${seq} (T-1) outcome.verified: content changed`);
    expect(run.stdout).toContain(`event #${issuedSeq} statement.issued (period 2026-10): document (as of event #${issuedSeq - 2}): ticket T-1: the statement says billed charge 0.99, the events give no line`);
  });
});
