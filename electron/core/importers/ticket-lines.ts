// Turns a source ticket into Attest JSONL lines and data-quality flags: only facts the source gives,
// a missing time stays unknown, and what had to be derived is flagged.
import { ANOMALY_EXCLUDES, type ImportAnomalyKind } from '../../../shared/contracts/importers.ts';
import type { Actor } from '../../../shared/domain.ts';
import type { HistoryLine, SourceTicket } from './import-types.ts';

/** Body of a first reply known only by its time (the export does not carry its text). */
export const FIRST_REPLY_PLACEHOLDER = '[first response recorded by the source helpdesk; its text is not in the export]';

export interface TicketFlag {
  kind: ImportAnomalyKind | 'partial_history';
  detail?: string;
}

export interface TicketLines {
  /** null when no time at all is known: the ticket cannot be placed in time and is skipped. */
  created: HistoryLine | null;
  lines: HistoryLine[];
  flags: TicketFlag[];
}

const SOLVED = new Set(['solved', 'closed']);

function earliest(times: (string | null)[]): string | null {
  let best: string | null = null;
  for (const time of times) if (time !== null && (best === null || time < best)) best = time;
  return best;
}

export function ticketLines(t: SourceTicket): TicketLines {
  const flags: TicketFlag[] = [];
  const historyTimes = (t.history ?? []).map((line) => line.at);
  const knownTimes = [t.createdAt, t.firstResponseAt, t.resolvedAt, t.closedAt, t.updatedAt, ...historyTimes];
  const createdAt = t.createdAt ?? earliest(knownTimes);
  if (createdAt === null) return { created: null, lines: [], flags: [{ kind: 'no_time_known', detail: 'no created, response, resolution or update time' }] };
  if (t.createdAt === null) flags.push({ kind: 'created_time_missing', detail: `created time taken as the earliest known time, ${createdAt}` });

  const customer: Actor = t.requester ? { kind: 'customer', id: t.requester } : { kind: 'customer' };
  const agent: Actor = t.agent ? { kind: 'human', id: t.agent } : { kind: 'human' };

  const created: HistoryLine = {
    type: 'created',
    at: createdAt,
    actor: customer,
    channel: t.channel ?? 'unknown',
    priority: t.priority ?? 'normal',
    category: t.category ?? 'uncategorized',
    subject: t.subject ?? '',
  };
  if (t.requester) created.requester = t.requester;
  if (t.organization) created.organization = t.organization;
  if (t.tags.length > 0) created.tags = t.tags;
  if (Object.keys(t.attributes).length > 0) created.attributes = t.attributes;

  const lines: HistoryLine[] = [];
  if (t.agent) lines.push({ type: 'assigned', at: createdAt, to: { kind: 'human', id: t.agent } });

  // The source's own history wins; what it lacks (messages, statuses) is derived from the fields.
  const history = t.history ?? [];
  if (history.length === 0) flags.push({ kind: 'partial_history' });
  lines.push(...history);
  if (!history.some((line) => line.type === 'message')) {
    if (t.body) lines.push({ type: 'message', at: createdAt, author: customer, public: true, body: t.body });
    if (t.firstResponseAt) lines.push({ type: 'message', at: t.firstResponseAt, author: agent, public: true, body: FIRST_REPLY_PLACEHOLDER });
  }
  if (!history.some((line) => line.type === 'status')) lines.push(...statusLines(t, createdAt, agent));
  const csat = history.some((line) => line.type === 'csat') ? null : t.csat;
  if (csat) {
    const line: HistoryLine = { type: 'csat', at: t.resolvedAt ?? t.closedAt ?? t.updatedAt ?? createdAt, actor: customer, score: csat.score };
    if (csat.comment) line.comment = csat.comment;
    lines.push(line);
  }

  if (t.unknownPriority !== null) flags.push({ kind: 'unknown_priority', detail: `"${t.unknownPriority}" recorded as normal` });
  if (t.unknownStatus !== null) flags.push({ kind: 'unknown_status', detail: `"${t.unknownStatus}" recorded as open` });
  if (t.badCsat !== null) flags.push({ kind: 'csat_out_of_range', detail: `"${t.badCsat}" is not a score 1–5; not recorded` });
  const resolved = t.resolvedAt ?? t.closedAt;
  if (resolved !== null && t.createdAt !== null && resolved < t.createdAt) flags.push({ kind: 'resolved_before_created', detail: `resolved ${resolved}, created ${t.createdAt}` });
  if (t.firstResponseAt !== null && resolved !== null && t.firstResponseAt > resolved) flags.push({ kind: 'first_response_after_resolution', detail: `first response ${t.firstResponseAt}, resolved ${resolved}` });
  if (t.firstResponseAt !== null && t.createdAt !== null && t.firstResponseAt < t.createdAt) flags.push({ kind: 'first_response_before_created', detail: `first response ${t.firstResponseAt}, created ${t.createdAt}` });
  return { created, lines, flags };
}

/** Without an event history: the statuses the fields prove (resolved, closed, or the current one). */
function statusLines(t: SourceTicket, createdAt: string, agent: Actor): HistoryLine[] {
  const lines: HistoryLine[] = [];
  if (t.resolvedAt) lines.push({ type: 'status', at: t.resolvedAt, status: 'solved', by: agent });
  if (t.closedAt) lines.push({ type: 'status', at: t.closedAt, status: 'closed', by: agent });
  const current = t.status ?? (t.unknownStatus !== null ? 'open' : null);
  if (current && current !== 'new') {
    const alreadySaid = (current === 'solved' && t.resolvedAt) || (current === 'closed' && t.closedAt);
    if (!alreadySaid) {
      const at = t.updatedAt ?? (SOLVED.has(current) ? (t.resolvedAt ?? t.closedAt) : null) ?? createdAt;
      lines.push({ type: 'status', at, status: current, by: SOLVED.has(current) ? agent : { kind: 'system' } });
    }
  }
  return lines;
}

export function flagLine(flag: TicketFlag, at: string): HistoryLine {
  const line: HistoryLine = {
    type: 'import.flag',
    at,
    actor: { kind: 'system', id: 'importer' },
    kind: flag.kind,
    excludes: flag.kind === 'partial_history' ? [] : [...ANOMALY_EXCLUDES[flag.kind]],
  };
  if (flag.detail) line.detail = flag.detail;
  return line;
}
