// The AI settings of this deployment: shown to everyone, changed by supervisors and admins as an
// `ai.settings` ledger event (with a reason), after which the Ollama health is checked again. A model server that
// is not this computer is shown with a plain notice, and only an admin may allow one (an `ai.remote_host` event).
// The organization's name, the AI's signature and disclosure are set here too (OrganizationSettings.tsx).
import { useEffect, useState } from 'react';
import type { AiSettingsView } from '../../../../shared/contracts/ai.ts';
import { getApi } from '../../api/index.ts';
import { RefusalNote } from '../../components/RefusalNote.tsx';
import { useMayDo } from '../../hooks/useMayDo.ts';
import { errorText } from './errorText.ts';
import { OrganizationSettings } from './OrganizationSettings.tsx';
import { useAiData } from './useAiData.ts';

const REDACTIONS = ['card', 'iban', 'email', 'phone', 'national_id'] as const;
type Redaction = AiSettingsView['redaction'];

interface Form {
  host: string;
  model: string;
  threshold: string;
  parallel: string;
  redaction: Redaction;
  reason: string;
}

const toForm = (s: AiSettingsView): Form => ({
  host: s.host ?? '',
  model: s.model,
  threshold: String(s.confidenceThreshold),
  parallel: String(s.parallel),
  redaction: { ...s.redaction },
  reason: '',
});

function problems(form: Form): string[] {
  const found: string[] = [];
  if (form.host.trim()) {
    try {
      const url = new URL(form.host.trim());
      if (url.protocol !== 'http:' && url.protocol !== 'https:') found.push('Host: must be an http:// or https:// address');
    } catch {
      found.push('Host: must be an address like http://127.0.0.1:11434, or empty for the default');
    }
  }
  if (!form.model.trim()) found.push('Model: required');
  const threshold = Number(form.threshold);
  if (form.threshold.trim() === '' || !Number.isFinite(threshold) || threshold < 0 || threshold > 1) found.push('Confidence threshold: a number from 0 to 1');
  const parallel = Number(form.parallel);
  if (!Number.isInteger(parallel) || parallel < 1 || parallel > 64) found.push('Parallel slots: a whole number from 1 to 64');
  if (!form.reason.trim()) found.push('Reason: say why the settings change');
  return found;
}

export function SettingsPanel({ onSaved }: { onSaved: () => void }) {
  // Read once per opening (a view of the settings is recorded in the access log); a save returns the new settings.
  const { data, error, reload } = useAiData(() => getApi()['ai.settings'](), [], { reloadOnLedgerChange: false });
  const permission = useMayDo('ai.configure');
  const readOnly = !permission.allowed;
  const [form, setForm] = useState<Form | null>(null);
  const [dirty, setDirty] = useState(false);
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  useEffect(() => {
    if (data && !dirty) setForm(toForm(data));
  }, [data, dirty]);

  const change = (patch: Partial<Form>) => {
    setForm((f) => (f ? { ...f, ...patch } : f));
    setDirty(true);
    setMessage(null);
  };
  const invalid = form ? problems(form) : [];
  const save = () => {
    if (!form || invalid.length) return;
    setSaving(true);
    void getApi()
      ['ai.configure']({
        host: form.host.trim() || null,
        model: form.model.trim(),
        confidenceThreshold: Number(form.threshold),
        parallel: Number(form.parallel),
        redaction: form.redaction,
        reason: form.reason.trim(),
      })
      .then((r) => {
        setSaving(false);
        if (!r.ok) {
          setMessage({ ok: false, text: errorText(r.error) });
          return;
        }
        setForm(toForm(r.value));
        setDirty(false);
        setMessage({ ok: true, text: `Saved: ${r.value.model} at ${r.value.effectiveHost}.` });
        reload();
        onSaved();
      });
  };

  return (
    <section className="ai-card ai-settings" data-testid="ai-settings">
      <h3>AI settings</h3>
      {error && <p className="ai-error">{error}</p>}
      {!form && !error && <p>Loading settings…</p>}
      {data && <HostNotice settings={data} />}
      {form && data && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            save();
          }}
        >
          <fieldset disabled={readOnly || saving}>
            <label>
              Ollama host
              <input value={form.host} placeholder={`default: ${data.effectiveHost}`} onChange={(e) => change({ host: e.target.value })} data-testid="ai-settings-host" />
            </label>
            <label>
              Model
              <input value={form.model} onChange={(e) => change({ model: e.target.value })} data-testid="ai-settings-model" />
            </label>
            <label>
              Confidence threshold (0–1)
              <input type="number" min={0} max={1} step={0.01} value={form.threshold} onChange={(e) => change({ threshold: e.target.value })} data-testid="ai-settings-threshold" />
            </label>
            <label>
              Parallel slots
              <input type="number" min={1} max={64} step={1} value={form.parallel} onChange={(e) => change({ parallel: e.target.value })} data-testid="ai-settings-parallel" />
            </label>
            <div className="ai-settings-redaction">
              Redact before sending:
              {REDACTIONS.map((kind) => (
                <label key={kind} className="ai-inline">
                  <input
                    type="checkbox"
                    checked={form.redaction[kind]}
                    onChange={(e) => change({ redaction: { ...form.redaction, [kind]: e.target.checked } })}
                    data-testid={`ai-settings-redact-${kind}`}
                  />
                  {kind}
                </label>
              ))}
            </div>
            <label>
              Reason (recorded on the ledger)
              <input value={form.reason} onChange={(e) => change({ reason: e.target.value })} data-testid="ai-settings-reason" />
            </label>
            <button type="submit" {...permission.control} disabled={readOnly || !dirty || invalid.length > 0} data-testid="ai-settings-save">
              {saving ? 'Saving…' : 'Save settings'}
            </button>{' '}
            {dirty && (
              <button type="button" onClick={() => { setDirty(false); setMessage(null); }} data-testid="ai-settings-reset">
                Discard changes
              </button>
            )}
          </fieldset>
          <RefusalNote permission={permission} className="refusal-block" />
          {dirty && invalid.length > 0 && (
            <ul className="ai-error" data-testid="ai-settings-problems">
              {invalid.map((p) => <li key={p}>{p}</li>)}
            </ul>
          )}
          {message && <p className={message.ok ? 'ai-ok' : 'ai-error'} data-testid={message.ok ? 'ai-settings-saved' : 'ai-settings-error'}>{message.text}</p>}
        </form>
      )}
      {data?.organization ? (
        <OrganizationSettings
          settings={data.organization}
          onSaved={() => {
            reload();
            onSaved();
          }}
        />
      ) : null}
      <RemoteHostAllowance
        onSaved={() => {
          reload();
          onSaved();
        }}
      />
    </section>
  );
}

