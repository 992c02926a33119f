// Freshdesk's ticket CSV export: headers matched case-insensitively, words or numeric codes accepted.
import type { Priority, TicketStatus } from '../../../shared/domain.ts';
import type { CsvRecord } from './csv-records.ts';
import { emptyTicket, FieldError, type SourceTicket } from './import-types.ts';
import type { TimeOptions } from './import-timestamps.ts';
import { channelOf, csatOf, hoursToMs, priorityOf, splitTags, statusOf, text, time } from './field-values.ts';

const STATUS_CODES: Record<string, TicketStatus> = { '2': 'open', '3': 'pending', '4': 'solved', '5': 'closed', '6': 'pending', '7': 'on_hold' };
const PRIORITY_CODES: Record<string, Priority> = { '1': 'low', '2': 'normal', '3': 'high', '4': 'urgent' };
const SOURCE_CODES: Record<string, string> = {
  '1': 'email',
  '2': 'portal',
  '3': 'phone',
  '4': 'forum',
  '5': 'twitter',
  '6': 'facebook',
  '7': 'chat',
  '8': 'mobihelp',
  '9': 'feedback_widget',
  '10': 'outbound_email',
};
/** Freshdesk's survey answers (classic three-point and five-point scales). */
const SURVEY_WORDS: Record<string, number> = {
  awesome: 5,
  'extremely satisfied': 5,
  'very satisfied': 5,
  satisfied: 4,
  neutral: 3,
  'not good': 1,
  dissatisfied: 2,
  'very dissatisfied': 1,
  'extremely dissatisfied': 1,
};

/** The columns read into ticket fields; every other non-empty column becomes an attribute. */
const KNOWN = [
  'ticket id',
  'subject',
  'description',
  'status',
  'priority',
  'source',
  'type',
  'agent',
  'created time',
  'resolved time',
  'closed time',
  'last update time',
  'initial response time',
  'first response time (in hrs)',
  'tags',
  'survey results',
  'full name',
  'contact id',
  'email',
  'requester email',
  'requester name',
  'company name',
] as const;
type Known = (typeof KNOWN)[number];

export class FreshdeskRows {
  private readonly index = new Map<string, number>();
  /** The header as the file spells it, for error messages. */
  private readonly names = new Map<string, string>();
  private readonly extra: { name: string; index: number }[] = [];
  private readonly times: TimeOptions;

  constructor(header: CsvRecord, times: TimeOptions) {
    this.times = times;
    header.fields.forEach((name, i) => {
      const key = name.replace(/^\uFEFF/, '').trim().toLowerCase();
      if (key === '') return;
      if (this.index.has(key)) throw new FieldError(header.line, name, 'the column appears twice in the header');
      this.index.set(key, i);
      this.names.set(key, name.trim());
      if (!(KNOWN as readonly string[]).includes(key)) this.extra.push({ name: name.trim(), index: i });
    });
    if (!this.index.has('ticket id')) {
      throw new FieldError(header.line, 'Ticket ID', `column is missing: this is not a Freshdesk ticket export (header: ${header.fields.slice(0, 8).join(', ')}…)`);
    }
  }

  private get(record: CsvRecord, column: Known): string | null {
    const i = this.index.get(column);
    return i === undefined ? null : text(record.fields[i], record.line, this.names.get(column)!);
  }

  private at(record: CsvRecord, column: Known): string | null {
    const i = this.index.get(column);
    return i === undefined ? null : time(record.fields[i], record.line, this.names.get(column)!, this.times);
  }

  ticket(record: CsvRecord): SourceTicket {
    const id = this.get(record, 'ticket id');
    if (id === null) throw new FieldError(record.line, 'Ticket ID', 'is empty');
    if (id.length > 150) throw new FieldError(record.line, 'Ticket ID', 'longer than 150 characters');
    const t = emptyTicket(`fd-${id}`, record.line);
    t.createdAt = this.at(record, 'created time');
    t.resolvedAt = this.at(record, 'resolved time');
    t.closedAt = this.at(record, 'closed time');
    t.updatedAt = this.at(record, 'last update time');
    t.firstResponseAt = this.at(record, 'initial response time');
    if (t.firstResponseAt === null && t.createdAt !== null) {
      const hours = this.get(record, 'first response time (in hrs)');
      const ms = hoursToMs(hours);
      if (hours !== null && ms === null) throw new FieldError(record.line, 'First response time (in hrs)', `"${hours}" is not a number of hours or hh:mm:ss`);
      if (ms !== null) t.firstResponseAt = new Date(Date.parse(t.createdAt) + ms).toISOString();
    }

    const status = this.get(record, 'status');
    const statusCode = status !== null ? STATUS_CODES[status] : undefined;
    if (statusCode) t.status = statusCode;
    else ({ status: t.status, unknown: t.unknownStatus } = statusOf(status));

    const priority = this.get(record, 'priority');
    const priorityCode = priority !== null ? PRIORITY_CODES[priority] : undefined;
    if (priorityCode) t.priority = priorityCode;
    else ({ priority: t.priority, unknown: t.unknownPriority } = priorityOf(priority));

    const source = this.get(record, 'source');
    t.channel = source !== null ? (SOURCE_CODES[source] ?? channelOf(source)) : null;
    t.category = this.get(record, 'type');
    t.subject = this.get(record, 'subject');
    t.body = this.get(record, 'description');
    t.agent = this.get(record, 'agent');
    t.requester = this.get(record, 'requester email') ?? this.get(record, 'email') ?? this.get(record, 'contact id') ?? this.get(record, 'full name') ?? this.get(record, 'requester name');
    t.organization = this.get(record, 'company name');
    t.tags = splitTags(this.get(record, 'tags'));
    const survey = csatOf(this.get(record, 'survey results'), SURVEY_WORDS);
    if (survey.score !== null) t.csat = { score: survey.score };
    t.badCsat = survey.bad;
    for (const column of this.extra) {
      const value = text(record.fields[column.index], record.line, column.name);
      if (value !== null) t.attributes[column.name] = value;
    }
    return t;
  }
}
