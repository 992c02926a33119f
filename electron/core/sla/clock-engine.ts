// The SLA clocks of one ticket, computed from its events alone (pure, no SQL). Metrics and their rules:
//  first_reply       created → first public agent reply (AI or human); a solve without one fulfils it.
//  next_reply        oldest unanswered public customer message (after the first reply) → next public agent reply.
//  periodic_update   public agent reply → next public agent reply, running while the ticket is new/open.
//  requester_wait    runs in new, open, on_hold; pending pauses it; solve fulfils it; a reopen resumes it.
//  agent_work        runs in new, open; pending and on_hold pause it; solve fulfils it; a reopen resumes it.
//  total_resolution  created → final solve; a reopen restarts it (the time while solved counts too).
// Each clock takes its policy and target from the version in force when it is activated. What a solve and a reopen
// are is the lifecycle's one definition (tickets/lifecycle.ts; README, "Definitions").
import { INITIAL_STATE, isSolvedStatus, step } from '../tickets/lifecycle.ts';
import type { SlaActorKind, SlaEventKind, SlaMetricKey } from '../../../shared/contracts/sla.ts';
import type { AppliedTarget, PolicySet, TicketTraits } from './policy-set.ts';

/** The only ticket events the clocks read: a ticket's SLA is a function of these (and the policies) alone. */
export const CLOCK_EVENT_TYPES = ['created', 'message', 'status'] as const;

export interface EngineEvent {
  seq: number;
  at: string;
  type: (typeof CLOCK_EVENT_TYPES)[number];
  /** message: author kind; status: by kind. */
  actorKind: string;
  isPublic: boolean;
  /** status events: the new status. */
  status: string | null;
  /** created events: what policies match on. */
  traits: TicketTraits | null;
}

export interface ClockEventOut {
  kind: SlaEventKind;
  atMs: number;
  seq: number | null;
  cause: string;
}

export interface ClockSegment {
  fromMs: number;
  toMs: number;
  running: boolean;
}

export interface ComputedClock {
  metric: SlaMetricKey;
  instance: number;
  target: AppliedTarget;
  startedMs: number;
  stoppedMs: number | null;
  state: 'running' | 'paused' | 'fulfilled';
  /** Running time (business or calendar ms) up to lastChangeMs. */
  elapsedMs: number;
  lastChangeMs: number;
  /** When the clock reached its target: recorded (breached) or, while running, the deadline. */
  breachMs: number | null;
  /** The ledger shows the clock passed its target (true) or it has not yet (false). */
  breachRecorded: boolean;
  fulfilledBy: SlaActorKind;
  events: ClockEventOut[];
  segments: ClockSegment[];
}

const AGENTS = new Set(['ai', 'human']);
const RUNS_IN: Record<'requester_wait' | 'agent_work' | 'periodic_update', ReadonlySet<string>> = {
  requester_wait: new Set(['new', 'open', 'on_hold']),
  agent_work: new Set(['new', 'open']),
  periodic_update: new Set(['new', 'open']),
};

function actorKind(kind: string): SlaActorKind {
  return kind === 'ai' || kind === 'human' || kind === 'customer' || kind === 'system' ? kind : 'none';
}

class Clock {
  readonly out: ComputedClock;
  private reachedMs: number | null = null;
  constructor(metric: SlaMetricKey, instance: number, target: AppliedTarget, atMs: number, seq: number | null, cause: string) {
    this.out = {
      metric,
      instance,
      target,
      startedMs: atMs,
      stoppedMs: null,
      state: 'running',
      elapsedMs: 0,
      lastChangeMs: atMs,
      breachMs: null,
      breachRecorded: false,
      fulfilledBy: 'none',
      events: [{ kind: 'activate', atMs, seq, cause }],
      segments: [],
    };
  }

  get active(): boolean {
    return this.out.state !== 'fulfilled';
  }

  measure(fromMs: number, toMs: number): number {
    const t = this.out.target;
    return t.business ? t.calendar.between(fromMs, toMs) : Math.max(0, toMs - fromMs);
  }

  deadlineFrom(fromMs: number, remainingMs: number): number {
    const t = this.out.target;
    return t.business ? t.calendar.add(fromMs, remainingMs) : fromMs + remainingMs;
  }

