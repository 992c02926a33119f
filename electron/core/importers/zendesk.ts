// Zendesk JSON: tickets (incremental export pages or one ticket per line), with their comments and
// audits when present, and the incremental ticket_events / audits records for tickets described elsewhere.
import type { Actor } from '../../../shared/domain.ts';
import { emptyTicket, FieldError, type HistoryLine, type SourceItem, type SourceTicket } from './import-types.ts';
import type { JsonRecord } from './json-items.ts';
import type { TimeOptions } from './import-timestamps.ts';
import { channelOf, csatOf, priorityOf, statusOf, text, time } from './field-values.ts';

const RATING_WORDS: Record<string, number> = { good: 5, bad: 1 };
const NOT_RATED = new Set(['offered', 'unoffered']);
const UTC: TimeOptions = { timezone: 'UTC' };

type Obj = Record<string, unknown>;

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function idOf(value: unknown, line: number, field: string, required: true): string;
function idOf(value: unknown, line: number, field: string, required?: false): string | null;
function idOf(value: unknown, line: number, field: string, required = false): string | null {
  if (value === null || value === undefined || value === '') {
    if (required) throw new FieldError(line, field, 'is required');
    return null;
  }
  if ((typeof value === 'number' && Number.isSafeInteger(value)) || (typeof value === 'string' && /^[\w-]{1,100}$/.test(value))) return String(value);
  throw new FieldError(line, field, 'must be an id (an integer)');
}

function str(value: unknown, line: number, field: string): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw new FieldError(line, field, 'must be a string');
  return text(value, line, field);
}

/** Who is who: agents vs end users (from sideloaded users), and each ticket's requester. */
export class ZendeskPeople {
  private readonly roles = new Map<string, string>();
  private readonly requesters = new Map<string, string>();
  private readonly lookupRequester: (ticketId: string) => string | null;

  constructor(lookupRequester: (ticketId: string) => string | null) {
    this.lookupRequester = lookupRequester;
  }

  addUser(record: JsonRecord): void {
    if (!isObject(record.value)) return;
    const id = idOf(record.value.id, record.line, 'users[].id');
    if (id !== null && typeof record.value.role === 'string') this.roles.set(id, record.value.role);
  }

  setRequester(ticketId: string, requester: string | null): void {
    if (requester !== null) this.requesters.set(ticketId, requester);
  }

  /** An author is the customer if the users list says end-user or they requested the ticket; otherwise an agent. */
  actor(userId: string | null, ticketId: string): Actor {
    if (userId === null || userId === '-1') return { kind: 'system' };
    const role = this.roles.get(userId);
    if (role !== undefined) return role === 'end-user' ? { kind: 'customer', id: userId } : { kind: 'human', id: userId };
    let requester = this.requesters.get(ticketId);
    if (requester === undefined) {
      requester = this.lookupRequester(ticketId) ?? '';
      this.requesters.set(ticketId, requester);
    }
    return requester === userId ? { kind: 'customer', id: userId } : { kind: 'human', id: userId };
  }
}

export function zendeskTicketId(id: string): string {
  return `zd-${id}`;
}

export function zendeskItem(record: JsonRecord, people: ZendeskPeople): SourceItem | null {
  switch (record.kind) {
    case 'users':
      people.addUser(record);
      return null;
    case 'tickets':
      return { kind: 'ticket', ticket: zendeskTicket(record, people) };
    case 'audits':
      return auditItem(record, people);
    case 'ticket_events':
      return ticketEventItem(record, people);
  }
}

function zendeskTicket(record: JsonRecord, people: ZendeskPeople): SourceTicket {
  const line = record.line;
  if (!isObject(record.value)) throw new FieldError(line, 'ticket', 'must be a JSON object');
  const z = record.value;
  const ticketId = zendeskTicketId(idOf(z.id, line, 'id', true));
  const t = emptyTicket(ticketId, line);
  t.createdAt = time(z.created_at, line, 'created_at', UTC);
  t.updatedAt = time(z.updated_at, line, 'updated_at', UTC);
  const metrics = isObject(z.metric_set) ? z.metric_set : null;
  if (metrics) {
    t.resolvedAt = time(metrics.solved_at, line, 'metric_set.solved_at', UTC);
    const reply = isObject(metrics.reply_time_in_minutes) ? metrics.reply_time_in_minutes.calendar : null;
    if (typeof reply === 'number' && reply >= 0 && t.createdAt) t.firstResponseAt = new Date(Date.parse(t.createdAt) + reply * 60_000).toISOString();
  }
  ({ status: t.status, unknown: t.unknownStatus } = statusOf(str(z.status, line, 'status')));
  ({ priority: t.priority, unknown: t.unknownPriority } = priorityOf(str(z.priority, line, 'priority')));
  t.channel = channelOf(isObject(z.via) ? str(z.via.channel, line, 'via.channel') : null);
  t.category = str(z.type, line, 'type');
  t.subject = str(z.subject ?? z.raw_subject, line, 'subject');
  t.body = str(z.description, line, 'description');
  t.requester = idOf(z.requester_id, line, 'requester_id');
  t.agent = idOf(z.assignee_id, line, 'assignee_id');
  t.organization = idOf(z.organization_id, line, 'organization_id');
  people.setRequester(ticketId, t.requester);
  if (z.tags !== undefined && z.tags !== null) {
    if (!Array.isArray(z.tags) || z.tags.some((tag) => typeof tag !== 'string')) throw new FieldError(line, 'tags', 'must be a list of strings');
    t.tags = (z.tags as string[]).map((tag) => text(tag, line, 'tags')).filter((tag): tag is string => tag !== null);
  }
  const group = idOf(z.group_id, line, 'group_id');
  if (group !== null) t.attributes.group_id = group;
  const customFields = z.custom_fields ?? z.fields;
  if (Array.isArray(customFields)) {
    for (const field of customFields) {
      if (isObject(field) && field.value !== null && field.value !== undefined && field.value !== '') t.attributes[`custom_${String(field.id)}`] = field.value;
    }
  }
  const rating = isObject(z.satisfaction_rating) ? z.satisfaction_rating : null;
  if (rating && rating.score !== null && rating.score !== undefined && !NOT_RATED.has(String(rating.score))) {
    const score = csatOf(typeof rating.score === 'number' ? rating.score : String(rating.score), RATING_WORDS);
    const comment = str(rating.comment, line, 'satisfaction_rating.comment');
    if (score.score !== null) t.csat = comment ? { score: score.score, comment } : { score: score.score };
    t.badCsat = score.bad;
  }

  const history: HistoryLine[] = [];
  if (Array.isArray(z.comments)) {
    z.comments.forEach((comment, i) => {
      const message = commentLine(comment, line, `comments[${i}]`, ticketId, null, people);
      if (message) history.push(message);
    });
  }
  if (Array.isArray(z.audits)) z.audits.forEach((audit, i) => history.push(...auditLines(audit, line, `audits[${i}]`, ticketId, people)));
  if (history.length > 0) t.history = history;
  return t;
}

