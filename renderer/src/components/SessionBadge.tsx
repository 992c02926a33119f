import { useAuth } from '../state/auth.ts';
import { useSession } from '../state/session.ts';

export function SessionBadge() {
  const session = useSession((s) => s.session);
  const auth = useAuth((s) => s.auth);
  if (!session) return <div className="session muted">Connecting…</div>;
  const person = auth?.person ?? session.person;
  return (
    <dl className="session" data-testid="session-info" aria-label="Session">
      <div>
        <dt>Signed in</dt>
        <dd data-testid="session-person" data-account={person?.account ?? ''} title={session.actorId}>
          {person ? person.display : `${session.actorId} (single-user)`}
        </dd>
      </div>
      <div>
        <dt>Role</dt>
        <dd data-testid="session-role" className={`role role-${session.role}`}>{person?.role ?? session.role}</dd>
      </div>
      <div>
        <dt>Database</dt>
        <dd data-testid="session-db" className="mono" title={session.databaseName}>{session.databaseName}</dd>
      </div>
      <div>
        <dt>Mode</dt>
        <dd data-testid="session-mode">{session.mode}</dd>
      </div>
    </dl>
  );
}
