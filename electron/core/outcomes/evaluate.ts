// The contract's criteria applied to one ticket's events, as of an instant. Pure: no SQL, no clock.
import { DateTime } from 'luxon';
import type { SlaMetricKey, SlaOutcome } from '../../../shared/contracts/sla.ts';
import type { EventRow } from '../ledger/ledger-repository.ts';
import { byOccurrence, lifecycleFact, ticketLifecycle, type Lifecycle } from '../tickets/lifecycle.ts';
import { effectiveStartMs, type Contract } from './contract-schema.ts';

/**
 * A ticket's SLA outcome for a metric, given the ticket's events as of the evaluation's instant (in order of
 * occurrence): the default (sla-as-of.ts) runs the SLA engine over exactly those events.
 */
export type SlaLookup = (ticketId: string, metric: SlaMetricKey, events: readonly Ev[]) => SlaOutcome;

interface Base {
  reason: string;
  /** The contract clause the verdict rests on. */
  clause: string;
  evidence: number[];
}

export type Evaluation =
  | (Base & { kind: 'out_of_scope'; version: number | null })
  | (Base & { kind: 'not_billable'; version: number; decidedAtMs: number })
  /** In scope, not solved yet, nothing has failed. */
  | (Base & { kind: 'open'; version: number })
  /** An AI solve whose verification window is still running. */
  | (Base & { kind: 'pending'; version: number; solveSeq: number; windowEndMs: number })
  /** Passed every criterion; the window ended. */
  | (Base & { kind: 'verifiable'; version: number; solveSeq: number; windowEndMs: number });

/** One ticket event with its payload parsed, as the evaluation sees it. */
export interface Ev {
  seq: number;
  type: string;
  atMs: number;
  at: string;
  payload: Record<string, unknown>;
}

