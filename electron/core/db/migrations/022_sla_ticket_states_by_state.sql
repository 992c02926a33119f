-- The queue filtered by SLA state counted its tickets one by one, looking up each ticket's row of sla_ticket_states
-- (issue 15: at 300,000 tickets about 92 ms for the count alone, whatever the state, and a state no ticket is in
-- scanned every ticket for its first page too). Two small partial indexes let the counts be read from the index
-- entries of the few kinds of row that matter (sla-read-repository.ts slaStateCounts): the tickets with a final
-- breach, and the tickets still open and not breached by a final outcome, by their earliest open deadline (where
-- "in progress" turns into "breached" as time passes). Every other ticket with a row is achieved.
CREATE INDEX sla_ticket_states_breached ON sla_ticket_states (ticket_id) WHERE breached = 1;
CREATE INDEX sla_ticket_states_open ON sla_ticket_states (open_deadline) WHERE breached = 0 AND open_metrics > 0;
