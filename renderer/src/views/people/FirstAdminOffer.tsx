// Single-user mode: nobody signs in and acts are recorded as the operating-system user. Creating the first
// admin account ends that for good (a ledger event); the console then returns to the sign-in screen.
import { useState, type FormEvent } from 'react';
import { getApi } from '../../api/index.ts';
import { RefusalNote } from '../../components/RefusalNote.tsx';
import { useMayDo } from '../../hooks/useMayDo.ts';
import { useAuth } from '../../state/auth.ts';
import { usePasswordTwice } from './PasswordFields.tsx';
import { AccountNameFields } from './AccountNameFields.tsx';

export function FirstAdminOffer() {
  const [open, setOpen] = useState(false);
  const permission = useMayDo('users.add');
  return (
    <div className="first-admin" data-testid="first-admin">
      <span>
        Single-user mode: acts are recorded as the computer&rsquo;s user.
      </span>{' '}
      <button type="button" className="button button-small" {...permission.control} onClick={() => setOpen((o) => !o)} aria-expanded={open} data-testid="first-admin-open">
        Create the first admin account
      </button>
      <RefusalNote permission={permission} />
      {open && permission.allowed && <FirstAdminForm onCancel={() => setOpen(false)} />}
    </div>
  );
}

function FirstAdminForm({ onCancel }: { onCancel: () => void }) {
  const [name, setName] = useState('');
  const [display, setDisplay] = useState('');
  const password = usePasswordTwice();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!password.value) return;
    setBusy(true);
    setError(null);
    const res = await getApi()['users.add']({ name: name.trim(), display: display.trim(), role: 'admin', password: password.value });
    setBusy(false);
    if (!res.ok) {
      setError([res.error.message, ...(res.error.details ?? [])].join(' — '));
      return;
    }
    await useAuth.getState().refresh();
  };
  return (
    <form className="people-form first-admin-form" onSubmit={(e) => void submit(e)} data-testid="first-admin-form">
      <p>
        Once an account exists, everyone signs in and every act names its person. This cannot be undone.
      </p>
      <AccountNameFields name={name} display={display} onName={setName} onDisplay={setDisplay} testIdPrefix="first-admin" />
      {password.fields('first-admin')}
      {error && <span className="oc-error" role="alert" data-testid="first-admin-error">{error}</span>}
      <div className="people-actions">
        <button type="submit" className="button" disabled={busy || !name.trim() || !display.trim() || !password.value} data-testid="first-admin-submit">
          Create admin account
        </button>
        <button type="button" className="button" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
