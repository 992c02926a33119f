// The foundation's methods: the ticket queue, a ticket's timeline, the chain's state, JSONL import.
import { basename } from 'node:path';
import { importJsonlText } from '../interchange/jsonl-import.ts';
import { LedgerRepository } from '../ledger/ledger-repository.ts';
import { TicketRepository } from '../tickets/ticket-repository.ts';
import { signaturesOfTicket } from '../people/signatures.ts';
import { NotFoundError, type CoreContext, type FeatureHandlers } from './context.ts';
import { readOffThread } from './read-thread.ts';

type LedgerMethod = 'session.info' | 'tickets.list' | 'tickets.get' | 'tickets.facets' | 'ledger.status' | 'ledger.verify' | 'import.jsonl';

export function ledgerHandlers(ctx: CoreContext): FeatureHandlers<LedgerMethod> {
  const tickets = new TicketRepository(ctx.db);
  const ledger = new LedgerRepository(ctx.db);
  return {
    handlers: {
      'session.info': (_input, caller) => ({ role: caller.role!, person: caller.person, actorId: caller.actor.id ?? caller.actor.kind, databaseName: basename(ctx.dbPath), mode: ctx.mode }),
      // On read threads (read-thread.ts): a page sorted or filtered by SLA state, which reads every ticket's state as of
      // now, and a search, which walks the subject index's matches (at 1,000,000 tickets 113 ms at p50 and 303 ms at p95
      // on the console's thread, where every other request waited for it), in one lane; every other page in a lane of
      // quick reads (at 1,000,000 tickets, while an import wrote, a page deep in the queue held the console's thread
      // for 264 ms).
      'tickets.list': (input) =>
        readOffThread(ctx.db, ctx.dbPath, input.sort?.by === 'sla' || (input.filter.slaState ?? []).length > 0 || input.filter.search.trim() !== '' ? 'tickets.list' : 'tickets.page', {
          filter: input.filter,
          offset: input.offset,
          limit: input.limit,
          sort: input.sort,
        }),
      'tickets.get': (input) => {
        const ticket = tickets.get(input.id);
        if (!ticket) throw new NotFoundError(`ticket ${input.id} not found`);
        const events = ledger.eventsOfTicket(input.id).map((row) => ({
          seq: row.seq,
          type: row.type,
          at: row.at,
          recordedAt: row.recorded_at,
          actor: JSON.parse(row.actor),
          payload: JSON.parse(row.payload),
          hash: row.hash,
          prevHash: row.prev_hash,
        }));
        // Each signed event carries its signatures (linked by seq and hash; `valid` says whether it still matches).
        const signatures = Map.groupBy(signaturesOfTicket(ctx.db, input.id), (signature) => signature.signedSeq);
        return { ticket, events: events.map((event) => (signatures.has(event.seq) ? { ...event, signatures: signatures.get(event.seq)! } : event)) };
      },
      'tickets.facets': () => tickets.facets(),
      // What the monitor has re-read itself since the file was opened; a look never starts or reuses a verdict.
      'ledger.status': () => ctx.chain.status(),
      'ledger.verify': () => ctx.chain.verifyNow(),
      'import.jsonl': (input, caller) => {
        const report = importJsonlText(ctx.db, input.fileName, input.text, { importedBy: caller.actor });
        if (report.eventsAdded > 0) {
          const head = ledger.lastEvent();
          ctx.emit('ledger.changed', { eventCount: head.seq, headHash: head.hash });
        }
        return report;
      },
    },
  };
}
