// One ticket through the AI: triage -> retrieval -> grounded draft -> check -> decision. The run only
// computes; `commitRun` writes all of its events in one transaction, re-reading the category's mode and
// the ticket's turn from the ledger (turns.ts), so a crash, a retry or a second console never sends twice.
import type { Message } from 'ollama';
import type { Actor, EscalationReason } from '../../../shared/domain.ts';
import { categoryMode } from '../categories/category-modes.ts';
import type { Db } from '../db/connection.ts';
import { inWriteTransaction } from '../db/transaction.ts';
import { recordEvents } from '../derived/record-events.ts';
import { aiReplyFields, PRODUCT_CLOSING, withDisclosure, type ReplyClosing } from './disclosure.ts';
import { getArticleVersion } from '../kb/kb-repository.ts';
import { searchArticles } from '../kb/kb-search.ts';
import { conversation, runExists, type Candidate } from './ai-repository.ts';
import { readTicketTurn, runsInReview, supersedeLines, turnKeyOf, turnSeqOf, whyTurnIsClosed } from './turns.ts';
import type { AiSettings } from './ai-settings.ts';
import { checkDraft, describeFindings, type DraftFinding } from './draft-check.ts';
import { forbiddenPromises, injectionSuspected, wantsHuman } from './guards.ts';
import { AiCallError, type CallResult, type ModelOptions, type OllamaGateway } from './ollama-gateway.ts';
import { checkMessages, draftMessages, promptHash, promptTemplates, triageMessages, type ArticleForPrompt, type PromptTemplate } from './prompts.ts';
import { NO_ORGANIZATION_SETTINGS, replyClosing } from '../organization/organization-settings.ts';
import { redact } from './redaction.ts';
import { CHECK_FORMAT, checkResultSchema, parseStructured, triageFormat, triageResultSchema, type CheckResult, type TriageResult } from './schemas.ts';

export const MODEL_OPTIONS: ModelOptions = { temperature: 0, seed: 42, num_ctx: 8192 };
/** Articles scoring below this BM25 relevance do not count as grounding. */
export const MIN_ARTICLE_SCORE = 1;
const TOP_ARTICLES = 3;

export type Action = 'send_solve' | 'send_pending' | 'await_review' | 'hand_off';

export interface PipelineDeps {
  db: Db;
  gateway: OllamaGateway;
  settings: AiSettings;
  digest: string;
  categories: readonly string[];
  signal?: AbortSignal;
  onChunk?: (text: string) => void;
  /** Console "draft now": never send by itself, whatever the mode. */
  forceReview?: boolean;
  /** Suffix that makes a manual re-draft a new attempt. */
  attemptSuffix?: string;
  /** Adds the time spent waiting for the model (so the pipeline's own overhead can be told apart). */
  onModelTime?: (ms: number) => void;
}

/** What a run found; the action is settled at commit time against the category's current mode. */
export interface RunProposal {
  runId: string;
  ticketId: string;
  attemptKey: string;
  category: string;
  topic: string;
  handOff: EscalationReason | null;
  resolution: 'answers_fully' | 'needs_customer_reply';
  confidence: number;
  note: string;
  draft: string;
  citations: { id: string; version: number }[];
  forceReview: boolean;
  /** What the deterministic draft check found (draft-check.ts): any finding keeps the draft from being sent automatically. */
  draftFindings: DraftFinding[];
  /** The step events (triage, retrieval, draft, check), in order. */
  steps: Record<string, unknown>[];
}

export type RunOutcome = { kind: 'skipped'; ticketId: string; why: string } | { kind: 'proposal'; proposal: RunProposal };

interface TurnText {
  attemptKey: string;
  text: string;
}

/** The customer's open turn: their public messages after the last public reply. */
export function openTurn(db: Db, ticketId: string): TurnText | null {
  const messages = conversation(db, ticketId).filter((m) => m.public);
  const last = messages.at(-1);
  if (!last || last.authorKind !== 'customer') return null;
  let start = messages.length - 1;
  while (start > 0 && messages[start - 1]!.authorKind === 'customer') start--;
  return { attemptKey: `m${last.seq}`, text: messages.slice(start).map((m) => m.body).join('\n\n') };
}

const now = (): string => new Date().toISOString();

function callFields(deps: PipelineDeps, runId: string, template: PromptTemplate, messages: Message[], result: CallResult | null, valid: boolean, error?: string) {
  return {
    run_id: runId,
    model: { name: deps.gateway.model, digest: deps.digest },
    prompt: { template_id: template.id, template_hash: template.hash, prompt_hash: promptHash(messages) },
    options: { ...MODEL_OPTIONS },
    metrics: result?.metrics ?? {},
    valid,
    ...(error ? { error } : {}),
  };
}

