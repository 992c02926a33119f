// Fills an empty database with the deterministic demo history, through the same ledger path as imports.
import { closeSync, existsSync, fsyncSync, linkSync, openSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { finishPrivateBuild, openDatabase, openReadOnly, tableNames, tuneForPrivateBuild, type Db } from './db/connection.ts';
import { databaseKeyFor, useDatabaseKey } from './db/database-key.ts';
import { syncFolder } from './files/atomic-file.ts';
import { processIsAlive } from './files/private-temp.ts';
import { DEMO_DEFAULT_START, DEMO_PILOT_CATEGORIES, DEMO_PILOT_PARTIAL_CATEGORIES, demoPilotStart, generateDemoHistory, type DemoEventLine } from './demo/generator.ts';
import { DEMO_BASELINE_NAME, DEMO_FAILED_CATEGORY, DEMO_FAILED_REASON, demoBaselinePeriod } from './demo/demo-story.ts';
import { DEMO_ORGANIZATION, DEMO_ORGANIZATION_REASON } from './demo/demo-organization.ts';
import { organizationSettingsLine } from './organization/organization-settings.ts';
import { baselineLine } from './kpis/baselines.ts';
import { creationDayRange } from './kpis/kpi-repository.ts';
import { parseEventLine, type LedgerEventInput } from './ledger/event-lines.ts';
import { parsedAhead } from './interchange/parse-ahead.ts';
import { LedgerWriter } from './ledger/ledger.ts';
import { LedgerRepository } from './ledger/ledger-repository.ts';
import { noteAppended, rebuildAllProjections, refreshAfterAppend } from './derived/refresh.ts';
import { inWriteTransaction } from './db/transaction.ts';
import { defaultSlaPolicyLine } from './sla/default-policies.ts';
import { importKnowledgeBase } from './kb/kb-import.ts';
import { resourcePath } from './resources.ts';
import { demoContractLine } from './outcomes/demo-contract.ts';
import { registerFeatures } from './features.ts';
import { attestVersion } from './sessions/session-start.ts';
import { ACCOUNT_ACTOR_PREFIX, type Actor } from '../../shared/domain.ts';
import type { DemoAccount } from '../../shared/contracts/people.ts';
import { DEMO_ACCOUNTS } from './people/demo-accounts.ts';
import { credentialDigest, hashPassword, requireAcceptablePassword } from './people/passwords.ts';
import { PeopleRepository } from './people/people-repository.ts';

export interface DemoDatabaseOptions {
  tickets?: number;
  seed?: number;
  /**
   * The demo's accounts (default true): an admin, two supervisors and an auditor with published passwords, to
   * whom the demo's history is attributed. false: a demo in single-user mode (tests of features, not of people).
   */
  accounts?: boolean;
  /** The demo admin's login name and password instead of the published ones (`attest demo --admin`). */
  admin?: { name: string; password: string };
  /**
   * Events written per transaction (default 50,000). Tests take small batches to put batch ends everywhere (go-live
   * falls inside one); the ledger written is the same whatever the size.
   */
  batchEvents?: number;
  /**
   * From this many tickets on (default DEMO_AHEAD_MIN_TICKETS) the history is generated and parsed ahead in a
   * thread of its own; tests lower it to compare the two ways.
   */
  aheadMinTickets?: number;
  /** Called after each committed batch with the number of events written so far. */
  onProgress?: (events: number) => void;
  /**
   * Called as each stage after the first starts (the demo writes events first): the long ones — projecting the
   * history at go-live and after the last event — take minutes at a million tickets, and say how much they cover.
   */
  onStage?: (stage: DemoStage) => void;
}

/** A stage of making the demo, after the events start streaming (their count goes to `onProgress`). */
export type DemoStage =
  /** At go-live the projections are built from the history so far, so the KPI baseline can be frozen from them. */
  | { stage: 'go-live projections'; events: number }
  /**
   * The history is written; the tickets it touched after go-live are projected again (`sinceGoLive`), or, in a demo
   * too short to reach go-live, all its tickets are projected.
   */
  | { stage: 'projections'; events: number; tickets: number; sinceGoLive: boolean }
  /** The shipped knowledge base is imported. */
  | { stage: 'knowledge base' }
  /** Everything is moved into the one database file, which is synced to disk and moved into place. */
  | { stage: 'saving' };

export interface DemoReport {
  /** The accounts created, with their passwords (the admin's only when it is the published one). */
  accounts: { account: string; display: string; role: string; password: string | null }[];
  tickets: number;
  events: number;
  headHash: string;
  kbArticles: number;
}

const DEFAULT_BATCH_EVENTS = 50_000;

/**
 * From this many tickets on, the generator runs ahead in a thread (parse-ahead.ts): starting it costs a fraction of a
 * second, and generating and parsing the lines is a large share of the demo's time.
 */
export const DEMO_AHEAD_MIN_TICKETS = 20_000;

/** A generated line already parsed (ahead, in a thread); the demo's own lines around them are parsed as written. */
class GeneratedEvent {
  readonly event: LedgerEventInput;
  /** Read by the wrappers, as a line's own `at` (the generator writes normalized timestamps). */
  readonly at: string;
  constructor(event: LedgerEventInput) {
    this.event = event;
    this.at = event.at;
  }
}

/** What the demo streams to its writer: its own lines, and the generator's (parsed ahead from DEMO_AHEAD_MIN_TICKETS). */
type DemoItem = DemoEventLine | GeneratedEvent;

/** The generated history: as lines, or parsed ahead in a thread. */
function* generatedHistory(tickets: number, seed: number, ahead: boolean): Generator<DemoItem> {
  if (!ahead) {
    yield* generateDemoHistory({ tickets, seed });
    return;
  }
  for (const item of parsedAhead({ kind: 'demo', tickets, seed }).items) {
    // The thread fails on a line that does not parse (a defect of the generator), so every item is an event.
    if (!('event' in item)) throw new Error(`demo line ${item.lineNumber}: ${item.field}: ${item.reason}`);
    yield new GeneratedEvent(item.event);
  }
}

/** Who created the demo's first account, in single-user mode: the demo generator itself. */
const DEMO_INSTALLER: Actor = { kind: 'system', id: 'attest-demo' };

/** The demo's people: the published accounts, or the admin a script chose. */
function demoPeople(options: DemoDatabaseOptions): DemoAccount[] {
  return DEMO_ACCOUNTS.map((demo) =>
    demo.role === 'admin' && options.admin ? { ...demo, account: options.admin.name, password: options.admin.password } : { ...demo },
  );
}

/** The accounts as ledger events at the demo's start: the admin first (ending single-user mode), then the others. */
function* accountLines(people: DemoAccount[], hashes: ReadonlyMap<string, string>, at: string): Generator<DemoEventLine> {
  const [admin, ...others] = people;
  const credential = (person: DemoAccount): string => credentialDigest(hashes.get(person.account)!);
  yield { type: 'account.created', at, actor: DEMO_INSTALLER, account: admin!.account, display: admin!.display, role: admin!.role, credential: credential(admin!) };
  yield { type: 'accounts.required', at, actor: { kind: 'system', id: 'attest' }, firstAccount: admin!.account };
  for (const person of others) {
    yield { type: 'account.created', at, actor: demoActor(admin!), account: person.account, display: person.display, role: person.role, credential: credential(person) };
  }
}

const demoActor = (person: DemoAccount): Actor => ({ kind: 'human', id: `${ACCOUNT_ACTOR_PREFIX}${person.account}`, name: person.display });

/**
 * The demo's pilot as the ledger records it: at go-live the supervisor freezes the KPI baseline over the pre-pilot
 * months (computed by `freezeBaseline` from the ledger as it stands then) and enables the AI per category; after the
 * last ticket event, having read the board, the supervisor takes the failed category back to drafts, saying why.
 */
function* withPilotModes(history: Iterable<DemoItem>, pilotStart: string, supervisor: Actor, freezeBaseline: () => DemoEventLine | null): Generator<DemoItem> {
  let enabled = false;
  let lastAt = pilotStart;
  for (const line of history) {
    lastAt = String(line.at);
    if (!enabled && lastAt >= pilotStart) {
      enabled = true;
      const baseline = freezeBaseline();
      if (baseline) yield baseline;
      for (const category of DEMO_PILOT_CATEGORIES) {
        yield { type: 'category.mode', at: pilotStart, actor: supervisor, category, mode: 'auto', reason: 'Tier-1 pilot: AI resolves and sends' };
      }
      for (const category of DEMO_PILOT_PARTIAL_CATEGORIES) {
        yield { type: 'category.mode', at: pilotStart, actor: supervisor, category, mode: 'draft', reason: 'Pilot: AI drafts, an agent approves' };
      }
    }
    yield line;
  }
  if (enabled) yield { type: 'category.mode', at: lastAt, actor: supervisor, category: DEMO_FAILED_CATEGORY, mode: 'draft', reason: DEMO_FAILED_REASON };
}

/**
 * The demo's signed acts (ledgers with accounts): right after the contract version and each switch to auto is
 * appended, the supervisor's signature of it, naming the event by the seq and hash the writer just gave it.
 */
/**
 * The demo simulates a ledger recorded live, so it records what a live console would: a session.started before the
 * first event of each UTC day (sessions/session-start.ts), whose clock is the simulated time, so the demo's gap
 * report (audit/session-gaps.ts) is clean.
 */
function* withSimulatedSessions(history: Iterable<DemoItem>): Generator<DemoItem> {
  const version = attestVersion();
  let day: string | null = null;
  for (const line of history) {
    const at = String(line.at);
    if (at.slice(0, 10) !== day) {
      day = at.slice(0, 10);
      yield { type: 'session.started', at, actor: { kind: 'system', id: 'attest' }, clock: at, timeZone: 'Europe/Berlin', version, via: 'console' };
    }
    yield line;
  }
}

function* withSignatures(history: Iterable<DemoItem>, signer: Actor, head: () => { seq: number; hash: string }): Generator<DemoItem> {
  for (const line of history) {
    yield line;
    // Only the demo's own lines are signed (the generator's are tickets' events).
    if (line instanceof GeneratedEvent) continue;
    const signs = line.type === 'contract.version' || line.type === 'baseline.frozen' || (line.type === 'category.mode' && line.mode === 'auto');
    if (!signs) continue;
    const meaning = 'approved';
    // The generator resumes only once the writer has appended `line`: the head is that event.
    const signed = head();
    const reason =
      line.type === 'contract.version'
        ? 'Pilot contract as agreed with the buyer'
        : line.type === 'baseline.frozen'
          ? 'Pre-pilot KPI baseline the pilot is judged against'
          : `Tier-1 pilot: AI resolves ${String(line.category)} and sends`;
    yield { type: 'signature', at: line.at, actor: signer, signedSeq: signed.seq, signedHash: signed.hash, meaning, reason };
  }
}

/** Appends the demo history to an empty ledger. Each generated event is validated like an imported line. */
export function writeDemoHistory(db: Db, options: DemoDatabaseOptions = {}): DemoReport {
  // Callers include Electron's first run and test harnesses that never open a core.
  registerFeatures();
  const tickets = options.tickets ?? 5000;
  const seed = options.seed ?? 1;
  const existing = new LedgerRepository(db).count();
  if (existing > 0) throw new Error(`the database already holds ${existing} events; the demo needs an empty one`);
  // The demo records its own (simulated) sessions, one console a day; the process's own would be out of time.
  const writer = new LedgerWriter(db, { announcesSession: false });
  const people = options.accounts === false ? [] : demoPeople(options);
  if (options.admin) requireAcceptablePassword(options.admin.password, { account: options.admin.name, display: people[0]!.display });
  // The buyer's supervisor who signs the contract and runs the pilot (in single-user mode: nobody in particular).
  const supervisor: Actor = people.length ? demoActor(people.find((p) => p.role === 'supervisor')!) : { kind: 'human', id: 'supervisor-1' };
  // The default SLA policies are in force from the demo's first moment, so the SLA board works out of the box.
  const hashes = new Map(people.map((person) => [person.account, hashPassword(person.password)]));
  let events = 0;
  const pilotStart = demoPilotStart({});
  // At go-live the ledger holds everything before it: the projections are brought up to date (the writer maintains
  // none while the demo streams) and the baseline is computed exactly as `attest baseline freeze` would.
  // From then on the projections are kept by refreshing what the rest of the history touches, so the demo pays for
  // projecting each ticket about once, as before.
  let touchedAfterGoLive: Map<string, ReadonlySet<string>> | null = null;
  const ledgerTypesAfterGoLive = new Set<string>();
  const freezeAtGoLive = (): DemoEventLine | null => {
    writer.flush();
    options.onStage?.({ stage: 'go-live projections', events });
    rebuildAllProjections(db);
    touchedAfterGoLive = new Map();
    // A demo so small that no ticket arrived before go-live has nothing to freeze (the board then says so).
    const period = demoBaselinePeriod();
    const created = creationDayRange(db);
    if (!created || created.firstDay > period.to) return null;
    return baselineLine(db, { name: DEMO_BASELINE_NAME, ...period }, supervisor, pilotStart);
  };
  const unsigned = withSimulatedSessions((function* () {
    if (people.length) yield* accountLines(people, hashes, DEMO_DEFAULT_START);
    yield organizationSettingsLine(DEMO_ORGANIZATION, DEMO_ORGANIZATION_REASON, supervisor, DEMO_DEFAULT_START);
    yield defaultSlaPolicyLine(DEMO_DEFAULT_START);
    yield demoContractLine(DEMO_DEFAULT_START, supervisor);
    const ahead = tickets >= (options.aheadMinTickets ?? DEMO_AHEAD_MIN_TICKETS);
    yield* withPilotModes(generatedHistory(tickets, seed, ahead), pilotStart, supervisor, freezeAtGoLive);
  })());
  // In single-user mode there is nobody to sign.
  const history = people.length ? withSignatures(unsigned, supervisor, () => writer.currentHead()) : unsigned;
  const batchEvents = options.batchEvents ?? DEFAULT_BATCH_EVENTS;
  if (!Number.isInteger(batchEvents) || batchEvents < 1) throw new RangeError(`batchEvents must be a positive integer (got ${batchEvents})`);
  const writeBatch = db.transaction((): boolean => {
    for (let i = 0; i < batchEvents; i++) {
      const next = history.next();
      if (next.done) {
        writer.flush();
        return false;
      }
      const event = next.value instanceof GeneratedEvent ? next.value.event : parseEventLine(next.value);
      // The demo simulates a ledger recorded live: each event is recorded when it happens.
      writer.append(event, event.at);
      if (touchedAfterGoLive) {
        if (event.ticket === null) ledgerTypesAfterGoLive.add(event.type);
        // With the types: a projection that reads none of them keeps the ticket's rows (see DerivedProjection).
        else noteAppended(touchedAfterGoLive, event.ticket, event.type);
      }
      events++;
    }
    writer.flush();
    return true;
  });
  try {
    while (writeBatch.immediate()) options.onProgress?.(events);
  } finally {
    // Closes the generators, and with them the thread that reads ahead, when a batch failed.
    history.return(undefined);
  }
  options.onProgress?.(events);
  // Set inside freezeAtGoLive, which the type checker cannot see from here.
  const touched = touchedAfterGoLive as Map<string, ReadonlySet<string>> | null;
  // Refreshing only what the history touched after go-live costs least of the ways measured (CPU time, issue 15):
  // 15.7 s for a 20,000-ticket demo against 16.8 s with a full rebuild at the end and 16.2 s rebuilding every
  // projection but the ticket tables; projecting each ticket in the batch that writes its last event instead (its
  // events still in SQLite's cache) took 148.9 s against 147.2 s at 200,000 tickets.
  if (touched) {
    options.onStage?.({ stage: 'projections', events, tickets: touched.size, sinceGoLive: true });
    inWriteTransaction(db, () => refreshAfterAppend(db, touched, ledgerTypesAfterGoLive));
  } else {
    options.onStage?.({ stage: 'projections', events, tickets, sinceGoLive: false });
    rebuildAllProjections(db);
  }
  // The shipped knowledge base, imported now as a supervisor would, so AI drafts can cite it out of the box.
  options.onStage?.({ stage: 'knowledge base' });
  const kb = importKnowledgeBase(db, resourcePath('kb'), supervisor);
  const credentials = new PeopleRepository(db);
  for (const person of people) credentials.setPasswordHash(person.account, hashes.get(person.account)!, DEMO_DEFAULT_START);
  const head = new LedgerRepository(db).lastEvent();
  const accounts = people.map((person) => ({
    account: person.account,
    display: person.display,
    role: person.role,
    password: person.role === 'admin' && options.admin ? null : person.password,
  }));
  return { accounts, tickets, events: head.seq, headHash: head.hash, kbArticles: kb.articles.length };
}

/**
 * Creates `dbPath` holding the demo history, whole or not at all: the database is built under a temporary name beside
 * it and moved into place only when complete, so a demo that fails, or is killed mid-run, leaves no half-filled
 * ledger at `dbPath` — and nothing that blocks a re-run (a killed run's temporary file is removed by the next one).
 * An existing `dbPath` is accepted only if it holds no events (it is then replaced by the demo).
 */
export function createDemoDatabase(dbPath: string, options: DemoDatabaseOptions = {}): DemoReport {
  const replaces = existingTargetIsEmpty(dbPath);
  removeAbandonedBuilds(dbPath);
  const partial = join(dirname(dbPath), `${buildPrefix(dbPath)}${process.pid}`);
  removeDatabaseFiles(partial);
  // The file built is the file that will be at dbPath: it is encrypted with the key named for dbPath, if any.
  const key = databaseKeyFor(dbPath);
  if (key) useDatabaseKey(partial, key);
  try {
    const db = openDatabase(partial);
    let report: DemoReport;
    try {
      // Nobody else sees the file until it is finished and synced whole (syncFile below), so no commit waits for the
      // disk; large sorts go to temporary files where that exposes nothing the file would not.
      tuneForPrivateBuild(db, { encrypted: key !== null });
      report = writeDemoHistory(db, options);
      options.onStage?.({ stage: 'saving' });
      // Back in write-ahead-log mode, everything in the main file: the single file renamed below is the whole database.
      finishPrivateBuild(db);
    } finally {
      db.close();
    }
    syncFile(partial);
    moveIntoPlace(partial, dbPath, replaces);
    return report;
  } finally {
    if (key) useDatabaseKey(partial, null);
    removeDatabaseFiles(partial);
  }
}

const DATABASE_FILE_SUFFIXES = ['', '-wal', '-shm', '-journal'];

/** The hidden name a demo for `dbPath` is built under, followed by the building process's id. */
const buildPrefix = (dbPath: string): string => `.${basename(dbPath)}.demo-partial-`;

function removeDatabaseFiles(path: string): void {
  for (const suffix of DATABASE_FILE_SUFFIXES) rmSync(path + suffix, { force: true });
}

/** The temporary files of demos for `dbPath` whose process is gone (killed, or the machine stopped). */
function removeAbandonedBuilds(dbPath: string): void {
  const folder = dirname(dbPath);
  if (!existsSync(folder)) return;
  const prefix = buildPrefix(dbPath);
  for (const name of readdirSync(folder)) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(/^(\d+)/.exec(name.slice(prefix.length))?.[1]);
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !processIsAlive(pid)) rmSync(join(folder, name), { force: true });
  }
}

