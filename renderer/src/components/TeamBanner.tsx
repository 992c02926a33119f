// A console whose ledger is a replica of a team ledger (PostgreSQL) says where it stands: online and in step, or
// offline since when (read-only), or stopped because the server's history differs from the one it verified. The
// core pushes each change of state as `team.status`; a desktop ledger (status null) shows nothing.
import { useEffect, useState } from 'react';
import type { TeamReplicaStatus } from '../../../shared/contracts/team.ts';
import { getApi } from '../api/index.ts';
import { formatCount } from '../lib/format.ts';

export function TeamBanner() {
  const [status, setStatus] = useState<TeamReplicaStatus | null>(null);
  useEffect(() => {
    const api = getApi();
    let current = true;
    const load = (): void => {
      void api['team.status']({}).then((result) => {
        if (current && result.ok) setStatus(result.value);
      });
    };
    load();
    const unsubscribeStatus = api.subscribe('team.status', setStatus);
    // The head it shows moves with every pulled event; a state pushed before the stream connected is read here too.
    const unsubscribeLedger = api.subscribe('ledger.changed', load);
    return () => {
      current = false;
      unsubscribeStatus();
      unsubscribeLedger();
    };
  }, []);
  if (!status) return null;
  const trouble = status.state === 'offline' || status.state === 'stopped';
  return (
    <section
      className={`notice team-banner ${trouble ? 'notice-error' : status.state === 'online' ? 'notice-ok' : 'notice-waiting'}`}
      data-testid="team-status"
      data-team-state={status.state}
      role={trouble ? 'alert' : 'status'}
    >
      <div className="notice-body">
        <strong>
          {status.state === 'online' && `Team ledger ${status.team} · online · in step at #${formatCount(status.localHead)}`}
          {status.state !== 'online' && (status.message ?? `Team ledger ${status.team} · ${status.state}`)}
        </strong>
        {status.state === 'offline' && <span>Read-only until the team ledger answers again; nothing is lost.</span>}
        {status.state === 'stopped' && <span>Syncing has stopped; this console keeps what it verified and records nothing.</span>}
      </div>
    </section>
  );
}
