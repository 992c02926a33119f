// What an outcome verification remembers for the next one, so that a run at month's close reads again only the tickets
// whose outcome may have moved since the last run — at a million tickets a run read and judged all 266,860 tickets in
// a contract's scope every time, about 100 s in the console, though a few thousand had changed.
//
// Why skipping a remembered ticket is exact. A ticket is remembered by a run as of T0 only when that run wrote nothing
// more for it and could not have: it has no outcome of the contract and its evaluation was not `verifiable`, or it has
// one, every follow-up it called for is in the ledger, its evaluation still matches it (no discrepancy) and it was
// verified at or before T0. It is remembered only when T0 saw everything its evaluation reads: each of its events
// (`at` <= T0) and every SLA policy version (`at` <= T0; the contract's versions do not depend on the as-of). A later
// run as of T >= T0 then evaluates the same events under the same policies and contract — a ticket that gained an event
// since it was judged, or a ledger that gained a contract or SLA policy version, is judged again (attribution-memory.ts
// names those types) — so only T itself differs, and the evaluation keeps its kind for T in the span holdsBetween gives
// (a pending window that ends makes the ticket judged again). A kept kind is enough: a ticket without an outcome is
// written only when `verifiable`, and a verified one whose evaluation matched it at T0 >= its window's end still
// matches it (same first solve, same version); its reversal depends on its events alone.
// The memory is bound to the ledger it was made on: the event it was brought up to must still be there with the same
// hash, or nothing is kept. A run reads the memory once, at its start: a settled ticket that gains an event while the
// run goes on (an import between two batches) is left to the next run, which reads it again.
import type { LedgerRepository } from '../ledger/ledger-repository.ts';
import { EVALUATION_LEDGER_WIDE_TYPES, holdsBetween } from './attribution-memory.ts';
import type { Evaluation } from './evaluate.ts';

interface SettledTicket {
  /** The as-of instants the ticket needs nothing written for: [fromMs, untilMs). */
  fromMs: number;
  untilMs: number;
  /** The ledger's last seq when it was judged (its own batch's writes included): a later event of it voids the entry. */
  judgedThroughSeq: number;
}

export interface VerificationMemory {
  /** The event the memory was last brought up to (0 when it holds nothing yet). */
  seq: number;
  hash: string;
  /** Per contract: its settled tickets. */
  contracts: Map<string, Map<string, SettledTicket>>;
}

/**
 * The memory as it crosses between threads: per contract its tickets (a JSON list, as UTF-8 bytes) and their numbers
 * side by side — two buffers each, moved rather than copied (transferablesOf), so the console's thread, which only
 * holds them between two jobs, never copies or decodes them (about 10 ms a crossing at 266,860 tickets when copied).
 */
export interface PackedVerificationMemory {
  seq: number;
  hash: string;
  contracts: { id: string; tickets: Uint8Array; numbers: Float64Array }[];
}

/** The buffers to move with a packed memory (a postMessage transfer list, or a Worker's transferList). */
export const transferablesOf = (packed: PackedVerificationMemory): ArrayBuffer[] =>
  packed.contracts.flatMap(({ tickets, numbers }) => [tickets.buffer as ArrayBuffer, numbers.buffer as ArrayBuffer]);

export const emptyVerificationMemory = (): VerificationMemory => ({ seq: 0, hash: '', contracts: new Map() });

/**
 * Brings the memory up to the ledger's head before a run: drops what the ledger no longer supports (all of it when the
 * event it was brought up to is gone or changed, or a contract or SLA policy version arrived; a ticket that gained
 * an event since it was judged).
 */
export function bringUpToHead(memory: VerificationMemory, ledger: Pick<LedgerRepository, 'lastEvent' | 'rowAtSeq' | 'lastSeqOfTicketsBetween'>): void {
  const head = ledger.lastEvent();
  if (memory.seq > head.seq || (memory.seq > 0 && ledger.rowAtSeq(memory.seq)?.[8] !== memory.hash)) memory.contracts.clear();
  else if (memory.seq < head.seq && memory.contracts.size > 0) {
    const appended = ledger.lastSeqOfTicketsBetween(memory.seq, head.seq);
    if (appended.ledgerWideTypes.some((type) => EVALUATION_LEDGER_WIDE_TYPES.includes(type))) memory.contracts.clear();
    else {
      for (const settled of memory.contracts.values()) {
        for (const [ticket, lastSeq] of appended.lastSeqOf) {
          const entry = settled.get(ticket);
          if (entry && entry.judgedThroughSeq < lastSeq) settled.delete(ticket);
        }
      }
    }
  }
  memory.seq = head.seq;
  memory.hash = head.hash;
}

/** Whether the ticket needs nothing written as of `asOfMs` (see the top of this file). */
export function isSettled(memory: VerificationMemory, contract: string, ticket: string, asOfMs: number): boolean {
  const settled = memory.contracts.get(contract)?.get(ticket);
  return settled !== undefined && asOfMs >= settled.fromMs && asOfMs < settled.untilMs;
}

/** Remembers a ticket that needs nothing written as of [fromMs, untilMs). */
export function settle(memory: VerificationMemory, contract: string, ticket: string, fromMs: number, untilMs: number, judgedThroughSeq: number): void {
  let settled = memory.contracts.get(contract);
  if (!settled) memory.contracts.set(contract, (settled = new Map()));
  settled.set(ticket, { fromMs, untilMs, judgedThroughSeq });
}

/**
 * An evaluation that writes nothing: a ticket without an outcome of the contract is written only when `verifiable` (and
 * then it is judged again, written or refused by a rule).
 */
export type UnbilledEvaluation = Exclude<Evaluation, { kind: 'verifiable' }>;

/** The span a ticket without an outcome of the contract needs nothing written for, judged as of `asOfMs`. */
export function unbilledSpan(evaluation: UnbilledEvaluation, asOfMs: number): { fromMs: number; untilMs: number } {
  const span = holdsBetween(evaluation);
  return { fromMs: Math.max(asOfMs, span.fromMs), untilMs: span.untilMs };
}

export function packVerificationMemory(memory: VerificationMemory): PackedVerificationMemory {
  return {
    seq: memory.seq,
    hash: memory.hash,
    contracts: [...memory.contracts].map(([id, settled]) => {
      const numbers = new Float64Array(settled.size * 3);
      let i = 0;
      for (const entry of settled.values()) {
        numbers[i++] = entry.fromMs;
        numbers[i++] = entry.untilMs;
        numbers[i++] = entry.judgedThroughSeq;
      }
      return { id, tickets: new TextEncoder().encode(JSON.stringify([...settled.keys()])), numbers };
    }),
  };
}

export function unpackVerificationMemory(packed: PackedVerificationMemory): VerificationMemory {
  const contracts = new Map<string, Map<string, SettledTicket>>();
  for (const { id, tickets: bytes, numbers } of packed.contracts) {
    const tickets = JSON.parse(new TextDecoder().decode(bytes)) as string[];
    const settled = new Map<string, SettledTicket>();
    tickets.forEach((ticket, i) => settled.set(ticket, { fromMs: numbers[3 * i]!, untilMs: numbers[3 * i + 1]!, judgedThroughSeq: numbers[3 * i + 2]! }));
    contracts.set(id, settled);
  }
  return { seq: packed.seq, hash: packed.hash, contracts };
}
