// Electronic signatures (Part 11 style): acts that need one are refused without it once the ledger has accounts,
// a wrong password is in the access log and counts towards the lockout, the signature is linked to its record by
// hash (it cannot be moved, nor imported from a file), and `verify` reports a signature whose record changed.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../electron/core/db/connection.ts';
import { recordEvents } from '../../electron/core/derived/record-events.ts';
import { importJsonlText } from '../../electron/core/interchange/jsonl-import.ts';
import { runVerification } from '../../electron/core/outcomes/verification.ts';
import { addAccount } from '../../electron/core/people/accounts.ts';
import { SIGNATURE_NEEDED } from '../../electron/core/people/signatures.ts';
import { openCore, type CoreHandle } from '../../electron/core/service.ts';
import { verifyDatabaseFile } from '../../electron/core/verification/verify-database.ts';
import type { TicketDetail } from '../../shared/contract.ts';
import type { DisputeRow, Statement } from '../../shared/contracts/outcomes.ts';
import { pdfTextLines } from '../pdf-text.ts';
import { cliSignature, signCliAct } from '../../electron/adapters/cli/cli-signature.ts';
import { decideDispute, openDisputeOn } from '../../electron/core/outcomes/disputes.ts';
import { inTransaction } from '../../electron/core/db/transaction.ts';
import { A_FUTURE_DAY, rewriteChainFrom, tempDb } from './helpers.ts';
import { aiSolved, contractJson, loadContract, record } from './outcome-kit.ts';
import { importKnowledgeBase } from '../../electron/core/kb/kb-import.ts';
import { addOpenTickets, setMode } from '../support/ai-tickets.ts';
import { startOllamaStandIn } from '../support/ollama-stand-in.ts';

const CLI = fileURLToPath(new URL('../../bin/attest.js', import.meta.url));
const KB = fileURLToPath(new URL('../../resources/kb/', import.meta.url));

const PASSWORDS = { admin: 'Lantern-orchard-5821', sup: 'Quiet-harbour-7381', aud: 'Copper-meadow-4410' } as const;
const SIGN = { password: PASSWORDS.sup, meaning: 'approved', reason: 'transcript reviewed with the customer' } as const;

/** A ledger with a contract, two verified outcomes and (optionally) an admin, a supervisor and an auditor. */
function ledger(withAccounts: boolean): { db: Db; path: string } {
  const { db, path } = tempDb();
  loadContract(db);
  for (const id of ['T-1', 'T-2']) record(db, aiSolved(id, '2026-10-05T10:00:00Z'));
  runVerification(db, '2026-10-10T00:00:00Z', () => 'achieved');
  if (withAccounts) {
    addAccount(db, { name: 'admin', display: 'Ada Admin', role: 'admin', password: PASSWORDS.admin }, { kind: 'human', id: 'os:tester' });
    const admin = { kind: 'human', id: 'acct:admin', name: 'Ada Admin' } as const;
    addAccount(db, { name: 'sup', display: 'Sam Supervisor', role: 'supervisor', password: PASSWORDS.sup }, admin);
    addAccount(db, { name: 'aud', display: 'Aria Auditor', role: 'auditor', password: PASSWORDS.aud }, admin);
  }
  return { db, path };
}

/** A core with one signed-in session per call to `as`. */
async function signedIn(core: CoreHandle, name: keyof typeof PASSWORDS): Promise<string> {
  let token: string | null = null;
  const result = await core.invoke('auth.login', { name, password: PASSWORDS[name] }, { via: 'browser', onSession: (t) => (token = t) });
  expect(result.ok).toBe(true);
  return token!;
}

const count = (db: Db, type?: string): number =>
  (type ? db.prepare('SELECT count(*) FROM events WHERE type = ?').pluck().get(type) : db.prepare('SELECT count(*) FROM events').pluck().get()) as number;

async function openDispute(core: CoreHandle, session: string | null, ticket = 'T-1'): Promise<DisputeRow> {
  const opened = await core.invoke('outcomes.disputeOpen', { ticket, reason: 'customer says the answer was wrong' }, { session });
  expect(opened.ok).toBe(true);
  return (opened as { value: DisputeRow }).value;
}


