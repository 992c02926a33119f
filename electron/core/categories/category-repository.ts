// All SQL of the per-category AI modes: the `category.mode` events and the `category_modes` projection.
import type { CategoryMode } from '../../../shared/domain.ts';
import type { Db } from '../db/connection.ts';

export interface ModeRecord {
  category: string;
  mode: CategoryMode;
  changed_at: string;
  changed_by: string;
  reason: string;
  seq: number;
}

export interface ModeEventRow {
  seq: number;
  at: string;
  actor: string;
  payload: string;
}

/** Every `category.mode` event, in ledger order. */
export function categoryModeEvents(db: Db): ModeEventRow[] {
  // Ledger-wide: `ticket_id IS NULL` lets SQLite use events_ledger_wide_by_type (010_people.sql), not scan the ledger.
  return db.prepare("SELECT seq, at, actor, payload FROM events WHERE type = 'category.mode' AND ticket_id IS NULL ORDER BY seq").all() as ModeEventRow[];
}

/** Replaces the projection with these records; a later record of the same category wins. */
export function replaceCategoryModes(db: Db, records: readonly ModeRecord[]): void {
  db.prepare('DELETE FROM category_modes').run();
  const upsert = db.prepare(
    `INSERT INTO category_modes (category, mode, changed_at, changed_by, reason, seq) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (category) DO UPDATE SET mode = excluded.mode, changed_at = excluded.changed_at,
       changed_by = excluded.changed_by, reason = excluded.reason, seq = excluded.seq`,
  );
  for (const r of records) upsert.run(r.category, r.mode, r.changed_at, r.changed_by, r.reason, r.seq);
}

/** Every category seen on a ticket or given a mode, with its mode record (if any) and its ticket count. */
export function categoryModeRows(db: Db): (Partial<ModeRecord> & { category: string; tickets: number })[] {
  return db
    .prepare(
      `SELECT c.category, m.mode, m.changed_at, m.changed_by, m.reason, m.seq,
              (SELECT count(*) FROM tickets t WHERE t.category = c.category) AS tickets
       FROM (SELECT DISTINCT category FROM tickets UNION SELECT category FROM category_modes) c
       LEFT JOIN category_modes m ON m.category = c.category
       ORDER BY c.category`,
    )
    .all() as (Partial<ModeRecord> & { category: string; tickets: number })[];
}

export function storedCategoryMode(db: Db, category: string): CategoryMode | undefined {
  return db.prepare('SELECT mode FROM category_modes WHERE category = ?').pluck().get(category) as CategoryMode | undefined;
}