  /** Moves the clock to `atMs`, counting the time since the last change as running or paused. */
  advance(atMs: number, running: boolean): void {
    const c = this.out;
    if (atMs < c.lastChangeMs) atMs = c.lastChangeMs;
    if (atMs > c.lastChangeMs) c.segments.push({ fromMs: c.lastChangeMs, toMs: atMs, running });
    if (running) {
      const add = this.measure(c.lastChangeMs, atMs);
      // The first instant the clock stood at its target; a clock stopped right then is still achieved.
      if (this.reachedMs === null && c.elapsedMs < c.target.targetMs && c.elapsedMs + add >= c.target.targetMs) {
        this.reachedMs = this.deadlineFrom(c.lastChangeMs, c.target.targetMs - c.elapsedMs);
      }
      if (!c.breachRecorded && c.elapsedMs + add > c.target.targetMs) {
        c.breachMs = this.reachedMs;
        c.breachRecorded = true;
        c.events.push({ kind: 'breach', atMs: c.breachMs!, seq: null, cause: `target of ${c.target.targetMs / 60_000} ${c.target.business ? 'business' : 'calendar'} minutes reached` });
      }
      c.elapsedMs += add;
    }
    c.lastChangeMs = atMs;
  }

  pause(atMs: number, seq: number, cause: string): void {
    if (this.out.state !== 'running') return;
    this.advance(atMs, true);
    this.out.state = 'paused';
    this.out.events.push({ kind: 'pause', atMs, seq, cause });
  }

  resume(atMs: number, seq: number, cause: string): void {
    if (this.out.state === 'running') return;
    const wasFulfilled = this.out.state === 'fulfilled';
    this.advance(atMs, false);
    this.out.state = 'running';
    this.out.stoppedMs = null;
    this.out.events.push({ kind: wasFulfilled ? 'activate' : 'resume', atMs, seq, cause });
  }

  /** total_resolution after a reopen: the time while solved counts, as if the clock had never stopped. */
  restart(atMs: number, seq: number, cause: string): void {
    if (this.out.state !== 'fulfilled') return;
    this.advance(atMs, true);
    this.out.state = 'running';
    this.out.stoppedMs = null;
    this.out.events.push({ kind: 'activate', atMs, seq, cause });
  }

  fulfill(atMs: number, seq: number, cause: string, by: string): void {
    if (this.out.state === 'fulfilled') return;
    this.advance(atMs, this.out.state === 'running');
    this.out.state = 'fulfilled';
    this.out.stoppedMs = atMs;
    this.out.fulfilledBy = actorKind(by);
    this.out.events.push({ kind: 'fulfill', atMs, seq, cause });
  }

  /** End of the ticket's events: a running clock gets its deadline (it may lie in the past or the future). */
  finish(): ComputedClock {
    const c = this.out;
    if (c.state === 'running' && !c.breachRecorded) c.breachMs = this.reachedMs ?? this.deadlineFrom(c.lastChangeMs, c.target.targetMs - c.elapsedMs);
    c.events.sort((a, b) => a.atMs - b.atMs || (a.kind === 'breach' ? -1 : b.kind === 'breach' ? 1 : 0));
    return c;
  }
}

