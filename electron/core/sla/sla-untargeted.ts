// The tickets no SLA target applies to (the SLA state "none"), as a projection of their own: a ticket is listed in the
// queue by the ticket tables and has its SLA state row from the SLA projection, and a ticket's row in the queue may
// come from events the SLA projection does not read. So this one comes after both, refreshes every touched ticket
// whatever its events' types, and is rebuilt whole when a policy changes which tickets have a target.
import type { DerivedProjection } from '../derived/derived-projection.ts';
import { clearUntargeted, markUntargeted, rebuildUntargeted } from './sla-repository.ts';

export const slaUntargetedProjection: DerivedProjection = {
  name: 'sla_untargeted',
  ledgerEventTypes: ['sla.policy'],
  refreshTickets: (db, ids) => markUntargeted(db, JSON.stringify(ids)),
  rebuildAll: rebuildUntargeted,
  reset: clearUntargeted,
};
