// The one definition of a ticket's lifecycle: solve, reopen, human touch and AI resolution (README, "Definitions").
// The ticket projection, the SLA engine, the KPI facts and outcome evaluation all read these concepts from here,
// so a ticket is reopened, solved or resolved by the AI in the same places for all of them. Pure: no SQL, no clock.

/** Statuses in which a ticket counts as solved. */
export const SOLVED_STATUSES: ReadonlySet<string> = new Set(['solved', 'closed']);

/** The part of an event the lifecycle depends on. */
export interface LifecycleFact {
  type: string;
  /**
   * Who the event is by, as the ticket's history states it: a message's author, the `by` of a status, escalation or
   * worklog, the `to` of an assignment (the person or model the ticket was given to). Null for every other type.
   */
  actorKind: string | null;
  /** Status events: the new status. */
  status: string | null;
}

export interface LifecycleState {
  status: string;
  /** A human has touched the ticket (at or before the last event stepped over). */
  humanTouched: boolean;
}

export type Transition =
  | { kind: 'none' }
  /** The ticket went from an unsolved status to solved or closed. */
  | { kind: 'solve'; byKind: string; aiResolution: boolean }
  /** The ticket left solved or closed: by a customer message (it becomes open) or a status change. */
  | { kind: 'reopen'; cause: 'customer_message' | 'status' };

export interface Step {
  state: LifecycleState;
  transition: Transition;
  humanTouch: boolean;
}

export const INITIAL_STATE: LifecycleState = { status: 'new', humanTouched: false };

type Payload = Readonly<Record<string, unknown>>;

function kindOf(actor: unknown): string | null {
  return actor !== null && typeof actor === 'object' && typeof (actor as { kind?: unknown }).kind === 'string' ? (actor as { kind: string }).kind : null;
}

/** The lifecycle fact of an event, from its type and payload. */
export function lifecycleFact(type: string, payload: Payload): LifecycleFact {
  switch (type) {
    case 'message':
      return { type, actorKind: kindOf(payload.author), status: null };
    case 'status':
      return { type, actorKind: kindOf(payload.by), status: String(payload.status) };
    case 'escalated':
    case 'worklog':
      return { type, actorKind: kindOf(payload.by), status: null };
    case 'assigned':
      return { type, actorKind: kindOf(payload.to), status: null };
    default:
      return { type, actorKind: null, status: null };
  }
}

/** Events of these types are work on the ticket; a human actor on one of them is a human touch. */
const WORK_TYPES: ReadonlySet<string> = new Set(['message', 'status', 'assigned', 'escalated', 'worklog']);

/**
 * Human touch: a human is the actor of work on the ticket — a message (public reply or internal note), a status
 * change, an assignment to a human, an escalation by a human or a worklog. A review of an AI draft (`ai.review`) is
 * oversight, not work: an approved draft goes out as the AI's message; an edited one is the reviewer's message.
 */
export function isHumanTouch(fact: LifecycleFact): boolean {
  return fact.actorKind === 'human' && WORK_TYPES.has(fact.type);
}

export function isSolvedStatus(status: string): boolean {
  return SOLVED_STATUSES.has(status);
}

/**
 * One event on from `state`.
 * - Solve: a status event to solved or closed while the ticket is not solved (closing an unsolved ticket ends it
 *   just as solving does; solved → closed, or a second solved, is not another solve).
 * - Reopen: while the ticket is solved or closed, any customer message (public or private: a customer cannot write
 *   an internal note, so a private one is still the customer coming back; the ticket becomes open), or a status
 *   change to any unsolved status (new, open, pending, on_hold: the ticket is no longer resolved, whatever it
 *   waits for next).
 * - AI resolution: a solve by the AI with no human touch on the ticket before it.
 */
export function step(state: LifecycleState, fact: LifecycleFact): Step {
  const humanTouch = isHumanTouch(fact);
  const wasSolved = isSolvedStatus(state.status);
  let status = state.status;
  let transition: Transition = { kind: 'none' };
  if (fact.type === 'message' && fact.actorKind === 'customer' && wasSolved) {
    status = 'open';
    transition = { kind: 'reopen', cause: 'customer_message' };
  } else if (fact.type === 'status' && fact.status !== null) {
    status = fact.status;
    const solvedNow = isSolvedStatus(status);
    if (solvedNow && !wasSolved) {
      const byKind = fact.actorKind ?? 'system';
      transition = { kind: 'solve', byKind, aiResolution: byKind === 'ai' && !state.humanTouched };
    } else if (!solvedNow && wasSolved) {
      transition = { kind: 'reopen', cause: 'status' };
    }
  }
  return { state: { status, humanTouched: state.humanTouched || humanTouch }, transition, humanTouch };
}

export interface SolveMark {
  index: number;
  byKind: string;
  aiResolution: boolean;
}

export interface ReopenMark {
  index: number;
  cause: 'customer_message' | 'status';
}

export interface Lifecycle {
  /** State after the last event. */
  state: LifecycleState;
  solved: boolean;
  solves: SolveMark[];
  reopens: ReopenMark[];
  /** Positions of the human touches. */
  humanTouches: number[];
  /** The solve the ticket is solved by now (the last one), or null while it is not solved. */
  currentSolve: SolveMark | null;
  /** The ticket is solved now and that solve was an AI resolution. */
  resolvedByAi: boolean;
}

/** The lifecycle of a ticket whose facts are in the order the events happened (time, then ledger order). */
export function ticketLifecycle(facts: readonly LifecycleFact[]): Lifecycle {
  let state = INITIAL_STATE;
  const solves: SolveMark[] = [];
  const reopens: ReopenMark[] = [];
  const humanTouches: number[] = [];
  facts.forEach((fact, index) => {
    const next = step(state, fact);
    state = next.state;
    if (next.humanTouch) humanTouches.push(index);
    if (next.transition.kind === 'solve') solves.push({ index, byKind: next.transition.byKind, aiResolution: next.transition.aiResolution });
    else if (next.transition.kind === 'reopen') reopens.push({ index, cause: next.transition.cause });
  });
  const solved = isSolvedStatus(state.status);
  const currentSolve = solved ? (solves[solves.length - 1] ?? null) : null;
  return { state, solved, solves, reopens, humanTouches, currentSolve, resolvedByAi: currentSolve?.aiResolution === true };
}

/** Events ordered by when they happened; the ledger order breaks ties. */
export function byOccurrence(a: { at: string; seq: number }, b: { at: string; seq: number }): number {
  return a.at < b.at ? -1 : a.at > b.at ? 1 : a.seq - b.seq;
}
