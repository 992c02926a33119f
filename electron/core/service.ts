// The core behind the contract: validates input, checks the caller's role, runs the method, returns a Result.
import { EventEmitter } from 'node:events';
import { LedgerRepository } from './ledger/ledger-repository.ts';
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
import { useDatabaseKey } from './db/database-key.ts';
import { declareSession } from './sessions/session-start.ts';
import { registerFeatures } from './features.ts';
import { WriteGate, type WriteStatus } from './db/write-gate.ts';
import { TeamReplica } from './team/replica.ts';
import { TeamUnavailableError } from './team/team-connection.ts';
import { TeamConflictError, TeamWriteGate } from './team/team-write-gate.ts';
import { TeamAiLeases } from './team/ai-lease.ts';
import { WriteBusyError } from './db/write-lock.ts';
import { scheduleCheckpoints } from './checkpoints/checkpoint-schedule.ts';
import { warmLedgerTreeInBackground } from './checkpoints/ledger-tree.ts';
import { loadOrCreateInstallationKey, type InstallationKey } from './checkpoints/installation-key.ts';
import { ChainMonitor } from './verification/chain-monitor.ts';
import { NotFoundError, type CoreContext, type Handler } from './handlers/context.ts';
import { auditHandlers } from './handlers/audit-handlers.ts';
import { categoryHandlers } from './handlers/category-handlers.ts';
import { kpiHandlers } from './handlers/kpi-handlers.ts';
import { slaHandlers } from './handlers/sla-handlers.ts';
import { aiHandlers } from './handlers/ai-handlers.ts';
import { organizationHandlers } from './handlers/organization-handlers.ts';
import { outcomeHandlers } from './handlers/outcome-handlers.ts';
import { ledgerHandlers } from './handlers/ledger-handlers.ts';
import { importHandlers } from './handlers/import-handlers.ts';
import { auditConsoleHandlers } from './handlers/audit-console-handlers.ts';
import { ImportError } from './interchange/jsonl-import.ts';
import { ForbiddenError, InputError } from './errors.ts';
import type { CallOptions, CoreHandle, CoreOptions, WireResult } from './service-api.ts';
import { isJsonText } from './json-text.ts';
import { isPublic, mayDo, refusal } from '../../shared/permissions.ts';
import type { AuthState, Person } from '../../shared/contracts/people.ts';
import { peopleHandlers, SignInRefused } from './handlers/people-handlers.ts';
import { actorOfPerson, peopleState, personOf, type PeopleState } from './people/accounts.ts';
import { SessionStore, type Session } from './people/sessions.ts';
import { operatingSystemUser } from './people/operator.ts';
import { demoAccountsStillPublished } from './people/demo-accounts.ts';
import { recordEvents } from './derived/record-events.ts';
import type { Caller } from './handlers/context.ts';
import { emitLedgerChanged } from './handlers/ledger-changed.ts';
import { readOffThread, readsRunInThreads, startConsoleReadThreads, stopReadThreads } from './handlers/read-thread.ts';
import { stopJobThreads } from './handlers/job-thread.ts';

export type { CallOptions, CoreHandle, CoreOptions } from './service-api.ts';

type Handlers = { [M in MethodName]: Handler<M> };

/**
 * The methods whose handler writes synchronously, with the words a waiting person sees: each call is one turn
 * of the write gate, in one transaction. The methods that write in steps (ai.resolve, ai.draftLive,
 * outcomes.verify, imports.start) take their turns themselves through ctx.writes, and so do the acts that may be
 * signed (categories.setMode, ai.review, outcomes.disputeUphold|Reject, kpis.freezeBaseline): the signer's
 * password is checked before their turn (people/signatures.ts runSigned).
 */
