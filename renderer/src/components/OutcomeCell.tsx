import type { TicketRow } from '../../../shared/contract.ts';

export function OutcomeCell({ row }: { row: TicketRow }) {
  return (
    <span role="gridcell" className="cell-outcome" data-col="outcome">
      <span className={row.reopenCount > 0 ? 'tag tag-warn' : 'tag tag-quiet'} title={`Reopened ${row.reopenCount}×`}>
        ↻{row.reopenCount}
      </span>
      {row.escalated ? (
        <span className="tag tag-esc" title="Escalated to a human">esc</span>
      ) : (
        <span className="tag tag-quiet" title="Not escalated">—</span>
      )}
      <span className={`tag ${csatClass(row.csat)}`} title={row.csat === null ? 'No CSAT' : `CSAT ${row.csat}`}>
        {row.csat === null ? 'csat –' : `csat ${row.csat}`}
      </span>
    </span>
  );
}

function csatClass(csat: number | null): string {
  if (csat === null) return 'tag-quiet';
  if (csat >= 4) return 'tag-good';
  if (csat <= 2) return 'tag-bad';
  return 'tag-neutral';
}
