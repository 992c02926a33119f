-- The tickets no SLA target applies to: the SLA state "none" (TICKET_SLA_STATES), a ticket of the queue without a row
-- in sla_ticket_states. Those were found only by walking the queue and looking each ticket up: at a million tickets,
-- after 20,000 imported rows without a target, a page of them took about 330 ms (the SLA-state filter under the
-- bench's background work, 21 times its idle p95; issue 15). Kept by its own projection after the SLA projection
-- (electron/core/sla/sla-untargeted.ts); derived like the rest of the SLA tables, filled here once.
CREATE TABLE sla_untargeted (
  ticket_id TEXT PRIMARY KEY
) STRICT, WITHOUT ROWID;

INSERT INTO sla_untargeted (ticket_id)
SELECT id FROM tickets WHERE NOT EXISTS (SELECT 1 FROM sla_ticket_states s WHERE s.ticket_id = tickets.id);
