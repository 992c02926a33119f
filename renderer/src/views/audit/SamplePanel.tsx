// Draw a seeded sample of a period's billed tickets and review each one: a note (ok or a finding) recorded in the
// ledger with the sample it came from, a dispute opened on it, or its receipt downloaded. The same seed draws the
// same sample, by a rule written out below the draw so anyone can redo it by hand.
import { useState } from 'react';
import type { AuditSample, SampleLine } from '../../../../shared/contracts/audit-console.ts';
import type { AuditVerdict } from '../../../../shared/contracts/audit-console.ts';
import { RefusalNote } from '../../components/RefusalNote.tsx';
import { callApi } from '../../hooks/useContractCall.ts';
import { useMayDo } from '../../hooks/useMayDo.ts';
import { useChain } from '../../state/chain.ts';
import { useErrors } from '../../state/errors.ts';
import { useNavigation } from '../../state/navigation.ts';
import { downloadFile } from '../../lib/download.ts';

/** A fresh seed to write down: 8 random hex digits (the auditor may type their own instead). */
function freshSeed(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(4));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function Review({ sample, line }: { sample: AuditSample; line: SampleLine }) {
  const notePermission = useMayDo('audit.note');
  const disputePermission = useMayDo('outcomes.disputeOpen');
  const receiptPermission = useMayDo('audit.receipt');
  const [verdict, setVerdict] = useState<AuditVerdict>('ok');
  const [note, setNote] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const ticket = line.line.ticket;

  const act = async (what: string, run: () => Promise<{ ok: true } | { ok: false; error: { code: string; message: string } }>, done: string): Promise<boolean> => {
    setBusy(true);
    setProblem(null);
    setSaid(null);
    const res = await run();
    setBusy(false);
    if (!res.ok) {
      setProblem(res.error.message);
      useErrors.getState().report(what, res.error as never);
      return false;
    }
    setSaid(done);
    useChain.getState().ledgerChanged();
    return true;
  };
  const recordNote = async (): Promise<void> => {
    if (!note.trim()) return setProblem('Write the note.');
    const ok = await act(
      'Audit note',
      () => callApi('audit.note', { ticket, period: sample.period, contract: sample.contract, sample: { seed: sample.seed, size: sample.size }, verdict, note: note.trim() }),
      `Note on ${ticket} recorded.`,
    );
    if (ok) setNote('');
  };
  const openDispute = async (): Promise<void> => {
    if (!reason.trim()) return setProblem('Say why the outcome is disputed.');
    const ok = await act('Dispute', () => callApi('outcomes.disputeOpen', { ticket, contract: sample.contract, reason: reason.trim() }), `Dispute on ${ticket} opened.`);
    if (ok) setReason('');
  };
  const receipt = async (): Promise<void> => {
    setBusy(true);
    setProblem(null);
    const res = await callApi('audit.receipt', { ticket, contract: sample.contract });
    setBusy(false);
    if (res.ok) {
      downloadFile(res.value.fileName, 'application/json', 'utf8', res.value.text);
      setSaid(`Receipt of ${ticket} downloaded (${res.value.fileName}).`);
      useChain.getState().ledgerChanged();
    } else {
      setProblem(res.error.message);
      useErrors.getState().report('Receipt', res.error);
    }
  };

  return (
    <div className="oc-panel" data-testid="au-review" data-ticket={ticket}>
      <h4>Review {ticket}</h4>
      <div className="oc-form">
        <select value={verdict} onChange={(e) => setVerdict(e.target.value as AuditVerdict)} disabled={!notePermission.allowed} data-testid="au-note-verdict">
          <option value="ok">ok</option>
          <option value="finding">finding</option>
        </select>
        <input type="text" value={note} placeholder="What you checked and found" onChange={(e) => setNote(e.target.value)} disabled={!notePermission.allowed} data-testid="au-note-text" />
        <button type="button" {...notePermission.control} disabled={!notePermission.allowed || busy} onClick={() => void recordNote()} data-testid="au-note-record">
          Record note
        </button>
        <RefusalNote permission={notePermission} />
      </div>
      <div className="oc-form">
        <input type="text" value={reason} placeholder="Why the outcome is disputed" onChange={(e) => setReason(e.target.value)} disabled={!disputePermission.allowed} data-testid="au-dispute-reason" />
        <button type="button" {...disputePermission.control} disabled={!disputePermission.allowed || busy || line.line.status !== 'billed'} onClick={() => void openDispute()} data-testid="au-dispute-open">
          Open dispute
        </button>
        <RefusalNote permission={disputePermission} />
        <button type="button" {...receiptPermission.control} disabled={!receiptPermission.allowed || busy} onClick={() => void receipt()} data-testid="au-receipt">
          Download receipt
        </button>
      </div>
      {said ? <p className="oc-muted" data-testid="au-review-done">{said}</p> : null}
      {problem ? <p className="oc-error" data-testid="au-review-error">{problem}</p> : null}
    </div>
  );
}

