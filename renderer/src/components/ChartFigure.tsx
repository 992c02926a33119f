// A chart as a figure a screen reader can name and read: a <figure> captioned by its title, the drawing marked as
// one image with a summary, and a "Show data table" toggle that renders the SAME rows the chart draws as a
// <table> — so the figures behind every line or bar are there to read, copy and (through cell content such as a
// button) to open, without a mouse. Charts pass their rows once; the table never recomputes anything.
import { useId, useState, type ReactNode } from 'react';
import './chart-figure.css';

export interface ChartColumn<Row> {
  /** Column header, including its unit: "AI (% within SLA)". */
  header: string;
  /** The cell as read in the table: already formatted through shared/format.ts (or a control to open the figure). */
  cell(row: Row): ReactNode;
  /** Numbers right-aligned in tabular figures. */
  numeric?: boolean;
}

interface Props<Row> {
  /** The figure's accessible name and visible caption. */
  title: string;
  /** One sentence a listener hears for the drawing itself (what it plots, over what); defaults to the title. */
  summary?: string;
  /** The rows the chart draws, one per point on the category axis. */
  rows: readonly Row[];
  rowKey(row: Row): string;
  /** First column is the category (week, month…): it becomes each row's header cell. */
  columns: readonly [ChartColumn<Row>, ...Array<ChartColumn<Row>>];
  /** The drawing (a recharts ResponsiveContainer…). */
  children: ReactNode;
  /** data-testid of the figure; the toggle and table get `-table-toggle` and `-table`. */
  testId?: string;
  /** Controls shown beside the caption (a metric picker…). */
  actions?: ReactNode;
  className?: string;
}

export function ChartFigure<Row>({ title, summary, rows, rowKey, columns, children, testId, actions, className }: Props<Row>) {
  const [showTable, setShowTable] = useState(false);
  const id = useId();
  const captionId = `${id}-caption`;
  const tableId = `${id}-table`;
  const [category, ...series] = columns;
  return (
    <figure className={['chart-figure', className].filter(Boolean).join(' ')} aria-labelledby={captionId} data-testid={testId}>
      <figcaption className="chart-figure-head">
        <span id={captionId} className="chart-figure-title">{title}</span>
        <span className="chart-figure-actions">
          {actions}
          <button
            type="button"
            className="chart-figure-toggle"
            aria-expanded={showTable}
            aria-controls={tableId}
            data-testid={testId ? `${testId}-table-toggle` : undefined}
            onClick={() => setShowTable((shown) => !shown)}
          >
            {showTable ? 'Hide data table' : 'Show data table'}
          </button>
        </span>
      </figcaption>
      <div className="chart-figure-drawing" role="img" aria-label={`${summary ?? title}. ${rows.length} ${rows.length === 1 ? 'point' : 'points'}; the figures are in the data table.`}>
        {children}
      </div>
      <div id={tableId} hidden={!showTable}>
        {showTable ? (
          <table className="chart-figure-table" data-testid={testId ? `${testId}-table` : undefined}>
            <caption className="visually-hidden">{title}: data table</caption>
            <thead>
              <tr>
                {columns.map((column) => (
                  <th key={column.header} scope="col" className={column.numeric ? 'is-numeric' : undefined}>
                    {column.header}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={rowKey(row)}>
                  <th scope="row">{category.cell(row)}</th>
                  {series.map((column) => (
                    <td key={column.header} className={column.numeric ? 'is-numeric' : undefined}>
                      {column.cell(row)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </div>
    </figure>
  );
}
