// The one contract between the console (renderer) and the core. Both adapters (Electron IPC and the
// local HTTP bridge) expose exactly these methods; inputs are validated with these schemas at the boundary.
import { z } from 'zod';
import {
  PRIORITIES,
  RESOLVED_BY,
  TICKET_STATUSES,
  type Actor,
  type Priority,
  type ResolvedBy,
  type Role,
  type TicketStatus,
} from './domain.ts';
import { categoryInputs, type CategoryOutputs } from './contracts/categories.ts';
import { kpisInputs, type KpisOutputs } from './contracts/kpis.ts';
import { slaInputs, type SlaOutputs } from './contracts/sla.ts';
import { aiInputs, type AiCoreEvents, type AiOutputs } from './contracts/ai.ts';
import { organizationInputs, type OrganizationOutputs } from './contracts/organization.ts';
import { outcomeInputs, type OutcomeCoreEvents, type OutcomeOutputs } from './contracts/outcomes.ts';
import { importerInputs, type ImporterOutputs } from './contracts/importers.ts';
import { peopleInputs, type PeopleOutputs, type Person, type SignatureRow } from './contracts/people.ts';
import { auditConsoleInputs, type AuditConsoleOutputs } from './contracts/audit-console.ts';
import { auditInputs, type AuditOutputs } from './contracts/audit.ts';
import { teamInputs, type TeamCoreEvents, type TeamOutputs } from './contracts/team.ts';

export type { CategoryModeRow } from './contracts/categories.ts';

export type Result<T> = { ok: true; value: T } | { ok: false; error: ContractError };
export interface ContractError {
  /** busy: another process kept the database's write lock longer than the wait allows; nothing was recorded. */
  /** unauthenticated: no signed-in person (or the session ended); the console shows the sign-in screen. */
  /** offline: a team console cannot reach its team ledger (or stopped syncing); nothing was recorded. */
  /** conflict: the team ledger kept changing where the change looked; nothing was recorded. */
  code: 'invalid_input' | 'not_found' | 'forbidden' | 'unauthenticated' | 'import_failed' | 'internal' | 'unknown_method' | 'busy' | 'offline' | 'conflict';
  message: string;
  details?: string[];
}

const idList = z.array(z.string().min(1).max(200)).max(100);

/**
 * A ticket's SLA state across its metrics, as of the moment of the query (electron/core/sla decides it, from the
 * same per-metric outcomes the SLA board counts): 'breached' once any metric is breached (a running clock past
 * its deadline included), else 'in_progress' while any clock still runs or is paused, else 'achieved' when every
 * metric finished within target, and 'none' when no SLA target applies to the ticket.
 */
export const TICKET_SLA_STATES = ['breached', 'in_progress', 'achieved', 'none'] as const;
export type TicketSlaState = (typeof TICKET_SLA_STATES)[number];

/** Columns the queue sorts by (server-side, so every page of a paged list follows one order). */
export const TICKET_SORT_KEYS = ['created', 'updated', 'id', 'subject', 'status', 'priority', 'category', 'channel', 'resolvedBy', 'sla'] as const;
export type TicketSortKey = (typeof TICKET_SORT_KEYS)[number];
export const ticketSortSchema = z
  .object({ by: z.enum(TICKET_SORT_KEYS), direction: z.enum(['asc', 'desc']) })
  .strict();
export type TicketSort = z.infer<typeof ticketSortSchema>;
/** Newest first: the queue's order when nobody chose one. */
export const DEFAULT_TICKET_SORT: TicketSort = { by: 'created', direction: 'desc' };

export const ticketFilterSchema = z
  .object({
    status: z.array(z.enum(TICKET_STATUSES)).max(10).default([]),
    priority: z.array(z.enum(PRIORITIES)).max(10).default([]),
    category: idList.default([]),
    channel: idList.default([]),
    resolvedBy: z.array(z.enum(RESOLVED_BY)).max(3).default([]),
    search: z.string().max(200).default(''),
    /** Only tickets in these SLA states (TICKET_SLA_STATES); absent or empty: any. */
    slaState: z.array(z.enum(TICKET_SLA_STATES)).max(4).optional(),
  })
  .strict();
export type TicketFilter = z.infer<typeof ticketFilterSchema>;

export const ticketListInputSchema = z
  .object({
    filter: ticketFilterSchema.default(() => ticketFilterSchema.parse({})),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(500).default(100),
    /** Absent: DEFAULT_TICKET_SORT. Ties break by ticket id, so the order is total and pages never overlap. */
    sort: ticketSortSchema.optional(),
  })
  .strict();
