-- The queue sorted by any column reads a page by index, not by sorting every ticket (issue 15: at a million tickets a
-- sorted page took seconds). Each index is the exact ORDER BY of electron/core/tickets/ticket-repository.ts
-- (SORT_EXPRESSIONS, then the id in the same direction; SQLite walks an index backwards for the descending order);
-- the rank expressions must match the query's text, which tests/unit/queue-sort-plans.test.ts checks by query plan.
-- The SLA state is computed as of the request and cannot be indexed.
CREATE INDEX tickets_sort_created ON tickets (created_at, id);
CREATE INDEX tickets_sort_updated ON tickets (updated_at, id);
CREATE INDEX tickets_sort_subject ON tickets (subject COLLATE NOCASE, id);
CREATE INDEX tickets_sort_category ON tickets (category, id);
CREATE INDEX tickets_sort_channel ON tickets (channel, id);
CREATE INDEX tickets_sort_status ON tickets ((CASE status WHEN 'new' THEN 0 WHEN 'open' THEN 1 WHEN 'pending' THEN 2 WHEN 'on_hold' THEN 3 WHEN 'solved' THEN 4 WHEN 'closed' THEN 5 ELSE 6 END), id);
CREATE INDEX tickets_sort_priority ON tickets ((CASE priority WHEN 'low' THEN 0 WHEN 'normal' THEN 1 WHEN 'high' THEN 2 WHEN 'urgent' THEN 3 ELSE 4 END), id);
CREATE INDEX tickets_sort_resolved_by ON tickets ((CASE resolved_by WHEN 'ai' THEN 0 WHEN 'human' THEN 1 WHEN 'unresolved' THEN 2 ELSE 3 END), id);
