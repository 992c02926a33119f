// Every account with what an admin may do to it: change the role, disable or enable, reset the password.
// Disabled accounts stay listed: their history stays theirs.
import { useState } from 'react';
import type { AccountRow } from '../../../../shared/contracts/people.ts';
import { ROLES, type Role } from '../../../../shared/domain.ts';
import { getApi } from '../../api/index.ts';
import { RefusalNote } from '../../components/RefusalNote.tsx';
import { useMayDo } from '../../hooks/useMayDo.ts';
import { formatDateTime } from '../../lib/format.ts';
import { usePasswordTwice } from './PasswordFields.tsx';
import { usePeopleWrite } from './usePeopleCall.ts';

export function AccountsTable({ rows, me }: { rows: AccountRow[]; me: string | null }) {
  const setRole = useMayDo('users.setRole');
  const toggle = useMayDo('users.disable', 'users.enable');
  // Resetting someone else's password is an account administrator's act (the core checks it in users.setPassword).
  const reset = useMayDo('users.setPassword', 'users.setRole');
  return (
    <>
      <RefusalNote permission={setRole} className="refusal-block" />
      <table className="people-table" data-testid="accounts-table">
        <thead>
          <tr><th>Printed name</th><th>Login</th><th>Role</th><th>Status</th><th>Last sign-in</th><th>Created</th><th>Actions</th></tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <AccountLine key={row.account} row={row} self={row.account === me} setRole={setRole} toggle={toggle} reset={reset} />
          ))}
        </tbody>
      </table>
    </>
  );
}

type Perm = ReturnType<typeof useMayDo>;

function AccountLine({ row, self, setRole, toggle, reset }: { row: AccountRow; self: boolean; setRole: Perm; toggle: Perm; reset: Perm }) {
  const write = usePeopleWrite();
  const [resetting, setResetting] = useState(false);
  const status = !row.enabled ? 'disabled' : row.lockedUntil ? `locked until ${formatDateTime(row.lockedUntil)}` : 'active';
  return (
    <>
      <tr data-testid="account-row" data-account={row.account} data-role={row.role} data-enabled={String(row.enabled)}>
        <td>{row.display}{self && <span className="muted"> (you)</span>}</td>
        <td className="mono">{row.account}</td>
        <td>
          <select
            value={row.role}
            {...setRole.control}
            disabled={!setRole.allowed || write.busy}
            aria-label={`Role of ${row.display}`}
            onChange={(e) => void write.run(() => getApi()['users.setRole']({ name: row.account, role: e.target.value as Role }), `${row.display} is now ${e.target.value}.`)}
            data-testid="account-role"
          >
            {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
          </select>
        </td>
        <td data-testid="account-status">{status}</td>
        <td>{row.lastLoginAt ? formatDateTime(row.lastLoginAt) : '—'}</td>
        <td>{formatDateTime(row.createdAt)}</td>
        <td className="people-actions">
          {row.enabled ? (
            <button type="button" className="button button-small" {...toggle.control} disabled={!toggle.allowed || write.busy}
              onClick={() => void write.run(() => getApi()['users.disable']({ name: row.account }), `${row.display} is disabled.`)} data-testid="account-disable">
              Disable
            </button>
          ) : (
            <button type="button" className="button button-small" {...toggle.control} disabled={!toggle.allowed || write.busy}
              onClick={() => void write.run(() => getApi()['users.enable']({ name: row.account }), `${row.display} is enabled again.`)} data-testid="account-enable">
              Enable
            </button>
          )}
          {!self && (
            <button type="button" className="button button-small" {...reset.control} disabled={!reset.allowed} onClick={() => setResetting((r) => !r)} aria-expanded={resetting} data-testid="account-reset-open">
              Reset password
            </button>
          )}
        </td>
      </tr>
      {(resetting || write.error || write.done) && (
        <tr className="account-detail">
          <td colSpan={7}>
            {resetting && <ResetPassword row={row} onDone={() => setResetting(false)} />}
            {write.error && <span className="oc-error" role="alert" data-testid="account-error">{write.error}</span>}
            {write.done && <span className="people-done" data-testid="account-done">{write.done}</span>}
          </td>
        </tr>
      )}
    </>
  );
}

function ResetPassword({ row, onDone }: { row: AccountRow; onDone: () => void }) {
  const password = usePasswordTwice();
  const write = usePeopleWrite();
  return (
    <form
      className="people-form people-inline"
      data-testid="account-reset"
      onSubmit={(e) => {
        e.preventDefault();
        if (!password.value) return;
        void write.run(() => getApi()['users.setPassword']({ name: row.account, password: password.value! }), `${row.display}'s password was reset.`).then((ok) => ok && onDone());
      }}
    >
      {password.fields('account-reset')}
      <button type="submit" className="button button-small" disabled={write.busy || !password.value} data-testid="account-reset-submit">Set password</button>
      {write.error && <span className="oc-error" role="alert">{write.error}</span>}
    </form>
  );
}
