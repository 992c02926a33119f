// The verification job: supervisors and admins start it ("Run outcome verification"), everyone sees its state.
// Before it has run, the figures for tickets without an outcome event are a dry evaluation, and the panel says so.
import { RefusalNote } from '../../components/RefusalNote.tsx';
import { useMayDo } from '../../hooks/useMayDo.ts';
import { useVerification, utcMinute } from './verification.ts';

export function VerificationPanel({ dryAsOf }: { dryAsOf: string | null }) {
  const permission = useMayDo('outcomes.verify');
  const cancelPermission = useMayDo('outcomes.cancelVerify');
  const { running, progress, report, error, run, cancel } = useVerification();
  const canRun = permission.allowed;
  return (
    <section className="oc-card" data-testid="oc-verification">
      <div className="oc-head">
        <h3>Outcome verification</h3>
        <button type="button" onClick={() => void run()} {...permission.control} disabled={!canRun || running} data-testid="oc-verify-run">
          {running ? 'Verifying…' : 'Run outcome verification'}
        </button>
        {running ? (
          <button type="button" onClick={() => void cancel()} {...cancelPermission.control} disabled={!cancelPermission.allowed} data-testid="oc-verify-cancel">
            Cancel
          </button>
        ) : null}
        <RefusalNote permission={permission} />
      </div>
      {running ? (
        <p className="oc-muted" data-testid="oc-verify-progress">
          {progress ? (
            <>
              <progress value={progress.done} max={progress.total} /> {progress.done.toLocaleString('en')} of {progress.total.toLocaleString('en')} tickets
              examined as of {utcMinute(progress.asOf)}: {progress.verifiedAdded} verified, {progress.reversedAdded} reversed so far
            </>
          ) : (
            'Starting…'
          )}
        </p>
      ) : null}
      {error ? <p className="oc-error" data-testid="oc-verify-error">{error.message}</p> : null}
      {report && !running ? (
        <p data-testid="oc-verify-result">
          {report.cancelled ? 'Cancelled — what was recorded before stays; a new run carries on. ' : ''}Verified as of {utcMinute(report.asOf)}: {report.verifiedAdded} verified, {report.reversedAdded} reversed, {report.discrepanciesAdded} discrepancies
          flagged ({report.examined.toLocaleString('en')} tickets examined
          {report.remembered ? `, ${report.remembered.toLocaleString('en')} of them settled by an earlier run and not read again` : ''}).
        </p>
      ) : null}
      {!report && !running ? (
        <p className="oc-muted" data-testid="oc-verify-dry">
          Not yet verified in this session — pending and rejected tickets are a dry evaluation{dryAsOf ? ` as of ${utcMinute(dryAsOf)}` : ''} (nothing is
          written). Statements list only what verification has recorded in the ledger.
          {canRun ? '' : ' A supervisor runs verification (or "attest outcomes").'}
        </p>
      ) : null}
    </section>
  );
}
