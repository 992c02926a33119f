// The core behind the contract: validates input, checks the caller's role, runs the method, returns a Result.
import { EventEmitter } from 'node:events';
import {
  isMethodName,
  parseInput,
  type CoreEventName,
  type CoreEvents,
  type MethodName,
  type MethodOutput,
  type Result,
} from '../../shared/contract.ts';
import { openDatabase } from './db/connection.ts';
import { registerFeatures } from './features.ts';
import { WriteGate } from './db/write-gate.ts';
import { WriteBusyError } from './db/write-lock.ts';
import { scheduleCheckpoints } from './checkpoints/checkpoint-schedule.ts';
import { ChainMonitor } from './verification/chain-monitor.ts';
import { NotFoundError, type CoreContext, type Handler } from './handlers/context.ts';
import { categoryHandlers } from './handlers/category-handlers.ts';
import { kpiHandlers } from './handlers/kpi-handlers.ts';
import { slaHandlers } from './handlers/sla-handlers.ts';
import { aiHandlers } from './handlers/ai-handlers.ts';
import { outcomeHandlers } from './handlers/outcome-handlers.ts';
import { ledgerHandlers } from './handlers/ledger-handlers.ts';
import { importHandlers } from './handlers/import-handlers.ts';
import { ImportError } from './interchange/jsonl-import.ts';
import { InputError } from './errors.ts';
import type { CoreHandle, CoreOptions } from './service-api.ts';
import type { Role } from '../../shared/domain.ts';

export type { CoreHandle, CoreOptions } from './service-api.ts';

type Handlers = { [M in MethodName]: Handler<M> };
type Allowed = { [M in MethodName]: readonly Role[] };

/**
 * The methods whose handler writes synchronously, with the words a waiting person sees: each call is one turn
 * of the write gate, in one transaction. The methods that write in steps (ai.resolve, ai.draftLive,
 * outcomes.verify, imports.start) take their turns themselves through ctx.writes.
 */
const SYNC_WRITES: Partial<Record<MethodName, string>> = {
  'categories.setMode': 'category mode change',
  'ai.configure': 'AI settings change',
  'ai.review': 'draft review',
  'kb.edit': 'knowledge-base edit',
  'outcomes.disputeOpen': 'dispute',
  'outcomes.disputeUphold': 'dispute decision',
  'outcomes.disputeReject': 'dispute decision',
  'sla.importPolicies': 'SLA policy import',
  'kpis.freezeBaseline': 'baseline freeze',
  'import.jsonl': 'JSONL import',
};

export function openCore(options: CoreOptions): CoreHandle {
  registerFeatures();
  const db = openDatabase(options.dbPath);
  const emitter = new EventEmitter();
  const role = options.role ?? 'supervisor';
  const writes = new WriteGate({ onStatus: (status) => emitter.emit('writes.status', status) });
  const ctx: CoreContext = {
    writes,
    db,
    dbPath: options.dbPath,
    role,
    user: { kind: 'human', id: options.user ?? `local-${role}` },
    mode: options.mode ?? 'browser',
    emit: (event, payload) => emitter.emit(event, payload),
    chain: new ChainMonitor(options.dbPath, {
      pollIntervalMs: options.chainPollIntervalMs,
      onStatus: (status) => emitter.emit('chain.status', status),
    }),
  };
  // Every append this core makes is checked by the monitor as an increment; its first full check starts now.
  emitter.on('ledger.changed', () => ctx.chain.ledgerChanged());
  ctx.chain.start();
  const stopCheckpoints = options.checkpointEveryMs
    ? scheduleCheckpoints(db, {
        everyMs: options.checkpointEveryMs,
        write: writes.turnOn(db),
        key: { protector: options.keyProtector },
        onError: (error) => console.error(`attest: the scheduled checkpoint failed: ${error.message}`),
      })
    : null;
  // Each feature contributes its handlers and who may call them; the types require every contract method.
  const ledger = ledgerHandlers(ctx);
  const categories = categoryHandlers(ctx);
  const kpis = kpiHandlers(ctx);
  const sla = slaHandlers(ctx);
  const ai = aiHandlers(ctx);
  const outcomes = outcomeHandlers(ctx);
  const imports = importHandlers(ctx);
  const handlers: Handlers = { ...ledger.handlers, ...categories.handlers, ...kpis.handlers, ...sla.handlers, ...ai.handlers, ...outcomes.handlers, ...imports.handlers };
  const allowed: Allowed = { ...ledger.allowed, ...categories.allowed, ...kpis.allowed, ...sla.allowed, ...ai.allowed, ...outcomes.allowed, ...imports.allowed };

  async function run<M extends MethodName>(method: M, input: unknown): Promise<Result<MethodOutput<M>>> {
    if (!allowed[method]?.includes(role)) {
      return { ok: false, error: { code: 'forbidden', message: `the ${role} role may not call ${method}` } };
    }
    const parsed = parseInput(method, input);
    if (!parsed.ok) return parsed;
    const handler = handlers[method] as Handler<M>;
    const writeLabel = SYNC_WRITES[method];
    try {
      return { ok: true, value: writeLabel ? await writes.write(db, writeLabel, () => handler(parsed.value)) : await handler(parsed.value) };
    } catch (error) {
      if (error instanceof WriteBusyError) return { ok: false, error: { code: 'busy', message: error.message } };
      if (error instanceof NotFoundError) return { ok: false, error: { code: 'not_found', message: error.message } };
      if (error instanceof InputError) return { ok: false, error: { code: 'invalid_input', message: error.message } };
      if (error instanceof ImportError) return { ok: false, error: { code: 'import_failed', message: error.message } };
      return { ok: false, error: { code: 'internal', message: (error as Error).message } };
    }
  }

  return {
    async invoke(method: string, input: unknown): Promise<Result<unknown>> {
      if (!isMethodName(method)) return { ok: false, error: { code: 'unknown_method', message: `unknown method ${method}` } };
      return run(method, input);
    },
    subscribe<E extends CoreEventName>(event: E, listener: (payload: CoreEvents[E]) => void) {
      emitter.on(event, listener);
      return () => emitter.off(event, listener);
    },
    close() {
      stopCheckpoints?.();
      ctx.chain.close();
      emitter.removeAllListeners();
      if (db.open) db.close();
    },
  };
}
