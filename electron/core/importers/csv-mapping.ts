// Any CSV, read through a mapping file (which column holds what, value maps, time format and zone).
import { InputError } from '../errors.ts';
import { csvMappingSchema, type CsvMapping, type CsvMappingColumn } from '../../../shared/contracts/importers.ts';
import { PRIORITIES, TICKET_STATUSES } from '../../../shared/domain.ts';
import type { CsvRecord } from './csv-records.ts';
import { emptyTicket, FieldError, type SourceTicket } from './import-types.ts';
import { isValidZone, type TimeOptions } from './import-timestamps.ts';
import { categoryOf, channelOf, csatOf, priorityOf, splitTags, statusOf, text, time } from './field-values.ts';

export class MappedRows {
  private readonly mapping: CsvMapping;
  private readonly columns = new Map<CsvMappingColumn, number>();
  private readonly attributes: { name: string; index: number }[] = [];
  private readonly times: TimeOptions;

  constructor(header: CsvRecord, mapping: CsvMapping) {
    this.mapping = mapping;
    this.times = { format: mapping.timestamps?.format, timezone: mapping.timestamps?.timezone };
    const positions = new Map<string, number>();
    header.fields.forEach((name, i) => positions.set(name.replace(/^\uFEFF/, '').trim().toLowerCase(), i));
    const find = (name: string, where: string): number => {
      const i = positions.get(name.trim().toLowerCase());
      if (i === undefined) throw new FieldError(header.line, name, `column named by the mapping (${where}) is not in the header`);
      return i;
    };
    for (const [key, name] of Object.entries(mapping.columns) as [CsvMappingColumn, string | undefined][]) {
      if (name !== undefined) this.columns.set(key, find(name, `columns.${key}`));
    }
    for (const name of mapping.attributes ?? []) this.attributes.push({ name, index: find(name, 'attributes') });
  }

  /** Whether the mapping names a column for this fact. */
  has(key: CsvMappingColumn): boolean {
    return this.columns.has(key);
  }

  /** The text of one mapped column of a record (trimmed; null when empty or not mapped). */
  field(record: CsvRecord, key: CsvMappingColumn): string | null {
    const i = this.columns.get(key);
    return i === undefined ? null : text(record.fields[i], record.line, this.mapping.columns[key]!);
  }

  private at(record: CsvRecord, key: CsvMappingColumn): string | null {
    const i = this.columns.get(key);
    return i === undefined ? null : time(record.fields[i], record.line, this.mapping.columns[key]!, this.times);
  }

  ticket(record: CsvRecord): SourceTicket {
    const id = this.field(record, 'id');
    if (id === null) throw new FieldError(record.line, this.mapping.columns.id, 'the ticket id is empty');
    const ticketId = `${this.mapping.idPrefix ?? ''}${id}`;
    if (ticketId.length > 200) throw new FieldError(record.line, this.mapping.columns.id, 'the ticket id is longer than 200 characters');
    const values = this.mapping.values ?? {};
    const t = emptyTicket(ticketId, record.line);
    t.createdAt = this.at(record, 'created');
    t.firstResponseAt = this.at(record, 'firstResponse');
    t.resolvedAt = this.at(record, 'resolved');
    t.closedAt = this.at(record, 'closed');
    t.updatedAt = this.at(record, 'updated');
    ({ status: t.status, unknown: t.unknownStatus } = statusOf(this.field(record, 'status'), values.status));
    ({ priority: t.priority, unknown: t.unknownPriority } = priorityOf(this.field(record, 'priority'), values.priority));
    t.category = categoryOf(this.field(record, 'category'), values.category);
    t.channel = channelOf(this.field(record, 'channel'), values.channel);
    t.subject = this.field(record, 'subject');
    t.body = this.field(record, 'body');
    t.agent = this.field(record, 'agent');
    t.requester = this.field(record, 'requester');
    t.organization = this.field(record, 'organization');
    t.tags = splitTags(this.field(record, 'tags'));
    const csat = csatOf(this.field(record, 'csat'), values.csat);
    if (csat.score !== null) t.csat = { score: csat.score };
    t.badCsat = csat.bad;
    for (const column of this.attributes) {
      const value = text(record.fields[column.index], record.line, column.name);
      if (value !== null) t.attributes[column.name] = value;
    }
    return t;
  }
}

