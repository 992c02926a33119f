// A reason field and the buttons of one dispute step (flag, uphold, reject); the core checks the role again.
import { useState } from 'react';
import { RefusalNote } from '../../components/RefusalNote.tsx';
import { useSignature } from '../../components/SignatureDialog.tsx';
import type { SignatureInput } from '../../../../shared/contracts/people.ts';
import type { Permission } from '../../hooks/useMayDo.ts';
import { useErrors } from '../../state/errors.ts';
import { useChain } from '../../state/chain.ts';

export interface Action {
  id: string;
  label: string;
  /** A signed act (a dispute decision): in a ledger with accounts the signature dialog opens before it is sent. */
  signed?: boolean;
  run(reason: string, signature?: SignatureInput): Promise<{ ok: true } | { ok: false; error: { message: string; code: string } }>;
}

export function DisputeActions({ actions, testId, placeholder, permission }: { actions: Action[]; testId: string; placeholder: string; permission: Permission }) {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const { signed, dialog } = useSignature();
  const submit = async (action: Action): Promise<void> => {
    if (!reason.trim()) {
      setProblem('Give a reason.');
      return;
    }
    setBusy(true);
    setProblem(null);
    const text = reason.trim();
    const res = await signed(action.label, (signature) => action.run(text, signature), { always: action.signed === true, reason: text });
    setBusy(false);
    if (res === null) return;
    if (res.ok) {
      setReason('');
      useChain.getState().ledgerChanged();
    } else {
      setProblem(res.error.message);
      useErrors.getState().report(action.label, res.error as never);
    }
  };
  return (
    <div className="oc-form" data-testid={testId}>
      <input type="text" value={reason} placeholder={placeholder} onChange={(e) => setReason(e.target.value)} disabled={!permission.allowed} data-testid={`${testId}-reason`} />
      {actions.map((action) => (
        <button key={action.id} type="button" {...permission.control} disabled={!permission.allowed || busy} onClick={() => void submit(action)} data-testid={`${testId}-${action.id}`}>
          {action.label}
        </button>
      ))}
      <RefusalNote permission={permission} />
      {problem ? <span className="oc-error">{problem}</span> : null}
      {dialog}
    </div>
  );
}
