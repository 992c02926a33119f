// Section "sla" of `npm run bench`: SLA metrics for the benchmark's ledger, and compliance query latency.
//  1. metrics: importing the default policy file (an `sla.policy` event) computes every ticket's clocks and
//     outcomes and the daily rollups; events/s over the ledger's ticket events;
//  2. incremental: refreshing 10,000 random tickets, as after an import touching them;
//  3. compliance: `slaCompliance` for random date ranges (whole days and timestamps, with and without --by);
//     goal p95 <= 50 ms. Timings are printed, never asserted.
import { log, percentile, rate, seconds, time, type BenchContext } from './bench-kit.ts';
import { randomTicketIds, slaCounts, ticketCreationSpan, ticketEventCount } from './bench-repository.ts';
import { openDatabase } from '../../electron/core/db/connection.ts';
import { recordEvents } from '../../electron/core/derived/record-events.ts';
import { defaultSlaPolicyLine } from '../../electron/core/sla/default-policies.ts';
import { refreshTicketsSla } from '../../electron/core/sla/sla-projection.ts';
import { slaCompliance } from '../../electron/core/sla/sla-queries.ts';
import { SLA_GROUPINGS } from '../../shared/contracts/sla.ts';

export function slaBench(ctx: BenchContext): void {
  const db = openDatabase(ctx.ledgerDbPath);
  try {
    const ticketEvents = ticketEventCount(db);
    const [, metricsMs] = time(() => recordEvents(db, [defaultSlaPolicyLine('2026-05-01T00:00:00Z')]));
    const { outcomes, runningClocks } = slaCounts(db);
    log(`metrics: ${ticketEvents.toLocaleString('en-US')} ticket events -> ${outcomes.toLocaleString('en-US')} outcomes (a ticket's metric each), ${runningClocks.toLocaleString('en-US')} running clocks stored, in ${seconds(metricsMs)} (${rate(ticketEvents, metricsMs)})`);

    const ids = randomTicketIds(db, 10_000);
    const [events, refreshMs] = time(() => refreshTicketsSla(db, ids));
    log(`incremental: ${ids.length.toLocaleString('en-US')} tickets (${events.toLocaleString('en-US')} events) refreshed in ${seconds(refreshMs)} (${rate(ids.length, refreshMs, 'tickets')})`);

    const span = ticketCreationSpan(db);
    const start = Date.parse(span[0]);
    const length = Date.parse(span[1]) - start;
    let seed = 42;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const durations: number[] = [];
    for (let i = 0; i < 200; i++) {
      const a = start + random() * length;
      const b = a + random() * (start + length - a);
      const wholeDays = i % 2 === 0;
      const from = wholeDays ? new Date(a).toISOString().slice(0, 10) : new Date(a).toISOString();
      const to = wholeDays ? new Date(b).toISOString().slice(0, 10) : new Date(b).toISOString();
      const by = i % 4 === 1 ? undefined : SLA_GROUPINGS[i % 3];
      const [, ms] = time(() => slaCompliance(db, { from, to, by }));
      durations.push(ms);
    }
    const p50 = percentile(durations, 50);
    const p95 = percentile(durations, 95);
    log(`compliance: 200 random ranges, p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${Math.max(...durations).toFixed(1)} ms (goal p95 <= 50 ms: ${p95 <= 50 ? 'met' : 'missed'})`);
  } finally {
    db.close();
  }
}
