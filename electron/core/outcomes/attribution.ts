// The live attribution counter: for a period, the tickets verified, still pending verification, and rejected.
import type { AttributionCounts } from '../../../shared/contracts/outcomes.ts';
import type { Db } from '../db/connection.ts';
import { periodOf } from './contract-schema.ts';
import { evaluateTicket, type SlaLookup } from './evaluate.ts';
import { contractIds, readBook, resolveContract } from './outcome-book.ts';
import { OutcomeRepository } from './outcome-repository.ts';
import { naturalCompare } from './statement.ts';
import { defaultSlaLookup, scopeTickets } from './verification.ts';

/**
 * verified: verified outcomes billed in the period; pending: AI solves awaiting verification now;
 * rejected: tickets in scope that became not billable in the period (by the event that decided it).
 */
export function attribution(db: Db, options: { period?: string; contract?: string; asOf?: string; sla?: SlaLookup } = {}): AttributionCounts {
  const repository = new OutcomeRepository(db);
  const asOf = options.asOf ?? new Date().toISOString();
  const asOfMs = Date.parse(asOf);
  if (contractIds(repository).length === 0) {
    return { period: options.period ?? new Date(asOfMs).toISOString().slice(0, 7), contract: null, asOf, verified: [], pending: [], rejected: [] };
  }
  const contract = resolveContract(repository, options.contract);
  const period = options.period ?? periodOf(asOfMs, contract.timezone);
  const book = readBook(repository, contract);
  const verified = [...book.values()].filter((r) => r.period === period).map((r) => r.ticket);
  const pending: string[] = [];
  const rejected: string[] = [];
  const sla = options.sla ?? defaultSlaLookup(db);
  for (const [ticket, events] of repository.ticketEventsMany(scopeTickets(repository, contract).filter((id) => !book.has(id)))) {
    const evaluation = evaluateTicket(ticket, events, contract.versions, asOfMs, sla);
    if (evaluation.kind === 'pending' || evaluation.kind === 'verifiable') pending.push(ticket);
    else if (evaluation.kind === 'not_billable' && periodOf(evaluation.decidedAtMs, contract.timezone) === period) rejected.push(ticket);
  }
  return { period, contract: contract.id, asOf, verified: verified.sort(naturalCompare), pending: pending.sort(naturalCompare), rejected: rejected.sort(naturalCompare) };
}