/**
 * Whether `dbPath` exists and may be replaced by the demo: an empty file, or an Attest database without events. A file
 * holding anything else is refused before any work starts.
 */
function existingTargetIsEmpty(dbPath: string): boolean {
  if (!existsSync(dbPath)) return false;
  if (statSync(dbPath).size > 0) {
    const db = openReadOnly(dbPath);
    try {
      const tables = tableNames(db);
      if (tables.length > 0 && !tables.includes('events')) throw new Error(`${dbPath} is not an Attest ledger; the demo needs a new or empty one`);
      const existing = tables.length === 0 ? 0 : new LedgerRepository(db).count();
      if (existing > 0) throw new Error(`the database already holds ${existing} events; the demo needs an empty one`);
    } finally {
      db.close();
    }
  }
  const wal = `${dbPath}-wal`;
  if (existsSync(wal) && statSync(wal).size > 0) throw new Error(`${dbPath} has a write-ahead log in use (${wal}); close the program using it first`);
  return true;
}

function syncFile(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * The finished demo takes its final name. A hard link never replaces a file that appeared meanwhile (another demo, an
 * import); where the file system has no hard links, a rename checked just before stands in.
 */
function moveIntoPlace(partial: string, dbPath: string, replaces: boolean): void {
  if (replaces) {
    renameSync(partial, dbPath);
  } else {
    try {
      linkSync(partial, dbPath);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'EEXIST') throw new Error(`${dbPath} was created by another program while the demo was being written; the demo was not saved`);
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EXDEV') throw error;
      if (existsSync(dbPath)) throw new Error(`${dbPath} was created by another program while the demo was being written; the demo was not saved`);
      renameSync(partial, dbPath);
    }
  }
  syncFolder(dirname(dbPath));
}
