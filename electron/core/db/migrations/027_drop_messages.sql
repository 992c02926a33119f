-- The `messages` table copied every `message` event (author, visibility, body) and was read only one ticket at a time,
-- for the AI's view of a conversation. That reading now comes from the ticket's `message` events through the
-- ledger's ticket index (electron/core/tickets/ticket-repository.ts messagesOf), with the one reading of a message
-- the ticket projection also uses (projector.ts messageOf). Every import, demo and rebuild wrote the copy: at 30,000
-- tickets 100,167 rows, 24 MB with its index, of a 198 MB demo file (issue 15). Derived data: nothing is lost.
DROP TABLE messages;
