// The core behind the contract: validates input, checks the role, runs the method, returns a Result.
import { EventEmitter } from 'node:events';
import { basename } from 'node:path';
import {
  isMethodName,
  parseInput,
  type ChainStatus,
  type CoreEventName,
  type CoreEvents,
  type MethodName,
  type MethodOutput,
  type ParsedInput,
  type Result,
} from '../../shared/contract.ts';
import { isAllowed } from './access/permissions.ts';
import { openDatabase, type Db } from './db/connection.ts';
import { ImportError, importJsonlText } from './interchange/jsonl-import.ts';
import { LedgerRepository } from './ledger/ledger-repository.ts';
import { verifyLedgerParallel } from './ledger/verify-parallel.ts';
import type { CoreHandle, CoreOptions } from './service-api.ts';
import { TicketRepository } from './tickets/ticket-repository.ts';

export type { CoreHandle, CoreOptions } from './service-api.ts';

class NotFoundError extends Error {}

type Handlers = { [M in MethodName]: (input: ParsedInput<M>) => MethodOutput<M> | Promise<MethodOutput<M>> };

export function openCore(options: CoreOptions): CoreHandle {
  const db: Db = openDatabase(options.dbPath);
  const role = options.role ?? 'supervisor';
  const emitter = new EventEmitter();
  const tickets = new TicketRepository(db);
  const ledger = new LedgerRepository(db);
  let lastVerification: ChainStatus | null = null;
  let running: Promise<ChainStatus> | null = null;

  // One verification at a time; callers that arrive meanwhile share its result.
  const verify = (): Promise<ChainStatus> =>
    (running ??= verifyLedgerParallel(db, options.dbPath)
      .then((status) => (lastVerification = status))
      .finally(() => {
        running = null;
      }));

  const handlers: Handlers = {
    'session.info': () => ({ role, databaseName: basename(options.dbPath), mode: options.mode ?? 'browser' }),
    'tickets.list': (input) => tickets.list(input.filter, input.offset, input.limit),
    'tickets.get': (input) => {
      const ticket = tickets.get(input.id);
      if (!ticket) throw new NotFoundError(`ticket ${input.id} not found`);
      const events = ledger.eventsOfTicket(input.id).map((row) => ({
        seq: row.seq,
        type: row.type as MethodOutput<'tickets.get'>['events'][number]['type'],
        at: row.at,
        recordedAt: row.recorded_at,
        actor: JSON.parse(row.actor),
        payload: JSON.parse(row.payload),
        hash: row.hash,
        prevHash: row.prev_hash,
      }));
      return { ticket, events };
    },
    'tickets.facets': () => tickets.facets(),
    'ledger.status': () => {
      // Re-verify whenever the ledger moved on since the last full check.
      const head = ledger.lastEvent();
      if (lastVerification && lastVerification.intact && lastVerification.headHash === head.hash) return lastVerification;
      return verify();
    },
    'ledger.verify': () => verify(),
    'import.jsonl': (input) => {
      const report = importJsonlText(db, input.fileName, input.text);
      if (report.eventsAdded > 0) {
        const head = ledger.lastEvent();
        emitter.emit('ledger.changed', { eventCount: head.seq, headHash: head.hash });
      }
      return report;
    },
  };

  async function run<M extends MethodName>(method: M, input: unknown): Promise<Result<MethodOutput<M>>> {
    if (!isAllowed(role, method)) {
      return { ok: false, error: { code: 'forbidden', message: `the ${role} role may not call ${method}` } };
    }
    const parsed = parseInput(method, input);
    if (!parsed.ok) return parsed;
    try {
      return { ok: true, value: await handlers[method](parsed.value) };
    } catch (error) {
      if (error instanceof NotFoundError) return { ok: false, error: { code: 'not_found', message: error.message } };
      if (error instanceof ImportError) return { ok: false, error: { code: 'import_failed', message: error.message } };
      return { ok: false, error: { code: 'internal', message: (error as Error).message } };
    }
  }

  return {
    async invoke(method, input) {
      if (!isMethodName(method)) return { ok: false, error: { code: 'unknown_method', message: `unknown method ${method}` } };
      return run(method, input);
    },
    subscribe<E extends CoreEventName>(event: E, listener: (payload: CoreEvents[E]) => void) {
      emitter.on(event, listener);
      return () => emitter.off(event, listener);
    },
    close() {
      emitter.removeAllListeners();
      if (db.open) db.close();
    },
  };
}
