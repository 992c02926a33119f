// What the live attribution counter remembers between requests. The counter judges every unverified ticket in a
// contract's scope (a dry evaluation of its events); at 300,000 tickets that took about 3 s a request, every time the
// Outcomes tab opened. Most verdicts cannot change until the ledger does, so each connection keeps them, and a
// request judges again only the tickets whose verdict may have moved.
//
// Why the remembered verdicts are exact. A verdict is kept only for requests as of an instant T no earlier than the
// ledger head's recordedAt. Every event has `at` <= its recordedAt and recordedAt never goes backwards along the chain
// (ledger.ts), so for every such T the evaluation sees all of the ticket's events, every SLA policy and the whole book;
// only T itself still varies, and evaluateTicket (evaluate.ts) reads T in two places:
//  - `pending` while T < the end of the verification window W;
//  - from W on, the SLA as of T: an open clock reads `in_progress` before its deadline and `breached` from it, both
//    `not_billable` decided at W; clocks change only with events (sla/ticket-sla-as-of.ts). So `verifiable` and an
//    SLA `not_billable` hold for T >= W and `pending` for T < W; every other verdict is decided by events alone.
// Each verdict is kept with the instants it holds between, and a request as of an instant outside them (a later one
// past a window's end, or an as-of earlier than the request that judged it) judges the ticket again.
// Besides T, a verdict reads the ticket's events and two ledger-wide facts: the contract versions (their time zone
// too, in which a verdict's period is kept) and the SLA policies. The memory of a connection is dropped when a
// ledger-wide event of either type arrives or the event it was made at is no longer in the ledger with the same hash;
// a ticket that gained events is judged again.
import type { Db } from '../db/connection.ts';
import type { Head, LedgerRepository } from '../ledger/ledger-repository.ts';
import { periodOf } from './contract-schema.ts';
import type { Evaluation } from './evaluate.ts';

/** What the counter needs of an evaluation, and the as-of instants it holds for: [fromMs, untilMs). */
export interface RememberedVerdict {
  kind: Evaluation['kind'];
  /** not_billable: the period of the contract's time zone it was decided in (the period it counts in). */
  decidedInPeriod: string | null;
  fromMs: number;
  untilMs: number;
}

/**
 * The as-of instants [fromMs, untilMs) for which an evaluation keeps its kind, the ticket's events, the contract
 * versions and the SLA policies being the same and all of them seen (see the top of this file).
 */
export function holdsBetween(evaluation: Evaluation): { fromMs: number; untilMs: number } {
  const kind = evaluation.kind;
  // An SLA verdict is decided at the window's end (evaluate.ts): it holds from there on, like `verifiable`.
  const fromWindowEnd = kind === 'verifiable' ? evaluation.windowEndMs : kind === 'not_billable' && evaluation.clause === 'criteria.requireSla' ? evaluation.decidedAtMs : null;
  return { fromMs: fromWindowEnd ?? Number.NEGATIVE_INFINITY, untilMs: kind === 'pending' ? evaluation.windowEndMs : Number.POSITIVE_INFINITY };
}

export function verdictOf(evaluation: Evaluation, timezone: string): RememberedVerdict {
  const kind = evaluation.kind;
  const decidedInPeriod = kind === 'not_billable' ? periodOf(evaluation.decidedAtMs, timezone) : null;
  return { kind, decidedInPeriod, ...holdsBetween(evaluation) };
}

interface ContractMemory {
  /** The ledger event the verdicts are as of. */
  seq: number;
  hash: string;
  verdicts: Map<string, RememberedVerdict>;
}

/**
 * The ledger-wide events an evaluation reads: the contract's versions (outcome-book.ts) and the SLA policy versions
 * (sla-as-of.ts). Any other ledger-wide event (a session, an import record, a checkpoint…) changes no verdict.
 */
export const EVALUATION_LEDGER_WIDE_TYPES: readonly string[] = ['contract.version', 'sla.policy'];

const memories = new WeakMap<Db, Map<string, ContractMemory>>();

/**
 * What each memory's verdicts went through: the tickets whose verdict was added or dropped, in order (a reader that
 * keeps something derived from the verdicts — the counter's lists, attribution.ts — brings it up to date with the
 * tickets changed since, or derives it again once the log no longer reaches back), and bounds of the as-of instants
 * every verdict holds for, so a request whose as-of is inside them skips going through every verdict.
 */
interface VerdictLog {
  /** Change number `offset + i` is `tickets[i]`. */
  tickets: string[];
  offset: number;
  /** No verdict's fromMs is later, no verdict's untilMs earlier (bounds: a dropped verdict leaves them as they were). */
  latestFromMs: number;
  earliestUntilMs: number;
}

