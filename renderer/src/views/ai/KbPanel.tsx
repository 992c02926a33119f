// The knowledge base the AI is grounded in: find an article, read any recorded version, and (supervisors,
// admins) edit it; every save is a new version on the ledger, older versions stay readable.
import { useEffect, useMemo, useState } from 'react';
import type { KbArticleDetail, KbArticleText } from '../../../../shared/contracts/ai.ts';
import { getApi } from '../../api/index.ts';
import { RefusalNote } from '../../components/RefusalNote.tsx';
import { useMayDo } from '../../hooks/useMayDo.ts';
import { errorText } from './errorText.ts';
import { useAiData } from './useAiData.ts';

const parseTags = (text: string): string[] => [...new Set(text.split(',').map((t) => t.trim()).filter(Boolean))];

function ArticleEditor({ article, onSaved, onCancel }: { article: KbArticleDetail; onSaved: (a: KbArticleDetail) => void; onCancel: () => void }) {
  const [title, setTitle] = useState(article.title);
  const [body, setBody] = useState(article.body);
  const [tags, setTags] = useState(article.tags.join(', '));
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const problem = !title.trim() ? 'The title is required.' : !body.trim() ? 'The body is required.' : null;
  const save = () => {
    setSaving(true);
    void getApi()['kb.edit']({ id: article.id, title: title.trim(), body: body.trim(), tags: parseTags(tags) }).then((r) => {
      setSaving(false);
      if (r.ok) onSaved(r.value);
      else setError(errorText(r.error));
    });
  };
  return (
    <div className="ai-kb-editor" data-testid="kb-editor">
      <label>
        Title
        <input value={title} onChange={(e) => setTitle(e.target.value)} data-testid="kb-edit-title" />
      </label>
      <label>
        Tags (comma separated)
        <input value={tags} onChange={(e) => setTags(e.target.value)} data-testid="kb-edit-tags" />
      </label>
      <label>
        Body
        <textarea value={body} onChange={(e) => setBody(e.target.value)} rows={12} data-testid="kb-edit-body" />
      </label>
      {problem && <p className="ai-error" data-testid="kb-edit-problem">{problem}</p>}
      {error && <p className="ai-error" data-testid="kb-edit-error">{error}</p>}
      <div className="ai-actions">
        <button type="button" onClick={save} disabled={saving || problem !== null} data-testid="kb-edit-save">{saving ? 'Saving…' : 'Save as new version'}</button>
        <button type="button" onClick={onCancel} disabled={saving}>Cancel</button>
      </div>
    </div>
  );
}

