// Everyone may change their own password: the current one, then the new one twice.
import { useState, type FormEvent } from 'react';
import type { Person } from '../../../../shared/contracts/people.ts';
import { getApi } from '../../api/index.ts';
import { RefusalNote } from '../../components/RefusalNote.tsx';
import { useMayDo } from '../../hooks/useMayDo.ts';
import { usePasswordTwice } from './PasswordFields.tsx';
import { usePeopleWrite } from './usePeopleCall.ts';

export function OwnPassword({ person }: { person: Person }) {
  const [current, setCurrent] = useState('');
  const next = usePasswordTwice();
  const write = usePeopleWrite();
  const permission = useMayDo('users.setPassword');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!next.value) return;
    const changed = await write.run(() => getApi()['users.setPassword']({ name: person.account, currentPassword: current, password: next.value! }), 'Your password was changed.');
    if (changed) {
      setCurrent('');
      next.reset();
    }
  };
  return (
    <form className="people-form" onSubmit={(e) => void submit(e)} data-testid="own-password" aria-label="Change your password">
      <h3>Change your password</h3>
      <label>
        Current password
        <input type="password" value={current} onChange={(e) => setCurrent(e.target.value)} autoComplete="current-password" data-testid="own-password-current" />
      </label>
      {next.fields('own-password')}
      <div className="people-actions">
        <button type="submit" className="button" {...permission.control} disabled={!permission.allowed || write.busy || !current || !next.value} data-testid="own-password-submit">
          Change password
        </button>
        <RefusalNote permission={permission} />
      </div>
      {write.error && <p className="oc-error" role="alert" data-testid="own-password-error">{write.error}</p>}
      {write.done && <p className="people-done" data-testid="own-password-done">{write.done}</p>}
    </form>
  );
}
