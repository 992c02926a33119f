import { boardThresholdsSchema, KPI_DEFINITIONS } from '../../../shared/contracts/kpis.ts';
import { findBaseline, freezeBaseline, listBaselines } from '../kpis/baselines.ts';
import { kpiDefinitionsHash } from '../kpis/definitions.ts';
import { exportKpiView } from '../kpis/kpi-export.ts';
import { creationDayRange } from '../kpis/kpi-repository.ts';
import { kpiDrill, kpiDrillExport, kpiTickets } from '../kpis/kpi-tickets.ts';
import { roiLedgerValues } from '../kpis/roi-ledger.ts';
import { type CoreContext, type FeatureHandlers } from './context.ts';
import { emitLedgerChanged } from './ledger-changed.ts';
import { readOffThread } from './read-thread.ts';
import { runSigned } from '../people/signatures.ts';

type KpiMethod =
  | 'kpis.definitions'
  | 'kpis.report'
  | 'kpis.series'
  | 'kpis.tickets'
  | 'kpis.drill'
  | 'kpis.drillExport'
  | 'kpis.baselines'
  | 'kpis.freezeBaseline'
  | 'kpis.board'
  | 'kpis.roiInputs'
  | 'kpis.export';

export function kpiHandlers(ctx: CoreContext): FeatureHandlers<KpiMethod> {
  return {
    handlers: {
      'kpis.definitions': () => ({ definitions: KPI_DEFINITIONS, hash: kpiDefinitionsHash(), dataRange: creationDayRange(ctx.db) }),
      // The KPI overview's reads, in the read threads' lane of quick reads: at a million tickets, under an import's
      // writes, a report held the console's thread for up to 120 ms.
      'kpis.report': (input) => readOffThread(ctx.db, ctx.dbPath, 'kpis.report', input),
      'kpis.series': (input) => readOffThread(ctx.db, ctx.dbPath, 'kpis.series', input),
      'kpis.tickets': (input) => kpiTickets(ctx.db, input),
      'kpis.drill': (input) => kpiDrill(ctx.db, input),
      'kpis.drillExport': (input) => kpiDrillExport(ctx.db, input),
      'kpis.baselines': () => listBaselines(ctx.db),
      // A baseline is signed once the ledger has accounts: the freeze and its signature in one transaction.
      'kpis.freezeBaseline': async ({ signature, ...period }, caller) => {
        const row = await runSigned(ctx.db, ctx.writes.turnOn(ctx.db), caller, signature, 'baseline freeze', () => {
          const frozen = freezeBaseline(ctx.db, period, caller.actor);
          return { value: frozen, signed: frozen.seq, needsSignature: true };
        });
        emitLedgerChanged(ctx);
        // Read again after the turn: the signature is recorded after the baseline it signs.
        return findBaseline(ctx.db, row.seq)!;
      },
      // Every category's KPIs against the frozen baseline: on a read thread (read-thread.ts).
      'kpis.board': (input) => readOffThread(ctx.db, ctx.dbPath, 'kpis.board', input),
      'kpis.roiInputs': (input) => roiLedgerValues(ctx.db, input),
      'kpis.export': (input) => exportKpiView(ctx.db, { ...input, thresholds: boardThresholdsSchema.parse({}) }),
    },
  };
}
