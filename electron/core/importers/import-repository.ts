// The importers' SQL: what the ledger already knows about a source ticket, and the import_flags projection.
import type { ImportKpi } from '../../../shared/contracts/importers.ts';
import type { Db } from '../db/connection.ts';
import type { DerivedProjection } from '../derived/derived-projection.ts';
import type { Statement } from '../db/connection.ts';

export class ImportRepository {
  private readonly createdStmt: Statement<[string], string>;

  constructor(db: Db) {
    this.createdStmt = db.prepare<[string], string>("SELECT payload FROM events WHERE ticket_id = ? AND type = 'created' ORDER BY seq LIMIT 1").pluck();
  }

  hasCreated(ticketId: string): boolean {
    return this.createdStmt.get(ticketId) !== undefined;
  }

  /** The requester the ticket's `created` event names, if any. */
  requesterOf(ticketId: string): string | null {
    const payload = this.createdStmt.get(ticketId);
    if (payload === undefined) return null;
    const requester = (JSON.parse(payload) as { requester?: unknown }).requester;
    return typeof requester === 'string' ? requester : null;
  }
}

const FLAG_COLUMNS = `SELECT seq, ticket_id, json_extract(payload, '$.kind'), json_extract(payload, '$.detail'), json_extract(payload, '$.excludes') FROM events WHERE type = 'import.flag'`;

export const importFlagsProjection: DerivedProjection = {
  name: 'import_flags',
  refreshTickets(db: Db, ticketIds: readonly string[]): void {
    // Two statements per batch of tickets, not two per ticket: imports refresh thousands at a time.
    const ids = JSON.stringify(ticketIds);
    db.prepare('DELETE FROM import_flags WHERE ticket_id IN (SELECT value FROM json_each(?))').run(ids);
    db.prepare(`INSERT INTO import_flags (seq, ticket_id, kind, detail, excludes) ${FLAG_COLUMNS} AND ticket_id IN (SELECT value FROM json_each(?))`).run(ids);
  },
  rebuildAll(db: Db): void {
    db.prepare('DELETE FROM import_flags').run();
    db.prepare(`INSERT INTO import_flags (seq, ticket_id, kind, detail, excludes) ${FLAG_COLUMNS}`).run();
  },
};

/** Tickets an import flag excludes from a KPI (for KPI code: count them out, and say so). */
export function ticketsExcludedFrom(db: Db, kpi: ImportKpi): Set<string> {
  const rows = db
    .prepare<[string], string>('SELECT DISTINCT f.ticket_id FROM import_flags f, json_each(f.excludes) e WHERE e.value = ?')
    .pluck()
    .all(kpi);
  return new Set(rows);
}

export interface ImportFlagRow {
  seq: number;
  kind: string;
  detail: string | null;
  excludes: ImportKpi[];
}

export function flagsOfTicket(db: Db, ticketId: string): ImportFlagRow[] {
  const rows = db.prepare('SELECT seq, kind, detail, excludes FROM import_flags WHERE ticket_id = ? ORDER BY seq').all(ticketId) as {
    seq: number;
    kind: string;
    detail: string | null;
    excludes: string;
  }[];
  return rows.map((row) => ({ ...row, excludes: JSON.parse(row.excludes) as ImportKpi[] }));
}
