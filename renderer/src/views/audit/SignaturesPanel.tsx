// Who signed what: every electronic signature in the ledger, with the record it signs and whether it still matches.
import { useContractCall } from '../../hooks/useContractCall.ts';
import { formatTimestamp } from '../../lib/format.ts';

export function SignaturesPanel() {
  const signatures = useContractCall('audit.signatures', {});
  return (
    <section className="oc-card" data-testid="au-signatures">
      <h3>Who signed what ({signatures.value?.length ?? '…'})</h3>
      {signatures.error ? <p className="oc-error">{signatures.error.message}</p> : null}
      {signatures.value?.length === 0 ? <p className="oc-muted">No electronic signatures in this ledger.</p> : null}
      {signatures.value?.length ? (
        <div className="au-scroll">
          <table className="oc-table">
            <thead>
              <tr>
                <th>Signed by</th>
                <th>Meaning</th>
                <th>At</th>
                <th>Record</th>
                <th>Reason</th>
                <th>Matches</th>
              </tr>
            </thead>
            <tbody>
              {signatures.value.map((s) => (
                <tr key={s.seq} data-testid="au-signature" data-valid={s.valid}>
                  <td title={s.signer}>{s.display}</td>
                  <td>{s.meaning}</td>
                  <td>{formatTimestamp(s.at)}</td>
                  <td title={`hash ${s.signedHash}`}>
                    {s.signedType} #{s.signedSeq}
                  </td>
                  <td>{s.reason}</td>
                  <td>{s.valid ? 'yes' : <strong className="oc-error">no: the record changed</strong>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
