// The outcome contract shipped in resources/ for the demo (the demo database records it at its start).
import { readFileSync } from 'node:fs';

export const DEMO_CONTRACT_URL = new URL('../../../resources/contracts/demo-contract.json', import.meta.url);

/** The demo contract as a `contract.version` event line recorded at `at` by the buyer's supervisor. */
export function demoContractLine(at: string): Record<string, unknown> {
  const contract = JSON.parse(readFileSync(DEMO_CONTRACT_URL, 'utf8')) as Record<string, unknown>;
  return { type: 'contract.version', at, actor: { kind: 'human', id: 'supervisor-1' }, ...contract };
}
