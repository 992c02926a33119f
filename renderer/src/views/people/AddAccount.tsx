import { useState, type FormEvent } from 'react';
import { ROLES, type Role } from '../../../../shared/domain.ts';
import { getApi } from '../../api/index.ts';
import { RefusalNote } from '../../components/RefusalNote.tsx';
import { useMayDo } from '../../hooks/useMayDo.ts';
import { usePasswordTwice } from './PasswordFields.tsx';
import { AccountNameFields } from './AccountNameFields.tsx';
import { usePeopleWrite } from './usePeopleCall.ts';

export function AddAccount() {
  const permission = useMayDo('users.add');
  const [name, setName] = useState('');
  const [display, setDisplay] = useState('');
  const [role, setRole] = useState<Role>('supervisor');
  const password = usePasswordTwice();
  const write = usePeopleWrite();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!password.value) return;
    const added = await write.run(
      () => getApi()['users.add']({ name: name.trim(), display: display.trim(), role, password: password.value! }),
      `Account ${name.trim()} created.`,
    );
    if (added) {
      setName('');
      setDisplay('');
      password.reset();
    }
  };
  return (
    <form className="people-form" onSubmit={(e) => void submit(e)} data-testid="add-account" aria-label="Add an account">
      <h3>Add an account</h3>
      <fieldset disabled={!permission.allowed} className="people-fieldset">
        <AccountNameFields name={name} display={display} onName={setName} onDisplay={setDisplay} testIdPrefix="add-account" />
        <label>
          Role
          <select value={role} onChange={(e) => setRole(e.target.value as Role)} data-testid="add-account-role">
            {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
          </select>
        </label>
        {password.fields('add-account')}
      </fieldset>
      <div className="people-actions">
        <button type="submit" className="button" {...permission.control} disabled={!permission.allowed || write.busy || !name.trim() || !display.trim() || !password.value} data-testid="add-account-submit">
          Create account
        </button>
        <RefusalNote permission={permission} />
      </div>
      {write.error && <p className="oc-error" role="alert" data-testid="add-account-error">{write.error}</p>}
      {write.done && <p className="people-done" data-testid="add-account-done">{write.done}</p>}
    </form>
  );
}
