// The composition root of the core: the one place that knows every feature. Each feature's event types
// (schema, scope, who writes them, rule book) go to the ledger's registry and its projections to the derived
// registry, so the ledger and the derived layer never import a feature. Every entry point calls
// registerFeatures() before it touches a database: openCore, the CLI, the demo generator, Electron's main
// process, the benchmarks and the unit tests' setup file.
import { AI_EVENT_TYPES } from './ai/ai-event-types.ts';
import { AUDIT_NOTE_EVENT_TYPES } from './audit/audit-note-event-types.ts';
import { aiRepliesCarryTheirDisclosure } from './ai/disclosure.ts';
import { aiRunsProjection } from './ai/ai-repository.ts';
import { CATEGORY_EVENT_TYPES } from './categories/category-event-types.ts';
import { categoryModesProjection } from './categories/category-modes.ts';
import { CHECKPOINT_EVENT_TYPES } from './checkpoints/checkpoint-event-types.ts';
import { registerProjection } from './derived/projection-registry.ts';
import { IMPORT_EVENT_TYPES } from './importers/import-event-types.ts';
import { importFlagsProjection } from './importers/import-repository.ts';
import { KB_EVENT_TYPES } from './kb/kb-event-types.ts';
import { kbProjection } from './kb/kb-repository.ts';
import { KPI_EVENT_TYPES } from './kpis/kpi-event-types.ts';
import { kpiProjection } from './kpis/kpi-repository.ts';
import { registerAppendRule, registerEventTypes } from './ledger/event-registry.ts';
import { PEOPLE_EVENT_TYPES } from './people/people-event-types.ts';
import { personActsNameAnAccount } from './people/people-rules.ts';
import { ORGANIZATION_EVENT_TYPES } from './organization/organization-event-types.ts';
import { OUTCOME_EVENT_TYPES } from './outcomes/outcome-event-types.ts';
import { outcomeProjection } from './outcomes/outcome-repository.ts';
import { SESSION_EVENT_TYPES } from './sessions/session-event-types.ts';
import { SLA_EVENT_TYPES } from './sla/sla-event-types.ts';
import { slaProjection } from './sla/sla-projection.ts';
import { slaUntargetedProjection } from './sla/sla-untargeted.ts';
import { TICKET_EVENT_TYPES } from './tickets/ticket-event-types.ts';

let registered = false;

/** Registers every feature once; later calls do nothing, so every entry point may call it. */
export function registerFeatures(): void {
  if (registered) return;
  // This order is the order `knownEventTypes()` lists types in error messages.
  registerEventTypes('tickets', TICKET_EVENT_TYPES);
  registerEventTypes('categories', CATEGORY_EVENT_TYPES);
  registerEventTypes('kpis', KPI_EVENT_TYPES);
  registerEventTypes('sla', SLA_EVENT_TYPES);
  registerEventTypes('importers', IMPORT_EVENT_TYPES);
  registerEventTypes('ai', AI_EVENT_TYPES);
  registerEventTypes('organization', ORGANIZATION_EVENT_TYPES);
  registerEventTypes('kb', KB_EVENT_TYPES);
  registerEventTypes('outcomes', OUTCOME_EVENT_TYPES);
  registerEventTypes('checkpoints', CHECKPOINT_EVENT_TYPES);
  registerEventTypes('audit-notes', AUDIT_NOTE_EVENT_TYPES);
  registerEventTypes('sessions', SESSION_EVENT_TYPES);
  // People last: the signature, which may sign an event of any feature, ends the list.
  registerEventTypes('people', PEOPLE_EVENT_TYPES);
  registerAppendRule('people', personActsNameAnAccount);
  registerAppendRule('ai', aiRepliesCarryTheirDisclosure);

  // The ticket tables are refreshed before all of these (tickets/projections.ts); every projection reads them.
  registerProjection(categoryModesProjection);
  registerProjection(slaProjection);
  // The tickets without an SLA target: those the queue lists without an SLA state row.
  registerProjection(slaUntargetedProjection, { after: ['sla'] });
  registerProjection(kbProjection);
  // AI runs belong to a category's mode and cite knowledge-base article versions.
  registerProjection(aiRunsProjection, { after: ['category_modes', 'kb_articles'] });
  registerProjection(importFlagsProjection);
  // Outcome evaluation reads the SLA as of its window (outcomes/sla-as-of.ts).
  registerProjection(outcomeProjection, { after: ['sla'] });
  // KPIs report SLA compliance and count verified outcomes; the migration board groups by category mode.
  registerProjection(kpiProjection, { after: ['category_modes', 'sla', 'outcome_events'] });
  registered = true;
}
