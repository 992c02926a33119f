// Fills an empty database with the deterministic demo history, through the same ledger path as imports.
import { existsSync, rmSync } from 'node:fs';
import { openDatabase, type Db } from './db/connection.ts';
import { DEMO_DEFAULT_START, DEMO_PILOT_CATEGORIES, DEMO_PILOT_PARTIAL_CATEGORIES, demoPilotStart, generateDemoHistory, type DemoEventLine } from './demo/generator.ts';
import { parseEventLine } from './ledger/event-lines.ts';
import { LedgerWriter } from './ledger/ledger.ts';
import { LedgerRepository } from './ledger/ledger-repository.ts';
import { rebuildAllProjections } from './derived/refresh.ts';
import { defaultSlaPolicyLine } from './sla/default-policies.ts';
import { importKnowledgeBase } from './kb/kb-import.ts';
import { resourcePath } from './resources.ts';
import { demoContractLine } from './outcomes/demo-contract.ts';
import { registerFeatures } from './features.ts';

export interface DemoDatabaseOptions {
  tickets?: number;
  seed?: number;
  /** Called after each committed batch with the number of events written so far. */
  onProgress?: (events: number) => void;
}

export interface DemoReport {
  tickets: number;
  events: number;
  headHash: string;
  kbArticles: number;
}

const BATCH = 50_000;

const PILOT_SUPERVISOR = { kind: 'human', id: 'supervisor-1' } as const;

/** The demo's pilot as the ledger records it: at pilot start a supervisor enables the AI per category. */
function* withPilotModes(history: Iterable<DemoEventLine>, pilotStart: string): Generator<DemoEventLine> {
  let enabled = false;
  for (const line of history) {
    if (!enabled && String(line.at) >= pilotStart) {
      enabled = true;
      for (const category of DEMO_PILOT_CATEGORIES) {
        yield { type: 'category.mode', at: pilotStart, actor: PILOT_SUPERVISOR, category, mode: 'auto', reason: 'Tier-1 pilot: AI resolves and sends' };
      }
      for (const category of DEMO_PILOT_PARTIAL_CATEGORIES) {
        yield { type: 'category.mode', at: pilotStart, actor: PILOT_SUPERVISOR, category, mode: 'draft', reason: 'Pilot: AI drafts, an agent approves' };
      }
    }
    yield line;
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
  const writer = new LedgerWriter(db);
  // The default SLA policies are in force from the demo's first moment, so the SLA board works out of the box.
  const history = (function* () {
    yield defaultSlaPolicyLine(DEMO_DEFAULT_START);
    yield demoContractLine(DEMO_DEFAULT_START);
    yield* withPilotModes(generateDemoHistory({ tickets, seed }), demoPilotStart({}));
  })();
  let events = 0;
  const writeBatch = db.transaction((): boolean => {
    for (let i = 0; i < BATCH; i++) {
      const next = history.next();
      if (next.done) {
        writer.flush();
        return false;
      }
      const event = parseEventLine(next.value);
      // The demo simulates a ledger recorded live: each event is recorded when it happens.
      writer.append(event, event.at);
      events++;
    }
    writer.flush();
    return true;
  });
  while (writeBatch.immediate()) options.onProgress?.(events);
  options.onProgress?.(events);
  rebuildAllProjections(db);
  // The shipped knowledge base, imported now as a supervisor would, so AI drafts can cite it out of the box.
  const kb = importKnowledgeBase(db, resourcePath('kb'), PILOT_SUPERVISOR);
  const head = new LedgerRepository(db).lastEvent();
  return { tickets, events: head.seq, headHash: head.hash, kbArticles: kb.articles.length };
}

/** Creates `dbPath` holding the demo history; removes the half-written file if generation fails. */
export function createDemoDatabase(dbPath: string, options: DemoDatabaseOptions = {}): DemoReport {
  const fresh = !existsSync(dbPath);
  const db = openDatabase(dbPath);
  try {
    return writeDemoHistory(db, options);
  } catch (error) {
    db.close();
    if (fresh) for (const suffix of ['', '-wal', '-shm']) rmSync(dbPath + suffix, { force: true });
    throw error;
  } finally {
    if (db.open) db.close();
  }
}
