// The SQL of the auditor screen: review notes, stored checkpoints and their cosignatures. Reads only.
import type { Db } from '../db/connection.ts';

export interface AuditEventRow {
  seq: number;
  ticket_id: string | null;
  at: string;
  actor: string;
  payload: string;
}

export class AuditRepository {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  /** Every event of `type` (ticket or ledger-wide), in ledger order. */
  eventsOfType(type: string): AuditEventRow[] {
    return this.db.prepare('SELECT seq, ticket_id, at, actor, payload FROM events WHERE type = ? ORDER BY seq').all(type) as AuditEventRow[];
  }
}