/** Says plainly when ticket text leaves this computer (and on whose allowance), or why no model server is contacted. */
function HostNotice({ settings }: { settings: AiSettingsView }) {
  const remote = settings.remoteHost;
  return (
    <>
      {!settings.hostIsLocal && !settings.hostProblem && (
        <p className="ai-error" role="alert" data-testid="ai-host-remote-notice">
          Ticket text leaves this computer: the model server {settings.effectiveHost} is on another machine.
          {remote?.host === settings.effectiveHost && ` Allowed by ${remote.by} on ${remote.at.slice(0, 10)}: “${remote.reason}”.`}
        </p>
      )}
      {settings.hostProblem && (
        <p className="ai-error" role="alert" data-testid="ai-host-problem">
          No model server is contacted: {settings.hostProblem}.
        </p>
      )}
    </>
  );
}

/** Admins only: allow (or withdraw) a model server on another machine, with a reason the ledger records. */
function RemoteHostAllowance({ onSaved }: { onSaved: () => void }) {
  const permission = useMayDo('ai.allowRemoteHost');
  const [host, setHost] = useState('');
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  if (!permission.allowed) return null;
  const record = (allowed: string | null) => {
    void getApi()
      ['ai.allowRemoteHost']({ host: allowed, reason: reason.trim() })
      .then((r) => {
        if (!r.ok) {
          setMessage({ ok: false, text: errorText(r.error) });
          return;
        }
        setMessage({ ok: true, text: allowed ? `Allowed: ticket text may be sent to ${r.value.remoteHost?.host ?? allowed}.` : 'Withdrawn: only this computer is contacted.' });
        setReason('');
        onSaved();
      });
  };
  return (
    <div className="ai-settings-remote" data-testid="ai-remote-host">
      <h4>Model server on another machine (admins)</h4>
      <p>Ticket text goes only to this computer unless an admin allows one other address here; the ledger records who and why.</p>
      <label>
        Address
        <input value={host} placeholder="https://ollama.example.lan:11434" onChange={(e) => setHost(e.target.value)} data-testid="ai-remote-host-address" />
      </label>
      <label>
        Reason (recorded on the ledger)
        <input value={reason} onChange={(e) => setReason(e.target.value)} data-testid="ai-remote-host-reason" />
      </label>
      <button type="button" {...permission.control} disabled={!host.trim() || !reason.trim()} onClick={() => record(host.trim())} data-testid="ai-remote-host-allow">
        Allow this address
      </button>{' '}
      <button type="button" {...permission.control} disabled={!reason.trim()} onClick={() => record(null)} data-testid="ai-remote-host-withdraw">
        Withdraw the allowance
      </button>
      {message && <p className={message.ok ? 'ai-ok' : 'ai-error'} data-testid={message.ok ? 'ai-remote-host-saved' : 'ai-remote-host-error'}>{message.text}</p>}
    </div>
  );
}
