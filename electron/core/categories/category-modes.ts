// Per-category AI modes: the `category.mode` ledger events and their projection (SQL in category-repository.ts).
import type { CategoryModeRow } from '../../../shared/contract.ts';
import type { Actor, CategoryMode } from '../../../shared/domain.ts';
import type { Db } from '../db/connection.ts';
import type { DerivedProjection } from '../derived/derived-projection.ts';
import { categoryModeEvents, categoryModeRows, replaceCategoryModes, storedCategoryMode, type ModeRecord } from './category-repository.ts';

function actorName(actor: Actor): string {
  return actor.id ?? actor.model ?? actor.kind;
}

export const categoryModesProjection: DerivedProjection = {
  name: 'category_modes',
  ledgerEventTypes: ['category.mode'],
  rebuildAll(db: Db): void {
    const records: ModeRecord[] = categoryModeEvents(db).map((row) => {
      const payload = JSON.parse(row.payload) as { category: string; mode: CategoryMode; reason: string };
      return { category: payload.category, mode: payload.mode, changed_at: row.at, changed_by: actorName(JSON.parse(row.actor) as Actor), reason: payload.reason, seq: row.seq };
    });
    replaceCategoryModes(db, records);
  },
};

/** Every category seen on a ticket or given a mode, with its current mode ('off' until someone sets one). */
export function listCategoryModes(db: Db): CategoryModeRow[] {
  return categoryModeRows(db).map((row) => ({
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
  return storedCategoryMode(db, category) ?? 'off';
}
