// Pure: why one ticket counts in a KPI's numerator or only in its denominator, in words, with the events that
// decide it. Whether it counts is not decided here: the caller passes the fact row's own predicate (COUNT_PREDICATES),
// so the drill-down and the figure agree by construction; this module only explains, from the same facts
// (ticketFacts) the projection stored.
import type { AhtSource, DrillKpi } from '../../../shared/contracts/kpis.ts';
import { formatCount, formatDuration } from '../../../shared/format.ts';
import type { FactEvent, FactTrace, TicketFacts } from './ticket-facts.ts';

export interface DrillWhy {
  why: string;
  evidence: number[];
}

/** An event's moment as the ledger has it, to the minute, in UTC: "2026-03-02 14:05 UTC". */
export function eventMoment(at: string): string {
  return `${at.slice(0, 16).replace('T', ' ')} UTC`;
}

export function explainDrill(
  kpi: DrillKpi,
  counts: boolean,
  facts: TicketFacts,
  trace: FactTrace,
  events: readonly FactEvent[],
  ahtSource: AhtSource | null,
): DrillWhy {
  const atOf = new Map(events.map((event) => [event.seq, event.at]));
  /** "2026-03-02 14:05 UTC (#812)" for a seq of this ticket. */
  const when = (seq: number): string => `${atOf.has(seq) ? `${eventMoment(atOf.get(seq)!)} ` : ''}(#${seq})`;
  const solve = trace.solveSeq;
  // A ticket can stand solved without a solve transition (an import that starts it solved): say so, name no event.
  const solved = solve === null ? 'solved' : `solved ${when(solve)}`;
  const solveEvidence = solve === null ? [] : [solve];
  switch (kpi) {
    case 'tickets': {
      const created = events.find((event) => event.type === 'created');
      return { why: `created ${created ? when(created.seq) : eventMoment(facts.createdAt)}`, evidence: created ? [created.seq] : [] };
    }
    case 'fcr': {
      const replies = trace.publicReplySeqs;
      if (counts) return { why: `${solved} after one public agent reply ${when(replies[0]!)}, never reopened`, evidence: [replies[0]!, ...solveEvidence] };
      const reasons: string[] = [];
      const evidence: number[] = [];
      if (trace.reopenSeqs.length > 0) {
        reasons.push(`reopened ${when(trace.reopenSeqs[0]!)}${trace.reopenSeqs.length > 1 ? ` and ${formatCount(trace.reopenSeqs.length - 1)} more time(s)` : ''}`);
        evidence.push(...trace.reopenSeqs);
      }
      if (replies.length === 0) reasons.push('no public agent reply');
      else if (replies.length > 1) {
        reasons.push(`${formatCount(replies.length)} public agent replies, the second ${when(replies[1]!)}`);
        evidence.push(...replies);
      }
      evidence.push(...solveEvidence);
      return { why: reasons.join('; ') || 'not resolved at first contact', evidence: [...new Set(evidence)].sort((a, b) => a - b) };
    }
    case 'deflection': {
      if (counts) return { why: `${solved} by the AI, no human touch`, evidence: solveEvidence };
      if (!facts.resolved) return { why: `not resolved (status ${trace.status})`, evidence: [] };
      if (trace.solvedByAi !== true) return { why: `${solved}, not an AI resolution`, evidence: solveEvidence };
      const touch = trace.humanSeqs[0]!;
      return { why: `${solved} by the AI, but a human touched it ${when(touch)}`, evidence: [touch, ...solveEvidence].sort((a, b) => a - b) };
    }
    case 'reopenRate': {
      if (counts) {
        const more = trace.reopenSeqs.length > 1 ? ` (${formatCount(trace.reopenSeqs.length)} times)` : '';
        return { why: `reopened ${when(trace.reopenSeqs[0]!)}${more}`, evidence: trace.reopenSeqs };
      }
      return { why: `${solved}, never reopened`, evidence: solveEvidence };
    }
    case 'escalationRate':
      return counts
        ? { why: `escalated ${when(trace.escalationSeqs[0]!)}${trace.escalationSeqs.length > 1 ? ` (${formatCount(trace.escalationSeqs.length)} times)` : ''}`, evidence: trace.escalationSeqs }
        : { why: 'never escalated', evidence: [] };
    case 'csat': {
      const rated = `rated ${facts.csat} ${when(trace.csatSeq!)}`;
      return { why: counts ? rated : `${rated} (3 or lower)`, evidence: [trace.csatSeq!] };
    }
    case 'aht':
      if (ahtSource === 'agent_work') {
        return counts
          ? { why: `agent work ${formatDuration(facts.agentWorkMinutes! * 60)}, from the first to the last human action`, evidence: [trace.humanSeqs[0]!, trace.humanSeqs.at(-1)!] }
          : { why: 'no human action', evidence: [] };
      }
      return counts
        ? { why: `handle time ${formatDuration(facts.worklogMinutes! * 60)} in ${formatCount(trace.worklogSeqs.length)} worklog event(s)`, evidence: trace.worklogSeqs }
        : { why: 'no worklog event (not handled by a human, or handle time not logged)', evidence: [] };
    case 'verified':
      if (counts) return { why: `verified AI outcome ${when(trace.verifiedSeqs[0]!)}`, evidence: trace.verifiedSeqs };
      if (facts.resolvedAi) return { why: `${solved} by the AI, no verified outcome (pending, not billable or reversed)`, evidence: solveEvidence };
      return { why: 'not solved by the AI', evidence: [] };
  }
}
