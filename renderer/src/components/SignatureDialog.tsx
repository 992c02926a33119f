// The electronic-signature dialog (21 CFR Part 11 §11.50, §11.200): the signed-in person's password again, what
// the signature means and why. Acts that always need a signature in a ledger with accounts open it before they are
// sent; others (approving a draft when the contract asks for it) open it when the core answers that one is needed.
import { useCallback, useState, type ReactNode } from 'react';
import { SIGNATURE_MEANINGS, SIGNATURE_NEEDED, type SignatureInput, type SignatureMeaning } from '../../../shared/contracts/people.ts';
import { useAuth } from '../state/auth.ts';
import './signature.css';

/** What the core answers an act: only whether it went through, and why not, matter here. */
type Answer = { ok: true } | { ok: false; error: { message: string; code: string } };

interface Pending {
  what: string;
  meaning: SignatureMeaning;
  /** The act allows one meaning only (issuing a statement is "approved"): shown, not chosen. */
  fixedMeaning: boolean;
  reason: string;
  send(signature: SignatureInput): Promise<Answer>;
  done(result: Answer | null): void;
}

export interface SignOptions {
  /** Ask before sending (in a ledger with accounts); otherwise ask only when the core says a signature is needed. */
  always: boolean;
  meaning?: SignatureMeaning;
  /** Only `meaning` is accepted for this act: the dialog shows it without offering others. */
  fixedMeaning?: boolean;
  /** Prefills the signature's reason (usually the act's own). */
  reason?: string;
}

/**
 * `signed(what, send, options)` sends an act, with a signature when one is needed, and resolves with the core's
 * result (null: the person cancelled). `dialog` must be rendered by the caller.
 */
export function useSignature(): {
  signed<R extends Answer>(what: string, send: (signature?: SignatureInput) => Promise<R>, options: SignOptions): Promise<R | null>;
  dialog: ReactNode;
} {
  const accounts = useAuth((s) => s.auth?.mode === 'accounts');
  const signer = useAuth((s) => s.auth?.person?.display ?? null);
  const [pending, setPending] = useState<Pending | null>(null);

  const signed = useCallback(
    async <R extends Answer>(what: string, send: (signature?: SignatureInput) => Promise<R>, options: SignOptions): Promise<R | null> => {
      const ask = (): Promise<R | null> =>
        new Promise<R | null>((resolve) =>
          setPending({ what, meaning: options.meaning ?? 'approved', fixedMeaning: options.fixedMeaning === true, reason: options.reason ?? '', send, done: (result) => resolve(result as R | null) }),
        );
      if (accounts && options.always) return ask();
      const unsigned = await send();
      if (!unsigned.ok && accounts && unsigned.error.message === SIGNATURE_NEEDED) return ask();
      return unsigned;
    },
    [accounts],
  );

  const dialog = pending ? (
    <SignatureDialog
      key={pending.what}
      pending={pending}
      signer={signer}
      close={(result) => {
        setPending(null);
        pending.done(result);
      }}
    />
  ) : null;
  return { signed, dialog };
}

function SignatureDialog({ pending, signer, close }: { pending: Pending; signer: string | null; close(result: Answer | null): void }) {
  const [password, setPassword] = useState('');
  const [meaning, setMeaning] = useState<SignatureMeaning>(pending.meaning);
  const [reason, setReason] = useState(pending.reason);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const submit = async (): Promise<void> => {
    if (!password) return setProblem('Enter your password to sign.');
    if (!reason.trim()) return setProblem('Say why you sign.');
    setBusy(true);
    setProblem(null);
    const result = await pending.send({ password, meaning, reason: reason.trim() });
    setBusy(false);
    // A wrong password (or a lockout) leaves the dialog open to say so; any other answer goes back to the act.
    if (!result.ok && result.error.code === 'forbidden') {
      setPassword('');
      return setProblem(result.error.message);
    }
    close(result);
  };

  return (
    <div className="signature-backdrop">
      <form
        className="signature-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="signature-title"
        data-testid="signature-dialog"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <h2 id="signature-title">Sign: {pending.what}</h2>
        <p className="signature-who">
          Electronic signature of <strong data-testid="signature-signer">{signer ?? 'the signed-in person'}</strong>. It is recorded in the ledger with your
          printed name, the time, its meaning and your reason, linked to this act.
        </p>
        <label>
          Password
          <input type="password" autoComplete="current-password" autoFocus value={password} onChange={(e) => setPassword(e.target.value)} data-testid="signature-password" />
        </label>
        <label>
          Meaning
          <select value={meaning} onChange={(e) => setMeaning(e.target.value as SignatureMeaning)} data-testid="signature-meaning">
            {(pending.fixedMeaning ? [pending.meaning] : SIGNATURE_MEANINGS).map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <label>
          Reason
          <textarea rows={3} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="signature-reason" />
        </label>
        {problem ? (
          <p className="signature-error" role="alert" data-testid="signature-error">
            {problem}
          </p>
        ) : null}
        <div className="signature-buttons">
          <button type="button" className="button" onClick={() => close(null)} disabled={busy} data-testid="signature-cancel">
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={busy} data-testid="signature-submit">
            Sign
          </button>
        </div>
      </form>
    </div>
  );
}