const SYNC_WRITES: Partial<Record<MethodName, string>> = {
  'ai.configure': 'AI settings change',
  'ai.allowRemoteHost': 'AI remote host allowance',
  'organization.configure': 'organization settings change',
  'kb.edit': 'knowledge-base edit',
  'outcomes.disputeOpen': 'dispute',
  'audit.note': 'audit note',
  'sla.importPolicies': 'SLA policy import',
  'import.jsonl': 'JSONL import',
  'users.add': 'account creation',
  'users.setRole': 'role change',
  'users.disable': 'account change',
  'users.enable': 'account change',
};

/** Reads that show settings: in a ledger with accounts, who looked is in the access log (SOC 2 CC6, Part 11 §11.10(e)). */
const SETTINGS_VIEWS: Partial<Record<MethodName, string>> = {
  'ai.settings': 'AI settings',
  'organization.settings': 'organization settings',
};

/** Reads that hand a file out of the console: each one is in the access log as an export (issue 11: exports). */
const EXPORTS: Partial<Record<MethodName, string>> = {
  'outcomes.statementPdf': 'statement PDF',
  'kpis.export': 'KPI export',
  'imports.anomaliesCsv': 'import anomalies CSV',
};

const SWEEP_EVERY_MS = 30_000;
/** CoreOptions.warmAttributionFromEvents's default. */
const WARM_ATTRIBUTION_FROM_EVENTS = 200_000;

