// The importers' SQL: what the ledger already knows about a source ticket, and the import_flags projection.
import type { ImportHistoryPage, ImportHistoryRow, ImportKpi } from '../../../shared/contracts/importers.ts';
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
  // A ticket's flags are its import.flag events alone: one that got none keeps the rows it had.
  ticketEventTypes: ['import.flag'],
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

/** Distinct values of a ticket column the ledger already holds (the survey marks values new to it). */
export function knownTicketValues(db: Db, column: 'category' | 'channel'): string[] {
  const sql = column === 'category' ? 'SELECT DISTINCT category FROM tickets' : 'SELECT DISTINCT channel FROM tickets';
  return db.prepare<[], string>(sql).pluck().all();
}

/** The ledger's import.file events, newest first: who imported which file (name, SHA-256) when, and what it added. */
export function importHistory(db: Db, offset: number, limit: number): ImportHistoryPage {
  const total = db.prepare<[], number>("SELECT count(*) FROM events WHERE ticket_id IS NULL AND type = 'import.file'").pluck().get() ?? 0;
  const rows = db
    .prepare("SELECT seq, at, actor, payload FROM events WHERE ticket_id IS NULL AND type = 'import.file' ORDER BY seq DESC LIMIT ? OFFSET ?")
    .all(limit, offset) as { seq: number; at: string; actor: string; payload: string }[];
  return { total, rows: rows.map(historyRow) };
}

function historyRow(row: { seq: number; at: string; actor: string; payload: string }): ImportHistoryRow {
  const actor = JSON.parse(row.actor) as { kind: string; id?: string; name?: string };
  const p = JSON.parse(row.payload) as Record<string, unknown>;
  const anomalyCounts = (p.anomalies ?? {}) as ImportHistoryRow['anomalyCounts'];
  const count = (key: string): number => (typeof p[key] === 'number' ? (p[key] as number) : 0);
  return {
    seq: row.seq,
    at: row.at,
    by: actor.name ?? actor.id ?? actor.kind,
    file: String(p.file ?? ''),
    sha256: String(p.sha256 ?? ''),
    format: String(p.format ?? ''),
    rows: count('rows'),
    imported: count('imported'),
    updated: count('updated'),
    duplicates: count('duplicates'),
    skipped: count('skipped'),
    events: count('events'),
    firstSeq: count('firstSeq'),
    lastSeq: count('lastSeq'),
    anomalies: Object.values(anomalyCounts).reduce((sum, n) => sum + (n ?? 0), 0),
    anomalyCounts,
  };
}
