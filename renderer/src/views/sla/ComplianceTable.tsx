// Compliance per metric, overall and split by who fulfilled it (AI or human); every count drills down.
import { SLA_METRICS, type SlaComplianceReport, type SlaMetricCounts } from '../../../../shared/contracts/sla.ts';
import type { DrillDown } from './SlaTicketList.tsx';
import { formatCount, formatPercent } from '../../../../shared/format.ts';
import { METRIC_LABELS } from './useSlaCall.ts';

interface Props {
  overall: SlaComplianceReport;
  byActor: SlaComplianceReport | null;
  onDrill(drill: DrillDown): void;
}

function Count({ value, onClick, testId }: { value: number; onClick(): void; testId: string }) {
  return (
    <button type="button" className="sla-count" onClick={onClick} disabled={value === 0} data-testid={testId}>
      {formatCount(value)}
    </button>
  );
}

function Cells({ counts, drill, testId }: { counts: SlaMetricCounts | undefined; drill(outcome: DrillDown['outcome']): void; testId: string }) {
  if (!counts) return <td colSpan={4} className="sla-muted">—</td>;
  return (
    <>
      <td className="sla-num sla-compliance" data-testid={`${testId}-compliance`}>{formatPercent(counts.compliance)}</td>
      <td className="sla-num"><Count value={counts.achieved} onClick={() => drill('achieved')} testId={`${testId}-achieved`} /></td>
      <td className="sla-num"><Count value={counts.breached} onClick={() => drill('breached')} testId={`${testId}-breached`} /></td>
      <td className="sla-num"><Count value={counts.inProgress} onClick={() => drill('in_progress')} testId={`${testId}-inprogress`} /></td>
    </>
  );
}

export function ComplianceTable({ overall, byActor, onDrill }: Props) {
  const splits = ['ai', 'human'] as const;
  return (
    <table className="sla-table" data-testid="sla-compliance">
      <thead>
        <tr>
          <th rowSpan={2}>Metric</th>
          <th colSpan={4}>All tickets</th>
          {splits.map((actor) => (
            <th key={actor} colSpan={4}>{actor === 'ai' ? 'Fulfilled by AI' : 'Fulfilled by a human'}</th>
          ))}
        </tr>
        <tr>
          {[0, 1, 2].map((i) => (
            <th key={i} colSpan={4} className="sla-subhead">compliance · achieved · breached · in progress</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {SLA_METRICS.map((metric) => (
          <tr key={metric} data-testid={`sla-row-${metric}`}>
            <th scope="row">{METRIC_LABELS[metric]}</th>
            <Cells counts={overall.metrics[metric]} testId={`sla-${metric}`} drill={(outcome) => onDrill({ metric, outcome })} />
            {splits.map((actor) => (
              <Cells
                key={actor}
                counts={byActor?.groups[actor]?.[metric] ?? (byActor ? { achieved: 0, breached: 0, inProgress: 0, compliance: null } : undefined)}
                testId={`sla-${metric}-${actor}`}
                drill={(outcome) => onDrill({ metric, outcome, by: 'actor', group: actor })}
              />
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
