// The AI settings of this deployment: shown to everyone, changed by supervisors and admins as an
// `ai.settings` ledger event (with a reason), after which the Ollama health is checked again.
import { useEffect, useState } from 'react';
import type { AiSettingsView } from '../../../../shared/contracts/ai.ts';
import { getApi } from '../../api/index.ts';
import { RefusalNote } from '../../components/RefusalNote.tsx';
import { useMayDo } from '../../hooks/useMayDo.ts';
import { errorText } from './errorText.ts';
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
  const { data, error } = useAiData(() => getApi()['ai.settings'](), [], { reloadOnLedgerChange: false });
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
        onSaved();
      });
  };

  return (
    <section className="ai-card ai-settings" data-testid="ai-settings">
      <h3>AI settings</h3>
      {error && <p className="ai-error">{error}</p>}
      {!form && !error && <p>Loading settings…</p>}
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
    </section>
  );
}
