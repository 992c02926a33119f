import { describe, expect, it } from 'vitest';
import { decideDispute, listDisputes, openDisputeOn } from '../../electron/core/outcomes/disputes.ts';
import { explainTicket } from '../../electron/core/outcomes/explain.ts';
import { buildStatement } from '../../electron/core/outcomes/statement.ts';
import { runVerification } from '../../electron/core/outcomes/verification.ts';
import { openCore } from '../../electron/core/service.ts';
import { tempDb } from './helpers.ts';
import { aiSolved, loadContract, outcomeEvents, record } from './outcome-kit.ts';

const auditor = { kind: 'human', id: 'aud-1' } as const;
const supervisor = { kind: 'human', id: 'sup-1' } as const;

function setup() {
  const handle = tempDb();
  loadContract(handle.db);
  for (const id of ['T-1', 'T-2', 'T-3']) record(handle.db, aiSolved(id, '2026-10-05T10:00:00Z'));
  runVerification(handle.db, '2026-10-10T00:00:00Z', () => 'achieved');
  return handle;
}

describe('disputes', () => {
  it('hold a billable event out of statements until upheld (a credit in the decision period) or rejected (billable again)', () => {
    const { db } = setup();
    const up = openDisputeOn(db, 'T-1', 'customer says the answer was wrong', auditor, { at: '2026-10-15T09:00:00Z' });
    const down = openDisputeOn(db, 'T-2', 'looks like a duplicate ticket', auditor, { at: '2026-10-15T09:05:00Z' });
    expect(up).toMatchObject({ ticket: 'T-1', state: 'open', openedBy: 'aud-1', reason: 'customer says the answer was wrong' });
    expect(buildStatement(db, '2026-10')).toMatchObject({ verified: 1, disputed: 2, subtotal: '0.99', heldBack: '1.98', total: '0.99' });
    expect(explainTicket(db, 'T-1').reason).toContain('disputed by aud-1 (customer says the answer was wrong); held back');
    expect(() => openDisputeOn(db, 'T-1', 'again', auditor)).toThrow(`T-1 already has an open dispute (#${up.seq}, opened by aud-1)`);

    expect(decideDispute(db, up.seq, 'upheld', 'transcript confirms a wrong answer', supervisor, '2026-11-02T10:00:00Z')).toMatchObject({
      state: 'upheld',
      decidedBy: 'sup-1',
      decisionReason: 'transcript confirms a wrong answer',
    });
    expect(decideDispute(db, down.seq, 'rejected', 'not a duplicate', supervisor, '2026-10-20T10:00:00Z')).toMatchObject({ state: 'rejected', decidedBy: 'sup-1' });
    expect(() => decideDispute(db, down.seq, 'upheld', 'changed my mind', supervisor)).toThrow(`dispute #${down.seq} was already rejected by sup-1`);

    expect(buildStatement(db, '2026-10')).toMatchObject({ verified: 3, disputed: 0, subtotal: '2.97', credits: '0.00', total: '2.97' });
    const november = buildStatement(db, '2026-11');
    expect(november).toMatchObject({ verified: 0, reversed: 1, credits: '0.99', total: '-0.99' });
    expect(november.lines).toMatchObject([{ ticket: 'T-1', status: 'reversed', reversalReason: 'dispute_upheld' }]);
    expect(explainTicket(db, 'T-1')).toMatchObject({ state: 'reversed', clause: 'disputes' });
    expect(explainTicket(db, 'T-2').state).toBe('verified');
    expect(() => openDisputeOn(db, 'T-1', 'again', auditor)).toThrow('T-1: the outcome was already reversed');
    expect(() => openDisputeOn(db, 'T-9', 'x', auditor)).toThrow();

    // Each step is a ledger event with who and why.
    expect(outcomeEvents(db, 'outcome.disputed').map((e) => e.payload.reason)).toEqual(['customer says the answer was wrong', 'looks like a duplicate ticket']);
    expect(outcomeEvents(db, 'outcome.dispute_upheld')[0]).toMatchObject({ ticket: 'T-1', payload: { period: '2026-11', price: '0.99', reason: 'transcript confirms a wrong answer' } });
    const actors = db.prepare("SELECT type, actor FROM events WHERE type LIKE 'outcome.disput%' ORDER BY seq").all() as { type: string; actor: string }[];
    expect(actors.map((a) => [a.type, JSON.parse(a.actor).id])).toEqual([
      ['outcome.disputed', 'aud-1'],
      ['outcome.disputed', 'aud-1'],
      ['outcome.dispute_upheld', 'sup-1'],
      ['outcome.dispute_rejected', 'sup-1'],
    ]);
    expect(listDisputes(db).disputes.map((d) => d.state)).toEqual(['upheld', 'rejected']);
    // Verification afterwards changes nothing.
    expect(runVerification(db, '2026-11-28T00:00:00Z', () => 'achieved')).toMatchObject({ verifiedAdded: 0, reversedAdded: 0 });
  });

  it('roles: auditors flag, supervisors decide, through the contract', async () => {
    const { db, path } = setup();
    db.close();
    const asSupervisor = openCore({ dbPath: path, role: 'supervisor', user: 'sup-9' });
    const asAuditor = openCore({ dbPath: path, role: 'auditor', user: 'aud-9' });
    try {
      expect(await asSupervisor.invoke('outcomes.disputeOpen', { ticket: 'T-3', reason: 'x' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(await asAuditor.invoke('outcomes.disputeOpen', { ticket: 'T-3', reason: ' ' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
      const opened = await asAuditor.invoke('outcomes.disputeOpen', { ticket: 'T-3', reason: 'CSAT comment says unresolved' });
      expect(opened).toMatchObject({ ok: true, value: { ticket: 'T-3', openedBy: 'aud-9', state: 'open' } });
      const seq = (opened as { ok: true; value: { seq: number } }).value.seq;
      expect(await asAuditor.invoke('outcomes.disputeUphold', { dispute: seq, reason: 'x' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(await asSupervisor.invoke('outcomes.disputeReject', { dispute: seq, reason: 'resolved per transcript' })).toMatchObject({
        ok: true,
        value: { state: 'rejected', decidedBy: 'sup-9' },
      });
      const list = await asAuditor.invoke('outcomes.disputes', {});
      expect(list).toMatchObject({ ok: true, value: { disputes: [{ ticket: 'T-3', state: 'rejected' }], discrepancies: [] } });
    } finally {
      asSupervisor.close();
      asAuditor.close();
    }
  });
});