/**
 * Only a permanent model error (a 400, a refused destination) ends a run as a tool_failure hand-off; the rest
 * (unreachable, transient, model missing, cancelled) propagate, so the queue retries or pauses and the ticket stays queued.
 */
async function call(deps: PipelineDeps, work: () => Promise<CallResult>): Promise<CallResult | AiCallError> {
  const began = performance.now();
  try {
    return await work();
  } catch (error) {
    if (error instanceof AiCallError && error.kind === 'permanent') return error;
    throw error;
  } finally {
    deps.onModelTime?.(performance.now() - began);
  }
}

function citationsIn(draft: string, articles: readonly ArticleForPrompt[]): { id: string; version: number }[] {
  const byId = new Map(articles.map((a) => [a.id, a]));
  const found = new Map<string, number>();
  for (const match of draft.matchAll(/\[kb:([a-z0-9][a-z0-9-]*)\]/g)) {
    const article = byId.get(match[1]!);
    if (article) found.set(article.id, article.version);
  }
  return [...found].map(([id, version]) => ({ id, version }));
}

/** The draft as the customer reads it: citations taken out, the AI disclosure appended (ai/disclosure.ts). */
export function customerReply(draft: string, closing: ReplyClosing = PRODUCT_CLOSING): string {
  return withDisclosure(customerText(draft), closing);
}

/** The draft without its citation markers: what a person sends when they edit it, and the AI's text before its disclosure. */
export function customerText(draft: string): string {
  return draft.replace(/\s*\[kb:[a-z0-9-]+\]/g, '').replace(/[ \t]+\n/g, '\n').trim();
}

