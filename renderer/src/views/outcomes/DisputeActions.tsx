// A reason field and the buttons of one dispute step (flag, uphold, reject); the core checks the role again.
import { useState } from 'react';
import { RefusalNote } from '../../components/RefusalNote.tsx';
import type { Permission } from '../../hooks/useMayDo.ts';
import { useErrors } from '../../state/errors.ts';
import { useChain } from '../../state/chain.ts';

export interface Action {
  id: string;
  label: string;
  run(reason: string): Promise<{ ok: true } | { ok: false; error: { message: string; code: string } }>;
}

export function DisputeActions({ actions, testId, placeholder, permission }: { actions: Action[]; testId: string; placeholder: string; permission: Permission }) {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const submit = async (action: Action): Promise<void> => {
    if (!reason.trim()) {
      setProblem('Give a reason.');
      return;
    }
    setBusy(true);
    setProblem(null);
    const res = await action.run(reason.trim());
    setBusy(false);
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
    </div>
  );
}
