import { useSignature } from '../../components/SignatureDialog.tsx';
import { useState } from 'react';
import type { AiRunView } from '../../../../shared/contracts/ai.ts';
import { getApi } from '../../api/index.ts';
import { RefusalNote } from '../../components/RefusalNote.tsx';
import { useMayDo } from '../../hooks/useMayDo.ts';
import { useNavigation } from '../../state/navigation.ts';
import { useAiData } from './useAiData.ts';

function ReviewItem({ run, onDone }: { run: AiRunView; onDone: () => void }) {
  const [mode, setMode] = useState<'view' | 'edit' | 'reject'>('view');
  const [body, setBody] = useState(run.draft.replace(/\s*\[kb:[a-z0-9-]+\]/g, ''));
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const permission = useMayDo('ai.review');
  const { signed, dialog } = useSignature();
  // Approving is signed when the ticket's contract asks for it: the core says so, and the dialog opens then.
  const submit = (action: 'approve' | 'edit' | 'reject') =>
    void signed(
      `${action} the draft for ${run.ticketId}`,
      (signature) => getApi()['ai.review']({ runId: run.runId, action, ...(action === 'edit' ? { body } : {}), ...(action === 'reject' ? { reason } : {}), ...(signature ? { signature } : {}) }),
      { always: false, meaning: 'approved', reason: `AI reply for ${run.ticketId} approved as drafted` },
    ).then((r) => {
      if (r === null) return;
      if (r.ok) onDone();
      else setError(r.error.message);
    });
  return (
    <li className="ai-review-item" data-testid="ai-review-item" data-run={run.runId}>
      <header>
        <button type="button" className="ai-link" onClick={() => useNavigation.getState().openTicket(run.ticketId, [run.decisionSeq])} data-testid="ai-review-open">
          {run.ticketId}
        </button>{' '}
        <strong>{run.subject}</strong> · {run.category} · confidence {run.confidence.toFixed(2)}
        {run.reason && <span className="ai-reason"> · hand-off: {run.reason}</span>}
      </header>
      <blockquote data-testid="ai-review-customer">{run.customerText}</blockquote>
      {mode === 'edit' ? (
        <textarea value={body} onChange={(e) => setBody(e.target.value)} rows={6} data-testid="ai-review-editor" />
      ) : (
        <pre className="ai-draft" data-testid="ai-review-draft">{run.draft || '(no draft)'}</pre>
      )}
      <p className="ai-note">{run.note}</p>
      <p className="ai-citations">
        Sources: {run.citations.map((c) => `${c.title} (${c.id} v${c.version})`).join(', ') || 'none'}
      </p>
      {mode === 'reject' && (
        <input placeholder="Why is this draft wrong?" value={reason} onChange={(e) => setReason(e.target.value)} data-testid="ai-review-reason" />
      )}
      <div className="ai-actions">
        {mode === 'view' && (
          <>
            <button type="button" onClick={() => submit('approve')} {...permission.control} disabled={!permission.allowed || !run.draft} data-testid="ai-review-approve">Approve and send</button>
            <button type="button" onClick={() => setMode('edit')} {...permission.control} data-testid="ai-review-edit">Edit</button>
            <button type="button" onClick={() => setMode('reject')} {...permission.control} data-testid="ai-review-reject">Reject</button>
            <RefusalNote permission={permission} />
          </>
        )}
        {mode === 'edit' && (
          <>
            <button type="button" onClick={() => submit('edit')} {...permission.control} disabled={!permission.allowed || !body.trim()} data-testid="ai-review-send-edit">Send edited reply</button>
            <button type="button" onClick={() => setMode('view')}>Cancel</button>
          </>
        )}
        {mode === 'reject' && (
          <>
            <button type="button" onClick={() => submit('reject')} {...permission.control} disabled={!permission.allowed || !reason.trim()} data-testid="ai-review-confirm-reject">Reject draft</button>
            <button type="button" onClick={() => setMode('view')}>Cancel</button>
          </>
        )}
      </div>
      {error && <p className="ai-error">{error}</p>}
      {dialog}
    </li>
  );
}

export function ReviewQueue() {
  const { data, error, reload } = useAiData(() => getApi()['ai.reviewQueue']({ limit: 100, includeHandOffs: false }), []);
  return (
    <section className="ai-card" data-testid="ai-review">
      <h3>Drafts waiting for review {data && `(${data.length})`}</h3>
      {error && <p className="ai-error">{error}</p>}
      {!data && !error && <p>Loading drafts…</p>}
      {data?.length === 0 && <p data-testid="ai-review-empty">No drafts wait for review.</p>}
      <ul className="ai-review-list">{data?.map((run) => <ReviewItem key={run.runId} run={run} onDone={reload} />)}</ul>
    </section>
  );
}
