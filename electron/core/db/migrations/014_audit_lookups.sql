-- The Audit tab's notes by index, not by a scan of every event (issue 15: opening a view is an index lookup).
-- Partial: it holds the audit.note events alone, so an append of any other event never touches it.
CREATE INDEX events_audit_notes ON events (seq) WHERE type = 'audit.note';