export type TicketListInput = z.input<typeof ticketListInputSchema>;

export interface TicketRow {
  id: string;
  subject: string;
  channel: string;
  priority: Priority;
  category: string;
  requester: string | null;
  createdAt: string;
  status: TicketStatus;
  updatedAt: string;
  resolvedBy: ResolvedBy;
  reopenCount: number;
  escalated: boolean;
  csat: number | null;
  eventCount: number;
  /** The ticket's SLA state as of the query (see TICKET_SLA_STATES). */
  slaState: TicketSlaState;
}

export interface TicketPage {
  total: number;
  offset: number;
  rows: TicketRow[];
}

export interface TimelineEvent {
  seq: number;
  /** A ticket event type (domain.ts EVENT_TYPES) or one a feature added (e.g. "ai.draft"). */
  type: string;
  at: string;
  recordedAt: string;
  actor: Actor;
  payload: Record<string, unknown>;
  hash: string;
  prevHash: string;
  /** The electronic signatures given to this event (Part 11 §11.70: linked by seq and hash, never copied onto it). */
  signatures?: SignatureRow[];
}

export interface TicketDetail {
  ticket: TicketRow;
  events: TimelineEvent[];
}

export interface Facets {
  categories: string[];
  channels: string[];
}

export type ChainProblem =
  | 'content_changed'
  | 'event_missing'
  | 'events_reordered'
  | 'event_inserted'
  | 'link_broken'
  /** The recorded head (ledger_head) is gone while events remain. */
  | 'head_missing'
  /** The triggers that refuse UPDATE, DELETE and REPLACE on events were dropped or altered. */
  | 'protection_removed'
  /** The projections describe events the ledger does not hold (an emptied or shortened ledger, or edited rows). */
  | 'projection_mismatch'
  /** A signed checkpoint does not match the ledger (rewritten or truncated history). */
  | 'checkpoint_mismatch'
  /** SQLite's structural check of the file fails (damaged pages or indexes): Attest refuses to write to it. */
  | 'file_damaged'
  /** An electronic signature names an event that no longer holds the signed hash, or one beyond the head. */
  | 'signature_mismatch'
  | 'signature_missing'
  /** Team ledger: a password hash on the server is not the one the account's events vouch for (`credential`). */
  | 'credential_unbound';

/** One thing verification found wrong. */
export interface ChainFinding {
  problem: ChainProblem;
  /** The first event concerned, when there is one. */
  seq: number | null;
  /** The ticket of that event, for a link to it (null for ledger-wide events or none). */
  ticket: string | null;
  message: string;
}

export interface ChainStatus {
  /** Nothing wrong was found: the chain links and hashes hold and every other check passed. */
  intact: boolean;
  /** The hash chain alone (links, hashes, numbering) holds. */
  chainIntact: boolean;
  eventCount: number;
  headHash: string;
  /** The first finding, repeated for scripts that read one problem. */
  firstBadSeq: number | null;
  problem: ChainProblem | null;
  message: string;
  problems: ChainFinding[];
  checkedAt: string;
}

/** What the console's chain monitor has verified since the file was opened (never a cached verdict). */
export interface ChainMonitorStatus {
  state: 'verifying' | 'verified' | 'broken' | 'failed';
  /** The latest verdict; null until the first full check has finished. */
  status: ChainStatus | null;
  /** Events re-read and checked since the file was opened (the full check plus every increment). */
  verifiedEvents: number;
  /** When the last check (full or incremental) finished. */
  verifiedAt: string | null;
  /** When the last full re-read of every event finished. */
  fullCheckAt: string | null;
  /** Progress of a full check that is running. */
  progress: { checked: number; total: number } | null;
  /** Why the monitor could not verify (state 'failed'). */
  error: string | null;
  /** The deep check that follows each full check: every projection rebuilt from the events and compared. */
  deep: DeepCheckStatus | null;
}

export interface DeepCheckStatus {
  /** 'skipped': the ledger is too large to rebuild in the console's memory; `attest verify --deep` does it. */
  state: 'running' | 'passed' | 'failed' | 'error' | 'skipped';
  /** When it finished (null while it runs). */
  checkedAt: string | null;
  tablesCompared: number;
  rowsCompared: number;
  /** What differs ('failed'), or why it could not run ('error'). */
  message: string | null;
}

