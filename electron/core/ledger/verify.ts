// Recomputes the hash chain and, when it is broken, explains the first break.
import type { ChainFinding, ChainProblem, ChainStatus } from '../../../shared/contract.ts';
import { GENESIS_HASH } from '../../../shared/domain.ts';
import type { Db } from '../db/connection.ts';
import { eventHash } from './hashing.ts';
import { LedgerRepository, type RawEventRow } from './ledger-repository.ts';

/** How far from its current place a renumbered event's original sequence number is searched. */
const RENUMBER_SEARCH_WINDOW = 1000;

export interface Break {
  seq: number;
  problem: ChainProblem;
  message: string;
}

function hashWithSeq(row: RawEventRow, seq: number): string {
  const [, ticket, type, at, recordedAt, actor, payload, prevHash] = row;
  return eventHash({ seq, ticket, type, at, recordedAt, actor, payload, prevHash });
}

function explainContentMismatch(repository: LedgerRepository, row: RawEventRow, expectedPrev: string): Break {
  const seq = row[0];
  if (row[7] === expectedPrev) {
    return { seq, problem: 'content_changed', message: `event #${seq}: content changed (its hash no longer matches its fields)` };
  }
  const predecessor = repository.hashIndex().get(row[7]);
  if (predecessor !== undefined && predecessor > seq) {
    return { seq, problem: 'events_reordered', message: `event #${seq}: events reordered (it links to #${predecessor}, which comes after it)` };
  }
  for (let distance = 1; distance <= RENUMBER_SEARCH_WINDOW; distance++) {
    if (hashWithSeq(row, seq + distance) === row[8]) {
      return {
        seq,
        problem: 'event_missing',
        message: `event #${seq}: event missing (this event was originally #${seq + distance}; ${distance} event(s) before it were deleted and the rest renumbered)`,
      };
    }
    if (seq - distance >= 1 && hashWithSeq(row, seq - distance) === row[8]) {
      const inserted = seq - distance;
      return {
        seq: inserted,
        problem: 'event_inserted',
        message: `event #${inserted}: event inserted (${distance} event(s) inserted; the event now at #${seq} was originally #${inserted})`,
      };
    }
  }
  return { seq, problem: 'content_changed', message: `event #${seq}: content changed (its hash no longer matches its fields)` };
}

function explainBrokenLink(repository: LedgerRepository, row: RawEventRow): Break {
  const seq = row[0];
  const predecessor = repository.hashIndex().get(row[7]);
  if (predecessor !== undefined && predecessor > seq) {
    return { seq, problem: 'events_reordered', message: `event #${seq}: events reordered (it links to #${predecessor}, which comes after it)` };
  }
  if (predecessor !== undefined && predecessor < seq - 1) {
    return {
      seq: predecessor + 1,
      problem: 'event_inserted',
      message: `event #${predecessor + 1}: event inserted (#${seq} links to #${predecessor}, so what stands between was not in the chain)`,
    };
  }
  return {
    seq: seq - 1,
    problem: 'content_changed',
    message: `event #${seq - 1}: content changed (its hash was recomputed; #${seq} still links to the original)`,
  };
}

function findFirstBreak(repository: LedgerRepository): { count: number; last: { seq: number; hash: string }; broken: Break | null } {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let count = 0;
  for (const row of repository.iterateRaw()) {
    const [seq, ticket, type, at, recordedAt, actor, payload, storedPrev, storedHash] = row;
    count++;
    const computed = eventHash({ seq, ticket, type, at, recordedAt, actor, payload, prevHash: storedPrev });
    if (computed !== storedHash) return { count, last: { seq, hash: storedHash }, broken: explainContentMismatch(repository, row, prevHash) };
    if (seq !== expectedSeq) {
      const gap = seq - expectedSeq;
      return {
        count,
        last: { seq, hash: storedHash },
        broken: { seq: expectedSeq, problem: 'event_missing', message: `event #${expectedSeq}: event missing (${gap} event(s) #${expectedSeq}..#${seq - 1} are gone)` },
      };
    }
    if (storedPrev !== prevHash) return { count, last: { seq, hash: storedHash }, broken: explainBrokenLink(repository, row) };
    prevHash = storedHash;
    expectedSeq++;
  }
  return { count, last: { seq: expectedSeq - 1, hash: prevHash }, broken: null };
}

/** What the ledger's own file says besides the chain: its protection triggers and its recorded head. */
function ledgerFindings(repository: LedgerRepository, count: number, last: { seq: number; hash: string }): ChainFinding[] {
  const findings: ChainFinding[] = [];
  const recorded = repository.recordedHead();
  if (!recorded) {
    if (count > 0) findings.push({ problem: 'head_missing', seq: null, ticket: null, message: `the recorded head is missing although the ledger holds ${count} events: the file was changed outside Attest` });
  } else if (recorded.seq > last.seq) {
    findings.push({ problem: 'event_missing', seq: last.seq + 1, ticket: null, message: `event #${last.seq + 1}: event missing (the ledger recorded its head at #${recorded.seq})` });
  } else if (recorded.seq < last.seq) {
    const first = recorded.seq + 1;
    findings.push({ problem: 'event_inserted', seq: first, ticket: null, message: `event #${first}: event inserted (appended outside the ledger; recorded head is #${recorded.seq})` });
  } else if (recorded.hash !== last.hash) {
    findings.push({ problem: 'content_changed', seq: last.seq, ticket: null, message: `event #${last.seq}: content changed (it differs from the recorded head)` });
  }
  const missing = repository.missingProtectionTriggers();
  if (missing.length > 0) {
    findings.push({
      problem: 'protection_removed',
      seq: null,
      ticket: null,
      message: `the triggers that refuse UPDATE, DELETE and REPLACE on events are missing or altered (${missing.join(', ')}): someone changed the file outside Attest`,
    });
  }
  return findings;
}

/**
 * The verdict for a chain whose events all check out up to `last` (or that broke at `broken`), with the ledger's
 * own findings and any the caller adds (projections, checkpoints). Read everything in one snapshot.
 */
export function statusFromChain(
  repository: LedgerRepository,
  count: number,
  last: { seq: number; hash: string },
  broken: Break | null = null,
  extra: readonly ChainFinding[] = [],
): ChainStatus {
  const checkedAt = new Date().toISOString();
  const findings: ChainFinding[] = [];
  if (broken) findings.push({ problem: broken.problem, seq: broken.seq, ticket: null, message: broken.message });
  findings.push(...ledgerFindings(repository, count, last).filter((f) => !broken || f.problem === 'protection_removed'), ...extra);
  // The ticket of the event at fault; a missing event is gone, and whatever now sits at its number is not it.
  for (const finding of findings) if (finding.seq !== null && finding.problem !== 'event_missing') finding.ticket = repository.ticketOfSeq(finding.seq);
  const first = findings[0];
  const eventCount = broken ? repository.count() : count;
  if (first) {
    return { intact: false, chainIntact: !broken, eventCount, headHash: last.hash, firstBadSeq: first.seq, problem: first.problem, message: first.message, problems: findings, checkedAt };
  }
  return { intact: true, chainIntact: true, eventCount: count, headHash: last.hash, firstBadSeq: null, problem: null, message: `chain intact: ${count} events, head ${last.hash}`, problems: [], checkedAt };
}

/** Sequential verification of the whole chain; explains the first break precisely. Run it inside one read transaction. */
export function verifyLedger(db: Db, extra: readonly ChainFinding[] = []): ChainStatus {
  const repository = new LedgerRepository(db);
  const { count, last, broken } = findFirstBreak(repository);
  return statusFromChain(repository, count, last, broken, extra);
}
