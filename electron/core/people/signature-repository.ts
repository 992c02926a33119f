// SQL of electronic signatures: the ledger-wide `signature` events, each read with the event it names, so a
// signature's validity (the signed event still holds the hash it names) is decided from the ledger itself.
import type { SignatureMeaning, SignatureRow } from '../../../shared/contracts/people.ts';
import type { Actor } from '../../../shared/domain.ts';
import type { Db } from '../db/connection.ts';

interface JoinedRow {
  seq: number;
  at: string;
  actor: string;
  payload: string;
  signedType: string | null;
  currentHash: string | null;
}

const SELECT = `SELECT s.seq, s.at, s.actor, s.payload, e.type AS signedType, e.hash AS currentHash
                  FROM events s
                  LEFT JOIN events e ON e.seq = json_extract(s.payload, '$.signedSeq')
                 WHERE s.ticket_id IS NULL AND s.type = 'signature'`;

function toRow(row: JoinedRow): SignatureRow {
  const actor = JSON.parse(row.actor) as Actor;
  const payload = JSON.parse(row.payload) as { signedSeq: number; signedHash: string; meaning: SignatureMeaning; reason: string };
  const id = actor.id ?? '';
  return {
    seq: row.seq,
    at: row.at,
    signer: id,
    display: actor.name ?? id,
    meaning: payload.meaning,
    reason: payload.reason,
    signedSeq: payload.signedSeq,
    signedHash: payload.signedHash,
    // The signed event is gone (beyond the head) when the join finds nothing.
    signedType: row.signedType ?? '',
    valid: row.currentHash === payload.signedHash,
  };
}

export class SignatureRepository {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  /** The seq of the `accounts.required` event (from which on acts are signed), or null in single-user mode. */
  accountsRequiredSeq(): number | null {
    return (this.db.prepare("SELECT min(seq) FROM events WHERE ticket_id IS NULL AND type = 'accounts.required'").pluck().get() as number | null) ?? null;
  }

  /** Events of the given types after `afterSeq`, in ledger order: the acts that may need a signature. */
  eventsOfTypesAfter(types: readonly string[], afterSeq: number): { seq: number; type: string; ticket: string | null; actor: Actor; payload: Record<string, unknown> }[] {
    if (types.length === 0) return [];
    const rows = this.db
      .prepare(`SELECT seq, type, ticket_id, actor, payload FROM events WHERE seq > ? AND type IN (SELECT value FROM json_each(?)) ORDER BY seq`)
      .all(afterSeq, JSON.stringify(types)) as { seq: number; type: string; ticket_id: string | null; actor: string; payload: string }[];
    return rows.map((row) => ({ seq: row.seq, type: row.type, ticket: row.ticket_id, actor: JSON.parse(row.actor) as Actor, payload: JSON.parse(row.payload) as Record<string, unknown> }));
  }

  /** The sequence numbers that some signature names. */
  signedSeqs(): Set<number> {
    return new Set(this.db.prepare("SELECT json_extract(payload, '$.signedSeq') FROM events WHERE ticket_id IS NULL AND type = 'signature'").pluck().all() as number[]);
  }

  /** Every signature in the ledger, in ledger order. */
  all(): SignatureRow[] {
    return (this.db.prepare(`${SELECT} ORDER BY s.seq`).all() as JoinedRow[]).map(toRow);
  }

  /** The signatures of the given signed events, in ledger order. */
  ofSignedSeqs(seqs: readonly number[]): SignatureRow[] {
    if (seqs.length === 0) return [];
    const wanted = JSON.stringify([...new Set(seqs)]);
    return (
      this.db.prepare(`${SELECT} AND json_extract(s.payload, '$.signedSeq') IN (SELECT value FROM json_each(?)) ORDER BY s.seq`).all(wanted) as JoinedRow[]
    ).map(toRow);
  }

  /** The signatures of one ticket's events, in ledger order. */
  ofTicket(ticket: string): SignatureRow[] {
    return (this.db.prepare(`${SELECT} AND e.ticket_id = ? ORDER BY s.seq`).all(ticket) as JoinedRow[]).map(toRow);
  }

  /** The hash the event at `seq` holds now (null: no such event). */
  hashAtSeq(seq: number): string | null {
    return (this.db.prepare('SELECT hash FROM events WHERE seq = ?').pluck().get(seq) as string | undefined) ?? null;
  }
}
