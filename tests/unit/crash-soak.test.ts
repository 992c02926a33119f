// Crash soak (issue 16, item 2): a worker doing real work — imports of JSONL and CSV files, AI resolution against the
// Ollama stand-in, outcome verification, checkpoints — is killed with SIGKILL at random moments, and after every kill
// the ledger must be sound: integrity_check ok, the chain verifying (Attest's verify and an independent recompute),
// every acknowledged event present with its hash, no import half-applied, no AI reply twice; a final run completes
// the interrupted work without duplicates. 200 kills here; `npm run test:soak` runs 1,000 (ATTEST_SOAK_KILLS).
// ATTEST_SOAK_SEED replays a run; the seed is printed either way.
import { describe, expect, it } from 'vitest';
import { runCrashSoak } from '../support/crash-soak/soak-harness.ts';
import { tempDir } from './helpers.ts';

const KILLS = Number(process.env.ATTEST_SOAK_KILLS ?? 200);
const SEED = Number(process.env.ATTEST_SOAK_SEED ?? Math.floor(Math.random() * 2 ** 31));

describe('crash soak', () => {
  it(`survives ${KILLS} SIGKILLs mid-work with nothing acknowledged lost, nothing half-applied and nothing done twice`, async () => {
    console.log(`crash soak: seed ${SEED} (replay with ATTEST_SOAK_SEED=${SEED}), ${KILLS} kills`);
    const report = await runCrashSoak({ dir: tempDir(), kills: KILLS, seed: SEED, log: (line) => console.log(line) });
    console.log(`crash soak: ${report.killsSurvived} kills survived (seed ${SEED}): ${report.roundsCompleted} rounds, ${report.events} events (${report.acknowledgedEvents} acknowledged), ${report.importedTickets} imported tickets, ${report.aiReplies} AI replies`);
    expect(report.killsSurvived).toBe(KILLS);
    // The kills landed in real work: rounds were completed and acknowledged across them.
    expect(report.roundsCompleted).toBeGreaterThan(1);
    expect(report.aiReplies).toBeGreaterThan(0);
  }, Math.max(120_000, KILLS * 2_000));
});