export async function runTicket(deps: PipelineDeps, candidate: Candidate): Promise<RunOutcome> {
  const { db } = deps;
  const turn = openTurn(db, candidate.id);
  if (!turn) return { kind: 'skipped', ticketId: candidate.id, why: 'no customer message waiting for an answer' };
  const attemptKey = deps.attemptSuffix ? `${turn.attemptKey}:${deps.attemptSuffix}` : turn.attemptKey;
  if (runExists(db, candidate.id, turn.attemptKey) && !deps.attemptSuffix) return { kind: 'skipped', ticketId: candidate.id, why: 'already handled by the AI' };
  const runId = `${candidate.id}#${attemptKey}`;
  const steps: Record<string, unknown>[] = [];
  const ticket = candidate.id;
  const { text, counts } = redact(turn.text, deps.settings.redaction);
  const subject = redact(candidate.subject, deps.settings.redaction).text;
  // The subject is customer text too: an instruction hidden there counts as one in the body.
  const injection = injectionSuspected(`${candidate.subject}\n${turn.text}`);
  const proposal = (over: Partial<RunProposal>): RunProposal => ({
    runId,
    ticketId: ticket,
    attemptKey,
    category: candidate.category,
    topic: subject.toLowerCase().slice(0, 80),
    handOff: null,
    resolution: 'answers_fully',
    confidence: 0,
    note: '',
    draft: '',
    citations: [],
    forceReview: Boolean(deps.forceReview),
    draftFindings: [],
    steps,
    ...over,
  });

  // 1. Triage
  const templates = promptTemplates(deps.settings.organization?.name ?? null);
  const tMessages = triageMessages(subject, text, deps.categories, templates.triage);
  const tCall = await call(deps, () => deps.gateway.chatJson(tMessages, triageFormat(deps.categories), MODEL_OPTIONS, deps.signal));
  const triage: TriageResult | null = tCall instanceof AiCallError ? null : parseStructured(triageResultSchema, tCall.content);
  steps.push({
    ticket, type: 'ai.triage', at: now(),
    ...callFields(deps, runId, templates.triage, tMessages, tCall instanceof AiCallError ? null : tCall, triage !== null, tCall instanceof AiCallError ? tCall.message : triage ? undefined : 'answer is not valid structured output'),
    attempt_key: attemptKey, result: triage, redaction: counts, injection_suspected: injection,
  });
  if (tCall instanceof AiCallError) return { kind: 'proposal', proposal: proposal({ handOff: 'tool_failure', note: tCall.message }) };
  if (!triage) return { kind: 'proposal', proposal: proposal({ handOff: 'low_confidence', note: 'triage answer was not valid structured output' }) };
  const topic = triage.topic.toLowerCase().trim();
  if (wantsHuman(turn.text) || triage.wants_human) return { kind: 'proposal', proposal: proposal({ topic, handOff: 'customer_request', note: 'the customer asked for a person' }) };
  if (triage.needs_manual_action) return { kind: 'proposal', proposal: proposal({ topic, handOff: 'unsupported_request', note: 'the request needs someone to change something in our systems' }) };

  // 2. Retrieval
  const search = searchArticles(db, `${subject}\n${text}`, TOP_ARTICLES);
  const hits = search.hits.filter((hit) => hit.score >= MIN_ARTICLE_SCORE);
  steps.push({ ticket, type: 'ai.retrieval', at: now(), run_id: runId, model: { name: deps.gateway.model, digest: deps.digest }, query: search.query, articles: hits.map((h) => ({ id: h.id, version: h.version, title: h.title, score: h.score })) });
  if (hits.length === 0) return { kind: 'proposal', proposal: proposal({ topic, handOff: 'missing_knowledge', note: 'no knowledge-base article matches the question' }) };
  const articles: ArticleForPrompt[] = hits.map((h) => getArticleVersion(db, h.id, h.version)!).filter(Boolean);

  // 3. Draft (streamed)
  const dMessages = draftMessages(subject, text, articles, templates.draft);
  const dCall = await call(deps, () => deps.gateway.chatStream(dMessages, MODEL_OPTIONS, deps.onChunk ?? (() => {}), deps.signal));
  const draft = dCall instanceof AiCallError ? '' : dCall.content.trim();
  const citations = citationsIn(draft, articles);
  steps.push({ ticket, type: 'ai.draft', at: now(), ...callFields(deps, runId, templates.draft, dMessages, dCall instanceof AiCallError ? null : dCall, draft.length > 0, dCall instanceof AiCallError ? dCall.message : undefined), body: draft, citations });
  if (dCall instanceof AiCallError) return { kind: 'proposal', proposal: proposal({ topic, handOff: 'tool_failure', note: dCall.message }) };

  // 4. Check
  const cMessages = checkMessages(subject, text, draft, articles, templates.check);
  const cCall = await call(deps, () => deps.gateway.chatJson(cMessages, CHECK_FORMAT, MODEL_OPTIONS, deps.signal));
  const check: CheckResult | null = cCall instanceof AiCallError ? null : parseStructured(checkResultSchema, cCall.content);
  const guard = forbiddenPromises(draft);
  const cited = articles.filter((a) => citations.some((c) => c.id === a.id));
  const draftFindings = checkDraft(draft, cited);
  steps.push({
    ticket, type: 'ai.check', at: now(),
    ...callFields(deps, runId, templates.check, cMessages, cCall instanceof AiCallError ? null : cCall, check !== null, cCall instanceof AiCallError ? cCall.message : check ? undefined : 'answer is not valid structured output'),
    result: check, guard_promises: guard, draft_findings: draftFindings,
  });
  const base = { topic, draft, citations, draftFindings };
  if (cCall instanceof AiCallError) return { kind: 'proposal', proposal: proposal({ ...base, handOff: 'tool_failure', note: cCall.message }) };
  if (!check) return { kind: 'proposal', proposal: proposal({ ...base, handOff: 'low_confidence', note: 'check answer was not valid structured output' }) };
  const confidence = Math.min(triage.confidence, check.confidence);
  const promises = [...new Set([...guard, ...check.forbidden_promises])];
  if (promises.length > 0) return { kind: 'proposal', proposal: proposal({ ...base, confidence, handOff: 'policy_restriction', note: `the draft promises what only a person may: ${promises.join('; ')}` }) };
  if (injection) return { kind: 'proposal', proposal: proposal({ ...base, confidence, handOff: 'policy_restriction', note: 'the customer text tries to instruct the assistant' }) };
  if (!draft || citations.length === 0) return { kind: 'proposal', proposal: proposal({ ...base, confidence, handOff: 'missing_knowledge', note: 'the draft cites no knowledge-base article' }) };
  if (!check.supported) return { kind: 'proposal', proposal: proposal({ ...base, confidence, handOff: 'missing_knowledge', note: `claims not backed by the knowledge base: ${check.unsupported_claims.join('; ')}` }) };
  return { kind: 'proposal', proposal: proposal({ ...base, confidence, resolution: check.resolution, note: check.resolution === 'answers_fully' ? 'grounded answer' : 'grounded answer asking the customer for more' }) };
}

export interface Decision {
  action: Action;
  reason?: EscalationReason;
  note: string;
}

/**
 * Draft-check findings stop automatic sending only: in draft mode the draft waits for review as any other (the
 * findings in its note); in auto mode it is handed to a person — policy_restriction for money, deadlines, refund/credit/cancellation topics, links and
 * telephone numbers, missing_knowledge when the only finding is a sentence the cited articles do not back.
 */
function findingsHandOff(findings: readonly DraftFinding[]): EscalationReason {
  return findings.every((f) => f.kind === 'untied_sentence') ? 'missing_knowledge' : 'policy_restriction';
}

