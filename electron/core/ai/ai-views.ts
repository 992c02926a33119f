// What the console shows of the AI: review items, knowledge gaps grouped by topic, and the
// attribution of every AI step on a ticket.
import type { AiAttributionStep, AiGapGroup, AiRunView } from '../../../shared/contracts/ai.ts';
import type { Actor } from '../../../shared/domain.ts';
import type { Db } from '../db/connection.ts';
import { aiEventsOfTicket, articleTitle, customerTurnBefore, eventPayload, gapRuns, recentHandOffs, runsAwaitingReview, subjectOf, type RunRow } from './ai-repository.ts';

function runView(db: Db, run: RunRow): AiRunView {
  const decision = eventPayload(db, run.decisionSeq) ?? {};
  const lastSeq = Number(/^m(\d+)/.exec(run.attemptKey)?.[1] ?? run.decisionSeq);
  return {
    runId: run.runId,
    ticketId: run.ticketId,
    subject: subjectOf(db, run.ticketId),
    category: run.category,
    topic: run.topic,
    model: run.model,
    action: run.action,
    reason: run.reason,
    confidence: run.confidence,
    note: typeof decision.note === 'string' ? decision.note : '',
    draft: run.draft,
    customerText: customerTurnBefore(db, run.ticketId, lastSeq),
    citations: run.citations.map((c) => ({ ...c, title: articleTitle(db, c.id, c.version) })),
    decidedAt: run.decidedAt,
    decisionSeq: run.decisionSeq,
  };
}

export function reviewQueue(db: Db, limit: number, includeHandOffs: boolean): AiRunView[] {
  const runs = runsAwaitingReview(db, limit);
  if (includeHandOffs) runs.push(...recentHandOffs(db, limit).filter((r) => !r.review));
  return runs.map((run) => runView(db, run));
}

export function knowledgeGaps(db: Db): AiGapGroup[] {
  const groups = new Map<string, AiGapGroup>();
  for (const run of gapRuns(db)) {
    const kind = run.review === 'reject' ? 'rejected' : run.review === 'edit' ? 'edited' : 'missing_knowledge';
    const topic = run.topic || run.category;
    const group = groups.get(topic) ?? { topic, count: 0, reasons: {}, runs: [] };
    group.count++;
    group.reasons[kind] = (group.reasons[kind] ?? 0) + 1;
    group.runs.push({ runId: run.runId, ticketId: run.ticketId, category: run.category, kind, reason: run.reviewReason ?? run.reason, at: run.reviewedAt ?? run.decidedAt, seq: run.decisionSeq });
    groups.set(topic, group);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || a.topic.localeCompare(b.topic));
}

const actorName = (actor: Actor): string => (actor.kind === 'ai' ? `ai:${actor.model ?? '?'}` : `${actor.kind}${actor.id ? `:${actor.id}` : ''}`);

function summarize(type: string, p: Record<string, unknown>): string {
  switch (type) {
    case 'ai.triage': {
      const r = p.result as Record<string, unknown> | null;
      const masked = Object.entries(p.redaction as Record<string, number>).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`);
      return r
        ? `triage: ${r.category}, tier ${r.tier}, ${r.language}, topic "${r.topic}"${r.wants_human ? ', asks for a person' : ''} (confidence ${Number(r.confidence).toFixed(2)})${p.injection_suspected ? '; prompt injection suspected' : ''}${masked.length ? `; masked ${masked.join(', ')}` : ''}`
        : `triage failed: ${p.error ?? 'invalid answer'}`;
    }
    case 'ai.retrieval':
      return `retrieval for "${p.query}": ${(p.articles as unknown[]).length} article(s)`;
    case 'ai.draft':
      return `draft of ${String(p.body).length} characters citing ${(p.citations as unknown[]).length} article(s)`;
    case 'ai.check': {
      const r = p.result as Record<string, unknown> | null;
      const guard = p.guard_promises as string[];
      return r
        ? `check: ${r.supported ? 'supported' : 'not supported'}, ${r.resolution}, confidence ${Number(r.confidence).toFixed(2)}${guard.length ? `; guard found promises: ${guard.join(', ')}` : ''}`
        : `check failed: ${p.error ?? 'invalid answer'}`;
    }
    case 'ai.decision':
      return `decision: ${p.action}${p.reason ? ` (${p.reason})` : ''} in ${p.mode} mode, confidence ${Number(p.confidence).toFixed(2)} vs threshold ${Number(p.threshold).toFixed(2)} — ${p.note}`;
    case 'ai.review':
      return typeof p.superseded_by === 'string' ? `review: superseded by run ${p.superseded_by}` : `review: ${p.action}${p.reason ? ` — ${p.reason}` : ''}`;
    case 'message':
      return 'reply sent by the AI';
    case 'status':
      return `status set to ${p.status} by the AI`;
    case 'escalated':
      return `handed off: ${p.reason}${p.note ? ` — ${p.note}` : ''}`;
    default:
      return type;
  }
}

export function attribution(db: Db, ticketId: string): AiAttributionStep[] {
  const steps: AiAttributionStep[] = [];
  for (const row of aiEventsOfTicket(db, ticketId)) {
    const actor = JSON.parse(row.actor) as Actor;
    if (!row.type.startsWith('ai.') && actor.kind !== 'ai') continue;
    const p = JSON.parse(row.payload) as Record<string, unknown>;
    const cited = (row.type === 'ai.retrieval' ? p.articles : p.citations) as { id: string; version: number; title?: string; score?: number }[] | undefined;
    steps.push({
      seq: row.seq,
      type: row.type,
      at: row.at,
      runId: typeof p.run_id === 'string' ? p.run_id : null,
      model: (p.model as { name: string; digest: string } | undefined) ?? (actor.kind === 'ai' && actor.model ? { name: actor.model, digest: '' } : null),
      prompt: (p.prompt as AiAttributionStep['prompt']) ?? null,
      options: (p.options as Record<string, number>) ?? null,
      metrics: (p.metrics as Record<string, number>) ?? null,
      articles: (cited ?? []).map((a) => ({ id: a.id, version: a.version, title: a.title ?? articleTitle(db, a.id, a.version), ...(a.score !== undefined ? { score: a.score } : {}) })),
      summary: summarize(row.type, p),
      actor: actorName(actor),
    });
  }
  return steps;
}
