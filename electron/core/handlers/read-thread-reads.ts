// The reads that run on a thread of their own (read-thread.ts), by name: pure functions of a connection and an input.
import type { Db } from '../db/connection.ts';
import { sessionGapReport } from '../audit/session-gaps.ts';
import { attribution } from '../outcomes/attribution.ts';
import { TicketRepository } from '../tickets/ticket-repository.ts';
import { buildStatement, statementPeriods } from '../outcomes/statement.ts';
import { listDisputes } from '../outcomes/disputes.ts';
import { booksUpToDate } from '../outcomes/outcome-book.ts';
import { periodStates } from '../outcomes/issued-statements.ts';
import { OutcomeRepository } from '../outcomes/outcome-repository.ts';
import { migrationBoard } from '../kpis/board.ts';
import { kpiReport, kpiSeries, type KpiQuery } from '../kpis/kpi-report.ts';
import { ledgerTreeBlocks } from '../checkpoints/ledger-tree.ts';
import type { TicketFilter, TicketSort } from '../../../shared/contract.ts';

const ticketPage = (db: Db, input: { filter: TicketFilter; offset: number; limit: number; sort?: TicketSort }) =>
  new TicketRepository(db).list(input.filter, input.offset, input.limit, input.sort);

export const OFF_THREAD_READS = {
  'outcomes.attribution': (db: Db, input: { period?: string; contract?: string; asOf?: string }) => attribution(db, input),
  'audit.gaps': (db: Db, input: { from?: string; to?: string }) => sessionGapReport(db, input),
  'tickets.list': ticketPage,
  // The same read, for a page that reads only the queue's indexes (a lane of quick reads: read-thread.ts).
  'tickets.page': ticketPage,
  'kpis.report': (db: Db, input: KpiQuery) => kpiReport(db, input),
  'kpis.series': (db: Db, input: Parameters<typeof kpiSeries>[1]) => kpiSeries(db, input),
  'outcomes.statement': (db: Db, input: { period: string; contract?: string }) => buildStatement(db, input.period, input.contract),
  'kpis.board': (db: Db, input: Parameters<typeof migrationBoard>[1]) => migrationBoard(db, input),
  'outcomes.periods': (db: Db, input: { contract?: string }) => (new OutcomeRepository(db).contractVersions().length ? statementPeriods(db, input.contract) : []),
  'outcomes.periodStates': (db: Db, input: { contract?: string }) => periodStates(db, input.contract),
  'outcomes.disputes': (db: Db, _input: Record<string, never>) => listDisputes(db),
  // Not a console method: a report thread's outcome books brought up to a job's commit (read-thread.ts).
  'outcomes.booksUpToDate': (db: Db, _input: Record<string, never>) => booksUpToDate(new OutcomeRepository(db)),
  // Not a console method: the Merkle tree's background warming (checkpoints/ledger-tree.ts).
  'ledger.treeBlocks': (db: Db, input: { fromLeaf: number; maxBlocks: number }) => ledgerTreeBlocks(db, input),
} as const;

export type OffThreadRead = keyof typeof OFF_THREAD_READS;

/** A read asked of a thread; its answer carries the same id. */
export interface ReadRequest {
  id: number;
  name: OffThreadRead;
  input: unknown;
}

/** An answer: the read's result as JSON (UTF-8, the buffer transferred: see json-text.ts), or why it failed. */
export type ReadThreadMessage = { id: number; json: Uint8Array } | { id: number; error: string; kind: 'not_found' | 'input' | 'other' };

/**
 * Words of the control buffer a read thread shares with the core. The core sets STOP when it closes and then waits for
 * CLOSED of every thread that set STARTED; a thread sets STARTED before it reads STOP, and opens the file only if STOP
 * is not set — so a closing core either waits for a thread or that thread never opens the file. Terminating a thread
 * inside a SQLite call can abort the process: the core never does it.
 */
export const READ_STOP = 0;
export const READ_STARTED = 1;
export const READ_CLOSED = 2;
export const READ_CONTROL_WORDS = 3;
