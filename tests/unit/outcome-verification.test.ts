import { describe, expect, it, vi } from 'vitest';
import { OutcomeRepository } from '../../electron/core/outcomes/outcome-repository.ts';
import { rebuildAllProjections } from '../../electron/core/derived/refresh.ts';
import { verifyLedger } from '../../electron/core/ledger/verify.ts';
import { explainTicket } from '../../electron/core/outcomes/explain.ts';
import { buildStatement, statementCsv } from '../../electron/core/outcomes/statement.ts';
import { runVerification } from '../../electron/core/outcomes/verification.ts';
import { importPolicyText } from '../../electron/core/sla/policy-file.ts';
import { tempDb } from './helpers.ts';
import { aiSolved, BUYER, contractJson, loadContract, outcomeEvents, record, seqOf, ticketLines } from './outcome-kit.ts';
import { importContract } from '../../electron/core/outcomes/contract-import.ts';

// Without requireSla the SLA engine is never asked; these tests pin that.
const noSla = (): never => {
  throw new Error('SLA must not be consulted');
};
const verify = (db: Parameters<typeof runVerification>[0], asOf: string) => runVerification(db, asOf, noSla);
const explain = (db: Parameters<typeof explainTicket>[0], ticket: string, asOf = '2026-11-28T00:00:00Z') => explainTicket(db, ticket, { asOf, sla: noSla });

