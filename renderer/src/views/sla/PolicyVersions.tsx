// Imported policy versions (each a ledger event) and importing a new file.
import { useState, type ChangeEvent } from 'react';
import { getApi } from '../../api/index.ts';
import { useChain } from '../../state/chain.ts';
import { RefusalNote } from '../../components/RefusalNote.tsx';
import { useMayDo } from '../../hooks/useMayDo.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useSlaCall } from './useSlaCall.ts';

export function PolicyVersions() {
  const { value } = useSlaCall('sla.policies', {});
  const permission = useMayDo('sla.importPolicies');
  const readOnly = !permission.allowed;
  const ledgerChanged = useChain((s) => s.ledgerChanged);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const input = e.currentTarget;
    const file = input.files?.[0];
    if (!file) return;
    const res = await getApi()['sla.importPolicies']({ fileName: file.name, text: await file.text() });
    input.value = '';
    if (res.ok) {
      setMessage({ ok: true, text: `Version ${res.value.version} recorded (ledger #${res.value.seq}), effective ${res.value.effectiveFrom}` });
      ledgerChanged();
    } else setMessage({ ok: false, text: res.error.message });
  };

  return (
    <section className="sla-card" data-testid="sla-policies">
      <header className="sla-card-head">
        <h3>Policies</h3>
        <label className={`button ${readOnly ? 'is-busy' : ''}`} title={permission.reason ?? 'Record a new policy version'}>
          <input type="file" accept=".json,application/json" className="visually-hidden" {...permission.control} onChange={(e) => void onFile(e)} data-testid="sla-policy-input" />
          Import policies…
        </label>
        <RefusalNote permission={permission} />
      </header>
      {message ? <pre className={message.ok ? 'sla-muted' : 'sla-error'} data-testid="sla-policy-message">{message.text}</pre> : null}
      {value && value.length === 0 ? <p className="sla-muted">No SLA policies yet: import a policy file.</p> : null}
      <ul className="sla-ticket-list">
        {value?.map((v) => (
          <li key={v.seq} data-testid="sla-policy-version">
            <strong>v{v.version}</strong>
            <span className="sla-muted">
              effective {formatDateTime(v.effectiveFrom)} · recorded {formatDateTime(v.recordedAt)} by {v.recordedBy} · ledger #{v.seq}
            </span>
            <span>{v.policies.map((p) => `${p.id}${Object.keys(p.match).length ? ` (${Object.entries(p.match).map(([k, vals]) => `${k}: ${vals.join('/')}`).join(', ')})` : ' (all)'}`).join(' → ')}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
