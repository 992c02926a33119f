// A cheap check, made with every verification: do the projections describe the ledger that is there? A wiped or
// shortened ledger (events and head deleted together verify as a short but intact chain) is caught here, because
// the ticket projection still counts the events it was built from. `verify --deep` compares every row.
import type { ChainFinding } from '../../../shared/contract.ts';
import type { Db } from '../db/connection.ts';
import { VerificationRepository } from './verification-repository.ts';

export function projectionClaimFindings(db: Db): ChainFinding[] {
  const repository = new VerificationRepository(db);
  const findings: ChainFinding[] = [];
  if (!repository.hasTable('tickets')) return findings;
  const claims = repository.ticketProjectionClaims();
  const held = repository.ticketEventCount();
  if (claims.ticketsWithoutEvents > 0) {
    findings.push({
      problem: 'projection_mismatch',
      seq: null,
      ticket: null,
      message: `the console lists ${claims.ticketsWithoutEvents} of ${claims.tickets} tickets of which the ledger holds no event: events were removed from the ledger (or ticket rows added outside it)`,
    });
  }
  if (claims.projectedEvents !== held) {
    findings.push({
      problem: 'projection_mismatch',
      seq: null,
      ticket: null,
      message: `the ticket projections were built from ${claims.projectedEvents} ticket events, the ledger holds ${held}: the ledger was shortened or extended outside Attest, or projection rows were edited (attest verify --deep lists them)`,
    });
  }
  // Ticket rows deleted with the events leave the projections kept beside them describing tickets nobody lists.
  for (const { table, tickets } of repository.ticketsOtherProjectionsDescribe()) {
    if (tickets <= claims.tickets) continue;
    findings.push({
      problem: 'projection_mismatch',
      seq: null,
      ticket: null,
      message: `${table} describes ${tickets} tickets, the ticket projection lists ${claims.tickets}: ticket rows were removed outside Attest (attest verify --deep lists them)`,
    });
  }
  const head = repository.maxEventSeq();
  const beyond = repository.projectionSeqReach().filter((r) => r.maxSeq > head);
  if (beyond.length > 0) {
    findings.push({
      problem: 'projection_mismatch',
      seq: null,
      ticket: null,
      message: `projections refer to events beyond the ledger's last event #${head} (${beyond.map((r) => `${r.table}.${r.column} up to #${r.maxSeq}`).join(', ')}): the ledger was emptied or shortened outside Attest`,
    });
  }
  return findings;
}