export function SamplePanel({ period, periods, onPeriod }: { period: string; periods: string[]; onPeriod(period: string): void }) {
  const [seed, setSeed] = useState(freshSeed);
  const [size, setSize] = useState(10);
  const [sample, setSample] = useState<AuditSample | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const openTicket = useNavigation((s) => s.openTicket);
  // The sample stays as drawn while it is reviewed (a dispute opened from it makes its line "held", which a redraw
  // of an open period would leave out); "Draw" again redraws it from the statement as it is then.
  const shown = sample;

  const draw = async (): Promise<void> => {
    setBusy(true);
    setProblem(null);
    const res = await callApi('audit.sample', { period, seed: seed.trim(), size });
    setBusy(false);
    setChosen(null);
    if (res.ok) setSample(res.value);
    else {
      setSample(null);
      setProblem(res.error.details?.join('; ') || res.error.message);
    }
  };
  const chosenLine = shown?.lines.find((l) => `${l.line.ticket}-${l.line.verifiedSeq}` === chosen) ?? null;

  return (
    <section className="oc-card" data-testid="au-sample">
      <h3>Sample of billed tickets</h3>
      <div className="oc-form">
        <label>
          Period{' '}
          <select value={period} onChange={(e) => onPeriod(e.target.value)} data-testid="au-period">
            {periods.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
        <label>
          Seed <input type="text" className="au-seed" value={seed} onChange={(e) => setSeed(e.target.value)} data-testid="au-seed" />
        </label>
        <label>
          Size <input type="number" min={1} max={1000} value={size} onChange={(e) => setSize(Math.max(1, Number(e.target.value) || 1))} data-testid="au-size" />
        </label>
        <button type="button" onClick={() => void draw()} disabled={busy || !period} data-testid="au-draw">
          Draw
        </button>
      </div>
      {problem ? <p className="oc-error" data-testid="au-sample-error">{problem}</p> : null}
      {shown ? (
        <>
          <p className="oc-muted" data-testid="au-sample-summary">
            {shown.lines.length} of {shown.population} billed tickets of {shown.contract} {shown.period}
            {shown.issued ? ' (issued statement)' : ' (open statement: a live view — redrawing later may differ)'}, seed “{shown.seed}”.
          </p>
          <p className="oc-muted" data-testid="au-sample-rule">
            Rule: {shown.rule}.
          </p>
          <div className="au-scroll">
            <table className="oc-table" data-testid="au-sample-lines">
              <thead>
                <tr>
                  <th>#</th>
                  <th>Ticket</th>
                  <th>Status</th>
                  <th className="oc-num">Charge</th>
                  <th>SHA-256(seed:ticket)</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {shown.lines.map((l, i) => {
                  const id = `${l.line.ticket}-${l.line.verifiedSeq}`;
                  return (
                    <tr key={id} data-testid="au-sample-line" data-ticket={l.line.ticket} aria-selected={chosen === id}>
                      <td>{i + 1}</td>
                      <td>
                        <button type="button" className="oc-link" onClick={() => openTicket(l.line.ticket, l.line.evidence)}>
                          {l.line.ticket}
                        </button>
                      </td>
                      <td>
                        <span className={`oc-status is-${l.line.status}`}>{l.line.status.replace(/_/g, ' ')}</span>
                      </td>
                      <td className="oc-num">{l.line.charge}</td>
                      <td>
                        <code title={l.key}>{l.key.slice(0, 16)}…</code>
                      </td>
                      <td>
                        <button type="button" onClick={() => setChosen(id)} data-testid="au-review-open">
                          Review
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {chosenLine ? <Review key={chosen} sample={shown} line={chosenLine} /> : null}
        </>
      ) : null}
    </section>
  );
}
