// Verification runs once when the console first shows outcomes (the view or a ticket's billing panel).
import type { VerificationReport } from '../../../../shared/contracts/outcomes.ts';
import { useErrors } from '../../state/errors.ts';
import { callApi } from './useOutcomeCall.ts';

let running: Promise<VerificationReport | null> | null = null;

export function ensureVerified(): Promise<VerificationReport | null> {
  running ??= callApi('outcomes.verify', {}).then((res) => {
    if (res.ok) return res.value;
    useErrors.getState().report('Outcome verification', res.error);
    return null;
  });
  return running;
}
