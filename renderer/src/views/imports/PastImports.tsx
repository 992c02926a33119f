// Past imports, read from the ledger's import.file events (newest first): file, SHA-256, who, when and what each
// added. A read: opening the list changes nothing.
import { useEffect } from 'react';
import { anomalyLabel } from '../../../../shared/contracts/importers.ts';
import { formatCount } from '../../../../shared/format.ts';
import { formatTimestamp } from '../../lib/format.ts';
import { IMPORT_HISTORY_PAGE, useImportHistory } from '../../state/importer.ts';
import { useChain } from '../../state/chain.ts';

export function PastImports() {
  const page = useImportHistory((s) => s.page);
  const offset = useImportHistory((s) => s.offset);
  const error = useImportHistory((s) => s.error);
  const load = useImportHistory((s) => s.load);
  // Imports by others (the CLI, a team peer) move the ledger too: the list follows it.
  const ledgerVersion = useChain((s) => s.ledgerVersion);

  useEffect(() => {
    void load();
  }, [load, ledgerVersion]);

  return (
    <section className="imp-card" data-testid="import-history" aria-labelledby="import-history-title">
      <h3 id="import-history-title">Past imports</h3>
      {error ? (
        <p className="imp-error" role="alert">
          {error}
        </p>
      ) : null}
      {page === null ? (
        <p className="imp-muted">Reading the ledger…</p>
      ) : page.total === 0 ? (
        <p className="imp-muted" data-testid="import-history-empty">
          No helpdesk export has been imported into this ledger.
        </p>
      ) : (
        <>
          <div className="imp-preview">
            <table className="imp-anomalies">
              <caption className="imp-sr-only">Past imports, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">When (UTC)</th>
                  <th scope="col">File</th>
                  <th scope="col">SHA-256</th>
                  <th scope="col">Who</th>
                  <th scope="col">Format</th>
                  <th scope="col">Rows</th>
                  <th scope="col">Tickets new</th>
                  <th scope="col">Tickets updated</th>
                  <th scope="col">Events</th>
                  <th scope="col">Anomalies</th>
                  <th scope="col">Ledger event</th>
                </tr>
              </thead>
              <tbody>
                {page.rows.map((row) => (
                  <tr key={row.seq} data-testid="import-history-row" data-seq={row.seq}>
                    <td>{formatTimestamp(row.at)}</td>
                    <td data-testid="import-history-file">{row.file}</td>
                    <td>
                      <code title={row.sha256} data-testid="import-history-sha">
                        {row.sha256}
                      </code>
                    </td>
                    <td data-testid="import-history-who">{row.by}</td>
                    <td>{row.format}</td>
                    <td>{formatCount(row.rows)}</td>
                    <td data-testid="import-history-imported">{formatCount(row.imported)}</td>
                    <td>{formatCount(row.updated)}</td>
                    <td data-testid="import-history-events">{formatCount(row.events)}</td>
                    <td data-testid="import-history-anomalies" title={Object.entries(row.anomalyCounts).map(([kind, n]) => `${anomalyLabel(kind)}: ${formatCount(n ?? 0)}`).join('\n')}>
                      {formatCount(row.anomalies)}
                    </td>
                    <td>
                      #{row.seq} (events #{row.firstSeq}–#{row.lastSeq})
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {page.total > IMPORT_HISTORY_PAGE ? (
            <div className="imp-actions">
              <button type="button" disabled={offset === 0} onClick={() => void load(Math.max(0, offset - IMPORT_HISTORY_PAGE))}>
                Newer
              </button>
              <span>
                {formatCount(offset + 1)}–{formatCount(offset + page.rows.length)} of {formatCount(page.total)}
              </span>
              <button type="button" disabled={offset + IMPORT_HISTORY_PAGE >= page.total} onClick={() => void load(offset + IMPORT_HISTORY_PAGE)}>
                Older
              </button>
            </div>
          ) : null}
        </>
      )}
    </section>
  );
}
