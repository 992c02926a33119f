// The SLA part of an outcome evaluation as of an instant: the SLA engine over the ticket's events up to that
// instant, with the policy versions the ledger had recorded by then — never the SLA projection (today's facts).
import type { Db } from '../db/connection.ts';
import { PolicySet } from '../sla/policy-set.ts';
import { policyVersionsRecordedBy } from '../sla/sla-repository.ts';
import { ticketSlaAsOf } from '../sla/ticket-sla-as-of.ts';
import type { AsOf } from './as-of.ts';
import type { Ev, SlaLookup } from './evaluate.ts';

export function slaLookupAsOf(db: Db, asOf: AsOf): SlaLookup {
  const policies = new PolicySet(policyVersionsRecordedBy(db, asOf.iso));
  // The clocks of a ticket are computed once per event list, whatever the number of metrics asked.
  const computed = new WeakMap<readonly Ev[], ReturnType<typeof ticketSlaAsOf>>();
  return (_ticketId, metric, events) => {
    let outcomeOf = computed.get(events);
    if (!outcomeOf) computed.set(events, (outcomeOf = ticketSlaAsOf(events, policies, asOf.ms)));
    return outcomeOf(metric);
  };
}
