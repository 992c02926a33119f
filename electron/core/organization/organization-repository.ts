// SQL of the organization settings: the latest `organization.settings` event (ledger-wide).
import type { Db } from '../db/connection.ts';

export interface OrganizationSettingsRow {
  payload: string;
  actor: string;
  at: string;
  seq: number;
}

/** The latest settings event, or the latest at or before `throughSeq` (what a document computed then was issued under). */
export function latestOrganizationSettings(db: Db, throughSeq = Number.MAX_SAFE_INTEGER): OrganizationSettingsRow | undefined {
  return db
    // Ledger-wide: `ticket_id IS NULL` lets SQLite use events_ledger_wide_by_type (010_people.sql) instead of walking the
    // ledger back from throughSeq to the settings event (830 ms at 300,000 tickets for settings made at the start).
    .prepare("SELECT payload, actor, at, seq FROM events WHERE type = 'organization.settings' AND ticket_id IS NULL AND seq <= ? ORDER BY seq DESC LIMIT 1")
    .get(throughSeq) as OrganizationSettingsRow | undefined;
}