describe('outcome verification', () => {
  it('AI solve then reopen inside the window: not billable, with the reopen as evidence', () => {
    const { db } = tempDb();
    loadContract(db);
    // solved 2026-10-05T10:10Z; the window runs to 2026-10-08T10:10Z; the customer writes back on the 6th.
    record(db, aiSolved('T-1', '2026-10-05T10:00:00Z', [{ kind: 'customer', at: '2026-10-06T09:00:00Z' }]));
    const report = verify(db, '2026-10-20T00:00:00Z');
    expect(report).toMatchObject({ verifiedAdded: 0, reversedAdded: 0, examined: 1 });
    expect(explain(db, 'T-1')).toMatchObject({
      state: 'not_billable',
      reason: 'reopened 2026-10-06T09:00:00.000Z, inside the 72-hour verification window',
      clause: 'criteria.verificationWindowHours',
      evidence: [seqOf(db, 'T-1', 'status'), seqOf(db, 'T-1', 'message', 2)],
    });
  });

  it('is pending while the window runs and verified at its end, in the period of that moment', () => {
    const { db } = tempDb();
    loadContract(db);
    record(db, aiSolved('T-1', '2026-10-05T10:00:00Z'));
    expect(verify(db, '2026-10-08T10:09:59Z').verifiedAdded).toBe(0);
    expect(explain(db, 'T-1', '2026-10-08T10:09:59Z')).toMatchObject({ state: 'pending', reason: 'solved by the AI; the verification window ends 2026-10-08T10:10:00.000Z' });
    expect(verify(db, '2026-10-08T10:10:00Z').verifiedAdded).toBe(1);
    const [verified] = outcomeEvents(db, 'outcome.verified');
    expect(verified).toEqual({
      ticket: 'T-1',
      at: '2026-10-08T10:10:00.000Z',
      payload: {
        contract: 'acme-ai-2026',
        version: 1,
        price: '0.99',
        currency: 'EUR',
        period: '2026-10',
        category: 'password_reset',
        solveSeq: seqOf(db, 'T-1', 'status'),
        evidence: [seqOf(db, 'T-1', 'created'), seqOf(db, 'T-1', 'status')],
      },
    });
    const actor = db.prepare("SELECT actor FROM events WHERE type = 'outcome.verified'").pluck().get() as string;
    expect(JSON.parse(actor)).toEqual({ kind: 'system', id: 'attest-verifier' });
    expect(explain(db, 'T-1').state).toBe('verified');
    expect(verifyLedger(db).intact).toBe(true);
  });

  it('reopen after verification: reversed inside the clawback (credit in the period of the reopen), kept after it', () => {
    const { db } = tempDb();
    loadContract(db);
    // Both verified 2026-10-08T10:10Z = 12:10 CEST; 30 Berlin days later is 2026-11-07 12:10 CET = 11:10Z (DST ended).
    record(db, aiSolved('T-1', '2026-10-05T10:00:00Z', [{ kind: 'customer', at: '2026-11-02T09:00:00Z' }]));
    record(db, aiSolved('T-2', '2026-10-05T10:00:00Z', [{ kind: 'reopen_status', at: '2026-11-07T11:10:01Z' }]));
    expect(verify(db, '2026-10-10T00:00:00Z')).toMatchObject({ verifiedAdded: 2, reversedAdded: 0 });
    expect(verify(db, '2026-11-28T00:00:00Z')).toMatchObject({ verifiedAdded: 0, reversedAdded: 1 });
    const [reversal] = outcomeEvents(db, 'outcome.reversed');
    expect(reversal).toMatchObject({ ticket: 'T-1', at: '2026-11-02T09:00:00.000Z', payload: { period: '2026-11', price: '0.99', reason: 'reopened', evidence: [seqOf(db, 'T-1', 'message', 2)] } });
    expect(explain(db, 'T-1')).toMatchObject({ state: 'reversed' });
    expect(explain(db, 'T-1').reason).toContain('within the 30-day clawback');
    expect(explain(db, 'T-2').state).toBe('verified');

    const october = buildStatement(db, '2026-10');
    expect(october).toMatchObject({ verified: 2, reversed: 0, subtotal: '1.98', credits: '0.00', total: '1.98' });
    const november = buildStatement(db, '2026-11');
    expect(november).toMatchObject({ verified: 0, reversed: 1, subtotal: '0.00', credits: '0.99', total: '-0.99' });
    expect(november.lines).toMatchObject([{ ticket: 'T-1', status: 'reversed', charge: '0.00', credit: '0.99', net: '-0.99', reversalReason: 'reopened' }]);
  });

  it('verifies and reverses in one run, reading each ticket once and a ticket it verified once more', () => {
    const { db } = tempDb();
    loadContract(db);
    record(db, aiSolved('T-1', '2026-10-05T10:00:00Z', [{ kind: 'customer', at: '2026-11-02T09:00:00Z' }]));
    record(db, aiSolved('T-2', '2026-10-05T10:00:00Z', [{ kind: 'reopen_status', at: '2026-11-07T11:10:01Z' }]));
    // Solved the day before: its window still runs, it is read once and left pending.
    record(db, aiSolved('T-3', '2026-11-27T10:00:00Z'));
    const reads = vi.spyOn(OutcomeRepository.prototype, 'ticketEventsMany');
    // As of 11-28 both October solves are verified (their window ended 10-08) and T-1's reopen, inside the clawback,
    // reverses the verification written in the same run: that judgement needs the verification just recorded.
    expect(verify(db, '2026-11-28T00:00:00Z')).toMatchObject({ verifiedAdded: 2, reversedAdded: 1, examined: 3 });
    expect(outcomeEvents(db, 'outcome.reversed')).toMatchObject([{ ticket: 'T-1', payload: { reason: 'reopened' } }]);
    const read = reads.mock.calls.flatMap(([ids]) => [...ids]).sort();
    expect(read).toEqual(['T-1', 'T-1', 'T-2', 'T-2', 'T-3']);
    reads.mockRestore();
    // Nothing is left to do: a second run adds nothing and reads each ticket once.
    expect(verify(db, '2026-11-28T00:00:00Z')).toMatchObject({ verifiedAdded: 0, reversedAdded: 0, examined: 3 });
  });

  it('CSAT 2 inside the window fails; CSAT 3 and no rating pass', () => {
    const { db } = tempDb();
    loadContract(db);
    record(db, aiSolved('T-2', '2026-10-05T10:00:00Z', [{ kind: 'csat', at: '2026-10-05T12:00:00Z', score: 2 }]));
    record(db, aiSolved('T-3', '2026-10-05T10:00:00Z', [{ kind: 'csat', at: '2026-10-05T12:00:00Z', score: 3 }]));
    record(db, aiSolved('T-4', '2026-10-05T10:00:00Z'));
    // A rating after the window does not count.
    record(db, aiSolved('T-5', '2026-10-05T10:00:00Z', [{ kind: 'csat', at: '2026-10-08T10:10:00Z', score: 1 }]));
    verify(db, '2026-10-20T00:00:00Z');
    expect(explain(db, 'T-2')).toMatchObject({
      state: 'not_billable',
      reason: 'CSAT 2 inside the verification window, below the minimum of 3',
      clause: 'criteria.minCsat',
      evidence: [seqOf(db, 'T-2', 'status'), seqOf(db, 'T-2', 'csat')],
    });
    expect(explain(db, 'T-3')).toMatchObject({ state: 'verified', evidence: [seqOf(db, 'T-3', 'created'), seqOf(db, 'T-3', 'status'), seqOf(db, 'T-3', 'csat'), seqOf(db, 'T-3', 'outcome.verified')] });
    expect(explain(db, 'T-4').state).toBe('verified');
    expect(explain(db, 'T-5').state).toBe('verified');
    expect(buildStatement(db, '2026-10')).toMatchObject({ verified: 3, subtotal: '2.97', total: '2.97' });
  });

  it('a human touch (even an internal note) or an escalation before the AI solve is not billable', () => {
    const { db } = tempDb();
    loadContract(db);
    record(db, aiSolved('T-1', '2026-10-05T10:00:00Z'));
    record(db, ticketLines('T-6', '2026-10-05T10:00:00Z', [{ kind: 'human_note', at: '2026-10-05T10:02:00Z' }, { kind: 'ai_reply', at: '2026-10-05T10:05:00Z' }, { kind: 'solve_ai', at: '2026-10-05T10:10:00Z' }]));
    record(db, ticketLines('T-7', '2026-10-05T10:00:00Z', [{ kind: 'human_reply', at: '2026-10-05T10:02:00Z' }, { kind: 'solve_ai', at: '2026-10-05T10:10:00Z' }]));
    record(db, ticketLines('T-8', '2026-10-05T10:00:00Z', [{ kind: 'escalate', at: '2026-10-05T10:03:00Z' }, { kind: 'solve_ai', at: '2026-10-05T10:10:00Z' }]));
    // A human public reply after the solve (no reopen) does not undo it.
    record(db, aiSolved('T-9', '2026-10-05T10:00:00Z', [{ kind: 'human_reply', at: '2026-10-05T11:00:00Z' }]));
    // Solved by a human: never a candidate.
    record(db, ticketLines('T-10', '2026-10-05T10:00:00Z', [{ kind: 'human_note', at: '2026-10-05T10:02:00Z' }, { kind: 'solve_human', at: '2026-10-05T10:10:00Z' }]));
    verify(db, '2026-10-20T00:00:00Z');
    // An internal note is a human touch: the AI solve after it is not an AI resolution (README, "Definitions").
    expect(explain(db, 'T-6')).toMatchObject({
      state: 'not_billable',
      reason: 'not an AI resolution: a human took part before the solve (internal note by agent-7 at 2026-10-05T10:02:00.000Z)',
      clause: 'candidate',
      evidence: [seqOf(db, 'T-6', 'message', 1), seqOf(db, 'T-6', 'status')],
    });
    expect(explain(db, 'T-7')).toMatchObject({ state: 'not_billable', reason: 'a human replied publicly before the solve', clause: 'criteria.noHumanPublicReply', evidence: [seqOf(db, 'T-7', 'message', 1)] });
    expect(explain(db, 'T-8')).toMatchObject({ state: 'not_billable', reason: 'escalated (low_confidence) before the solve', clause: 'criteria.noEscalation', evidence: [seqOf(db, 'T-8', 'escalated')] });
    expect(explain(db, 'T-9').state).toBe('verified');
    expect(explain(db, 'T-10')).toMatchObject({ state: 'not_billable', reason: 'solved by a human, not by the AI', clause: 'candidate' });
    expect(outcomeEvents(db, 'outcome.verified').map((e) => e.ticket)).toEqual(['T-1', 'T-9']);
  });

  it('criteria switched off allow what they would forbid', () => {
    const { db } = tempDb();
    loadContract(db, {}, { noHumanPublicReply: false, noEscalation: false, minCsat: null });
    record(db, ticketLines('T-7', '2026-10-05T10:00:00Z', [{ kind: 'escalate', at: '2026-10-05T10:03:00Z' }, { kind: 'solve_ai', at: '2026-10-05T10:10:00Z' }, { kind: 'csat', at: '2026-10-05T11:00:00Z', score: 1 }]));
    // No clause can make a human-touched ticket an AI resolution: noHumanPublicReply off only changes the reason.
    record(db, ticketLines('T-8', '2026-10-05T10:00:00Z', [{ kind: 'human_reply', at: '2026-10-05T10:02:00Z' }, { kind: 'solve_ai', at: '2026-10-05T10:10:00Z' }]));
    expect(verify(db, '2026-10-20T00:00:00Z').verifiedAdded).toBe(1);
    expect(explain(db, 'T-7').state).toBe('verified');
    expect(explain(db, 'T-8')).toMatchObject({ state: 'not_billable', clause: 'candidate', evidence: [seqOf(db, 'T-8', 'message', 1), seqOf(db, 'T-8', 'status')] });
  });

  it('out of scope: a category the contract does not list, and a ticket created before it took effect', () => {
    const { db } = tempDb();
    loadContract(db);
    record(db, aiSolved('T-11', '2026-10-05T10:00:00Z', [], 'refund'));
    // 2026-09-30T21:59Z is 23:59 in Berlin, the day before effectiveFrom.
    record(db, aiSolved('T-12', '2026-09-30T21:59:00Z'));
    record(db, aiSolved('T-13', '2026-09-30T22:00:00Z'));
    verify(db, '2026-10-20T00:00:00Z');
    expect(explain(db, 'T-11')).toMatchObject({ state: 'out_of_scope', clause: 'categories', reason: 'category "refund" is not covered by version 1 (categories: password_reset, shipping_status, how_to)' });
    expect(explain(db, 'T-12')).toMatchObject({ state: 'out_of_scope', clause: 'effectiveFrom' });
    expect(explain(db, 'T-13').state).toBe('verified');
  });

  it('a window crossing a month end is billed in the month of its end in the contract zone, not in UTC', () => {
    const { db } = tempDb();
    loadContract(db);
    // Window ends 2026-10-31T22:30Z = 23:30 Berlin (CET, UTC+1 after 25 Oct) -> October.
    record(db, ticketLines('T-20', '2026-10-28T22:00:00Z', [{ kind: 'solve_ai', at: '2026-10-28T22:30:00Z' }]));
    // Window ends 2026-10-31T23:30Z = 2026-11-01 00:30 Berlin -> November, though still October in UTC.
    record(db, ticketLines('T-21', '2026-10-28T23:00:00Z', [{ kind: 'solve_ai', at: '2026-10-28T23:30:00Z' }]));
    verify(db, '2026-11-05T00:00:00Z');
    expect(outcomeEvents(db, 'outcome.verified').map((e) => [e.ticket, e.at, e.payload.period])).toEqual([
      ['T-20', '2026-10-31T22:30:00.000Z', '2026-10'],
      ['T-21', '2026-10-31T23:30:00.000Z', '2026-11'],
    ]);
    expect(buildStatement(db, '2026-10').lines.map((l) => l.ticket)).toEqual(['T-20']);
    expect(buildStatement(db, '2026-11').lines.map((l) => l.ticket)).toEqual(['T-21']);
  });

  it('a contract version change applies to tickets created from its date on; history is never rewritten', () => {
    const { db } = tempDb();
    loadContract(db);
    // A simulated clock throughout: each step is recorded when it happens, as in a live ledger.
    record(db, aiSolved('T-30', '2026-10-20T10:00:00Z', [], 'billing_question'), '2026-10-20T11:00:00Z');
    verify(db, '2026-10-31T00:00:00Z');
    const v2 = contractJson({ version: 2, effectiveFrom: '2026-11-01', pricePerResolution: 1.25, categories: ['password_reset', 'shipping_status', 'how_to', 'billing_question'] });
    expect(importContract(db, 'v2.json', v2, BUYER, '2026-10-25T00:00:00Z')).toMatchObject({ added: true, version: 2 });
    expect(importContract(db, 'v2.json', v2, BUYER, '2026-10-26T00:00:00Z')).toMatchObject({ added: false, version: 2 });
    expect(() => importContract(db, 'v1b.json', contractJson({ pricePerResolution: 2 }), BUYER, '2026-10-26T00:00:00Z')).toThrow(
      'v1b.json: version: acme-ai-2026 version 1 is already in the ledger with other terms; history is never rewritten — import the change as version 3',
    );
    expect(() => importContract(db, 'v3.json', contractJson({ version: 3, effectiveFrom: '2026-10-15' }), BUYER, '2026-10-26T00:00:00Z')).toThrow('v3.json: effectiveFrom: must be after 2026-11-01, when version 2 took effect');
    expect(() => importContract(db, 'v3.json', contractJson({ version: 3, effectiveFrom: '2026-12-01', currency: 'USD' }), BUYER, '2026-10-26T00:00:00Z')).toThrow('v3.json: currency: must stay EUR');

    // 2026-10-31T22:30Z is 23:30 in Berlin (v1); 23:30Z is already 1 November (v2).
    record(db, aiSolved('T-31', '2026-10-31T22:30:00Z'));
    record(db, aiSolved('T-32', '2026-10-31T23:30:00Z'));
    record(db, aiSolved('T-33', '2026-11-02T10:00:00Z', [], 'billing_question'));
    verify(db, '2026-11-28T00:00:00Z');
    expect(outcomeEvents(db, 'outcome.verified').map((e) => [e.ticket, e.payload.version, e.payload.price])).toEqual([
      ['T-31', 1, '0.99'],
      ['T-32', 2, '1.25'],
      ['T-33', 2, '1.25'],
    ]);
    expect(explain(db, 'T-30')).toMatchObject({ state: 'out_of_scope', version: 1 });
    const november = buildStatement(db, '2026-11');
    expect(november).toMatchObject({ contract: { id: 'acme-ai-2026', versions: [1, 2] }, verified: 3, subtotal: '3.49', total: '3.49' });
    expect(november.byCategory).toEqual({
      billing_question: { verified: 1, reversed: 0, disputed: 0, subtotal: '1.25', credits: '0.00', total: '1.25', awaiting: 0, adjustments: '0.00' },
      password_reset: { verified: 2, reversed: 0, disputed: 0, subtotal: '2.24', credits: '0.00', total: '2.24', awaiting: 0, adjustments: '0.00' },
    });
  });

  it('late-imported events that would have changed a verified outcome are flagged, not applied', () => {
    const { db } = tempDb();
    loadContract(db);
    record(db, aiSolved('T-40', '2026-10-05T10:00:00Z'));
    record(db, aiSolved('T-41', '2026-10-05T10:00:00Z'));
    verify(db, '2026-10-10T00:00:00Z');
    const before = JSON.stringify(buildStatement(db, '2026-10'));
    // Imported on the 12th: a reopen on the 6th (inside T-40's window) and a CSAT 1 on the 7th for T-41.
    record(db, [{ ticket: 'T-40', type: 'message', at: '2026-10-06T08:00:00Z', author: { kind: 'customer' }, public: true, body: 'not fixed' }], '2026-10-12T00:00:00Z');
    record(db, [{ ticket: 'T-41', type: 'csat', at: '2026-10-07T08:00:00Z', score: 1 }], '2026-10-12T00:00:00Z');
    expect(verify(db, '2026-10-12T01:00:00Z')).toMatchObject({ verifiedAdded: 0, reversedAdded: 0, discrepanciesAdded: 2 });
    expect(verify(db, '2026-10-13T01:00:00Z')).toMatchObject({ verifiedAdded: 0, reversedAdded: 0, discrepanciesAdded: 0 });
    const flags = outcomeEvents(db, 'outcome.discrepancy');
    expect(flags.map((f) => [f.ticket, f.payload.reason, f.payload.evidence])).toEqual([
      ['T-40', 'reopened 2026-10-06T08:00:00.000Z, inside the 72-hour verification window', [seqOf(db, 'T-40', 'message', 2)]],
      ['T-41', 'CSAT 1 inside the verification window, below the minimum of 3', [seqOf(db, 'T-41', 'csat')]],
    ]);
    const explanation = explain(db, 'T-40');
    expect(explanation.state).toBe('verified');
    expect(explanation.reason).toContain('discrepancy flagged for review');
    const after = buildStatement(db, '2026-10');
    expect(after).toMatchObject({ verified: 2, total: '1.98', discrepancies: 2 });
    expect(JSON.stringify({ ...after, discrepancies: 0, lines: after.lines.map((l) => ({ ...l, discrepancy: false })) })).toBe(before);
  });

  it('running verification twice never double-counts: byte-identical JSON and CSV', () => {
    const { db } = tempDb();
    loadContract(db);
    for (let i = 1; i <= 5; i++) record(db, aiSolved(`T-${i}`, `2026-10-0${i}T10:00:00Z`, i === 3 ? [{ kind: 'customer', at: '2026-10-20T10:00:00Z' }] : []));
    const first = verify(db, '2026-10-25T00:00:00Z');
    expect(first).toMatchObject({ verifiedAdded: 5, reversedAdded: 1 });
    const json = JSON.stringify(buildStatement(db, '2026-10'));
    const csv = statementCsv(buildStatement(db, '2026-10'));
    const count = db.prepare('SELECT count(*) FROM events').pluck().get();
    expect(verify(db, '2026-10-25T00:00:00Z')).toMatchObject({ verifiedAdded: 0, reversedAdded: 0, discrepanciesAdded: 0 });
    expect(verify(db, '2026-10-26T00:00:00Z')).toMatchObject({ verifiedAdded: 0, reversedAdded: 0, discrepanciesAdded: 0 });
    expect(db.prepare('SELECT count(*) FROM events').pluck().get()).toBe(count);
    expect(JSON.stringify(buildStatement(db, '2026-10'))).toBe(json);
    expect(statementCsv(buildStatement(db, '2026-10'))).toBe(csv);
    // Verified 4 × 0.99 = 3.96 plus T-3 billed and reversed in October: 5 × 0.99 − 0.99.
    expect(JSON.parse(json)).toMatchObject({ verified: 5, reversed: 1, subtotal: '4.95', credits: '0.99', total: '3.96' });
    expect(csv.split('\r\n')[0]).toBe('ticket,category,version,status,verified_seq,verified_at,charge,credit,net,reversed_seq,reversal_reason,dispute_seq,discrepancy,evidence');
    expect(csv).toContain('\r\nTOTAL,,,EUR 2026-10,,,4.95,0.99,3.96,,,,,\r\n');
    // Rebuilding the projections from the ledger gives the same statement.
    rebuildAllProjections(db);
    expect(JSON.stringify(buildStatement(db, '2026-10'))).toBe(json);
  });

  it('requireSla uses the SLA engine: a breached first reply is not billable', () => {
    const { db } = tempDb();
    const policy = {
      version: 1,
      effectiveFrom: '2026-01-01T00:00:00Z',
      calendars: { always: { timezone: 'UTC', hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '24:00']]])) } },
      policies: [{ id: 'all', match: {}, calendar: 'always', targets: { normal: { first_reply: { minutes: 60, business: false } } } }],
    };
    importPolicyText(db, 'sla.json', JSON.stringify(policy), BUYER, '2026-01-01T00:00:00Z');
    loadContract(db, {}, { requireSla: ['first_reply'] });
    record(db, aiSolved('T-50', '2026-10-05T10:00:00Z'));
    record(db, ticketLines('T-51', '2026-10-05T10:00:00Z', [{ kind: 'ai_reply', at: '2026-10-05T12:00:00Z' }, { kind: 'solve_ai', at: '2026-10-05T12:01:00Z' }]));
    runVerification(db, '2026-10-20T00:00:00Z');
    expect(explainTicket(db, 'T-50').state).toBe('verified');
    expect(explainTicket(db, 'T-51')).toMatchObject({ state: 'not_billable', reason: 'SLA first_reply breached', clause: 'criteria.requireSla' });
  });
});