function commentLine(comment: unknown, line: number, field: string, ticketId: string, at: string | null, people: ZendeskPeople): HistoryLine | null {
  if (!isObject(comment)) throw new FieldError(line, field, 'must be a JSON object');
  const when = time(comment.created_at, line, `${field}.created_at`, UTC) ?? at;
  if (when === null) throw new FieldError(line, `${field}.created_at`, 'is required');
  const body = comment.plain_body ?? comment.body ?? comment.html_body;
  if (body !== undefined && body !== null && typeof body !== 'string') throw new FieldError(line, `${field}.body`, 'must be a string');
  const author = people.actor(idOf(comment.author_id, line, `${field}.author_id`), ticketId);
  return { type: 'message', at: when, author, public: comment.public !== false, body: text(body ?? '', line, `${field}.body`) ?? '' };
}

/** The facts in one audit (or ticket_event): comments, status and assignee changes, satisfaction ratings. */
function auditLines(audit: unknown, line: number, field: string, ticketId: string, people: ZendeskPeople): HistoryLine[] {
  if (!isObject(audit)) throw new FieldError(line, field, 'must be a JSON object');
  const at = time(audit.created_at ?? audit.timestamp, line, `${field}.created_at`, UTC);
  if (at === null) throw new FieldError(line, `${field}.created_at`, 'is required');
  const by = people.actor(idOf(audit.author_id ?? audit.updater_id, line, `${field}.author_id`), ticketId);
  const children = audit.events ?? audit.child_events;
  if (!Array.isArray(children)) return [];
  const lines: HistoryLine[] = [];
  children.forEach((child, i) => {
    const where = `${field}.events[${i}]`;
    if (!isObject(child)) throw new FieldError(line, where, 'must be a JSON object');
    const kind = String(child.type ?? child.event_type ?? '');
    if (kind === 'Comment' || kind === 'VoiceComment') {
      const message = commentLine({ ...child, created_at: child.created_at ?? null }, line, where, ticketId, at, people);
      if (message) lines.push(message);
      return;
    }
    if (kind === 'SatisfactionRating') {
      const score = csatOf(typeof child.score === 'number' ? child.score : String(child.score ?? ''), RATING_WORDS);
      if (score.score !== null) lines.push({ type: 'csat', at, score: score.score, ...(typeof child.body === 'string' && child.body ? { comment: child.body } : {}) });
      return;
    }
    // Change/Create events: {field_name, value} in audits, {status: …} or {assignee_id: …} in ticket_events.
    const name = typeof child.field_name === 'string' ? child.field_name : 'status' in child ? 'status' : 'assignee_id' in child ? 'assignee_id' : null;
    const value = typeof child.field_name === 'string' ? child.value : name !== null ? child[name] : undefined;
    if (name === 'status' && typeof value === 'string') {
      const status = statusOf(value).status;
      if (status === null) throw new FieldError(line, `${where}.value`, `unknown status "${value}"`);
      if (status !== 'new') lines.push({ type: 'status', at, status, by });
    } else if (name === 'assignee_id') {
      const assignee = idOf(value, line, `${where}.value`);
      if (assignee !== null) lines.push({ type: 'assigned', at, to: { kind: 'human', id: assignee } });
    }
  });
  return lines;
}

function auditItem(record: JsonRecord, people: ZendeskPeople): SourceItem {
  if (!isObject(record.value)) throw new FieldError(record.line, 'audits[]', 'must be a JSON object');
  const ticketId = zendeskTicketId(idOf(record.value.ticket_id, record.line, 'audits[].ticket_id', true));
  return { kind: 'events', row: record.line, ticketId, lines: auditLines(record.value, record.line, 'audits[]', ticketId, people) };
}

function ticketEventItem(record: JsonRecord, people: ZendeskPeople): SourceItem {
  if (!isObject(record.value)) throw new FieldError(record.line, 'ticket_events[]', 'must be a JSON object');
  const ticketId = zendeskTicketId(idOf(record.value.ticket_id, record.line, 'ticket_events[].ticket_id', true));
  return { kind: 'events', row: record.line, ticketId, lines: auditLines(record.value, record.line, 'ticket_events[]', ticketId, people) };
}
