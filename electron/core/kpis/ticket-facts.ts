// Pure: one ticket's events -> the facts every KPI counts, and the events that prove each fact.
// The wording of the definitions lives in shared/contracts/kpis.ts (KPI_DEFINITIONS); keep both in step. Solve,
// reopen, human touch and AI resolution are the lifecycle's one definition (tickets/lifecycle.ts).
import type { KpiDrill } from '../../../shared/contracts/kpis.ts';
import type { EventRow } from '../ledger/ledger-repository.ts';
import { payloadOf } from '../ledger/parsed-payload.ts';
import { currencyDigits, MoneyError, toMinor } from '../outcomes/money.ts';
import { byOccurrence, INITIAL_STATE, isSolvedStatus, lifecycleFact, step } from '../tickets/lifecycle.ts';

export type FactEvent = Pick<EventRow, 'seq' | 'type' | 'at' | 'actor' | 'payload'>;

export interface TicketFacts {
  ticketId: string;
  createdAt: string;
  category: string;
  channel: string;
  actor: 'ai' | 'human' | 'none';
  resolved: boolean;
  resolvedAi: boolean;
  everSolved: boolean;
  fcr: boolean;
  deflected: boolean;
  reopened: boolean;
  escalated: boolean;
  csat: number | null;
  worklogMinutes: number | null;
  agentWorkMinutes: number | null;
  verified: boolean;
  /** Prices of the standing verified outcomes in integer minor units of spendCurrency (0 when that is mixed). */
  verifiedSpendMinor: number;
  /** Empty without spend; one ISO code; several codes joined by commas (sorted) when the outcomes' currencies differ: never added up. */
  spendCurrency: string;
}

interface RecordedPrice {
  currency: string;
  minor: number;
}

/**
 * A recorded outcome price in minor units of its currency. Attest writes prices with exactly the currency's
 * decimals; a price it cannot read that way counts its digits without the point, as migration 012 does.
 */
function recordedPrice(payload: Record<string, unknown>): RecordedPrice {
  const currency = String(payload.currency);
  const price = String(payload.price);
  const digits = currencyDigits(currency);
  if (digits !== null) {
    try {
      return { currency, minor: toMinor(price, digits) };
    } catch (error) {
      if (!(error instanceof MoneyError)) throw error;
    }
  }
  return { currency, minor: Number(price.replace('.', '')) };
}

function spendOf(prices: Iterable<RecordedPrice>): { verifiedSpendMinor: number; spendCurrency: string } {
  const list = [...prices];
  const currencies = [...new Set(list.map((price) => price.currency))].sort();
  if (currencies.length !== 1) return { verifiedSpendMinor: 0, spendCurrency: currencies.join(',') };
  return { verifiedSpendMinor: list.reduce((sum, price) => sum + price.minor, 0), spendCurrency: currencies[0]! };
}

/** What the facts were decided from, for explaining a ticket's place in a figure (the KPI drill-down). */
export interface FactTrace {
  /** The status the ticket stands in after its last event. */
  status: string;
  /** The solve the ticket stands solved by (null while it is not solved) and whether it was an AI resolution. */
  solveSeq: number | null;
  solvedByAi: boolean | null;
  reopenSeqs: number[];
  publicReplySeqs: number[];
  escalationSeqs: number[];
  humanSeqs: number[];
  worklogSeqs: number[];
  csatSeq: number | null;
  verifiedSeqs: number[];
}

const MINUTE_MS = 60_000;