export interface ImportReport {
  file: string;
  linesRead: number;
  eventsAdded: number;
  duplicatesSkipped: number;
  ticketsTouched: number;
  headHash: string;
}

export interface SessionInfo {
  role: Role;
  /** Who acts in this session: the signed-in person, or the operating-system user in single-user mode. */
  person: Person | null;
  /** The actor id the ledger records for this session's acts ("acct:<name>" or "os:<user>"). */
  actorId: string;
  databaseName: string;
  mode: 'electron' | 'browser';
}

export const importJsonlInputSchema = z
  .object({ fileName: z.string().min(1).max(500), text: z.string().max(512 * 1024 * 1024) })
  .strict();

const empty = z.object({}).strict().default({});

// Method name -> input schema. Output types live in ContractOutputs below.
// Features define their methods in shared/contracts/<feature>.ts and are spread in here.
const ledgerInputs = {
  'session.info': empty,
  'tickets.list': ticketListInputSchema,
  'tickets.get': z.object({ id: z.string().min(1).max(200) }).strict(),
  'tickets.facets': empty,
  'ledger.status': empty,
  'ledger.verify': empty,
  'import.jsonl': importJsonlInputSchema,
} as const;

export const contractInputs = {
  ...ledgerInputs,
  ...categoryInputs,
  ...kpisInputs,
  ...slaInputs,
  ...aiInputs,
  ...organizationInputs,
  ...outcomeInputs,
  ...importerInputs,
  ...peopleInputs,
  ...auditConsoleInputs,
  ...auditInputs,
  ...teamInputs,
} as const;

interface LedgerOutputs {
  'session.info': SessionInfo;
  'tickets.list': TicketPage;
  'tickets.get': TicketDetail;
  'tickets.facets': Facets;
  'ledger.status': ChainMonitorStatus;
  'ledger.verify': ChainMonitorStatus;
  'import.jsonl': ImportReport;
}

export type ContractOutputs = LedgerOutputs & CategoryOutputs & KpisOutputs & SlaOutputs & AiOutputs & OrganizationOutputs & OutcomeOutputs & ImporterOutputs & PeopleOutputs & AuditOutputs & AuditConsoleOutputs & TeamOutputs;

export type MethodName = keyof typeof contractInputs;
export type MethodInput<M extends MethodName> = z.input<(typeof contractInputs)[M]>;
export type ParsedInput<M extends MethodName> = z.output<(typeof contractInputs)[M]>;
export type MethodOutput<M extends MethodName> = ContractOutputs[M];

export const METHOD_NAMES = Object.keys(contractInputs) as MethodName[];

/** Push notifications from the core to the console. */
export interface CoreEvents extends AiCoreEvents, OutcomeCoreEvents, TeamCoreEvents {
  'ledger.changed': { eventCount: number; headHash: string };
  'chain.status': ChainMonitorStatus;
  'writes.status': WriteQueueStatus;
}

/**
 * The core's write queue: one write at a time, the others wait their turn. `message` is the sentence to show
 * while changes wait ("import of tickets.csv running, your change is queued"), null when nothing waits.
 */
export interface WriteQueueStatus {
  writing: string | null;
  queued: string[];
  /** Another Attest process holds the database's write lock (what and since when, if it said so). */
  waitingForProcess: { pid: number | null; what: string | null; since: string | null } | null;
  message: string | null;
}
export type CoreEventName = keyof CoreEvents;
export const CORE_EVENT_NAMES: CoreEventName[] = ['ledger.changed', 'chain.status', 'ai.draftChunk', 'ai.progress', 'outcomes.progress', 'writes.status', 'team.status'];

/** What the renderer sees, whatever transport sits beneath it. */
export type AttestApi = {
  [M in MethodName]: (input?: MethodInput<M>) => Promise<Result<MethodOutput<M>>>;
} & {
  subscribe<E extends CoreEventName>(event: E, listener: (payload: CoreEvents[E]) => void): () => void;
};

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(contractInputs, name);
}

export function parseInput<M extends MethodName>(method: M, input: unknown): Result<ParsedInput<M>> {
  const parsed = contractInputs[method].safeParse(input ?? {});
  if (parsed.success) return { ok: true, value: parsed.data as ParsedInput<M> };
  return {
    ok: false,
    error: {
      code: 'invalid_input',
      message: `invalid input for ${method}`,
      details: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(input)'}: ${issue.message}`),
    },
  };
}
