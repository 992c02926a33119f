// Phase "demo": `attest demo`'s own function (createDemoDatabase) at the run's ticket count. Its database — accounts,
// SLA policies, the outcome contract, the frozen baseline — is the one the verify, Merkle, rebuild and console
// phases use.
import { createDemoDatabase } from '../../electron/core/demo-database.ts';
import { count, log, rate, seconds, type BenchContext } from './bench-kit.ts';

export function demoPhase(ctx: BenchContext): void {
  const started = performance.now();
  const report = createDemoDatabase(ctx.demoDbPath, { tickets: ctx.tickets, seed: ctx.seed });
  const ms = performance.now() - started;
  log(`attest demo: ${count(report.tickets)} tickets, ${count(report.events)} events in ${seconds(ms)}: ${rate(report.events, ms)}   goal: 1,000,000 tickets in ≤ 300 s`);
}
