// How many import-flagged tickets the KPIs leave out (and from which), with the switch that counts them in.
import type { KpiFlaggedTickets, KpiId } from '../../../../shared/contracts/kpis.ts';
import { KPI_DEFINITIONS } from '../../../../shared/contracts/kpis.ts';
import { formatCount } from '../../../../shared/format.ts';
import { useKpiState } from './kpi-state.ts';

const labelOf = (kpi: string): string => {
  if (kpi === 'aht') return 'AHT (agent work)';
  return KPI_DEFINITIONS.find((d) => d.id === (kpi as KpiId))?.label ?? kpi;
};

export function FlaggedTickets({ flagged }: { flagged: KpiFlaggedTickets }) {
  const setIncludeFlagged = useKpiState((s) => s.setIncludeFlagged);
  // The switch shows what was asked for at once; the sentence says what the report shown was computed with.
  const includeFlagged = useKpiState((s) => s.includeFlagged);
  if (flagged.tickets === 0 && !flagged.included && !includeFlagged) return null;
  const perKpi = Object.entries(flagged.byKpi)
    .map(([kpi, n]) => `${labelOf(kpi)} ${formatCount(n ?? 0)}`)
    .join(' · ');
  const tickets = `${formatCount(flagged.tickets)} import-flagged ticket${flagged.tickets === 1 ? '' : 's'}`;
  return (
    <div className="kpis-flagged" data-testid="kpis-flagged">
      <span data-testid="kpis-flagged-summary">
        {flagged.included ? `${tickets} counted in every KPI` : `${tickets} left out of the KPIs their data-quality flags spoil`}
        {perKpi ? ` (${perKpi})` : ''}
      </span>
      <label className="kpis-flagged-toggle">
        <input type="checkbox" checked={includeFlagged} onChange={(e) => setIncludeFlagged(e.target.checked)} data-testid="kpis-include-flagged" />
        Include flagged tickets
      </label>
    </div>
  );
}
