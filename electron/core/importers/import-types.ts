// The shapes every importer shares: a source ticket in neutral form, the anomalies it may carry.
import type { Priority, TicketStatus } from '../../../shared/domain.ts';
export type { ImportAnomalyKind } from '../../../shared/contracts/importers.ts';

/** One ticket as a source describes it; every field the source does not give is null (unknown, not zero). */
export interface SourceTicket {
  /** The id in the ledger (source prefix + source id). */
  ticketId: string;
  /** Line in the file where the ticket's record starts. */
  row: number;
  createdAt: string | null;
  firstResponseAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  updatedAt: string | null;
  status: TicketStatus | null;
  /** The source's status text when it is not one we know. */
  unknownStatus: string | null;
  priority: Priority | null;
  /** The source's priority text when it is not one we know. */
  unknownPriority: string | null;
  channel: string | null;
  category: string | null;
  subject: string | null;
  body: string | null;
  requester: string | null;
  organization: string | null;
  agent: string | null;
  tags: string[];
  attributes: Record<string, unknown>;
  csat: { score: number; comment?: string } | null;
  /** Text of a CSAT the source gave that is not a score 1–5. */
  badCsat: string | null;
  /** Events the source recorded itself (comments, audits): when present, the history is complete. */
  history: HistoryLine[] | null;
}

/** An Attest JSONL line for one ticket (without `ticket`). */
export type HistoryLine = { type: string; at: string } & Record<string, unknown>;

export function emptyTicket(ticketId: string, row: number): SourceTicket {
  return {
    ticketId,
    row,
    createdAt: null,
    firstResponseAt: null,
    resolvedAt: null,
    closedAt: null,
    updatedAt: null,
    status: null,
    unknownStatus: null,
    priority: null,
    unknownPriority: null,
    channel: null,
    category: null,
    subject: null,
    body: null,
    requester: null,
    organization: null,
    agent: null,
    tags: [],
    attributes: {},
    csat: null,
    badCsat: null,
    history: null,
  };
}

/** A problem in the file itself: raised as ImportError with the file's name. */
export class FieldError extends Error {
  readonly line: number;
  readonly field: string;
  readonly reason: string;
  constructor(line: number, field: string, reason: string) {
    super(`${line}: ${field}: ${reason}`);
    this.line = line;
    this.field = field;
    this.reason = reason;
  }
}

/** What a source yields: a whole ticket, or events for a ticket described elsewhere (Zendesk ticket_events/audits). */
export type SourceItem = { kind: 'ticket'; ticket: SourceTicket } | { kind: 'events'; row: number; ticketId: string; lines: HistoryLine[] };

export class ImportCancelled extends Error {
  constructor() {
    super('import cancelled; the database is unchanged');
  }
}
