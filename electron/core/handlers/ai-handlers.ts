import type { AiOutputs, AiProgress, AiSettingsView, KbArticleDetail } from '../../../shared/contracts/ai.ts';
import { knownCategories } from '../ai/ai-repository.ts';
import { decideHost, loadAiSettings } from '../ai/ai-settings.ts';
import { normalizeHost } from '../ai/ollama-host.ts';
import { organizationSettingsView } from '../organization/organization-settings.ts';
import { InputError } from '../errors.ts';
import { LineError } from '../ledger/line-error.ts';
import { attribution, knowledgeGaps, reviewQueue } from '../ai/ai-views.ts';
import { commitRun, notCommittedMessage, runTicket } from '../ai/pipeline.ts';
import { eligibleTickets, gatewayFor, resolveTickets } from '../ai/resolver.ts';
import { reviewDraft } from '../ai/review.ts';
import { runCountOfTicket } from '../ai/turn-repository.ts';
import { categoryMode } from '../categories/category-modes.ts';
import { recordEvents } from '../derived/record-events.ts';
import { editArticle } from '../kb/kb-import.ts';
import { getArticle, getArticleVersion, listArticles } from '../kb/kb-repository.ts';
import { articleCitations, compareVersions, versionHistory } from '../kb/kb-history.ts';
import { searchArticles } from '../kb/kb-search.ts';
import { getRun, ticketSummary } from '../ai/ai-repository.ts';
import { approvalNeedsSignature } from '../outcomes/signed-approval.ts';
import { runSigned } from '../people/signatures.ts';
import type { Actor } from '../../../shared/domain.ts';
import { NotFoundError, type CoreContext, type FeatureHandlers } from './context.ts';
import { emitLedgerChanged } from './ledger-changed.ts';
import { LEASED_ELSEWHERE } from '../team/ai-lease.ts';

type AiMethod =
  | 'ai.health' | 'ai.settings' | 'ai.configure' | 'ai.allowRemoteHost' | 'ai.status' | 'ai.resolve' | 'ai.cancel' | 'ai.reviewQueue' | 'ai.review'
  | 'ai.draftLive' | 'ai.gaps' | 'ai.attribution' | 'kb.list' | 'kb.search' | 'kb.article' | 'kb.get' | 'kb.edit'
  | 'kb.diff' | 'kb.citations';

/** Team mode: what a run says about the tickets it left to the consoles holding their leases. */
const leasedElsewhereMessage = (tickets: number): string | null => (tickets > 0 ? `${tickets} ticket(s) skipped: ${LEASED_ELSEWHERE}` : null);

const IDLE: AiProgress = { running: false, total: 0, done: 0, sent: 0, awaitingReview: 0, handedOff: 0, skipped: 0, unavailable: 0, message: null };

