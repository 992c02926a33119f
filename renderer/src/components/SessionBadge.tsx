import { useSession } from '../state/session.ts';

export function SessionBadge() {
  const session = useSession((s) => s.session);
  if (!session) return <div className="session muted">Connecting…</div>;
  return (
    <dl className="session" data-testid="session-info" aria-label="Session">
      <div>
        <dt>Role</dt>
        <dd data-testid="session-role" className={`role role-${session.role}`}>{session.role}</dd>
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
