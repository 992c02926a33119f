// AI settings of a deployment: the latest `ai.settings` ledger event, else defaults. The host falls back
// to OLLAMA_HOST, then to Ollama's default address.
import type { Db } from '../db/connection.ts';
import { latestAiSettingsPayload } from './ai-repository.ts';
import { DEFAULT_OLLAMA_HOST, normalizeHost } from './ollama-gateway.ts';
import type { RedactionSettings } from './redaction.ts';

export interface AiSettings {
  /** Host recorded in the settings; null means "from OLLAMA_HOST or the default". */
  host: string | null;
  model: string;
  confidenceThreshold: number;
  parallel: number;
  redaction: RedactionSettings;
}

export const DEFAULT_AI_SETTINGS: AiSettings = {
  host: null,
  model: 'llama3.2:3b',
  confidenceThreshold: 0.75,
  parallel: 2,
  // Everything the redaction knows is masked unless an administrator records otherwise (issue 16).
  redaction: { card: true, iban: true, email: true, phone: true, national_id: true },
};

export function loadAiSettings(db: Db): AiSettings {
  const payload = latestAiSettingsPayload(db);
  if (!payload) return DEFAULT_AI_SETTINGS;
  const p = JSON.parse(payload) as { host?: string; model: string; confidence_threshold: number; parallel: number; redaction: Partial<RedactionSettings> & Omit<RedactionSettings, 'national_id'> };
  // Settings recorded before national ids were a kind said nothing about them: they are masked, as by default.
  const redaction: RedactionSettings = { ...p.redaction, national_id: p.redaction.national_id ?? DEFAULT_AI_SETTINGS.redaction.national_id };
  return { host: p.host ?? null, model: p.model, confidenceThreshold: p.confidence_threshold, parallel: p.parallel, redaction };
}

export function effectiveHost(settings: AiSettings, env: NodeJS.ProcessEnv = process.env): string {
  return normalizeHost(settings.host ?? (env.OLLAMA_HOST?.trim() || DEFAULT_OLLAMA_HOST));
}
