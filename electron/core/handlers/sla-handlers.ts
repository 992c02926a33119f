import { importPolicyText } from '../sla/policy-file.ts';
import { listPolicyVersions, slaCompliance, slaLiveBoard, slaTickets, slaTrend, ticketSlaReport } from '../sla/sla-queries.ts';
import { slaTicketsExport } from '../sla/sla-ticket-export.ts';
import { NotFoundError, type CoreContext, type FeatureHandlers } from './context.ts';
import { emitLedgerChanged } from './ledger-changed.ts';

type SlaMethod = 'sla.compliance' | 'sla.trend' | 'sla.tickets' | 'sla.ticketsExport' | 'sla.live' | 'sla.ticket' | 'sla.policies' | 'sla.importPolicies';

export function slaHandlers(ctx: CoreContext): FeatureHandlers<SlaMethod> {
  return {
    handlers: {
      'sla.compliance': (input) => slaCompliance(ctx.db, input),
      'sla.trend': (input) => slaTrend(ctx.db, input),
      'sla.tickets': (input) => slaTickets(ctx.db, input),
      'sla.ticketsExport': (input) => slaTicketsExport(ctx.db, input),
      'sla.live': (input) => slaLiveBoard(ctx.db, input),
      'sla.ticket': (input) => {
        const report = ticketSlaReport(ctx.db, input.id, input.asOf === undefined ? undefined : new Date(input.asOf).toISOString());
        if (!report) throw new NotFoundError(`ticket ${input.id} not found`);
        return report;
      },
      'sla.policies': () => listPolicyVersions(ctx.db),
      'sla.importPolicies': (input, caller) => {
        const report = importPolicyText(ctx.db, input.fileName, input.text, caller.actor);
        emitLedgerChanged(ctx);
        return report;
      },
    },
  };
}
