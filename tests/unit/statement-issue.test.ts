// Issued statements are closed documents: issuing freezes the period's text (SHA-256 of its canonical JSON, the
// checkpoint it was computed under, the issuer's signature); what later touches it — a dispute, a decision, a late
// reversal — is posted as an adjustment of the first period not yet issued, and the issued text never changes.
import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import Database from 'better-sqlite3-multiple-ciphers';
import canonicalize from 'canonicalize';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../electron/core/db/connection.ts';
import { recordEvents } from '../../electron/core/derived/record-events.ts';
import { importJsonlText } from '../../electron/core/interchange/jsonl-import.ts';
import { loadOrCreateInstallationKey } from '../../electron/core/checkpoints/installation-key.ts';
import { cosignCheckpoint, formatCosignerKey, parseCosignerKey } from '../../electron/core/checkpoints/cosignature.ts';
import { recordCosignature } from '../../electron/core/checkpoints/record-cosignature.ts';
import { recordCheckpoint } from '../../electron/core/checkpoints/record-checkpoint.ts';
import { rawEd25519PublicKey } from '../../electron/core/checkpoints/signed-note.ts';
import { decideDispute, openDisputeOn } from '../../electron/core/outcomes/disputes.ts';
import { issueStatement, periodStates } from '../../electron/core/outcomes/issued-statements.ts';
import { buildStatement, statementDocument } from '../../electron/core/outcomes/statement.ts';
import { runVerification } from '../../electron/core/outcomes/verification.ts';
import { addAccount } from '../../electron/core/people/accounts.ts';
import { openCore } from '../../electron/core/service.ts';
import type { IssuedStatementResult, Statement } from '../../shared/contracts/outcomes.ts';
import { tempDb } from './helpers.ts';
import { aiSolved, contractJson, loadContract, record } from './outcome-kit.ts';
import { contractSchema } from '../../electron/core/outcomes/contract-schema.ts';

/** The statement file's text, as `attest statement --format json` prints it. */
const statementText = (db: Db, period: string): string => statementDocument(db, period).text;

const ISSUER = { kind: 'human', id: 'os:controller' } as const;
const auditor = { kind: 'human', id: 'aud-1' } as const;
const supervisor = { kind: 'human', id: 'sup-1' } as const;

/** September: T-1..T-3 verified (0.99 each); October: T-4. */
function ledger(): { db: Db; path: string } {
  const handle = tempDb();
  loadContract(handle.db, { effectiveFrom: '2026-09-01' });
  for (const id of ['T-1', 'T-2', 'T-3']) record(handle.db, aiSolved(id, '2026-09-05T10:00:00Z'));
  record(handle.db, aiSolved('T-4', '2026-10-05T10:00:00Z'));
  runVerification(handle.db, '2026-10-10T00:00:00Z', () => 'achieved');
  return handle;
}

const issue = (db: Db, period: string, at: string): IssuedStatementResult =>
  issueStatement(db, { period, key: loadOrCreateInstallationKey(), actor: ISSUER, now: new Date(at) });

/** SHA-256 of the RFC 8785 form, computed with the `canonicalize` library (not the app's canonicalizer). */
const jcsSha256 = (text: string): string => createHash('sha256').update(canonicalize(JSON.parse(text))!).digest('hex');

const issuedEvent = (db: Db, seq: number): { at: string; payload: Record<string, unknown> } => {
  const row = db.prepare("SELECT at, payload FROM events WHERE seq = ? AND type = 'statement.issued'").get(seq) as { at: string; payload: string };
  return { at: row.at, payload: JSON.parse(row.payload) as Record<string, unknown> };
};