export function aiHandlers(ctx: CoreContext): FeatureHandlers<AiMethod> {
  let progress: AiProgress = IDLE;
  let controller: AbortController | null = null;
  /** Tickets this console is drafting a reply for right now. */
  const drafting = new Set<string>();

  const settingsView = (): AiSettingsView => {
    const s = loadAiSettings(ctx.db);
    const host = decideHost(s);
    const remote = s.remoteHost;
    return {
      host: s.host, effectiveHost: host.host, model: s.model, confidenceThreshold: s.confidenceThreshold, parallel: s.parallel, redaction: s.redaction,
      hostIsLocal: host.local, hostProblem: host.problem,
      remoteHost: remote ? { host: remote.host, reason: remote.reason, by: remote.actor.name ?? remote.actor.id ?? remote.actor.kind, at: remote.at } : null,
      organization: organizationSettingsView(ctx.db),
    };
  };
  const articleDetail = (id: string): KbArticleDetail => {
    const a = getArticle(ctx.db, id);
    if (!a) throw new NotFoundError(`no article ${id}`);
    return { id: a.id, version: a.version, title: a.title, tags: a.tags, category: a.category, source: a.source, updatedAt: a.updatedAt, seq: a.seq, body: a.body, versions: versionHistory(ctx.db, id) };
  };
  const ledgerChanged = (): void => emitLedgerChanged(ctx);
  /** Records a settings line; the ledger's rule book refusing it (a host nobody allowed…) is the caller's input at fault. */
  const recordSetting = (line: Record<string, unknown>): void => {
    try {
      recordEvents(ctx.db, [line]);
    } catch (error) {
      if (error instanceof LineError) throw new InputError(error.message);
      throw error;
    }
  };
  const publish = (next: AiProgress): void => {
    progress = next;
    ctx.emit('ai.progress', next);
  };

  /** Console "draft now": a new draft for the ticket's open turn, always for review; it replaces any waiting one. */
  const draftReply = async (ticket: { id: string; category: string; subject: string }, mode: 'draft' | 'auto', actor: Actor): Promise<AiOutputs['ai.draftLive']> => {
    const settings = loadAiSettings(ctx.db);
    const gateway = gatewayFor(ctx.db, process.env, settings);
    const health = await gateway.health();
    if (!health.reachable || !health.modelPresent) return { runId: null, action: 'none', reason: null, message: health.message };
    const live = runCountOfTicket(ctx.db, ticket.id);
    const deps = { db: ctx.db, gateway, settings, digest: health.digest ?? '', categories: knownCategories(ctx.db), forceReview: true, attemptSuffix: `live${live + 1}` };
    try {
      const outcome = await runTicket(
        { ...deps, onChunk: (text) => ctx.emit('ai.draftChunk', { ticketId: ticket.id, text, done: false }) },
        { id: ticket.id, category: ticket.category, subject: ticket.subject, mode },
      );
      if (outcome.kind === 'skipped') return { runId: null, action: 'none', reason: null, message: outcome.why };
      const result = await ctx.writes.write(ctx.db, `AI draft for ${ticket.id}`, () => commitRun(ctx.db, outcome.proposal, deps, actor));
      ledgerChanged();
      if (!result.committed) return { runId: null, action: 'none', reason: null, message: notCommittedMessage(result.why) };
      return { runId: outcome.proposal.runId, action: result.action, reason: result.reason ?? null, message: null, superseded: result.superseded };
    } catch (error) {
      return { runId: null, action: 'none', reason: null, message: (error as Error).message };
    } finally {
      ctx.emit('ai.draftChunk', { ticketId: ticket.id, text: '', done: true });
    }
  };

  return {
    handlers: {
      'ai.health': () => gatewayFor(ctx.db).health(),
      'ai.settings': () => settingsView(),
      'ai.configure': (input, caller) => {
        recordSetting(
          {
            type: 'ai.settings', at: new Date().toISOString(), actor: caller.actor,
            // Stored as the server's origin; a host that is not this computer needs an admin's allowance (settingsHostRule).
            ...(input.host ? { host: normalizeHost(input.host) } : {}),
            model: input.model, confidence_threshold: input.confidenceThreshold, parallel: input.parallel, redaction: input.redaction, reason: input.reason,
          },
        );
        ledgerChanged();
        return settingsView();
      },
      'ai.allowRemoteHost': (input, caller) => {
        recordSetting({ type: 'ai.remote_host', at: new Date().toISOString(), actor: caller.actor, host: input.host === null ? null : normalizeHost(input.host), reason: input.reason });
        ledgerChanged();
        return settingsView();
      },
      'ai.status': () => {
        const eligible = eligibleTickets(ctx.db);
        const byCategory = new Map<string, number>();
        for (const t of eligible) byCategory.set(t.category, (byCategory.get(t.category) ?? 0) + 1);
        return {
          progress,
          eligible: eligible.length,
          eligibleByCategory: [...byCategory].map(([category, tickets]) => ({ category, mode: categoryMode(ctx.db, category), tickets })).sort((a, b) => a.category.localeCompare(b.category)),
        };
      },
      'ai.resolve': (input) => {
        if (controller) return progress;
        controller = new AbortController();
        publish({ ...IDLE, running: true });
        const started = resolveTickets(ctx.db, {
          ...input,
          signal: controller.signal,
          write: ctx.writes.turnOn(ctx.db),
          leases: ctx.team?.leases,
          onProgress: (p) => {
            publish({ ...p, running: true, message: null });
            ledgerChanged();
          },
        });
        void started
          .then((summary) => publish({ ...progress, running: false, total: summary.queued, unavailable: summary.unavailable, message: summary.message ?? leasedElsewhereMessage(summary.leasedElsewhere) }))
          .catch((error: unknown) => publish({ ...progress, running: false, message: (error as Error).message }))
          .finally(() => {
            controller = null;
            ledgerChanged();
          });
        return progress;
      },
      'ai.cancel': () => {
        controller?.abort();
        return progress;
      },
      'ai.reviewQueue': (input) => reviewQueue(ctx.db, input.limit, input.includeHandOffs),
      'ai.review': async ({ signature, ...review }, caller) => {
        // An unknown run is `not_found`; one that may not be reviewed (again) is `invalid_input` (ReviewError).
        // Approving a draft is signed when the ticket's outcome contract asks for it (requireSignedApproval).
        const result = await runSigned(ctx.db, ctx.writes.turnOn(ctx.db), caller, signature, 'draft review', () => {
          const reviewed = reviewDraft(ctx.db, review, caller.actor);
          const ticket = getRun(ctx.db, reviewed.runId)?.ticketId;
          const category = ticket ? ticketSummary(ctx.db, ticket)?.category : undefined;
          const needsSignature = review.action === 'approve' && category !== undefined && approvalNeedsSignature(ctx.db, category);
          return { value: reviewed, signed: reviewed.seq, needsSignature };
        });
        ledgerChanged();
        return result;
      },
      'ai.draftLive': async (input, caller) => {
        const ticket = ticketSummary(ctx.db, input.ticketId);
        if (!ticket) throw new NotFoundError(`no ticket ${input.ticketId}`);
        const mode = categoryMode(ctx.db, ticket.category);
        if (mode === 'off') return { runId: null, action: 'none', reason: null, message: `AI is off for the category ${ticket.category}: set it to draft or auto first` };
        // A second click while this console still drafts would only race the first one to the same run id.
        if (drafting.has(ticket.id)) return { runId: null, action: 'none', reason: null, message: `a reply for ${ticket.id} is already being drafted` };
        drafting.add(ticket.id);
        try {
          return await draftReply(ticket, mode, caller.actor);
        } finally {
          drafting.delete(ticket.id);
        }
      },
      'ai.gaps': () => knowledgeGaps(ctx.db),
      'ai.attribution': (input) => attribution(ctx.db, input.ticketId),
      'kb.list': () => listArticles(ctx.db).map(({ id, version, title, tags, category, source, updatedAt, seq }) => ({ id, version, title, tags, category, source, updatedAt, seq })),
      'kb.search': (input) => {
        const result = searchArticles(ctx.db, input.query, input.limit);
        return { query: result.query, hits: result.hits };
      },
      'kb.article': (input) => {
        const article = input.version ? getArticleVersion(ctx.db, input.id, input.version) : getArticle(ctx.db, input.id);
        if (!article) throw new NotFoundError(`no article ${input.id}${input.version ? ` version ${input.version}` : ''}`);
        return { id: article.id, version: article.version, title: article.title, body: article.body };
      },
      'kb.get': (input) => articleDetail(input.id),
      'kb.edit': (input, caller) => {
        if (!getArticle(ctx.db, input.id)) throw new NotFoundError(`no article ${input.id}`);
        editArticle(ctx.db, input.id, { title: input.title, body: input.body, tags: [...new Set(input.tags)], reason: input.reason }, caller.actor);
        ledgerChanged();
        return articleDetail(input.id);
      },
      'kb.diff': (input) => compareVersions(ctx.db, input.id, input.from, input.to),
      'kb.citations': (input) => articleCitations(ctx.db, input.id, input.version, input.limit, input.offset),
    },
  };
}
