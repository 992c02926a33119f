// Editing an article: title, tags, body (Markdown, with a preview) and the reason for the change, which the ledger
// records with the new version and refuses to do without.
import { useState } from 'react';
import type { KbArticleDetail } from '../../../../shared/contracts/ai.ts';
import { getApi } from '../../api/index.ts';
import { RefusalNote } from '../../components/RefusalNote.tsx';
import { useMayDo } from '../../hooks/useMayDo.ts';
import { errorText } from './errorText.ts';
import { KbMarkdown } from './KbMarkdown.tsx';

const parseTags = (text: string): string[] => [...new Set(text.split(',').map((t) => t.trim()).filter(Boolean))];

export function KbEditor({ article, onSaved, onCancel }: { article: KbArticleDetail; onSaved: (a: KbArticleDetail) => void; onCancel: () => void }) {
  const permission = useMayDo('kb.edit');
  const [title, setTitle] = useState(article.title);
  const [body, setBody] = useState(article.body);
  const [tags, setTags] = useState(article.tags.join(', '));
  const [reason, setReason] = useState('');
  const [preview, setPreview] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const problem = !title.trim()
    ? 'The title is required.'
    : !body.trim()
      ? 'The body is required.'
      : !reason.trim()
        ? 'Say why the article changes: the reason is recorded with the new version.'
        : null;
  const save = () => {
    setSaving(true);
    void getApi()['kb.edit']({ id: article.id, title: title.trim(), body: body.trim(), tags: parseTags(tags), reason: reason.trim() }).then((r) => {
      setSaving(false);
      if (r.ok) onSaved(r.value);
      else setError(errorText(r.error));
    });
  };
  return (
    <form className="ai-kb-editor" data-testid="kb-editor" onSubmit={(e) => e.preventDefault()} aria-label={`Edit ${article.title}`}>
      <label>
        Title
        <input value={title} onChange={(e) => setTitle(e.target.value)} data-testid="kb-edit-title" />
      </label>
      <label>
        Tags (comma separated)
        <input value={tags} onChange={(e) => setTags(e.target.value)} data-testid="kb-edit-tags" />
      </label>
      <label>
        Body (Markdown)
        <textarea value={body} onChange={(e) => setBody(e.target.value)} rows={12} data-testid="kb-edit-body" />
      </label>
      <label className="ai-check">
        <input type="checkbox" checked={preview} onChange={(e) => setPreview(e.target.checked)} data-testid="kb-edit-preview-toggle" /> Show the body as it will read
      </label>
      {preview && (
        <div className="kb-preview" aria-label="Preview">
          <KbMarkdown source={body} testId="kb-edit-preview" />
        </div>
      )}
      <label>
        Reason for the change (required, recorded on the ledger)
        <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={2000} required aria-required="true" data-testid="kb-edit-reason" />
      </label>
      {problem && <p className="ai-error" data-testid="kb-edit-problem">{problem}</p>}
      {error && <p className="ai-error" role="alert" data-testid="kb-edit-error">{error}</p>}
      <div className="ai-actions">
        <button type="button" onClick={save} {...permission.control} disabled={saving || problem !== null || !permission.allowed || undefined} data-testid="kb-edit-save">
          {saving ? 'Saving…' : 'Save as new version'}
        </button>
        <button type="button" onClick={onCancel} disabled={saving}>Cancel</button>
        <RefusalNote permission={permission} />
      </div>
    </form>
  );
}