interface ActorJson {
  kind: string;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** The version that governs a ticket created at `createdMs`: the latest whose effective date has come. */
export function versionFor(versions: readonly Contract[], createdMs: number): Contract | null {
  let found: Contract | null = null;
  for (const version of versions) if (effectiveStartMs(version) <= createdMs && (!found || version.version > found.version)) found = version;
  return found;
}

export function windowEndMs(solveMs: number, contract: Contract): number {
  return solveMs + contract.criteria.verificationWindowHours * 3_600_000;
}

export function clawbackEndMs(verifiedMs: number, contract: Contract): number {
  return DateTime.fromMillis(verifiedMs, { zone: contract.timezone }).plus({ days: contract.clawbackDays }).toMillis();
}

function ordered(events: readonly EventRow[], asOfMs: number): Ev[] {
  return [...events]
    .sort(byOccurrence)
    .map((row) => ({ seq: row.seq, type: row.type, at: row.at, atMs: Date.parse(row.at), payload: JSON.parse(row.payload) as Record<string, unknown> }))
    .filter((event) => event.atMs <= asOfMs);
}

function lifecycleOf(events: readonly Ev[]): Lifecycle {
  return ticketLifecycle(events.map((event) => lifecycleFact(event.type, event.payload)));
}

/** Reopens after position `from` (a solve), as the lifecycle defines a reopen (tickets/lifecycle.ts). */
export function reopensAfter(events: readonly Ev[], from: number): Ev[] {
  return lifecycleOf(events)
    .reopens.filter((reopen) => reopen.index > from)
    .map((reopen) => events[reopen.index]!);
}

export interface TicketFacts {
  events: Ev[];
  solveIndex: number;
  lifecycle: Lifecycle;
}

/** The ticket's events (as of the instant) and the position of its first solve (-1 when never solved). */
export function ticketFacts(events: readonly EventRow[], asOfMs: number): TicketFacts {
  const list = ordered(events, asOfMs);
  const lifecycle = lifecycleOf(list);
  return { events: list, solveIndex: lifecycle.solves[0]?.index ?? -1, lifecycle };
}

/** What a human did, for a reason: "internal note by agent-7 at …". */
function humanTouchText(event: Ev): string {
  const who = (actor: unknown): string => String((actor as { id?: string } | undefined)?.id ?? 'a human');
  const p = event.payload;
  switch (event.type) {
    case 'message':
      return `${p.public === true ? 'public reply' : 'internal note'} by ${who(p.author)} at ${event.at}`;
    case 'status':
      return `status ${String(p.status)} set by ${who(p.by)} at ${event.at}`;
    case 'assigned':
      return `assigned to ${who(p.to)} at ${event.at}`;
    default:
      return `${event.type} by ${who(p.by)} at ${event.at}`;
  }
}

export function evaluateTicket(
  ticketId: string,
  events: readonly EventRow[],
  versions: readonly Contract[],
  asOfMs: number,
  sla: SlaLookup,
): Evaluation {
  const facts = ticketFacts(events, asOfMs);
  const list = facts.events;
  const created = list.find((e) => e.type === 'created');
  if (!created) return { kind: 'out_of_scope', version: null, reason: 'the ticket has no created event', clause: 'effectiveFrom', evidence: [] };
  const contract = versionFor(versions, created.atMs);
  if (!contract) {
    const first = [...versions].sort((a, b) => effectiveStartMs(a) - effectiveStartMs(b))[0];
    return {
      kind: 'out_of_scope',
      version: null,
      reason: first
        ? `created ${created.at}, before the contract took effect (${first.effectiveFrom} ${first.timezone})`
        : 'no contract has been imported',
      clause: 'effectiveFrom',
      evidence: [created.seq],
    };
  }
  const version = contract.version;
  const category = String(created.payload.category);
  if (contract.categories.length > 0 && !contract.categories.includes(category)) {
    return {
      kind: 'out_of_scope',
      version,
      reason: `category "${category}" is not covered by version ${version} (categories: ${contract.categories.join(', ')})`,
      clause: 'categories',
      evidence: [created.seq],
    };
  }

  const { criteria } = contract;
  const end = facts.solveIndex < 0 ? list.length : facts.solveIndex;
  for (let i = 0; i < end; i++) {
    const event = list[i]!;
    if (criteria.noHumanPublicReply && event.type === 'message' && event.payload.public === true && (event.payload.author as ActorJson).kind === 'human') {
      return { kind: 'not_billable', version, reason: 'a human replied publicly before the solve', clause: 'criteria.noHumanPublicReply', evidence: [event.seq], decidedAtMs: event.atMs };
    }
    if (criteria.noEscalation && event.type === 'escalated') {
      return { kind: 'not_billable', version, reason: `escalated (${String(event.payload.reason)}) before the solve`, clause: 'criteria.noEscalation', evidence: [event.seq], decidedAtMs: event.atMs };
    }
  }
  if (facts.solveIndex < 0) return { kind: 'open', version, reason: 'not solved yet', clause: 'candidate', evidence: [created.seq] };

  const solve = list[facts.solveIndex]!;
  const firstSolve = facts.lifecycle.solves[0]!;
  const solver = firstSolve.byKind;
  if (solver !== 'ai') {
    return { kind: 'not_billable', version, reason: `solved by ${solver === 'human' ? 'a human' : `the ${solver}`}, not by the AI`, clause: 'candidate', evidence: [solve.seq], decidedAtMs: solve.atMs };
  }
  if (!firstSolve.aiResolution) {
    // Solved by the AI, but not an AI resolution: a human touched the ticket before the solve.
    const touch = list[facts.lifecycle.humanTouches[0]!]!;
    return { kind: 'not_billable', version, reason: `not an AI resolution: a human took part before the solve (${humanTouchText(touch)})`, clause: 'candidate', evidence: [touch.seq, solve.seq], decidedAtMs: solve.atMs };
  }

  const windowEnd = windowEndMs(solve.atMs, contract);
  const evidence = [created.seq, solve.seq];
  const reopen = reopensAfter(list, facts.solveIndex)[0];
  for (let i = facts.solveIndex + 1; i < list.length; i++) {
    const event = list[i]!;
    if (event.atMs >= windowEnd) break;
    if (reopen && event.seq === reopen.seq) {
      return { kind: 'not_billable', version, reason: `reopened ${event.at}, inside the ${criteria.verificationWindowHours}-hour verification window`, clause: 'criteria.verificationWindowHours', evidence: [solve.seq, event.seq], decidedAtMs: event.atMs };
    }
    if (event.type === 'csat') {
      const score = Number(event.payload.score);
      if (criteria.minCsat != null && score < criteria.minCsat) {
        return { kind: 'not_billable', version, reason: `CSAT ${score} inside the verification window, below the minimum of ${criteria.minCsat}`, clause: 'criteria.minCsat', evidence: [solve.seq, event.seq], decidedAtMs: event.atMs };
      }
      evidence.push(event.seq);
    }
  }
  if (asOfMs < windowEnd) {
    return { kind: 'pending', version, solveSeq: solve.seq, windowEndMs: windowEnd, reason: `solved by the AI; the verification window ends ${iso(windowEnd)}`, clause: 'criteria.verificationWindowHours', evidence };
  }
  for (const metric of criteria.requireSla ?? []) {
    const outcome = sla(ticketId, metric, list);
    if (outcome === 'breached' || outcome === 'in_progress') {
      return { kind: 'not_billable', version, reason: `SLA ${metric} ${outcome === 'breached' ? 'breached' : 'not achieved (still in progress)'}`, clause: 'criteria.requireSla', evidence: [solve.seq], decidedAtMs: windowEnd };
    }
  }
  const checks = ['no reopen'];
  if (criteria.minCsat != null) checks.push(`no CSAT below ${criteria.minCsat}`);
  const slaNote = (criteria.requireSla ?? []).length ? `; SLA ${criteria.requireSla.join(', ')} achieved` : '';
  return {
    kind: 'verifiable',
    version,
    solveSeq: solve.seq,
    windowEndMs: windowEnd,
    reason: `solved by the AI; ${checks.join(' and ')} within the ${criteria.verificationWindowHours}-hour verification window${slaNote}`,
    clause: 'criteria',
    evidence,
  };
}
