-- status_changes, a copy of every `status` event (the status set, when, by whom), was written by every import, demo
-- and rebuild and read by nothing: a ticket's status, its solves and reopens are projected from its events by the one
-- lifecycle definition (electron/core/tickets/lifecycle.ts), and its timeline shows the events themselves. At
-- 100,000 demo tickets the table and its index took 31 MiB of an 880 MiB file, written on every import's, demo's and
-- rebuild's projections and read again by every integrity check (issue 15). Derived data: the events it copied stay.
DROP TABLE status_changes;