function ArticleDetail({ id, onClose }: { id: string; onClose: () => void }) {
  const { data, error, reload } = useAiData(() => getApi()['kb.get']({ id }), [id]);
  const permission = useMayDo('kb.edit');
  const [editing, setEditing] = useState(false);
  const [shownVersion, setShownVersion] = useState<number | null>(null);
  const [old, setOld] = useState<KbArticleText | null>(null);
  const [oldError, setOldError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  useEffect(() => {
    setOld(null);
    setOldError(null);
    if (!data || shownVersion === null || shownVersion === data.version) return;
    let live = true;
    void getApi()['kb.article']({ id, version: shownVersion }).then((r) => {
      if (!live) return;
      if (r.ok) setOld(r.value);
      else setOldError(errorText(r.error));
    });
    return () => {
      live = false;
    };
  }, [id, shownVersion, data]);

  if (error) return <p className="ai-error">{error}</p>;
  if (!data) return <p>Loading the article…</p>;
  const viewingOld = shownVersion !== null && shownVersion !== data.version;
  return (
    <div className="ai-kb-detail" data-testid="kb-article" data-id={data.id} data-version={data.version}>
      <header className="ai-kb-head">
        <button type="button" className="ai-link" onClick={onClose} data-testid="kb-back">← all articles</button>
        <span className="ai-meta">
          {data.id} · {data.category ?? 'no category'} · source {data.source}
        </span>
      </header>
      {saved && <p className="ai-ok" data-testid="kb-saved">{saved}</p>}
      {editing ? (
        <ArticleEditor
          article={data}
          onCancel={() => setEditing(false)}
          onSaved={(a) => {
            setEditing(false);
            setShownVersion(null);
            setSaved(a.version === data.version ? 'Nothing changed: no new version.' : `Saved as version ${a.version}.`);
            reload();
          }}
        />
      ) : viewingOld ? (
        <div data-testid="kb-old-version" data-version={shownVersion}>
          <p className="ai-note">Version {shownVersion} (read-only; the current version is {data.version}).</p>
          {oldError && <p className="ai-error">{oldError}</p>}
          {!old && !oldError && <p>Loading version {shownVersion}…</p>}
          {old && (
            <>
              <h4 data-testid="kb-title">{old.title}</h4>
              <pre className="ai-draft" data-testid="kb-body">{old.body}</pre>
            </>
          )}
        </div>
      ) : (
        <>
          <h4 data-testid="kb-title">{data.title} <span className="ai-meta" data-testid="kb-version">v{data.version}</span></h4>
          {data.tags.length > 0 && <p className="ai-meta" data-testid="kb-tags">Tags: {data.tags.join(', ')}</p>}
          <pre className="ai-draft" data-testid="kb-body">{data.body}</pre>
          <button
            type="button"
            onClick={() => {
              setSaved(null);
              setEditing(true);
            }}
            title="Edit this article; saving records a new version"
            {...permission.control}
            data-testid="kb-edit"
          >
            Edit
          </button>{' '}
          <RefusalNote permission={permission} />
        </>
      )}
      <h4>Versions</h4>
      <ol className="ai-kb-versions" data-testid="kb-versions">
        {[...data.versions].reverse().map((v) => {
          const current = v.version === data.version;
          const selected = current ? !viewingOld : shownVersion === v.version;
          return (
            <li key={v.version}>
              <button
                type="button"
                className={`ai-link ${selected ? 'ai-selected' : ''}`}
                onClick={() => setShownVersion(current ? null : v.version)}
                disabled={editing}
                data-testid="kb-version"
                data-version={v.version}
              >
                v{v.version}
              </button>{' '}
              {v.action} by {v.actor}, {new Date(v.at).toLocaleString()} (#{v.seq}){current && ' — current'}
            </li>
          );
        })}
      </ol>
    </div>
  );
}

export function KbPanel() {
  const { data, error } = useAiData(() => getApi()['kb.list'](), []);
  const [filter, setFilter] = useState('');
  const [openId, setOpenId] = useState<string | null>(null);
  const shown = useMemo(() => {
    const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
    if (!data || words.length === 0) return data;
    return data.filter((a) => {
      const text = [a.id, a.title, a.category ?? '', ...a.tags].join(' ').toLowerCase();
      return words.every((w) => text.includes(w));
    });
  }, [data, filter]);
  return (
    <section className="ai-card ai-kb" data-testid="kb-panel">
      <h3>Knowledge base {data && `(${data.length})`}</h3>
      {error && <p className="ai-error">{error}</p>}
      {openId ? (
        <ArticleDetail key={openId} id={openId} onClose={() => setOpenId(null)} />
      ) : (
        <>
          {!data && !error && <p>Loading articles…</p>}
          {data?.length === 0 && <p data-testid="kb-empty">No articles yet: import them with `attest kb import DIR`.</p>}
          {data && data.length > 0 && (
            <>
              <input type="search" placeholder="Filter by title, id, tag or category" value={filter} onChange={(e) => setFilter(e.target.value)} data-testid="kb-filter" />
              {shown?.length === 0 && <p data-testid="kb-no-match">No article matches “{filter}”.</p>}
              <ul className="ai-kb-list">
                {shown?.map((a) => (
                  <li key={a.id} data-testid="kb-row" data-id={a.id}>
                    <button type="button" className="ai-link" onClick={() => setOpenId(a.id)} data-testid="kb-open">{a.title}</button>{' '}
                    <span className="ai-meta">
                      {a.id} v{a.version}
                      {a.category && ` · ${a.category}`}
                      {a.tags.length > 0 && ` · ${a.tags.join(', ')}`}
                    </span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </section>
  );
}
