// How long a session may sit idle before the core ends it (an admin's setting, recorded on the ledger).
import { useEffect, useState, type FormEvent } from 'react';
import { getApi } from '../../api/index.ts';
import { RefusalNote } from '../../components/RefusalNote.tsx';
import { useMayDo } from '../../hooks/useMayDo.ts';
import { useAuth } from '../../state/auth.ts';
import { usePeopleWrite } from './usePeopleCall.ts';

export function IdleMinutes() {
  const current = useAuth((s) => s.auth?.idleMinutes ?? 15);
  const permission = useMayDo('people.setIdleMinutes');
  const [minutes, setMinutes] = useState(String(current));
  useEffect(() => setMinutes(String(current)), [current]);
  const write = usePeopleWrite();
  const value = Number(minutes);
  const valid = Number.isInteger(value) && value >= 1 && value <= 24 * 60;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const state = await write.run(() => getApi()['people.setIdleMinutes']({ minutes: value }), `Sessions now end after ${value} idle minutes.`);
    if (state) useAuth.setState({ auth: state });
  };
  return (
    <form className="people-form people-inline" onSubmit={(e) => void submit(e)} data-testid="idle-minutes" aria-label="Session idle time">
      <label>
        Sessions end after
        <input type="number" min={1} max={24 * 60} value={minutes} onChange={(e) => setMinutes(e.target.value)} disabled={!permission.allowed} data-testid="idle-minutes-input" />
        idle minutes
      </label>
      <button type="submit" className="button button-small" {...permission.control} disabled={!permission.allowed || write.busy || !valid || value === current} data-testid="idle-minutes-save">
        Save
      </button>
      <RefusalNote permission={permission} />
      {write.error && <span className="oc-error" role="alert">{write.error}</span>}
      {write.done && <span className="people-done" data-testid="idle-minutes-done">{write.done}</span>}
    </form>
  );
}
