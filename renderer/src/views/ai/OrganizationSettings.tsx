// The organization's settings: its name (prompts, reports), the AI's signature and the disclosure every AI reply
// ends with. Shown to everyone, changed by supervisors and admins with a reason (an `organization.settings` ledger
// event). Nothing is made up where nothing is set: the panel says "organization name not set".
import { useEffect, useState } from 'react';
import { AI_DISCLOSURE_MIN, type OrganizationSettingsView } from '../../../../shared/contracts/organization.ts';
import { getApi } from '../../api/index.ts';
import { RefusalNote } from '../../components/RefusalNote.tsx';
import { useMayDo } from '../../hooks/useMayDo.ts';
import { errorText } from './errorText.ts';

interface Form {
  name: string;
  signature: string;
  disclosure: string;
  reason: string;
}

const toForm = (s: OrganizationSettingsView): Form => ({ name: s.name ?? '', signature: s.aiSignature ?? '', disclosure: s.aiDisclosure ?? '', reason: '' });

function problems(form: Form): string[] {
  const found: string[] = [];
  const disclosure = form.disclosure.trim();
  if (disclosure && disclosure.length < AI_DISCLOSURE_MIN) found.push(`AI disclosure: at least ${AI_DISCLOSURE_MIN} characters, or empty for the product's own text`);
  if (!form.reason.trim()) found.push('Reason: say why the settings change');
  return found;
}

export function OrganizationSettings({ settings, onSaved }: { settings: OrganizationSettingsView; onSaved: () => void }) {
  const permission = useMayDo('organization.configure');
  const readOnly = !permission.allowed;
  const [form, setForm] = useState<Form>(() => toForm(settings));
  const [dirty, setDirty] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => {
    if (!dirty) setForm(toForm(settings));
  }, [settings, dirty]);

  const change = (patch: Partial<Form>): void => {
    setForm((f) => ({ ...f, ...patch }));
    setDirty(true);
    setMessage(null);
  };
  const invalid = problems(form);
  const save = (): void => {
    if (invalid.length) return;
    void getApi()
      ['organization.configure']({ name: form.name, aiSignature: form.signature, aiDisclosure: form.disclosure, reason: form.reason.trim() })
      .then((r) => {
        if (!r.ok) return setMessage({ ok: false, text: errorText(r.error) });
        setForm(toForm(r.value));
        setDirty(false);
        setMessage({ ok: true, text: `Saved: ${r.value.name ?? 'organization name not set'}.` });
        onSaved();
      });
  };

  return (
    <div className="ai-settings-organization" data-testid="org-settings">
      <h4>Organization</h4>
      <p data-testid="org-settings-current">
        {settings.name ? (
          <>
            Organization: <strong data-testid="org-settings-name">{settings.name}</strong>
          </>
        ) : (
          <strong data-testid="org-settings-name-unset">Organization name not set</strong>
        )}
        {settings.name ? null : ' — prompts say “the company”, reports name no issuer.'}{' '}
        {settings.recorded ? (
          <span className="muted small">
            Set by {settings.recorded.by} on {settings.recorded.at.slice(0, 10)}: “{settings.recorded.reason}”.
          </span>
        ) : null}
      </p>
      <p className="small">
        Every AI reply ends with: {settings.aiSignature ? <em data-testid="org-settings-signature">{settings.aiSignature}</em> : <span>no signature</span>}, then{' '}
        <em data-testid="org-settings-disclosure">{settings.effectiveDisclosure}</em>
        {settings.aiDisclosure ? null : ' (the product’s own disclosure)'}
      </p>
      <RefusalNote permission={permission} className="refusal-block" />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        <label>
          Organization name
          <input value={form.name} placeholder="not set" disabled={readOnly} onChange={(e) => change({ name: e.target.value })} data-testid="org-settings-name-input" />
        </label>
        <label>
          AI signature (above the disclosure; empty: none)
          <input value={form.signature} disabled={readOnly} onChange={(e) => change({ signature: e.target.value })} data-testid="org-settings-signature-input" />
        </label>
        <label>
          AI disclosure (empty: the product’s own text)
          <input value={form.disclosure} placeholder={settings.defaultDisclosure} disabled={readOnly} onChange={(e) => change({ disclosure: e.target.value })} data-testid="org-settings-disclosure-input" />
        </label>
        <label>
          Reason (recorded on the ledger)
          <input value={form.reason} disabled={readOnly} onChange={(e) => change({ reason: e.target.value })} data-testid="org-settings-reason" />
        </label>
        <button type="submit" {...permission.control} disabled={readOnly || !dirty || invalid.length > 0} data-testid="org-settings-save">
          Save organization settings
        </button>
        {dirty && invalid.length > 0 ? (
          <ul className="ai-error" data-testid="org-settings-problems">
            {invalid.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        ) : null}
        {message ? <p className={message.ok ? 'ai-ok' : 'ai-error'} data-testid={message.ok ? 'org-settings-saved' : 'org-settings-error'}>{message.text}</p> : null}
      </form>
    </div>
  );
}