describe('issuing a statement', () => {
  it('freezes the period: the stored text is the statement byte for byte, hashed, with its totals and checkpoint', () => {
    const { db } = ledger();
    const preview = statementText(db, '2026-09');
    const issued = issue(db, '2026-09', '2026-10-12T09:00:00Z');
    expect(issued).toMatchObject({ contract: 'acme-ai-2026', period: '2026-09', total: '2.97', currency: 'EUR' });
    expect(statementText(db, '2026-09')).toBe(preview);
    const { payload } = issuedEvent(db, issued.seq);
    expect(payload.document).toBe(preview);
    expect(payload.sha256).toBe(jcsSha256(preview));
    expect(issued.sha256).toBe(payload.sha256);
    expect(payload.totals).toMatchObject({ verified: 3, subtotal: '2.97', credits: '0.00', adjustments: '0.00', total: '2.97', currency: 'EUR' });
    // The checkpoint is the event just before: the statement was computed from exactly the events it covers.
    expect(issued.checkpoint).toMatchObject({ seq: issued.seq - 1, treeSize: issued.seq - 2 });
    const checkpoint = db.prepare('SELECT type, payload FROM events WHERE seq = ?').get(issued.checkpoint.seq) as { type: string; payload: string };
    expect(checkpoint.type).toBe('checkpoint');
    expect(JSON.parse(checkpoint.payload)).toMatchObject({ treeSize: issued.checkpoint.treeSize, rootHash: issued.checkpoint.rootHash });
    expect(periodStates(db).find((p) => p.period === '2026-09')).toMatchObject({ state: 'issued', issuedBy: 'os:controller', seq: issued.seq, sha256: issued.sha256, total: '2.97' });
    expect(periodStates(db).find((p) => p.period === '2026-10')).toMatchObject({ state: 'open', frontier: true, seq: null });
  });

  it('posts a dispute decided after the issue in the first open period only, naming the original period and ticket', () => {
    const { db } = ledger();
    const september = statementText(db, '2026-09');
    issue(db, '2026-09', '2026-10-12T09:00:00Z');
    const dispute = openDisputeOn(db, 'T-1', 'the customer wrote back: not solved', auditor, { at: '2026-10-20T09:00:00Z' });
    // Open: held back as an adjustment of October (the first period not yet issued).
    const held = buildStatement(db, '2026-10');
    expect(held.adjustments).toMatchObject([{ ticket: 'T-1', period: '2026-09', was: 'billed', now: 'held', charge: '-0.99', credit: '0.00', net: '-0.99', events: [dispute.seq] }]);
    expect(held).toMatchObject({ subtotal: '0.99', adjustmentsTotal: '-0.99', total: '0.00' });

    const decided = decideDispute(db, dispute.seq, 'upheld', 'transcript shows a wrong answer', supervisor, '2026-11-02T10:00:00Z');
    expect(statementText(db, '2026-09')).toBe(september);
    const october = buildStatement(db, '2026-10');
    expect(october.adjustments).toMatchObject([
      { ticket: 'T-1', period: '2026-09', was: 'billed', now: 'billed_and_reversed', charge: '0.00', credit: '0.99', net: '-0.99', events: [dispute.seq, decided.decisionSeq] },
    ]);
    expect(october).toMatchObject({ verified: 1, subtotal: '0.99', credits: '0.00', adjustmentsTotal: '-0.99', total: '0.00' });
    expect(october.byCategory.password_reset).toMatchObject({ adjustments: '-0.99', total: '0.00' });
    // The decision's own month carries nothing of it: the credit went to the first open period.
    expect(buildStatement(db, '2026-11')).toMatchObject({ lines: [], adjustments: [], total: '0.00' });
  });

  it('keeps every statement frozen across issues: the adjustments of one issue are not posted again', () => {
    const { db } = ledger();
    issue(db, '2026-09', '2026-10-12T09:00:00Z');
    // A reopen inside September's clawback, imported and verified after September was issued: a late reversal.
    record(db, [{ ticket: 'T-2', type: 'status', at: '2026-09-30T10:00:00Z', status: 'open', by: { kind: 'human', id: 'agent-7' } }], '2026-10-20T10:00:00Z');
    expect(runVerification(db, '2026-10-21T00:00:00Z', () => 'achieved')).toMatchObject({ reversedAdded: 1 });
    const october = buildStatement(db, '2026-10');
    expect(october.adjustments).toMatchObject([{ ticket: 'T-2', period: '2026-09', was: 'billed', now: 'billed_and_reversed', net: '-0.99' }]);
    const octoberText = statementText(db, '2026-10');
    const second = issue(db, '2026-10', '2026-11-01T08:00:00Z');
    expect(statementText(db, '2026-10')).toBe(octoberText);
    expect(second.total).toBe('0.00');
    // November starts clean: what October's document carries is not posted twice.
    const november = buildStatement(db, '2026-11');
    expect(november.adjustments).toEqual([]);
    // Over issued and open statements, the money adds up to what the ledger says happened: T-1, T-3, T-4 billed.
    const totals = ['2026-09', '2026-10', '2026-11'].map((p) => Number(buildStatement(db, p).total));
    expect(totals.reduce((a, b) => a + b, 0).toFixed(2)).toBe('2.97');
  });

  it('is refused before the period ends, twice, out of order, and for an earlier period after a later one', () => {
    const { db } = ledger();
    expect(() => issue(db, '2026-10', '2026-10-29T09:00:00Z')).toThrow(/2026-10 has not ended yet/);
    expect(() => issue(db, '2026-10', '2026-11-02T09:00:00Z')).toThrow('issue 2026-09 first');
    issue(db, '2026-09', '2026-10-12T09:00:00Z');
    expect(() => issue(db, '2026-09', '2026-10-13T09:00:00Z')).toThrow(/already issued/);
    expect(() => issue(db, '2026-08', '2026-10-13T09:00:00Z')).toThrow(/2026-09 is already issued; 2026-08 is before it/);
  });

  it('holds in the rule book on every append path: a forged issue is refused from a file and from the core', () => {
    const { db } = ledger();
    const issued = issue(db, '2026-09', '2026-10-12T09:00:00Z');
    const { at, payload } = issuedEvent(db, issued.seq);
    const before = db.prepare('SELECT count(*) FROM events').pluck().get();
    const line = { type: 'statement.issued', at, ...payload, period: '2026-10' };
    expect(() => importJsonlText(db, 'forged.jsonl', `${JSON.stringify(line)}\n`, { importedBy: ISSUER })).toThrow(/written only by Attest itself/);
    // Recorded by Attest but not what it says: an edited total keeps the document's hash.
    const edited = JSON.parse(payload.document as string) as Statement;
    edited.total = '29.70';
    const document = JSON.stringify(edited, null, 2) + '\n';
    const attempt = (fields: Record<string, unknown>) => () => recordEvents(db, [{ type: 'statement.issued', at: '2026-11-02T00:00:00Z', actor: ISSUER, ...payload, ...fields }]);
    expect(attempt({ document })).toThrow(/sha256: is not the SHA-256/);
    expect(attempt({ document, sha256: jcsSha256(document) })).toThrow(/totals: differ/);
    expect(attempt({})).toThrow(/already issued/);
    expect(db.prepare('SELECT count(*) FROM events').pluck().get()).toBe(before);
  });

  it('is signed "approved" by the issuer in a ledger with accounts, through the core, and refused to an auditor', async () => {
    const { db, path } = ledger();
    addAccount(db, { name: 'admin', display: 'Ada Admin', role: 'admin', password: 'Lantern-orchard-5821' }, { kind: 'human', id: 'os:tester' });
    const admin = { kind: 'human', id: 'acct:admin', name: 'Ada Admin' } as const;
    addAccount(db, { name: 'sup', display: 'Sam Supervisor', role: 'supervisor', password: 'Quiet-harbour-7381' }, admin);
    addAccount(db, { name: 'aud', display: 'Aria Auditor', role: 'auditor', password: 'Copper-meadow-4410' }, admin);
    db.close();
    const core = openCore({ dbPath: path, chainPollIntervalMs: 0 });
    try {
      const login = async (name: string, password: string): Promise<string> => {
        let token: string | null = null;
        await core.invoke('auth.login', { name, password }, { via: 'browser', onSession: (t) => (token = t) });
        return token!;
      };
      const aud = await login('aud', 'Copper-meadow-4410');
      const refused = await core.invoke('outcomes.issueStatement', { period: '2026-09' }, { session: aud });
      expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      const sup = await login('sup', 'Quiet-harbour-7381');
      const unsigned = await core.invoke('outcomes.issueStatement', { period: '2026-09' }, { session: sup });
      expect(unsigned).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
      const wrongMeaning = await core.invoke('outcomes.issueStatement', { period: '2026-09', signature: { password: 'Quiet-harbour-7381', meaning: 'reviewed', reason: 'month closed' } }, { session: sup });
      expect(wrongMeaning).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
      const signed = await core.invoke('outcomes.issueStatement', { period: '2026-09', signature: { password: 'Quiet-harbour-7381', meaning: 'approved', reason: 'September closed with the buyer' } }, { session: sup });
      expect(signed.ok).toBe(true);
      const result = (signed as { value: IssuedStatementResult }).value;
      const states = await core.invoke('outcomes.periodStates', {}, { session: aud });
      expect((states as { value: unknown[] }).value).toContainEqual(expect.objectContaining({ period: '2026-09', state: 'issued', issuedBy: 'acct:sup', issuedByName: 'Sam Supervisor', seq: result.seq }));
      const stored = new Database(path, { readonly: true });
      const signatures = stored.prepare("SELECT actor, payload FROM events WHERE type = 'signature' ORDER BY seq DESC LIMIT 1").get() as { actor: string; payload: string };
      stored.close();
      expect(JSON.parse(signatures.payload)).toMatchObject({ signedSeq: result.seq, meaning: 'approved', reason: 'September closed with the buyer' });
      expect(JSON.parse(signatures.actor)).toMatchObject({ id: 'acct:sup', name: 'Sam Supervisor' });
    } finally {
      core.close();
    }
  });

  it('bills an outcome of a contract that requires a cosigned checkpoint only once the buyer cosigned one covering it', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const raw = rawEd25519PublicKey(createPublicKey(privateKey));
    const buyer = formatCosignerKey('buyer.example/auditor', raw);
    // A buyer key must be a cosigner key line whose key ID matches its name and key, as written; one is needed.
    const terms = (overrides: Record<string, unknown>) => contractSchema.safeParse(JSON.parse(contractJson({ effectiveFrom: '2026-09-01', requireCosignedCheckpoint: true, ...overrides }))).success;
    expect(terms({ buyerKeys: [buyer] })).toBe(true);
    expect(terms({ buyerKeys: [buyer.replace(/\+[0-9a-f]{8}\+/, '+00000000+')] })).toBe(false);
    expect(terms({ buyerKeys: [` ${buyer}`] })).toBe(false);
    expect(terms({ buyerKeys: [] })).toBe(false);
    const { db } = tempDb();
    loadContract(db, { effectiveFrom: '2026-09-01', requireCosignedCheckpoint: true, buyerKeys: [buyer] });
    for (const id of ['T-1', 'T-2']) record(db, aiSolved(id, '2026-09-05T10:00:00Z'));
    runVerification(db, '2026-10-10T00:00:00Z', () => 'achieved');
    const september = buildStatement(db, '2026-09');
    expect(september).toMatchObject({ verified: 0, awaiting: 2, awaitingAmount: '1.98', subtotal: '0.00', total: '0.00' });
    expect(september.lines.map((l) => [l.ticket, l.status, l.charge])).toEqual([['T-1', 'awaiting_cosignature', '0.00'], ['T-2', 'awaiting_cosignature', '0.00']]);
    issue(db, '2026-09', '2026-10-12T09:00:00Z');

    // A checkpoint cosigned by someone else's key bills nothing; the buyer's key does.
    const other = generateKeyPairSync('ed25519').privateKey;
    const checkpoint = recordCheckpoint(db, loadOrCreateInstallationKey());
    const now = Math.floor(Date.now() / 1000) - 60;
    recordCosignature(db, cosignCheckpoint(checkpoint.note, { name: 'someone-else', privateKey: other }, now), { keys: [parseCosignerKey(formatCosignerKey('someone-else', rawEd25519PublicKey(createPublicKey(other))))] });
    expect(buildStatement(db, '2026-10').adjustments).toEqual([]);
    const cosigned = recordCosignature(db, cosignCheckpoint(checkpoint.note, { name: 'buyer.example/auditor', privateKey }, now));
    const october = buildStatement(db, '2026-10');
    expect(october.adjustments).toMatchObject([
      { ticket: 'T-1', period: '2026-09', was: 'awaiting_cosignature', now: 'billed', charge: '0.99', net: '0.99', events: [cosigned.seq] },
      { ticket: 'T-2', period: '2026-09', was: 'awaiting_cosignature', now: 'billed', charge: '0.99', net: '0.99', events: [cosigned.seq] },
    ]);
    expect(october).toMatchObject({ adjustmentsTotal: '1.98', total: '1.98' });
  });
});
