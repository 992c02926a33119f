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

  /** Events of a ledger-wide type, by the ledger-wide type index (without `ticket_id IS NULL` SQLite reads every event). */
  ledgerEventsOfType(type: string): AuditEventRow[] {
    return this.db.prepare('SELECT seq, ticket_id, at, actor, payload FROM events WHERE ticket_id IS NULL AND type = ? ORDER BY seq').all(type) as AuditEventRow[];
  }

  /** Every audit.note, by its partial index (migration 014: the literal type is what lets SQLite use it). */
  auditNoteEvents(): AuditEventRow[] {
    return this.db.prepare("SELECT seq, ticket_id, at, actor, payload FROM events WHERE type = 'audit.note' ORDER BY seq").all() as AuditEventRow[];
  }
}
