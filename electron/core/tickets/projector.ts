// Pure projection of one ticket's events into its current state. No SQL here.
import type { ResolvedBy } from '../../../shared/domain.ts';
import type { ProjectedEvent } from '../derived/derived-projection.ts';
import { payloadOf } from '../ledger/parsed-payload.ts';
import { byOccurrence, INITIAL_STATE, isSolvedStatus, lifecycleFact, step } from './lifecycle.ts';

export { byOccurrence };

export interface TicketState {
  id: string;
  subject: string;
  channel: string;
  priority: string;
  category: string;
  requester: string | null;
  createdAt: string;
  status: string;
  updatedAt: string;
  resolvedBy: ResolvedBy;
  solvedAt: string | null;
  firstReplyAt: string | null;
  reopenCount: number;
  escalated: boolean;
  csat: number | null;
  assignee: string | null;
  eventCount: number;
  lastSeq: number;
}

/** A `message` event as a ticket's conversation shows it (read from the ledger: ticket-repository.ts messagesOf). */
export interface TicketMessage {
  seq: number;
  at: string;
  authorKind: string;
  authorId: string | null;
  isPublic: boolean;
  body: string;
}

export interface TicketProjection {
  ticket: TicketState;
}

interface ActorJson {
  kind: string;
  id?: string;
  model?: string;
}

const AGENT_KINDS = new Set(['ai', 'human']);

/** The message a `message` event carries: the one reading of its author, visibility and body. */
export function messageOf(event: Pick<ProjectedEvent, 'seq' | 'at'>, payload: Readonly<Record<string, unknown>>): TicketMessage {
  const author = payload.author as ActorJson;
  return { seq: event.seq, at: event.at, authorKind: author.kind, authorId: author.id ?? author.model ?? null, isPublic: payload.public === true, body: String(payload.body ?? '') };
}

export function projectTicket(ticketId: string, events: readonly ProjectedEvent[]): TicketProjection {
  const ordered = [...events].sort(byOccurrence);
  const first = ordered[0]!;
  const ticket: TicketState = {
    id: ticketId,
    subject: '',
    channel: '',
    priority: 'normal',
    category: '',
    requester: null,
    createdAt: first.at,
    status: 'new',
    updatedAt: first.at,
    resolvedBy: 'unresolved',
    solvedAt: null,
    firstReplyAt: null,
    reopenCount: 0,
    escalated: false,
    csat: null,
    assignee: null,
    eventCount: ordered.length,
    lastSeq: 0,
  };
  // Status, solves and reopens follow the one lifecycle definition (lifecycle.ts).
  let lifecycle = INITIAL_STATE;
  /** Whether the solve the ticket stands solved by was an AI resolution; null while it is not solved. */
  let solvedByAi: boolean | null = null;

  for (const event of ordered) {
    const payload = payloadOf(event);
    ticket.updatedAt = event.at;
    ticket.lastSeq = Math.max(ticket.lastSeq, event.seq);
    const next = step(lifecycle, lifecycleFact(event.type, payload));
    lifecycle = next.state;
    ticket.status = lifecycle.status;
    if (next.transition.kind === 'reopen') {
      ticket.reopenCount++;
      ticket.solvedAt = null;
      solvedByAi = null;
    } else if (next.transition.kind === 'solve') {
      ticket.solvedAt = event.at;
      solvedByAi = next.transition.aiResolution;
    }
    switch (event.type) {
      case 'created':
        ticket.subject = String(payload.subject ?? '');
        ticket.channel = String(payload.channel ?? '');
        ticket.priority = String(payload.priority ?? 'normal');
        ticket.category = String(payload.category ?? '');
        ticket.requester = typeof payload.requester === 'string' ? payload.requester : null;
        ticket.createdAt = event.at;
        break;
      case 'message': {
        const message = messageOf(event, payload);
        if (message.isPublic && AGENT_KINDS.has(message.authorKind) && ticket.firstReplyAt === null) ticket.firstReplyAt = event.at;
        break;
      }
      case 'assigned': {
        const to = payload.to as ActorJson;
        ticket.assignee = to.id ?? to.model ?? to.kind;
        break;
      }
      case 'escalated':
        ticket.escalated = true;
        break;
      case 'csat':
        ticket.csat = Number(payload.score);
        break;
    }
  }
  // Resolved by the AI: solved now by an AI resolution; any other solve (a human's, the system's, or the AI's after a
  // human touch) counts as the humans'.
  ticket.resolvedBy = !isSolvedStatus(ticket.status) || solvedByAi === null ? 'unresolved' : solvedByAi ? 'ai' : 'human';
  return { ticket };
}
