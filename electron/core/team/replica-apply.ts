// How a replica takes the rows it pulled from the team ledger: through the ledger's exact-import path (LedgerWriter:
// every hash, every link, every rule of the rule book), in one transaction with the projections brought up to date.
import type { Db } from '../db/connection.ts';
import { inWriteTransaction } from '../db/transaction.ts';
import { noteAppended, refreshAfterAppend } from '../derived/refresh.ts';
import { formatEventLine, LineError, parseEventLine } from '../ledger/event-lines.ts';
import { LedgerWriter } from '../ledger/ledger.ts';
import type { RawEventRow } from '../ledger/ledger-repository.ts';

/** A far-future clock: the server's trigger already refused records ahead of its own clock. */
const NO_FUTURE_CHECK = (): string => '9999-12-31T23:59:59.999Z';

function toEventRow(row: RawEventRow) {
  return { seq: row[0], ticket_id: row[1], type: row[2], at: row[3], recorded_at: row[4], actor: row[5], payload: row[6], prev_hash: row[7], hash: row[8] };
}

/**
 * Applies rows pulled from the team ledger through the exact-import path, in one transaction, and brings the
 * projections up to date. A row that is not exactly the next link of this replica's chain throws LineError.
 * `beforeCommit` runs inside the transaction once the rows are in (it sees them): whatever it throws undoes them.
 */
export function applyTeamRows(db: Db, rows: readonly RawEventRow[], beforeCommit?: () => void): void {
  inWriteTransaction(db, () => {
    const writer = new LedgerWriter(db, { source: 'attest', announcesSession: false, now: NO_FUTURE_CHECK });
    const touched = new Map<string, ReadonlySet<string>>();
    const ledgerTypes = new Set<string>();
    for (const row of rows) {
      let event;
      try {
        event = parseEventLine(JSON.parse(formatEventLine(toEventRow(row))));
        writer.append(event, row[4]);
      } catch (error) {
        if (error instanceof LineError) throw new PulledRowError(row[0], error);
        throw error;
      }
      if (event.ticket !== null) noteAppended(touched, event.ticket, event.type);
      else ledgerTypes.add(event.type);
    }
    writer.flush();
    beforeCommit?.();
    refreshAfterAppend(db, touched, ledgerTypes);
  });
}

/** A pulled row the replica cannot take: its chain fields (a rewrite) or the rule book (an invalid record). */
export class PulledRowError extends Error {
  readonly seq: number;
  readonly lineError: LineError;
  constructor(seq: number, lineError: LineError) {
    super(`event #${seq}: ${lineError.field}: ${lineError.reason}`);
    this.seq = seq;
    this.lineError = lineError;
  }
}
