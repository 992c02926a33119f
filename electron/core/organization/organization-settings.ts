// The organization's settings (latest `organization.settings` event): its name, the AI's signature and the AI
// disclosure. Nothing here names a real or demo company: without settings the name is "not set" (null) and every
// reader says so plainly — prompts say "the company", the console "organization name not set".
import type { Actor } from '../../../shared/domain.ts';
import type { OrganizationSettingsView } from '../../../shared/contracts/organization.ts';
import type { Db } from '../db/connection.ts';
import { AI_DISCLOSURE as DEFAULT_AI_DISCLOSURE, type ReplyClosing } from '../ai/disclosure.ts';
import { latestOrganizationSettings } from './organization-repository.ts';

export interface OrganizationSettings {
  name: string | null;
  aiSignature: string | null;
  aiDisclosure: string | null;
}

export const NO_ORGANIZATION_SETTINGS: OrganizationSettings = { name: null, aiSignature: null, aiDisclosure: null };

interface SettingsPayload {
  name: string | null;
  ai_signature: string | null;
  ai_disclosure: string | null;
  reason: string;
}

export function loadOrganizationSettings(db: Db, throughSeq?: number): OrganizationSettings {
  const row = latestOrganizationSettings(db, throughSeq);
  if (!row) return NO_ORGANIZATION_SETTINGS;
  const payload = JSON.parse(row.payload) as SettingsPayload;
  return { name: payload.name, aiSignature: payload.ai_signature, aiDisclosure: payload.ai_disclosure };
}

/** The organization's name, or null when none is set: for reports (a statement's issuer) and prompts. */
export function organizationName(db: Db, throughSeq?: number): string | null {
  return loadOrganizationSettings(db, throughSeq).name;
}

/** The disclosure every AI reply ends with: the organization's wording, else the product's. */
export function effectiveDisclosure(settings: OrganizationSettings): string {
  return settings.aiDisclosure ?? DEFAULT_AI_DISCLOSURE;
}

/** What follows every AI reply's text: the organization's signature (if set) and its disclosure. */
export function replyClosing(settings: OrganizationSettings): ReplyClosing {
  return { signature: settings.aiSignature, disclosure: effectiveDisclosure(settings) };
}

export function organizationSettingsView(db: Db): OrganizationSettingsView {
  const row = latestOrganizationSettings(db);
  const settings = loadOrganizationSettings(db);
  const recorded = row
    ? (() => {
        const actor = JSON.parse(row.actor) as Actor;
        return { by: actor.name ?? actor.id ?? actor.kind, at: row.at, reason: (JSON.parse(row.payload) as SettingsPayload).reason, seq: row.seq };
      })()
    : null;
  return { ...settings, effectiveDisclosure: effectiveDisclosure(settings), defaultDisclosure: DEFAULT_AI_DISCLOSURE, recorded };
}

/** The ledger line that records new settings (validated and appended by recordEvents like every line). */
export function organizationSettingsLine(settings: OrganizationSettings, reason: string, actor: Actor, at: string): Record<string, unknown> {
  return { type: 'organization.settings', at, actor, name: settings.name, ai_signature: settings.aiSignature, ai_disclosure: settings.aiDisclosure, reason };
}
