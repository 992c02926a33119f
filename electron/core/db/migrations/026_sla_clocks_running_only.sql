-- sla_clocks keeps the running clocks only: the one read of clocks across tickets (the live board and the queue's
-- breach counts, by deadline through sla_clocks_running). A stopped or paused clock is only ever read with its own
-- ticket (its SLA panel, one metric's evidence), and is computed for that read by the same clock engine from the same
-- events and policy versions (electron/core/sla/computed-clocks.ts). Stored, every clock of every ticket with its
-- metric events was a fifth of a demo file and the largest write of the SLA projection in every rebuild, import and
-- demo (issue 15: at 30,000 tickets 158,269 rows, 54 MB of 255, and a third of the projection's time).
-- Derived, like the rest of the SLA tables: nothing here is ledger data.
DELETE FROM sla_clocks WHERE state <> 'running';

ALTER TABLE sla_clocks DROP COLUMN events;
