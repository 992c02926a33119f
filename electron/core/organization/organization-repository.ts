// SQL of the organization settings: the latest `organization.settings` event (ledger-wide).
import type { Db } from '../db/connection.ts';

export interface OrganizationSettingsRow {
  payload: string;
  actor: string;
  at: string;
  seq: number;
}

export function latestOrganizationSettings(db: Db): OrganizationSettingsRow | undefined {
  return db.prepare("SELECT payload, actor, at, seq FROM events WHERE type = 'organization.settings' ORDER BY seq DESC LIMIT 1").get() as OrganizationSettingsRow | undefined;
}
