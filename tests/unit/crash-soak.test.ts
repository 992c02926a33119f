// Crash soak (issue 16, item 2): a worker doing real work — imports of JSONL and CSV files, AI resolution against the
// Ollama stand-in, outcome verification, checkpoints — is killed with SIGKILL at random moments, and after every kill
// the ledger must be sound: integrity_check ok, the chain verifying (Attest's verify and an independent recompute),
// every acknowledged event present with its hash, no import half-applied, no AI reply twice; a final run completes
// the interrupted work without duplicates. 200 kills here; `npm run test:soak` runs 1,000 (ATTEST_SOAK_KILLS).
// ATTEST_SOAK_SEED replays a run; the seed is printed either way.
import { appendFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { aiReplyFields } from '../../electron/core/ai/disclosure.ts';
import { openDatabase } from '../../electron/core/db/connection.ts';
import { recordEvents } from '../../electron/core/derived/record-events.ts';
import { GENESIS_HASH } from '../../shared/domain.ts';
import { checkLedger, runCrashSoak, SoakFailure } from '../support/crash-soak/soak-harness.ts';
import { tempDir } from './helpers.ts';

const KILLS = Number(process.env.ATTEST_SOAK_KILLS ?? 200);
const SEED = Number(process.env.ATTEST_SOAK_SEED ?? Math.floor(Math.random() * 2 ** 31));

describe('crash soak', () => {
  it(`survives ${KILLS} SIGKILLs mid-work with nothing acknowledged lost, nothing half-applied and nothing done twice`, async () => {
    console.log(`crash soak: seed ${SEED} (replay with ATTEST_SOAK_SEED=${SEED}), ${KILLS} kills`);
    const dir = tempDir();
    const report = await runCrashSoak({ dir, kills: KILLS, seed: SEED, log: (line) => console.log(line) });
    console.log(`crash soak: ${report.killsSurvived} kills survived (seed ${SEED}): ${report.roundsCompleted} rounds, ${report.events} events (${report.acknowledgedEvents} acknowledged), ${report.importedTickets} imported tickets, ${report.aiReplies} AI replies`);
    expect(report.killsSurvived).toBe(KILLS);
    // The kills landed in real work: with enough of them, rounds were completed and acknowledged across them.
    expect(report.roundsCompleted).toBeGreaterThan(KILLS >= 100 ? 1 : 0);
    expect(report.aiReplies).toBeGreaterThan(0);

    // The checks can fail: each kind of damage they look for, made to a copy of the soaked ledger, is caught.
    const start = { seq: 0, hash: GENESIS_HASH };
    const damaged = (name: string, damage: (path: string, sideLog: string) => void): (() => void) => {
      const path = join(dir, `${name}.db`);
      const sideLog = join(dir, `${name}.jsonl`);
      copyFileSync(join(dir, 'soak.db'), path);
      copyFileSync(join(dir, 'acknowledged.jsonl'), sideLog);
      damage(path, sideLog);
      return () => checkLedger(path, sideLog, start, name);
    };
    expect(checkLedger(join(dir, 'soak.db'), join(dir, 'acknowledged.jsonl'), start, 'soaked')).toMatchObject({ seq: report.events });
    // A lost acknowledged event (the last one cut off, as a lost commit would).
    expect(damaged('lost', (path) => {
      const raw = new Database(path);
      raw.exec('DROP TRIGGER IF EXISTS events_no_delete');
      raw.prepare('DELETE FROM events WHERE seq = (SELECT max(seq) FROM events)').run();
      raw.close();
    })).toThrow(SoakFailure);
    // An acknowledgement of an event the ledger does not hold.
    expect(damaged('unacknowledged', (_path, sideLog) => appendFileSync(sideLog, `${JSON.stringify({ round: 0, op: 'import', events: [[report.events + 1, 'f'.repeat(64)]] })}\n`))).toThrow(
      /acknowledged event #\d+ .* is missing or changed/,
    );
    // A second AI reply to a ticket, appended through Attest's own path (so the chain itself is sound).
    expect(damaged('twice', (path) => {
      const db = openDatabase(path);
      const ticket = db.prepare("SELECT ticket_id FROM events WHERE type = 'message' AND json_extract(actor, '$.kind') = 'ai' LIMIT 1").pluck().get() as string;
      recordEvents(db, [{ ticket, type: 'message', at: new Date().toISOString(), ...aiReplyFields({ kind: 'ai', model: 'llama3.2:3b' }, 'Again.') }]);
      db.close();
    })).toThrow(/AI replied 2 times/);
  }, Math.max(120_000, KILLS * 2_000));
});
