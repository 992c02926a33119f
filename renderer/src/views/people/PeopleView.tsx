// People: your own account (change your password) and, for admins, every account and the session idle time.
import { useContractCall } from '../../hooks/useContractCall.ts';
import { useAuth } from '../../state/auth.ts';
import { AccountsTable } from './AccountsTable.tsx';
import { AddAccount } from './AddAccount.tsx';
import { IdleMinutes } from './IdleMinutes.tsx';
import { OwnPassword } from './OwnPassword.tsx';
import './people.css';

export function PeopleView() {
  const auth = useAuth((s) => s.auth);
  const accounts = useContractCall('users.list', {});
  if (auth?.mode !== 'accounts') {
    return (
      <section className="people" data-testid="people-view">
        <h2>People</h2>
        <p>
          This ledger is in single-user mode: nobody signs in and acts are recorded as the computer&rsquo;s user. Use
          &ldquo;Create the first admin account&rdquo; above to give every act a named person.
        </p>
      </section>
    );
  }
  const me = auth.person;
  return (
    <section className="people" data-testid="people-view">
      <h2>People</h2>
      {me && (
        <div className="people-card" data-testid="own-account">
          <p>
            You are <strong>{me.display}</strong> (<span className="mono">{me.account}</span>), <span className={`role role-${me.role}`}>{me.role}</span>.
          </p>
          <OwnPassword person={me} />
        </div>
      )}
      <div className="people-card">
        <h3>Accounts</h3>
        <IdleMinutes />
        {accounts.error && <p className="oc-error">{accounts.error.message}</p>}
        {accounts.value && <AccountsTable rows={accounts.value} me={me?.account ?? null} />}
      </div>
      <div className="people-card">
        <AddAccount />
      </div>
    </section>
  );
}
