// The default SLA policy file shipped in resources/ (the demo database records it at its start).
import { readFileSync } from 'node:fs';

import { resourcePath } from '../resources.ts';

export const defaultSlaPoliciesPath = (): string => resourcePath('sla-policies.json');

/** The default policy file as an `sla.policy` event line recorded at `at`. */
export function defaultSlaPolicyLine(at: string): Record<string, unknown> {
  const file = JSON.parse(readFileSync(defaultSlaPoliciesPath(), 'utf8')) as Record<string, unknown>;
  return { type: 'sla.policy', at, actor: { kind: 'system' }, ...file };
}
