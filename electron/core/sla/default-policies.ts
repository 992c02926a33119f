// The default SLA policy file shipped in resources/ (the demo database records it at its start).
import { readFileSync } from 'node:fs';

export const DEFAULT_SLA_POLICIES_URL = new URL('../../../resources/sla-policies.json', import.meta.url);

/** The default policy file as an `sla.policy` event line recorded at `at`. */
export function defaultSlaPolicyLine(at: string): Record<string, unknown> {
  const file = JSON.parse(readFileSync(DEFAULT_SLA_POLICIES_URL, 'utf8')) as Record<string, unknown>;
  return { type: 'sla.policy', at, actor: { kind: 'system' }, ...file };
}
