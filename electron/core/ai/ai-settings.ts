// AI settings of a deployment: the latest `ai.settings` ledger event, else defaults. The host falls back
// to OLLAMA_HOST, then to Ollama's default address. A host that is not this computer is used only while an admin's
// latest `ai.remote_host` allowance names it (whatever set it: the settings, OLLAMA_HOST, a restored export).
// The organization's settings (name, the AI's signature and disclosure) travel with them to every AI path.
import type { Actor } from '../../../shared/domain.ts';
import type { Db } from '../db/connection.ts';
import { latestAiSettingsPayload, latestRemoteHostAllowance } from './ai-repository.ts';
import { loadOrganizationSettings, NO_ORGANIZATION_SETTINGS, type OrganizationSettings } from '../organization/organization-settings.ts';
import { DEFAULT_OLLAMA_HOST, isLoopbackHost, normalizeHost, OllamaHostError } from './ollama-host.ts';
import type { RedactionSettings } from './redaction.ts';

/** An admin's allowance to send ticket text to a model server on another machine (an `ai.remote_host` event). */
export interface RemoteHostAllowance {
  /** The allowed origin; null: an admin withdrew the allowance. */
  host: string | null;
  reason: string;
  actor: Actor;
  at: string;
  seq: number;
}

export interface AiSettings {
  /** Host recorded in the settings; null means "from OLLAMA_HOST or the default". */
  host: string | null;
  model: string;
  confidenceThreshold: number;
  parallel: number;
  redaction: RedactionSettings;
  /** The latest remote-host allowance (absent or null: only this computer may be contacted). */
  remoteHost?: RemoteHostAllowance | null;
  /** The organization's name, the AI's signature and disclosure (absent: none set). */
  organization?: OrganizationSettings;
}

export const DEFAULT_AI_SETTINGS: AiSettings = {
  host: null,
  model: 'llama3.2:3b',
  confidenceThreshold: 0.75,
  parallel: 2,
  // Everything the redaction knows is masked unless an administrator records otherwise (issue 16).
  redaction: { card: true, iban: true, email: true, phone: true, national_id: true },
  organization: NO_ORGANIZATION_SETTINGS,
};

export function loadRemoteHostAllowance(db: Db): RemoteHostAllowance | null {
  const row = latestRemoteHostAllowance(db);
  if (!row) return null;
  const payload = JSON.parse(row.payload) as { host: string | null; reason: string };
  return { host: payload.host, reason: payload.reason, actor: JSON.parse(row.actor) as Actor, at: row.at, seq: row.seq };
}

export function loadAiSettings(db: Db): AiSettings {
  const remoteHost = loadRemoteHostAllowance(db);
  const organization = loadOrganizationSettings(db);
  const payload = latestAiSettingsPayload(db);
  if (!payload) return { ...DEFAULT_AI_SETTINGS, remoteHost, organization };
  const p = JSON.parse(payload) as { host?: string; model: string; confidence_threshold: number; parallel: number; redaction: Partial<RedactionSettings> & Omit<RedactionSettings, 'national_id'> };
  // Settings recorded before national ids were a kind said nothing about them: they are masked, as by default.
  const redaction: RedactionSettings = { ...p.redaction, national_id: p.redaction.national_id ?? DEFAULT_AI_SETTINGS.redaction.national_id };
  return { host: p.host ?? null, model: p.model, confidenceThreshold: p.confidence_threshold, parallel: p.parallel, redaction, remoteHost, organization };
}

/** Where the model server is, whether it is this computer, and why it will not be contacted (null: it will). */
export interface HostDecision {
  /** The normalised origin, or the setting as written when it is not a server address. */
  host: string;
  local: boolean;
  problem: string | null;
}

export function decideHost(settings: AiSettings, env: NodeJS.ProcessEnv = process.env): HostDecision {
  const fromEnv = env.OLLAMA_HOST?.trim();
  const written = settings.host ?? (fromEnv || DEFAULT_OLLAMA_HOST);
  const source = settings.host ? 'the AI settings' : fromEnv ? 'OLLAMA_HOST' : 'the default';
  let host: string;
  try {
    host = normalizeHost(written);
  } catch (error) {
    return { host: written, local: false, problem: `the Ollama host from ${source} is refused: ${(error as Error).message}` };
  }
  if (isLoopbackHost(host)) return { host, local: true, problem: null };
  if (settings.remoteHost?.host === host) return { host, local: false, problem: null };
  return {
    host,
    local: false,
    problem:
      `the Ollama host ${host} (from ${source}) is not this computer and no admin allowed sending ticket text to it: ` +
      'an admin allows it with a reason in the console (AI settings), which the ledger records as ai.remote_host',
  };
}

/** The host the AI may contact; throws OllamaHostError (nothing is contacted) when it may not contact any. */
export function effectiveHost(settings: AiSettings, env: NodeJS.ProcessEnv = process.env): string {
  const decision = decideHost(settings, env);
  if (decision.problem) throw new OllamaHostError(decision.problem);
  return decision.host;
}