const logs = new WeakMap<ReadonlyMap<string, RememberedVerdict>, VerdictLog>();

/** Past this many entries (or the memory's size, if larger) the log starts over: reading it would cost as much. */
const LOG_KEEPS_AT_LEAST = 10_000;

function logOf(verdicts: ReadonlyMap<string, RememberedVerdict>): VerdictLog {
  let log = logs.get(verdicts);
  if (!log) logs.set(verdicts, (log = { tickets: [], offset: 0, latestFromMs: Number.NEGATIVE_INFINITY, earliestUntilMs: Number.POSITIVE_INFINITY }));
  return log;
}

/** Logs a change of the ticket's verdict; the log. */
function changed(verdicts: ReadonlyMap<string, RememberedVerdict>, ticket: string): VerdictLog {
  const log = logOf(verdicts);
  log.tickets.push(ticket);
  if (log.tickets.length > Math.max(LOG_KEEPS_AT_LEAST, verdicts.size)) {
    log.offset += log.tickets.length;
    log.tickets = [];
  }
  return log;
}

/** How many times the verdicts changed (a verdict added or dropped): the position to ask changedSince from later. */
export const changesOf = (verdicts: ReadonlyMap<string, RememberedVerdict>): number => {
  const log = logs.get(verdicts);
  return log ? log.offset + log.tickets.length : 0;
};

/** The tickets whose verdict was added or dropped since change number `since` (changesOf then); null when the log no longer reaches back that far. */
export function changedSince(verdicts: ReadonlyMap<string, RememberedVerdict>, since: number): readonly string[] | null {
  const log = logOf(verdicts);
  return since < log.offset ? null : log.tickets.slice(since - log.offset);
}

/** Adds a verdict to the verdicts rememberedVerdicts returned (logged, see VerdictLog). */
export function remember(verdicts: Map<string, RememberedVerdict>, ticket: string, verdict: RememberedVerdict): void {
  verdicts.set(ticket, verdict);
  const log = changed(verdicts, ticket);
  log.latestFromMs = Math.max(log.latestFromMs, verdict.fromMs);
  log.earliestUntilMs = Math.min(log.earliestUntilMs, verdict.untilMs);
}

/**
 * The remembered verdicts of `contract`, brought up to `head`: a ticket that has none must be judged (and its verdict
 * added). null when the request may not use the memory (an as-of before the head was recorded).
 */
export function rememberedVerdicts(
  db: Db,
  contract: string,
  head: Head,
  asOfMs: number,
  ledger: Pick<LedgerRepository, 'rowAtSeq' | 'appendedAfter'>,
): Map<string, RememberedVerdict> | null {
  if (head.seq === 0 || asOfMs < Date.parse(head.recordedAt)) return null;
  let byContract = memories.get(db);
  if (!byContract) memories.set(db, (byContract = new Map()));
  let memory = byContract.get(contract);
  if (memory && (memory.seq > head.seq || ledger.rowAtSeq(memory.seq)?.[8] !== memory.hash)) memory = undefined;
  if (memory && memory.seq < head.seq) {
    const appended = ledger.appendedAfter(memory.seq);
    if (appended.ledgerWideTypes.some((type) => EVALUATION_LEDGER_WIDE_TYPES.includes(type))) memory = undefined;
    else for (const ticket of appended.tickets) if (memory.verdicts.delete(ticket)) changed(memory.verdicts, ticket);
  }
  if (!memory) byContract.set(contract, (memory = { seq: head.seq, hash: head.hash, verdicts: new Map() }));
  memory.seq = head.seq;
  memory.hash = head.hash;
  const log = logOf(memory.verdicts);
  // Inside the bounds every verdict holds (the usual request, as of now): nothing to drop, and nothing to go through.
  if (asOfMs < log.latestFromMs || asOfMs >= log.earliestUntilMs) {
    log.latestFromMs = Number.NEGATIVE_INFINITY;
    log.earliestUntilMs = Number.POSITIVE_INFINITY;
    for (const [ticket, verdict] of memory.verdicts) {
      if (asOfMs < verdict.fromMs || asOfMs >= verdict.untilMs) {
        memory.verdicts.delete(ticket);
        changed(memory.verdicts, ticket);
      } else {
        log.latestFromMs = Math.max(log.latestFromMs, verdict.fromMs);
        log.earliestUntilMs = Math.min(log.earliestUntilMs, verdict.untilMs);
      }
    }
  }
  return memory.verdicts;
}
