// The hash that pins a baseline to the KPI definitions it was computed under.
import { createHash } from 'node:crypto';
import { canonicalJson } from '../ledger/hashing.ts';
import { KPI_DEFINITIONS } from '../../../shared/contracts/kpis.ts';

export function kpiDefinitionsHash(): string {
  return createHash('sha256').update(canonicalJson(KPI_DEFINITIONS)).digest('hex');
}

/** The README's KPI definitions section, generated from the same module as the tooltips. */
export function kpiDefinitionsMarkdown(): string {
  return KPI_DEFINITIONS.map((d) => `- **${d.label}** (\`${d.id}\`): ${d.definition}`).join('\n');
}