/** An auditor flags a dispute and a supervisor upholds it with a signature; the decision's seq. */
async function signedUpheldDispute(path: string): Promise<number> {
  const core = openCore({ dbPath: path, chainPollIntervalMs: 0 });
  try {
    const dispute = await openDispute(core, await signedIn(core, 'aud'));
    const decided = await core.invoke('outcomes.disputeUphold', { dispute: dispute.seq, reason: 'wrong answer', signature: SIGN }, { session: await signedIn(core, 'sup') });
    return (decided as { value: DisputeRow }).value.decisionSeq!;
  } finally {
    core.close();
  }
}
describe('electronic signatures', () => {
  it('a dispute decision in a ledger with accounts is refused unsigned, refused with a wrong password (logged), and recorded with its signature', async () => {
    const { db, path } = ledger(true);
    const core = openCore({ dbPath: path, chainPollIntervalMs: 0 });
    try {
      const dispute = await openDispute(core, await signedIn(core, 'aud'));
      const sup = await signedIn(core, 'sup');

      const before = count(db);
      const unsigned = await core.invoke('outcomes.disputeUphold', { dispute: dispute.seq, reason: 'wrong answer' }, { session: sup });
      expect(unsigned).toEqual({ ok: false, error: { code: 'invalid_input', message: SIGNATURE_NEEDED } });
      expect(count(db)).toBe(before);

      const wrong = await core.invoke('outcomes.disputeUphold', { dispute: dispute.seq, reason: 'wrong answer', signature: { ...SIGN, password: 'not-my-password-1' } }, { session: sup });
      expect(wrong).toMatchObject({ ok: false, error: { code: 'forbidden', message: 'wrong password: the signature was not given' } });
      // Only the failed check is recorded, in the access log: no decision, no signature.
      expect(count(db)).toBe(before + 1);
      const failure = db.prepare("SELECT payload FROM events WHERE type = 'access.loginFailed' ORDER BY seq DESC LIMIT 1").pluck().get() as string;
      expect(JSON.parse(failure)).toEqual({ name: 'sup', account: 'sup', reason: 'password', via: 'browser' });
      expect(count(db, 'outcome.dispute_upheld')).toBe(0);

      const signed = await core.invoke('outcomes.disputeUphold', { dispute: dispute.seq, reason: 'wrong answer', signature: SIGN }, { session: sup });
      expect(signed.ok).toBe(true);
      const decision = (signed as { value: DisputeRow }).value;
      const decisionRow = db.prepare('SELECT hash FROM events WHERE seq = ?').get(decision.decisionSeq) as { hash: string };
      const signature = db.prepare("SELECT seq, actor, payload FROM events WHERE type = 'signature'").all() as { seq: number; actor: string; payload: string }[];
      expect(signature).toHaveLength(1);
      expect(signature[0]!.seq).toBe(decision.decisionSeq! + 1);
      expect(JSON.parse(signature[0]!.actor)).toEqual({ kind: 'human', id: 'acct:sup', name: 'Sam Supervisor' });
      expect(JSON.parse(signature[0]!.payload)).toEqual({ signedSeq: decision.decisionSeq, signedHash: decisionRow.hash, meaning: 'approved', reason: SIGN.reason });

      // The timeline shows it on the signed event.
      const detail = (await core.invoke('tickets.get', { id: 'T-1' }, { session: sup })) as { ok: true; value: TicketDetail };
      const signedEvent = detail.value.events.find((event) => event.seq === decision.decisionSeq)!;
      expect(signedEvent.signatures).toMatchObject([{ seq: signature[0]!.seq, display: 'Sam Supervisor', meaning: 'approved', reason: SIGN.reason, signedType: 'outcome.dispute_upheld', valid: true }]);
      expect(detail.value.events.filter((event) => event.signatures).length).toBe(1);

      // The statement of the period the upheld dispute is credited in lists the decision's signature, also in print.
      const period = (await core.invoke('outcomes.periods', {}, { session: sup })) as { ok: true; value: string[] };
      const statement = (await core.invoke('outcomes.statement', { period: period.value[0]! }, { session: sup })) as { ok: true; value: Statement };
      expect(statement.value.signatures).toMatchObject([{ signedSeq: decision.decisionSeq, signedHash: decisionRow.hash, display: 'Sam Supervisor', meaning: 'approved', valid: true }]);
      const pdf = (await core.invoke('outcomes.statementPdf', { period: period.value[0]! }, { session: sup })) as { ok: true; value: { base64: string } };
      // The signature block: printed name, meaning and time on one line, then the reason and what it signs (wrapped).
      const lines = pdfTextLines(Buffer.from(pdf.value.base64, 'base64'));
      expect(lines).toContain(`Sam Supervisor — approved — ${statement.value.signatures[0]!.at.slice(0, 19).replace('T', ' ')} UTC`);
      expect(lines.join(' ').replace(/\s+/g, ' ')).toContain(`Reason: ${SIGN.reason}. Signs #${decision.decisionSeq} (outcome.dispute_upheld) hash ${decisionRow.hash}`);
    } finally {
      core.close();
    }
  });

  it('wrong signature passwords count towards the lockout, and a locked account cannot sign', async () => {
    const { db, path } = ledger(true);
    const core = openCore({ dbPath: path, chainPollIntervalMs: 0 });
    try {
      const dispute = await openDispute(core, await signedIn(core, 'aud'));
      const sup = await signedIn(core, 'sup');
      const attempt = (password: string) => core.invoke('outcomes.disputeReject', { dispute: dispute.seq, reason: 'fine', signature: { ...SIGN, password } }, { session: sup });
      for (let i = 0; i < 4; i++) expect((await attempt('not-my-password-1')).ok).toBe(false);
      expect(await attempt('not-my-password-1')).toMatchObject({ error: { code: 'forbidden', message: 'wrong password: the signature was not given, and the account is now locked after 5 failures' } });
      expect(count(db, 'access.lockout')).toBe(1);
      expect(await attempt(PASSWORDS.sup)).toMatchObject({ error: { code: 'forbidden', message: expect.stringContaining('locked') } });
      expect(count(db, 'outcome.dispute_rejected')).toBe(0);
    } finally {
      core.close();
    }
  });

  it('baseline freeze and switching a category to auto need a signature; other modes do not', async () => {
    const { db, path } = ledger(true);
    const core = openCore({ dbPath: path, chainPollIntervalMs: 0 });
    try {
      const admin = await signedIn(core, 'admin');
      const sign = { ...SIGN, password: PASSWORDS.admin, meaning: 'responsible' as const };
      const freeze = { name: 'before AI', from: '2026-10-01', to: '2026-10-31' };
      expect(await core.invoke('kpis.freezeBaseline', freeze, { session: admin })).toMatchObject({ ok: false, error: { message: SIGNATURE_NEEDED } });
      const frozen = await core.invoke('kpis.freezeBaseline', { ...freeze, signature: sign }, { session: admin });
      expect(frozen).toMatchObject({ ok: true, value: { name: 'before AI', signatures: [{ display: 'Ada Admin', meaning: 'responsible', signedType: 'baseline.frozen', valid: true }] } });
      const board = await core.invoke('kpis.board', { from: '2026-10-01', to: '2026-10-31' }, { session: admin });
      expect(board).toMatchObject({ ok: true, value: { baseline: { name: 'before AI', signatures: [{ display: 'Ada Admin', meaning: 'responsible' }] } } });
      expect(await core.invoke('categories.setMode', { category: 'password_reset', mode: 'draft', reason: 'pilot' }, { session: admin })).toMatchObject({ ok: true });
      expect(await core.invoke('categories.setMode', { category: 'password_reset', mode: 'auto', reason: 'pilot went well' }, { session: admin })).toMatchObject({ ok: false, error: { message: SIGNATURE_NEEDED } });
      expect(await core.invoke('categories.setMode', { category: 'password_reset', mode: 'auto', reason: 'pilot went well', signature: sign }, { session: admin })).toMatchObject({ ok: true, value: { mode: 'auto' } });
      const signedTypes = db.prepare("SELECT e.type FROM events s JOIN events e ON e.seq = json_extract(s.payload, '$.signedSeq') WHERE s.type = 'signature' ORDER BY s.seq").pluck().all();
      expect(signedTypes).toEqual(['baseline.frozen', 'category.mode']);
    } finally {
      core.close();
    }
  });

  it('in single-user mode acts are recorded unsigned, and a signature is refused: there is nobody to sign', async () => {
    const { db, path } = ledger(false);
    const core = openCore({ dbPath: path, chainPollIntervalMs: 0 });
    try {
      const dispute = await openDispute(core, null);
      const withSignature = await core.invoke('outcomes.disputeUphold', { dispute: dispute.seq, reason: 'wrong answer', signature: SIGN });
      expect(withSignature).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringContaining('single-user mode') } });
      expect(await core.invoke('outcomes.disputeUphold', { dispute: dispute.seq, reason: 'wrong answer' })).toMatchObject({ ok: true, value: { state: 'upheld' } });
      expect(count(db, 'signature')).toBe(0);
    } finally {
      core.close();
    }
  });

  it('a signature cannot be moved to another record, nor come from a file', async () => {
    const { db, path } = ledger(true);
    const decisionSeq = await signedUpheldDispute(path);
    const signer = { kind: 'human', id: 'acct:sup', name: 'Sam Supervisor' } as const;
    const signedHash = db.prepare('SELECT hash FROM events WHERE seq = ?').pluck().get(decisionSeq) as string;
    const otherSeq = db.prepare("SELECT seq FROM events WHERE type = 'outcome.disputed'").pluck().get() as number;
    const moved = { type: 'signature', at: new Date().toISOString(), actor: signer, signedSeq: otherSeq, signedHash, meaning: 'approved', reason: 'moved' };
    expect(() => recordEvents(db, [moved])).toThrow(/signedHash.*is not the hash of #/);
    const before = count(db);
    const fromFile = JSON.stringify({ ...moved, signedSeq: decisionSeq, reason: 'imported' });
    expect(() => importJsonlText(db, 'signatures.jsonl', `${fromFile}\n`, { importedBy: signer })).toThrow(/written only by Attest itself/);
    expect(count(db)).toBe(before);
  });

  it('the CLI signs with the password its sign-in checked: --meaning required, --sign-reason defaults to the act\'s reason', () => {
    const { db } = ledger(true);
    const sup = { person: { account: 'sup', id: 'acct:sup', display: 'Sam Supervisor', role: 'supervisor' as const }, password: PASSWORDS.sup };
    const aud = { kind: 'human', id: 'acct:aud', name: 'Aria Auditor' } as const;
    const dispute = openDisputeOn(db, 'T-2', 'duplicate?', aud);
    expect(() => cliSignature({}, sup, 'not a duplicate')).toThrow(expect.objectContaining({ exitCode: 2, message: expect.stringContaining('--meaning reviewed|approved|responsible|authored') }));
    expect(() => cliSignature({ meaning: 'liked' }, sup, 'x')).toThrow(expect.objectContaining({ exitCode: 2, message: '--meaning liked: must be one of reviewed, approved, responsible, authored' }));
    expect(cliSignature({ meaning: 'approved' }, { person: null, password: null }, 'x')).toBeNull();
    const signature = cliSignature({ meaning: 'reviewed' }, sup, 'not a duplicate');
    const decided = inTransaction(db, () => {
      const row = decideDispute(db, dispute.seq, 'rejected', 'not a duplicate', { kind: 'human', id: 'acct:sup', name: 'Sam Supervisor' });
      signCliAct(db, signature, row.decisionSeq);
      return row;
    });
    const payload = JSON.parse(db.prepare("SELECT payload FROM events WHERE type = 'signature'").pluck().get() as string);
    expect(payload).toMatchObject({ signedSeq: decided.decisionSeq, meaning: 'reviewed', reason: 'not a duplicate' });
  });

  it('attest contract import, baseline freeze and categories set auto are signed on the command line once the ledger has accounts', { timeout: 120_000 }, () => {
    const { db, path } = ledger(true);
    db.close();
    const dir = dirname(path);
    const passwordFile = join(dir, 'admin.password');
    writeFileSync(passwordFile, `${PASSWORDS.admin}\n`);
    const asAdmin = (...args: string[]) => {
      const run = spawnSync(process.execPath, [CLI, ...args, '--db', path, '--json'], { encoding: 'utf8', env: { ...process.env, ATTEST_USER: 'admin', ATTEST_PASSWORD_FILE: passwordFile } });
      return { status: run.status, stdout: run.stdout, stderr: run.stderr };
    };
    const contract = join(dir, 'v2.json');
    // A new version takes effect after it is recorded (contract-rules.ts).
    writeFileSync(contract, contractJson({ version: 2, effectiveFrom: A_FUTURE_DAY, requireSignedApproval: true }));

    const unsigned = asAdmin('contract', 'import', contract);
    expect(unsigned).toMatchObject({ status: 2, stdout: '' });
    expect(unsigned.stderr).toContain('this act needs your electronic signature: add --meaning');
    expect(asAdmin('contract', 'import', contract, '--meaning', 'approved').stderr).toContain('--sign-reason: say why you sign');
    expect(asAdmin('contract', 'import', contract, '--meaning', 'authored', '--sign-reason', 'v2 as negotiated').status).toBe(0);
    expect(asAdmin('baseline', 'freeze', '--from', '2026-10-01', '--to', '2026-10-31', '--name', 'pre-pilot', '--meaning', 'responsible', '--sign-reason', 'October as it was').status).toBe(0);
    expect(asAdmin('categories', 'set', 'password_reset', 'auto', '--reason', 'pilot went well', '--meaning', 'approved').status).toBe(0);

    const check = new Database(path, { readonly: true });
    try {
      const signed = check
        .prepare("SELECT e.type, json_extract(s.payload, '$.meaning') AS meaning, json_extract(s.payload, '$.reason') AS reason FROM events s JOIN events e ON e.seq = json_extract(s.payload, '$.signedSeq') WHERE s.type = 'signature' ORDER BY s.seq")
        .all();
      expect(signed).toEqual([
        { type: 'contract.version', meaning: 'authored', reason: 'v2 as negotiated' },
        { type: 'baseline.frozen', meaning: 'responsible', reason: 'October as it was' },
        { type: 'category.mode', meaning: 'approved', reason: 'pilot went well' },
      ]);
      // The refused imports wrote no contract version.
      expect(check.prepare("SELECT count(*) FROM events WHERE type = 'contract.version'").pluck().get()).toBe(2);
    } finally {
      check.close();
    }
  });

  it('approving an AI draft is signed when the ticket\'s contract says requireSignedApproval, and not in a category the contract does not cover', async () => {
    const standIn = await startOllamaStandIn();
    const { db, path } = tempDb();
    try {
      importKnowledgeBase(db, KB);
      recordEvents(db, [
        {
          type: 'ai.settings', at: new Date().toISOString(), actor: { kind: 'human', id: 'test' }, host: standIn.host, model: 'llama3.2:3b',
          confidence_threshold: 0.75, parallel: 1, redaction: { card: true, iban: true, email: false, phone: false }, reason: 'use the stand-in',
        },
      ]);
      setMode(db, 'billing_question', 'draft');
      const [signedTicket, otherTicket] = addOpenTickets(db, 2, ['billing_question', 'shipping_status']);
      loadContract(db, { categories: ['billing_question'], requireSignedApproval: true, effectiveFrom: '2024-01-01' });
      setMode(db, 'shipping_status', 'draft');
      addAccount(db, { name: 'admin', display: 'Ada Admin', role: 'admin', password: PASSWORDS.admin }, { kind: 'human', id: 'os:tester' });
      addAccount(db, { name: 'sup', display: 'Sam Supervisor', role: 'supervisor', password: PASSWORDS.sup }, { kind: 'human', id: 'acct:admin', name: 'Ada Admin' });
      const core = openCore({ dbPath: path, chainPollIntervalMs: 0 });
      try {
        const sup = await signedIn(core, 'sup');
        const draft = async (ticketId: string) => {
          const drafted = await core.invoke('ai.draftLive', { ticketId }, { session: sup });
          expect(drafted).toMatchObject({ ok: true, value: { action: 'await_review' } });
          return (drafted as { value: { runId: string } }).value.runId;
        };
        const run = await draft(signedTicket!.id);
        expect(await core.invoke('ai.review', { runId: run, action: 'approve' }, { session: sup })).toEqual({ ok: false, error: { code: 'invalid_input', message: SIGNATURE_NEEDED } });
        const approved = await core.invoke('ai.review', { runId: run, action: 'approve', signature: SIGN }, { session: sup });
        expect(approved).toMatchObject({ ok: true, value: { action: 'approve' } });
        const reviewSeq = (approved as { value: { seq: number } }).value.seq;
        expect(JSON.parse(db.prepare("SELECT payload FROM events WHERE type = 'signature'").pluck().get() as string)).toMatchObject({ signedSeq: reviewSeq, meaning: 'approved' });
        // A category the contract does not cover needs no signature.
        const other = await draft(otherTicket!.id);
        expect(await core.invoke('ai.review', { runId: other, action: 'approve' }, { session: sup })).toMatchObject({ ok: true });
        expect(count(db, 'signature')).toBe(1);
      } finally {
        core.close();
      }
    } finally {
      await standIn.close();
    }
  });

  it('verify reports a signature whose signed event was changed, even with the whole chain recomputed', async () => {
    const { db, path } = ledger(true);
    const decisionSeq = await signedUpheldDispute(path);
    db.close();
    const signatureSeq = decisionSeq + 1;
    expect((await verifyDatabaseFile(path)).status.intact).toBe(true);

    rewriteChainFrom(path, decisionSeq, "UPDATE events SET payload = json_set(payload, '$.reason', 'the customer asked for it') WHERE seq = ?");
    const { status } = await verifyDatabaseFile(path);
    expect(status.chainIntact).toBe(true);
    expect(status.intact).toBe(false);
    expect(status.problems).toEqual([
      {
        problem: 'signature_mismatch',
        seq: signatureSeq,
        ticket: null,
        message: expect.stringMatching(new RegExp(`^signature #${signatureSeq} by Sam Supervisor \\(approved\\) signs #${decisionSeq} with hash [0-9a-f]{12}…, but #${decisionSeq} now has hash`)),
      },
    ]);
  });
});