export function decide(p: RunProposal, mode: 'draft' | 'auto', threshold: number): Decision {
  if (p.handOff) return { action: 'hand_off', reason: p.handOff, note: p.note };
  const findings = p.draftFindings ?? [];
  const blocked = findings.length > 0 ? `not sent automatically: the draft contains ${describeFindings(findings)}` : null;
  if (mode === 'draft' || p.forceReview) return { action: 'await_review', note: `${p.note}; waiting for human review (confidence ${p.confidence.toFixed(2)})${blocked ? `; ${blocked}` : ''}` };
  if (blocked) return { action: 'hand_off', reason: findingsHandOff(findings), note: blocked };
  if (p.confidence < threshold) return { action: 'hand_off', reason: 'low_confidence', note: `confidence ${p.confidence.toFixed(2)} is below the threshold ${threshold.toFixed(2)}` };
  return { action: p.resolution === 'answers_fully' ? 'send_solve' : 'send_pending', note: p.note };
}

export type CommitResult =
  | { committed: true; action: Action; reason?: EscalationReason; /** Runs this one replaced in review. */ superseded: string[] }
  | { committed: false; why: 'duplicate' | 'category_off' | 'ticket_moved_on' };

/** Plain words for a run that was not recorded. */
export function notCommittedMessage(why: 'duplicate' | 'category_off' | 'ticket_moved_on'): string {
  switch (why) {
    case 'duplicate':
      return 'not recorded: another run already answered this customer message (or was recorded for it at the same time)';
    case 'category_off':
      return 'not recorded: the AI was switched off for this category meanwhile';
    case 'ticket_moved_on':
      return 'not recorded: the customer message was answered meanwhile, or the customer wrote again';
  }
}

/**
 * Writes a run's events, deciding against the ledger inside one immediate transaction: the category's
 * mode now, the turn still open and unanswered, no run with this id, no second automatic run for the turn.
 * A run that commits takes every earlier run of the ticket still waiting for review out of it (superseded,
 * recorded as an `ai.review` by `requestedBy`), so a turn never has two drafts that could both be sent.
 */
export function commitRun(db: Db, p: RunProposal, deps: Pick<PipelineDeps, 'gateway' | 'digest' | 'settings'>, requestedBy: Actor = { kind: 'system' }): CommitResult {
  return inWriteTransaction(db, (): CommitResult => {
    const mode = categoryMode(db, p.category);
    if (mode === 'off') return { committed: false, why: 'category_off' };
    const turn = readTicketTurn(db, p.ticketId);
    if (turn.runs.has(p.runId)) return { committed: false, why: 'duplicate' };
    if (whyTurnIsClosed(turn, { runId: p.runId, turnSeq: turnSeqOf(p.attemptKey) })) return { committed: false, why: 'ticket_moved_on' };
    const turnKey = turnKeyOf(p.attemptKey);
    // An automatic run (no ":suffix") is the turn's first and only one; a console re-draft may follow it.
    if (p.attemptKey === turnKey && [...turn.runs.values()].some((run) => turnKeyOf(run.attemptKey) === turnKey)) return { committed: false, why: 'duplicate' };
    const decision = decide(p, mode, deps.settings.confidenceThreshold);
    const model = { name: deps.gateway.model, digest: deps.digest };
    const ai = { kind: 'ai' as const, model: deps.gateway.model };
    const at = now();
    const replaced = runsInReview(turn);
    const lines: Record<string, unknown>[] = [
      ...p.steps,
      {
        ticket: p.ticketId, type: 'ai.decision', at, run_id: p.runId, attempt_key: p.attemptKey, model, mode, action: decision.action,
        ...(decision.reason ? { reason: decision.reason } : {}),
        confidence: p.confidence, threshold: deps.settings.confidenceThreshold, topic: p.topic, category: p.category, note: decision.note, draft: p.draft, citations: p.citations,
      },
      ...supersedeLines(p.ticketId, replaced, p.runId, at, requestedBy),
    ];
    if (decision.action === 'send_solve' || decision.action === 'send_pending') {
      lines.push({ ticket: p.ticketId, type: 'message', at, ...aiReplyFields(ai, customerText(p.draft), replyClosing(deps.settings.organization ?? NO_ORGANIZATION_SETTINGS)) });
      lines.push({ ticket: p.ticketId, type: 'status', at, status: decision.action === 'send_solve' ? 'solved' : 'pending', by: ai });
    } else if (decision.action === 'hand_off') {
      lines.push({ ticket: p.ticketId, type: 'escalated', at, reason: decision.reason, by: ai, note: decision.note });
    }
    recordEvents(db, lines);
    return { committed: true, action: decision.action, ...(decision.reason ? { reason: decision.reason } : {}), superseded: replaced.map((run) => run.runId) };
  });
}
