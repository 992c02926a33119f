// Section "outcomes" of `npm run bench`: outcome-contract verification over the benchmark's ledger.
//  1. verification: the demo contract is imported and verification runs as of the end of the history;
//     tickets examined per second, verified/reversed written;
//  2. rerun: verification again (idempotent: nothing written), as when the console opens;
//  3. statement: JSON for the busiest period (goal <= 1 s for a month of a 1M-ticket ledger);
//  4. explain: p50/p95 of `explain` for 500 random tickets (goal p95 <= 20 ms). Timings are printed, never asserted.
import { readFileSync } from 'node:fs';
import { log, percentile, rate, seconds, time, type BenchContext } from './bench-kit.ts';
import { lastEventAt, randomTicketIds } from './bench-repository.ts';
import { openDatabase } from '../../electron/core/db/connection.ts';
import { importContract } from '../../electron/core/outcomes/contract-import.ts';
import { demoContractPath } from '../../electron/core/outcomes/demo-contract.ts';
import { explainTicket } from '../../electron/core/outcomes/explain.ts';
import { buildStatement, statementPeriods } from '../../electron/core/outcomes/statement.ts';
import { runVerification } from '../../electron/core/outcomes/verification.ts';

export function outcomesBench(ctx: BenchContext): void {
  const db = openDatabase(ctx.ledgerDbPath);
  try {
    importContract(db, 'demo-contract.json', readFileSync(demoContractPath(), 'utf8'), { kind: 'human', id: 'bench' }, '2026-05-01T00:00:00Z');
    // As of the ledger's last event, but never later than now (an as-of in the future is refused).
    const now = new Date().toISOString();
    const last = lastEventAt(db);
    const asOf = last !== null && last < now ? last : now;
    const [first, firstMs] = time(() => runVerification(db, asOf));
    log(`verification: ${first.examined.toLocaleString('en-US')} tickets in scope examined in ${seconds(firstMs)} (${rate(first.examined, firstMs, 'tickets')}); ${first.verifiedAdded} verified, ${first.reversedAdded} reversed`);
    const [again, againMs] = time(() => runVerification(db, asOf));
    log(`rerun: ${seconds(againMs)}, ${again.verifiedAdded + again.reversedAdded + again.discrepanciesAdded} events written (idempotent: 0 expected)`);
    const periods = statementPeriods(db);
    const busiest = periods.map((p) => [p, buildStatement(db, p).lines.length] as const).sort((a, b) => b[1] - a[1])[0];
    if (busiest) {
      const [statement, statementMs] = time(() => buildStatement(db, busiest[0]));
      log(`statement ${busiest[0]}: ${statement.lines.length.toLocaleString('en-US')} lines, total ${statement.total} ${statement.currency} in ${(statementMs).toFixed(0)} ms`);
    }
    const ids = randomTicketIds(db, 500);
    const durations = ids.map((id) => time(() => explainTicket(db, id, { asOf }))[1]);
    log(`explain: p50 ${percentile(durations, 50).toFixed(1)} ms, p95 ${percentile(durations, 95).toFixed(1)} ms over ${ids.length} tickets (goal p95 <= 20 ms)`);
  } finally {
    db.close();
  }
}
