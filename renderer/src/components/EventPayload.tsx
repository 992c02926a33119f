// Shows an event's payload the way an auditor reads it. The payload is free-form JSON, so every
// renderer below is defensive: known fields get a readable line, anything else is listed as key/value.
import type { ReactNode } from 'react';
import type { TimelineEvent } from '../../../shared/contract.ts';
import { actorSchema } from '../../../shared/domain.ts';
import { actorLabel, humanize } from '../lib/format.ts';
import { useNavigation } from '../state/navigation.ts';

type Payload = Record<string, unknown>;

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null);

function pick(p: Payload, used: Set<string>, ...keys: string[]): string | null {
  for (const k of keys) {
    const v = str(p[k]);
    if (v !== null) {
      used.add(k);
      return v;
    }
  }
  return null;
}

function visibility(p: Payload, used: Set<string>, actorKind: string): 'public' | 'internal' {
  const verdict = (key: string, isPublic: boolean): 'public' | 'internal' => {
    used.add(key);
    return isPublic ? 'public' : 'internal';
  };
  const v = p.visibility;
  if (v === 'public' || v === 'internal' || v === 'private') return verdict('visibility', v === 'public');
  if (typeof p.internal === 'boolean') return verdict('internal', !p.internal);
  if (typeof p.public === 'boolean') return verdict('public', p.public);
  if (typeof p.isPublic === 'boolean') return verdict('isPublic', p.isPublic);
  return actorKind === 'system' ? 'internal' : 'public';
}

/** An actor-shaped field (`to`, `by`, `author`) as "kind · id"; null when absent or not an actor. */
function pickActor(p: Payload, used: Set<string>, key: string): string | null {
  const parsed = actorSchema.safeParse(p[key]);
  if (!parsed.success) return null;
  used.add(key);
  return actorLabel(parsed.data);
}

function primary(event: TimelineEvent, used: Set<string>): ReactNode {
  const p = event.payload;
  // The event's actor is already shown in the header; these fields only repeat it.
  const actor = actorLabel(event.actor);
  for (const key of ['author', 'by']) {
    const parsed = actorSchema.safeParse(p[key]);
    if (parsed.success && actorLabel(parsed.data) === actor) used.add(key);
  }
  switch (event.type) {
    case 'message': {
      const vis = visibility(p, used, event.actor.kind);
      const body = pick(p, used, 'body', 'text', 'message');
      return (
        <div className="pl-message">
          <span className={`badge badge-${vis}`} data-testid="message-visibility">{vis}</span>
          <p className="pl-body" data-testid="message-body">{body ?? <em className="muted">(empty message)</em>}</p>
        </div>
      );
    }
    case 'status': {
      const from = pick(p, used, 'from', 'previous', 'prev');
      const to = pick(p, used, 'to', 'status', 'next');
      return (
        <div className="pl-line">
          Status {from && <><span className={`pill status-${from}`}>{humanize(from)}</span> → </>}
          {to ? <span className={`pill status-${to}`}>{humanize(to)}</span> : <em className="muted">unknown</em>}
        </div>
      );
    }
    case 'assigned': {
      const to = pickActor(p, used, 'to') ?? pick(p, used, 'to', 'assignee', 'agent', 'agentId', 'assigneeId');
      const team = pick(p, used, 'team', 'group', 'queue');
      const from = pick(p, used, 'from', 'previous');
      return (
        <div className="pl-line">
          Assigned to <strong className="mono">{to ?? '—'}</strong>
          {team && <> in <strong>{humanize(team)}</strong></>}
          {from && <span className="muted"> (was {from})</span>}
        </div>
      );
    }
    case 'escalated': {
      const reason = pick(p, used, 'reason');
      const note = pick(p, used, 'note', 'summary', 'detail', 'comment');
      const to = pick(p, used, 'to', 'team', 'queue');
      return (
        <div className="pl-line">
          Escalated{to && <> to <strong>{humanize(to)}</strong></>}: <strong className="pl-reason">{reason ? humanize(reason) : 'no reason given'}</strong>
          {note && <p className="pl-body">{note}</p>}
        </div>
      );
    }
    case 'csat': {
      const score = pick(p, used, 'score', 'rating', 'csat');
      const comment = pick(p, used, 'comment', 'text', 'feedback');
      return (
        <div className="pl-line">
          CSAT <strong className="pl-score" data-testid="csat-score">{score ?? '—'}</strong>
          {comment && <p className="pl-body">“{comment}”</p>}
        </div>
      );
    }
    case 'created': {
      const subject = pick(p, used, 'subject');
      return subject ? <div className="pl-line">Opened: <strong>{subject}</strong></div> : <div className="pl-line">Ticket opened</div>;
    }
    default:
      return null;
  }
}

function formatValue(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.join(', ');
  const asActor = actorSchema.safeParse(v);
  if (asActor.success) return actorLabel(asActor.data);
  return JSON.stringify(v);
}

/** Payload fields that name other events of the ticket by ledger seq (outcome and dispute events): shown as links. */
const SEQ_FIELDS: ReadonlySet<string> = new Set(['evidence', 'solveSeq', 'verifiedSeq', 'disputeSeq']);

function seqsOf(value: unknown): number[] | null {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return [value];
  if (Array.isArray(value) && value.length > 0 && value.every((x) => typeof x === 'number' && Number.isSafeInteger(x) && x > 0)) return value as number[];
  return null;
}

/** "#812 #815": each opens that event on this timeline (scrolled to, focused, highlighted). */
function SeqLinks({ seqs }: { seqs: number[] }) {
  const showEvidence = useNavigation((s) => s.showEvidence);
  return (
    <>
      {seqs.map((seq, index) => (
        <span key={seq}>
          {index > 0 ? ' ' : ''}
          <button type="button" className="link-button mono" data-testid="event-seq-link" onClick={() => showEvidence([seq])} title={`Go to event #${seq} on this timeline`}>
            #{seq}
          </button>
        </span>
      ))}
    </>
  );
}

export function EventPayload({ event }: { event: TimelineEvent }) {
  const used = new Set<string>();
  const main = primary(event, used);
  const rest = Object.entries(event.payload ?? {}).filter(([k]) => !used.has(k));
  return (
    <div className="tl-payload" data-testid="event-payload">
      {main}
      {rest.length > 0 && (
        <dl className="kv">
          {rest.map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd className="mono">{SEQ_FIELDS.has(k) && seqsOf(v) ? <SeqLinks seqs={seqsOf(v)!} /> : formatValue(v)}</dd>
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}