/** Header words that suggest each mapped column; the first column matching wins. */
const GUESSES: [CsvMappingColumn, RegExp][] = [
  ['id', /^(ticket[ _-]?(id|#|no|number)|id|#|case[ _-]?(id|number)|issue[ _-]?(id|key))$/i],
  ['firstResponse', /(first|initial)[ _-]?(reply|response)( time| at)?$/i],
  ['resolved', /(resolved|solved|resolution)[ _-]?(time|at|date|on)?$/i],
  ['closed', /^closed[ _-]?(time|at|date|on)?$/i],
  ['updated', /(updated|last[ _-]?update|modified)[ _-]?(time|at|date|on)?$/i],
  ['created', /(created|opened|submitted)[ _-]?(time|at|date|on)?$|^date$/i],
  ['status', /^(status|state)$/i],
  ['priority', /^(priority|severity|urgency)$/i],
  ['category', /^(category|type|topic|reason|issue[ _-]?type)$/i],
  ['channel', /^(channel|source|via|medium)$/i],
  ['subject', /^(subject|title|summary)$/i],
  ['body', /^(description|body|message|content|details|text)$/i],
  ['csat', /(csat|satisfaction|rating|survey)/i],
  ['agent', /^(agent|assignee|assigned[ _-]?to|owner|responder)$/i],
  ['requester', /^(requester|customer|contact|requester[ _-]?email|email|customer[ _-]?email)$/i],
  ['organization', /^(organization|organisation|company|account)$/i],
  ['tags', /^(tags|labels)$/i],
];

export function guessMapping(headers: string[]): Partial<Record<CsvMappingColumn, string>> {
  const guess: Partial<Record<CsvMappingColumn, string>> = {};
  const used = new Set<string>();
  for (const [key, pattern] of GUESSES) {
    const header = headers.find((h) => !used.has(h) && pattern.test(h.trim()));
    if (header !== undefined) {
      guess[key] = header;
      used.add(header);
    }
  }
  return guess;
}

export class MappingError extends InputError {}

/** Validates a mapping (parsed JSON); errors name the mapping file and the field: "MAP.json: columns.id: is required". */
export function checkMapping(value: unknown, name: string): CsvMapping {
  const parsed = csvMappingSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.code === 'unrecognized_keys' ? [...issue.path, ...issue.keys].join('.') : issue.path.join('.') || '(mapping)';
    const reason = issue.code === 'unrecognized_keys' ? 'unknown field' : issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message;
    throw new MappingError(`${name}: ${field}: ${reason}`);
  }
  const zone = parsed.data.timestamps?.timezone;
  if (zone !== undefined && !isValidZone(zone)) throw new MappingError(`${name}: timestamps.timezone: "${zone}" is not an IANA time zone`);
  for (const [column, map] of Object.entries(parsed.data.values?.priority ?? {})) {
    if (!(PRIORITIES as readonly string[]).includes(map)) throw new MappingError(`${name}: values.priority.${column}: "${map}" must be low, normal, high or urgent`);
  }
  for (const [column, map] of Object.entries(parsed.data.values?.status ?? {})) {
    if (!(TICKET_STATUSES as readonly string[]).includes(map)) throw new MappingError(`${name}: values.status.${column}: "${map}" must be new, open, pending, on_hold, solved or closed`);
  }
  for (const [column, score] of Object.entries(parsed.data.values?.csat ?? {})) {
    if (!Number.isInteger(score) || score < 1 || score > 5) throw new MappingError(`${name}: values.csat.${column}: ${score} must be a score 1–5`);
  }
  return parsed.data;
}
