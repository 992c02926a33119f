// Per-category AI modes: the `category.mode` ledger events and their projection.
import type { CategoryModeRow } from '../../../shared/contract.ts';
import type { Actor, CategoryMode } from '../../../shared/domain.ts';
import type { Db } from '../db/connection.ts';
import type { DerivedProjection } from '../derived/derived-projection.ts';

interface ModeRecord {
  category: string;
  mode: CategoryMode;
  changed_at: string;
  changed_by: string;
  reason: string;
  seq: number;
}

function actorName(actor: Actor): string {
  return actor.id ?? actor.model ?? actor.kind;
}

export const categoryModesProjection: DerivedProjection = {
  name: 'category_modes',
  ledgerEventTypes: ['category.mode'],
  rebuildAll(db: Db): void {
    db.prepare('DELETE FROM category_modes').run();
    const upsert = db.prepare(
      `INSERT INTO category_modes (category, mode, changed_at, changed_by, reason, seq) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (category) DO UPDATE SET mode = excluded.mode, changed_at = excluded.changed_at,
         changed_by = excluded.changed_by, reason = excluded.reason, seq = excluded.seq`,
    );
    const rows = db.prepare("SELECT seq, at, actor, payload FROM events WHERE type = 'category.mode' ORDER BY seq").all() as {
      seq: number;
      at: string;
      actor: string;
      payload: string;
    }[];
    for (const row of rows) {
      const payload = JSON.parse(row.payload) as { category: string; mode: CategoryMode; reason: string };
      upsert.run(payload.category, payload.mode, row.at, actorName(JSON.parse(row.actor) as Actor), payload.reason, row.seq);
    }
  },
};

/** Every category seen on a ticket or given a mode, with its current mode ('off' until someone sets one). */
export function listCategoryModes(db: Db): CategoryModeRow[] {
  const rows = db
    .prepare(
      `SELECT c.category, m.mode, m.changed_at, m.changed_by, m.reason, m.seq,
              (SELECT count(*) FROM tickets t WHERE t.category = c.category) AS tickets
       FROM (SELECT DISTINCT category FROM tickets UNION SELECT category FROM category_modes) c
       LEFT JOIN category_modes m ON m.category = c.category
       ORDER BY c.category`,
    )
    .all() as (Partial<ModeRecord> & { category: string; tickets: number })[];
  return rows.map((row) => ({
    category: row.category,
    mode: row.mode ?? 'off',
    changedAt: row.changed_at ?? null,
    changedBy: row.changed_by ?? null,
    reason: row.reason ?? null,
    seq: row.seq ?? null,
    tickets: row.tickets,
  }));
}

export function categoryMode(db: Db, category: string): CategoryMode {
  const mode = db.prepare('SELECT mode FROM category_modes WHERE category = ?').pluck().get(category) as CategoryMode | undefined;
  return mode ?? 'off';
}