describe('verify and acts without their signature', () => {
  it('reports a signed act recorded around the signed paths (signature_missing), and not one signed or from single-user mode', async () => {
    const { db, path } = ledger(true);
    const decisionSeq = await signedUpheldDispute(path);
    const sam = { kind: 'human', id: 'acct:sup', name: 'Sam Supervisor' } as const;
    // Straight into the ledger, past the console and the CLI: a contract version in a person's name, unsigned. It is
    // recorded now, so it takes effect after now (a fixed date stops being in the future).
    const effectiveFrom = A_FUTURE_DAY;
    const [unsigned] = recordEvents(db, [{ type: 'contract.version', at: '2026-11-02T10:00:00Z', actor: sam, ...JSON.parse(contractJson({ version: 2, effectiveFrom })) }]);
    db.close();
    const { status } = await verifyDatabaseFile(path);
    expect(status.chainIntact).toBe(true);
    expect(status.intact).toBe(false);
    expect(status.problems).toEqual([
      { problem: 'signature_missing', seq: unsigned!.seq, ticket: null, message: `#${unsigned!.seq} (contract.version by Sam Supervisor) is an act signed once the ledger has accounts, but no signature names it` },
    ]);
    // The signed dispute decision is not a finding; nor is anything before the ledger had accounts (the contract).
    expect(status.problems.map((p) => p.seq)).not.toContain(decisionSeq);
  });
});