export function openCore(options: CoreOptions): CoreHandle {
  registerFeatures();
  if (options.session) declareSession(options.session);
  if (options.key !== undefined) useDatabaseKey(options.dbPath, options.key);
  const db = openDatabase(options.dbPath);
  const emitter = new EventEmitter();
  const onWriteStatus = (status: WriteStatus): void => {
    emitter.emit('writes.status', status);
  };
  let replica: TeamReplica | null = null;
  let writes: WriteGate;
  let leases: TeamAiLeases | null = null;
  if (options.team) {
    const team = options.team;
    let teamGate: TeamWriteGate | null = null;
    replica = new TeamReplica({
      db,
      dbPath: options.dbPath,
      url: team.url,
      key: () => ctx.installationKey(),
      historyCheckEveryMs: team.historyCheckEveryMs,
      pollEveryMs: team.pollEveryMs,
      requestSync: () => teamGate?.requestSync(),
      onApplied: () => emitLedgerChanged(ctx),
      onStatus: (status) => emitter.emit('team.status', status),
    });
    writes = teamGate = new TeamWriteGate(replica, { onStatus: onWriteStatus });
    const gate = teamGate;
    leases = new TeamAiLeases({ pool: replica.pool, replicaId: replica.replicaId, catchUp: () => gate.sync(), seconds: team.aiLeaseSeconds });
  } else {
    writes = new WriteGate({ onStatus: onWriteStatus });
  }
  const mode = options.mode ?? 'browser';
  let installationKey: InstallationKey | undefined;
  const ctx: CoreContext = {
    writes,
    db,
    dbPath: options.dbPath,
    mode,
    emit: (event, payload) => emitter.emit(event, payload),
    installationKey: () => (installationKey ??= loadOrCreateInstallationKey({ protector: options.keyProtector })),
    team: leases ? { leases } : null,
    chain: new ChainMonitor(options.dbPath, {
      pollIntervalMs: options.chainPollIntervalMs,
      onStatus: (status) => emitter.emit('chain.status', status),
    }),
  };
  // Every append this core makes is checked by the monitor as an increment; its first full check starts now.
  emitter.on('ledger.changed', () => ctx.chain.ledgerChanged());
  ctx.chain.start();
  if (replica && writes instanceof TeamWriteGate) {
    replica.start();
    writes.requestSync();
  }
  // A console (its window, `attest serve`) names its mode: its read threads start now rather than at its first reads,
  // and on a large ledger the live attribution's thread judges the unverified tickets before the Outcomes tab is
  // first opened (16 s at a million tickets).
  const consoleOpen = options.mode !== undefined;
  if (consoleOpen) {
    const warmAttribution = (new LedgerRepository(db).maxSeq() ?? 0) >= (options.warmAttributionFromEvents ?? WARM_ATTRIBUTION_FROM_EVENTS);
    startConsoleReadThreads(options.dbPath, { warmAttribution });
  }
  const treeWarming =
    options.warmLedgerTree === false
      ? null
      : warmLedgerTreeInBackground(db, {
          onError: (error) => console.error(`attest: building the Merkle tree in the background failed: ${error.message}`),
          // On a file, the slices are read and hashed on a read thread and only adopted here: at a million tickets
          // the first build took 42 s of this thread (a CPU profile of the 1M console run).
          ...(!consoleOpen || !readsRunInThreads(options.dbPath) ? {} : { readBlocksElsewhere: (input) => readOffThread(db, options.dbPath, 'ledger.treeBlocks', input).then((json) => json.parse()) }),
        });
  if (treeWarming) emitter.on('ledger.changed', () => treeWarming.nudge());
  const stopCheckpoints = options.checkpointEveryMs
    ? scheduleCheckpoints(db, {
        everyMs: options.checkpointEveryMs,
        write: writes.turnOn(db),
        key: { protector: options.keyProtector },
        onError: (error) => console.error(`attest: the scheduled checkpoint failed: ${error.message}`),
      })
    : null;

  // Single-user mode (no accounts): one caller, the operating-system user, with the role the core was opened with.
  const singleUserActor = options.user ? { kind: 'human' as const, id: options.user } : operatingSystemUser();
  const singleUserRole = options.role ?? 'admin';
  const sessions = new SessionStore(options.clock);

  const people = {
    async state(caller: Caller): Promise<AuthState> {
      const state = peopleState(db);
      // Asked again at every showing (an admin may have changed a demo password meanwhile); each account and hash is
      // checked once per process (demo-accounts.ts).
      const demoAccounts = options.demo && state.required ? await demoAccountsStillPublished(db) : [];
      return {
        mode: state.required ? 'accounts' : 'single-user',
        person: state.required ? caller.person : null,
        idleMinutes: state.idleMinutes,
        demoAccounts,
      };
    },
    async open(caller: Caller, person: Person): Promise<void> {
      // Signing in again from the same window or browser ends the session it held: one person per session.
      if (caller.session) await endSessions([caller.session], 'signed out');
      caller.onSession(sessions.open(person, caller.via).token);
    },
    async end(caller: Caller): Promise<void> {
      caller.onSession(null);
      if (!caller.session) return;
      try {
        await endSessions([caller.session], 'signed out');
      } catch (error) {
        // Team mode offline: the session has ended all the same; only its record could not be written.
        if (error instanceof TeamUnavailableError) throw new TeamUnavailableError(`signed out; the sign-out could not be recorded in the access log: ${error.message}`);
        throw error;
      }
    },
  };

  /** Records an access event of `person` in its own write turn and tells the console the ledger moved. */
  async function recordAccess(what: string, type: string, person: Person, via: string, fields: Record<string, unknown>): Promise<void> {
    await writes.write(db, what, () => {
      const at = new Date().toISOString();
      recordEvents(db, [{ type, at, actor: actorOfPerson(person), account: person.account, via, ...fields }], at);
    });
    emitLedgerChanged(ctx);
  }

  /** Ends these sessions, each an `access.logout` with the reason (sign-out, a new sign-in, a locked screen). */
  async function endSessions(tokens: readonly string[], reason: 'signed out' | 'locked'): Promise<void> {
    const accounts = peopleState(db).accounts;
    for (const session of tokens.map((token) => sessions.end(token))) {
      const account = session ? accounts.get(session.account) : undefined;
      if (session && account) await recordAccess('sign-out', 'access.logout', personOf(account), session.via, { reason });
    }
  }

  /** Ends the sessions idle longer than an admin allows, each in the access log (synchronous when none ended). */
  function expireIdle({ idleMinutes, required }: PeopleState): Promise<void> | null {
    if (!required) return null;
    const expired = sessions.takeExpired(idleMinutes);
    if (expired.length === 0) return null;
    return writes
      .write(db, 'session expiry', () => {
        const at = new Date().toISOString();
        recordEvents(db, expired.map((session) => ({ type: 'access.expired', at, actor: { kind: 'system', id: 'attest' }, account: session.account, via: session.via, idleMinutes })), at);
      })
      .then(() => emitLedgerChanged(ctx));
  }
  const sweep = setInterval(() => void expireIdle(peopleState(db))?.catch(() => undefined), SWEEP_EVERY_MS);
  sweep.unref();

  /** Who calls; role null when the ledger has accounts and the call carries no live session of an enabled account. */
  function callerOf(call: CallOptions, state: PeopleState): Caller {
    const via = call.via ?? (mode === 'electron' ? 'electron' : 'browser');
    const onSession = call.onSession ?? (() => undefined);
    if (!state.required) return { person: null, actor: singleUserActor, role: singleUserRole, via, session: null, onSession };
    const session: Session | null = sessions.get(call.session);
    const account = session ? state.accounts.get(session.account) : undefined;
    if (!session || !account?.enabled) {
      // A disabled account's session ends at its next call.
      if (session) sessions.end(session.token);
      return { person: null, actor: { kind: 'system', id: 'anonymous' }, role: null, via, session: null, onSession };
    }
    const person = personOf(account);
    return { person, actor: actorOfPerson(person), role: person.role, via: session.via, session: session.token, onSession };
  }

  const imports = importHandlers(ctx);
  // Each feature contributes its handlers; who may call them is the one table in shared/permissions.ts.
  const handlers: Handlers = {
    ...ledgerHandlers(ctx).handlers,
    ...categoryHandlers(ctx).handlers,
    ...kpiHandlers(ctx).handlers,
    ...slaHandlers(ctx).handlers,
    ...aiHandlers(ctx).handlers,
    ...organizationHandlers(ctx).handlers,
    ...outcomeHandlers(ctx).handlers,
    ...imports.handlers,
    ...peopleHandlers(ctx, people).handlers,
    ...auditConsoleHandlers(ctx).handlers,
    ...auditHandlers(ctx).handlers,
    'team.status': async () => replica?.status() ?? null,
  };

  async function run<M extends MethodName>(method: M, input: unknown, call: CallOptions): Promise<WireResult<MethodOutput<M>>> {
    try {
      // No await unless a session did expire: a call must join the write queue in the same tick it was made.
      const people = peopleState(db);
      const expiring = expireIdle(people);
      // Offline (team mode) the expired sessions still end; only their access.expired record cannot be written, which
      // must not fail this caller's own call.
      if (expiring) await expiring.catch((error: unknown) => {
        if (!(error instanceof TeamUnavailableError)) throw error;
      });
      const caller = callerOf(call, people);
      if (caller.role === null && !isPublic(method)) {
        return { ok: false, error: { code: 'unauthenticated', message: refusal(null, method) } };
      }
      if (!mayDo(caller.role, method)) return { ok: false, error: { code: 'forbidden', message: refusal(caller.role, method) } };
      const parsed = parseInput(method, input);
      if (!parsed.ok) return parsed;
      const session = sessions.get(caller.session);
      // auth.state is how a console asks whether its session still lives: it must not keep it alive.
      if (session && method !== 'auth.state') sessions.touch(session);
      const handler = handlers[method] as Handler<M>;
      const writeLabel = SYNC_WRITES[method];
      const value = writeLabel ? await writes.write(db, writeLabel, () => handler(parsed.value, caller)) : await handler(parsed.value, caller);
      const viewed = SETTINGS_VIEWS[method];
      // Once per session and settings: a console that re-reads the settings must not flood the access log.
      if (viewed && caller.person && session && !session.settingsViewed.has(viewed)) {
        session.settingsViewed.add(viewed);
        await recordAccess(`${viewed} view`, 'access.settingsViewed', caller.person, caller.via, { settings: viewed });
      }
      const exported = EXPORTS[method];
      if (exported && caller.person) {
        await recordAccess(`${exported} export`, 'access.export', caller.person, caller.via, { what: exported, headSeq: new LedgerRepository(db).lastEvent().seq });
      }
      return { ok: true, value };
    } catch (error) {
      if (error instanceof WriteBusyError) return { ok: false, error: { code: 'busy', message: error.message } };
      if (error instanceof TeamUnavailableError) return { ok: false, error: { code: 'offline', message: error.message } };
      if (error instanceof TeamConflictError) return { ok: false, error: { code: 'conflict', message: error.message } };
      if (error instanceof NotFoundError) return { ok: false, error: { code: 'not_found', message: error.message } };
      if (error instanceof InputError) return { ok: false, error: { code: 'invalid_input', message: error.message } };
      if (error instanceof SignInRefused || error instanceof ForbiddenError) return { ok: false, error: { code: 'forbidden', message: error.message } };
      if (error instanceof ImportError) return { ok: false, error: { code: 'import_failed', message: error.message } };
      return { ok: false, error: { code: 'internal', message: (error as Error).message } };
    }
  }

  async function invokeForWire(method: string, input: unknown, call: CallOptions = {}): Promise<WireResult<unknown>> {
    if (!isMethodName(method)) return { ok: false, error: { code: 'unknown_method', message: `unknown method ${method}` } };
    return run(method, input, call);
  }

  /**
   * Stops timers, monitors and listeners; returns the closing of the team connection, if any. The chain monitor's
   * checks are asked to stop, never killed: `close` waits for them synchronously, `closeAsync` without blocking.
   */
  function stopAll(chainClosed: 'wait' | 'async'): { replica: Promise<void> | null; chain: Promise<void> | null } {
    clearInterval(sweep);
    stopCheckpoints?.();
    treeWarming?.stop();
    // Jobs in threads of their own (the outcome verification, an import) stop between two SQLite calls, never inside
    // one: a verification keeps the batches it committed, an import is rolled back whole.
    stopJobThreads(ctx.dbPath);
    imports.dispose?.();
    let chain: Promise<void> | null = null;
    if (chainClosed === 'wait') ctx.chain.close();
    else chain = ctx.chain.closeAsync();
    // Reads on threads of their own (the Outcomes tab's attribution, session gaps) are waited for, never killed.
    stopReadThreads(ctx.dbPath);
    emitter.removeAllListeners();
    const closing = replica?.close() ?? null;
    replica = null;
    return { replica: closing, chain };
  }

  return {
    async invoke(method: string, input: unknown, call: CallOptions = {}): Promise<Result<unknown>> {
      const result = await invokeForWire(method, input, call);
      // Parsed once here for a caller that wants the value (the CLI, a script, a test): json-text.ts.
      return result.ok && isJsonText(result.value) ? { ok: true, value: result.value.parse() } : (result as Result<unknown>);
    },
    invokeForWire,
    hasSession(token: string | null | undefined): boolean {
      return !peopleState(db).required || sessions.get(token) !== null;
    },
    async endAllSessions(reason: 'locked'): Promise<void> {
      await endSessions(sessions.tokens(), reason);
    },
    subscribe<E extends CoreEventName>(event: E, listener: (payload: CoreEvents[E]) => void) {
      emitter.on(event, listener);
      return () => emitter.off(event, listener);
    },
    close() {
      const closing = stopAll('wait').replica;
      // A desktop core closes its file at once; a team core once its connection to the server is closed.
      if (closing) void closing.finally(() => db.open && db.close());
      else if (db.open) db.close();
    },
    async closeAsync() {
      const { replica: closing, chain } = stopAll('async');
      await Promise.all([closing, chain]);
      if (db.open) db.close();
    },
    async syncTeam() {
      if (writes instanceof TeamWriteGate) await writes.sync();
    },
  };
}
