// The outcome contract shipped in resources/ for the demo (the demo database records it at its start).
import { readFileSync } from 'node:fs';

import type { Actor } from '../../../shared/domain.ts';
import { resourcePath } from '../resources.ts';

export const demoContractPath = (): string => resourcePath('contracts', 'demo-contract.json');

/** The demo contract as a `contract.version` event line recorded at `at` by the buyer's supervisor. */
export function demoContractLine(at: string, actor: Actor): Record<string, unknown> {
  const contract = JSON.parse(readFileSync(demoContractPath(), 'utf8')) as Record<string, unknown>;
  return { type: 'contract.version', at, actor, ...contract };
}