/** The clocks of one ticket. `events` must be ordered by occurrence (at, then seq). */
export function computeTicketClocks(events: readonly EngineEvent[], policies: PolicySet): ComputedClock[] {
  const clocks: Clock[] = [];
  let traits: TicketTraits | null = null;
  let lifecycle = INITIAL_STATE;
  let status = lifecycle.status;
  let agentReplied = false;
  const current: Partial<Record<SlaMetricKey, Clock>> = {};
  const instances: Partial<Record<SlaMetricKey, number>> = {};

  const activate = (metric: SlaMetricKey, atMs: number, seq: number, cause: string): Clock | undefined => {
    if (!traits) return undefined;
    const target = policies.targetFor(traits, metric, atMs);
    if (!target) return undefined;
    const instance = (instances[metric] ?? 0) + 1;
    instances[metric] = instance;
    const clock = new Clock(metric, instance, target, atMs, seq, cause);
    clocks.push(clock);
    current[metric] = clock;
    return clock;
  };
  const followStatus = (metric: 'requester_wait' | 'agent_work' | 'periodic_update', atMs: number, seq: number): void => {
    const clock = current[metric];
    if (!clock || clock.out.state === 'fulfilled') return;
    if (RUNS_IN[metric].has(status)) clock.resume(atMs, seq, `status ${status}`);
    else clock.pause(atMs, seq, `status ${status}`);
  };
  const solve = (atMs: number, seq: number, by: string): void => {
    for (const clock of Object.values(current)) clock.fulfill(atMs, seq, `ticket ${status} by ${by}`, by);
  };
  const reopen = (atMs: number, seq: number, cause: string): void => {
    current.total_resolution?.restart(atMs, seq, `${cause}: total resolution counts until the final solve`);
    for (const metric of ['requester_wait', 'agent_work'] as const) {
      const clock = current[metric];
      if (!clock) continue;
      if (clock.out.state === 'fulfilled') clock.resume(atMs, seq, cause);
      followStatus(metric, atMs, seq);
    }
  };

  for (const event of events) {
    const atMs = Date.parse(event.at);
    const seq = event.seq;
    const stepped = step(lifecycle, { type: event.type, actorKind: event.actorKind, status: event.status });
    lifecycle = stepped.state;
    status = lifecycle.status;
    const transition = stepped.transition;
    if (event.type === 'created') {
      traits = event.traits;
      activate('first_reply', atMs, seq, 'ticket created');
      activate('requester_wait', atMs, seq, 'ticket created');
      activate('agent_work', atMs, seq, 'ticket created');
      activate('total_resolution', atMs, seq, 'ticket created');
    } else if (event.type === 'message') {
      if (transition.kind === 'reopen') reopen(atMs, seq, `reopened by a${event.isPublic ? '' : ' private'} customer message`);
      if (!event.isPublic) continue;
      if (event.actorKind === 'customer') {
        const next = current.next_reply;
        if (agentReplied && (!next || !next.active)) activate('next_reply', atMs, seq, 'public customer message awaiting a reply');
      } else if (AGENTS.has(event.actorKind)) {
        const who = event.actorKind;
        if (!agentReplied) current.first_reply?.fulfill(atMs, seq, `first public reply by ${who}`, who);
        agentReplied = true;
        current.next_reply?.fulfill(atMs, seq, `public reply by ${who}`, who);
        current.periodic_update?.fulfill(atMs, seq, `public update by ${who}`, who);
        if (!isSolvedStatus(status)) {
          const periodic = activate('periodic_update', atMs, seq, `public reply by ${who}: next update due`);
          if (periodic && !RUNS_IN.periodic_update.has(status)) periodic.pause(atMs, seq, `status ${status}`);
        }
      }
    } else if (event.type === 'status' && event.status !== null) {
      if (transition.kind === 'solve') {
        solve(atMs, seq, event.actorKind);
      } else if (transition.kind === 'reopen') {
        reopen(atMs, seq, `reopened: status ${status}`);
      } else if (!isSolvedStatus(status)) {
        followStatus('requester_wait', atMs, seq);
        followStatus('agent_work', atMs, seq);
        followStatus('periodic_update', atMs, seq);
      }
    }
  }
  return clocks.map((clock) => clock.finish());
}

export type ClockOutcome = { outcome: 'achieved' | 'breached' | 'open'; deadlineMs: number | null; actor: SlaActorKind };

/** One metric's outcome for the ticket from its clocks (instances): breached if any breached, open if any still runs. */
export function metricOutcome(clocks: readonly ComputedClock[]): ClockOutcome {
  let open = false;
  let deadlineMs: number | null = null;
  let actor: SlaActorKind = 'none';
  let lastStop = -Infinity;
  let breached = false;
  for (const clock of clocks) {
    if (clock.breachRecorded) breached = true;
    if (clock.state !== 'fulfilled') {
      open = true;
      if (clock.state === 'running' && clock.breachMs !== null && (deadlineMs === null || clock.breachMs < deadlineMs)) deadlineMs = clock.breachMs;
    } else if (clock.stoppedMs !== null && clock.stoppedMs >= lastStop) {
      lastStop = clock.stoppedMs;
      actor = clock.fulfilledBy;
    }
  }
  if (breached) return { outcome: 'breached', deadlineMs: null, actor };
  return { outcome: open ? 'open' : 'achieved', deadlineMs: open ? deadlineMs : null, actor };
}