/** Facts plus, per drill-down, the ledger seqs that make the ticket count there. */
export function ticketFacts(
  ticketId: string,
  events: readonly FactEvent[],
): { facts: TicketFacts; evidence: Partial<Record<KpiDrill, number[]>>; trace: FactTrace } | null {
  const ordered = [...events].sort(byOccurrence);
  const created = ordered.find((event) => event.type === 'created');
  if (!created) return null;
  const createdPayload = payloadOf(created) as { category?: string; channel?: string };
  let lifecycle = INITIAL_STATE;
  /** Whether the solve the ticket stands solved by was an AI resolution; null while it is not solved. */
  let solvedByAi: boolean | null = null;
  let everSolved = false;
  const reopenSeqs: number[] = [];
  const publicReplySeqs: number[] = [];
  const escalationSeqs: number[] = [];
  const worklogSeqs: number[] = [];
  const humanSeqs: number[] = [];
  let humanFirstMs: number | null = null;
  let humanLastMs: number | null = null;
  let aiInvolved = false;
  let solveSeq: number | null = null;
  let csat: number | null = null;
  let csatSeq: number | null = null;
  let worklogMinutes = 0;
  const verifiedPrice = new Map<number, RecordedPrice>();

  const human = (event: FactEvent): void => {
    const ms = Date.parse(event.at);
    humanFirstMs ??= ms;
    humanLastMs = ms;
    humanSeqs.push(event.seq);
  };
  for (const event of ordered) {
    const payload = payloadOf(event);
    const fact = lifecycleFact(event.type, payload);
    const stepped = step(lifecycle, fact);
    lifecycle = stepped.state;
    if (stepped.humanTouch) human(event);
    else if (fact.actorKind === 'ai') aiInvolved = true;
    if (stepped.transition.kind === 'reopen') {
      reopenSeqs.push(event.seq);
      solvedByAi = null;
    } else if (stepped.transition.kind === 'solve') {
      solvedByAi = stepped.transition.aiResolution;
      solveSeq = event.seq;
      everSolved = true;
    }
    switch (event.type) {
      case 'message':
        if (payload.public === true && (fact.actorKind === 'ai' || fact.actorKind === 'human')) publicReplySeqs.push(event.seq);
        break;
      case 'escalated':
        escalationSeqs.push(event.seq);
        break;
      case 'csat':
        csat = Number(payload.score);
        csatSeq = event.seq;
        break;
      case 'worklog':
        worklogMinutes += Number(payload.minutes);
        worklogSeqs.push(event.seq);
        break;
      case 'outcome.verified':
        verifiedPrice.set(event.seq, recordedPrice(payload));
        break;
      case 'outcome.reversed':
      case 'outcome.dispute_upheld':
        verifiedPrice.delete(Number(payload.verifiedSeq));
        break;
    }
  }

  const resolved = isSolvedStatus(lifecycle.status);
  const humanInvolved = humanSeqs.length > 0;
  const resolvedAi = resolved && solvedByAi === true;
  const fcr = resolved && reopenSeqs.length === 0 && publicReplySeqs.length === 1;
  const deflected = resolvedAi && !humanInvolved;
  const first = humanFirstMs as number | null;
  const last = humanLastMs as number | null;
  const facts: TicketFacts = {
    ticketId,
    createdAt: created.at,
    category: String(createdPayload.category ?? ''),
    channel: String(createdPayload.channel ?? ''),
    actor: humanInvolved ? 'human' : aiInvolved ? 'ai' : 'none',
    resolved,
    resolvedAi,
    everSolved,
    fcr,
    deflected,
    reopened: reopenSeqs.length > 0,
    escalated: escalationSeqs.length > 0,
    csat,
    worklogMinutes: worklogSeqs.length > 0 ? worklogMinutes : null,
    agentWorkMinutes: first !== null && last !== null ? (last - first) / MINUTE_MS : null,
    verified: verifiedPrice.size > 0,
    ...spendOf(verifiedPrice.values()),
  };
  const solve = solveSeq === null ? [] : [solveSeq];
  const evidence: Partial<Record<KpiDrill, number[]>> = {
    tickets: [created.seq],
    resolved: solve,
    fcr: [...publicReplySeqs, ...solve],
    not_fcr: [...publicReplySeqs, ...reopenSeqs, ...solve],
    deflected: solve,
    reopened: reopenSeqs,
    escalated: escalationSeqs,
    csat: csatSeq === null ? [] : [csatSeq],
    csat_dissatisfied: csatSeq === null ? [] : [csatSeq],
    worklog: worklogSeqs.length > 0 ? worklogSeqs : humanSeqs,
    verified: [...verifiedPrice.keys()],
  };
  const trace: FactTrace = {
    status: lifecycle.status,
    solveSeq: resolved ? solveSeq : null,
    solvedByAi: resolved ? solvedByAi : null,
    reopenSeqs,
    publicReplySeqs,
    escalationSeqs,
    humanSeqs,
    worklogSeqs,
    csatSeq,
    verifiedSeqs: [...verifiedPrice.keys()],
  };
  return { facts, evidence, trace };
}
