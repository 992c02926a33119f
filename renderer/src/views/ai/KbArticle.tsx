// One article: the version being read (rendered Markdown, with who made it, when and why), the edit form for
// supervisors and admins, the version history, two versions side by side, and the AI replies that cited a version.
import { useEffect, useState } from 'react';
import type { KbArticleText, KbVersionRow } from '../../../../shared/contracts/ai.ts';
import { formatCount } from '../../../../shared/format.ts';
import { getApi } from '../../api/index.ts';
import { RefusalNote } from '../../components/RefusalNote.tsx';
import { useMayDo } from '../../hooks/useMayDo.ts';
import { errorText } from './errorText.ts';
import { KbCitations } from './KbCitations.tsx';
import { KbDiff } from './KbDiff.tsx';
import { KbEditor } from './KbEditor.tsx';
import { KbMarkdown } from './KbMarkdown.tsx';
import { versionMade, versionReason } from './kbWords.ts';
import { useAiData } from './useAiData.ts';

function VersionMeta({ version }: { version: KbVersionRow | undefined }) {
  if (!version) return null;
  return (
    <p className="ai-meta" data-testid="kb-version-meta">
      Version {version.version}: {versionMade(version)}. Why: <span data-testid="kb-version-reason">{versionReason(version)}</span>
    </p>
  );
}

/** The text of an older version, fetched when it is chosen. */
function useVersionText(id: string, version: number | null): { text: KbArticleText | null; error: string | null } {
  const [text, setText] = useState<KbArticleText | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setText(null);
    setError(null);
    if (version === null) return;
    let live = true;
    void getApi()['kb.article']({ id, version }).then((r) => {
      if (!live) return;
      if (r.ok) setText(r.value);
      else setError(errorText(r.error));
    });
    return () => {
      live = false;
    };
  }, [id, version]);
  return { text, error };
}

const citedLabel = (n: number): string => (n === 0 ? 'cited by no AI reply' : `cited by ${formatCount(n)} AI ${n === 1 ? 'reply' : 'replies'}`);

export function KbArticle({ id, onClose }: { id: string; onClose: () => void }) {
  const { data, error, reload } = useAiData(() => getApi()['kb.get']({ id }), [id]);
  const permission = useMayDo('kb.edit');
  const [editing, setEditing] = useState(false);
  const [shownVersion, setShownVersion] = useState<number | null>(null);
  const [compare, setCompare] = useState<{ from: number; to: number } | null>(null);
  const [citationsOf, setCitationsOf] = useState<number | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const viewingOld = data !== null && shownVersion !== null && shownVersion !== data.version;
  const old = useVersionText(id, viewingOld ? shownVersion : null);

  if (error) return <p className="ai-error">{error}</p>;
  if (!data) return <p>Loading the article…</p>;
  const versionRow = (n: number) => data.versions.find((v) => v.version === n);
  const shown = viewingOld ? old.text : data;
  return (
    <div className="ai-kb-detail" data-testid="kb-article" data-id={data.id} data-version={data.version}>
      <header className="ai-kb-head">
        <button type="button" className="ai-link" onClick={onClose} data-testid="kb-back">← all articles</button>
        <span className="ai-meta">
          {data.id} · {data.category ?? 'no category'} · source {data.source}
        </span>
      </header>
      {saved && <p className="ai-ok" role="status" data-testid="kb-saved">{saved}</p>}
      {editing ? (
        <KbEditor
          article={data}
          onCancel={() => setEditing(false)}
          onSaved={(a) => {
            setEditing(false);
            setShownVersion(null);
            setSaved(a.version === data.version ? 'Nothing changed: no new version.' : `Saved as version ${a.version}.`);
            reload();
          }}
        />
      ) : (
        <article data-testid={viewingOld ? 'kb-old-version' : 'kb-current-version'} data-version={viewingOld ? shownVersion : data.version}>
          {viewingOld && <p className="ai-note">Version {shownVersion} (read-only; the current version is {data.version}).</p>}
          {old.error && <p className="ai-error">{old.error}</p>}
          {!shown && !old.error && <p>Loading version {shownVersion}…</p>}
          {shown && (
            <>
              <h4 data-testid="kb-title">
                {shown.title} <span className="ai-meta" data-testid="kb-version">v{shown.version}</span>
              </h4>
              <VersionMeta version={versionRow(shown.version)} />
              {!viewingOld && data.tags.length > 0 && <p className="ai-meta" data-testid="kb-tags">Tags: {data.tags.join(', ')}</p>}
              <KbMarkdown source={shown.body} />
            </>
          )}
          {!viewingOld && (
            <p>
              <button
                type="button"
                onClick={() => {
                  setSaved(null);
                  setEditing(true);
                }}
                title="Edit this article; saving records a new version with your reason"
                {...permission.control}
                data-testid="kb-edit"
              >
                Edit
              </button>{' '}
              <RefusalNote permission={permission} />
            </p>
          )}
        </article>
      )}
      <h4>Versions</h4>
      <ol className="ai-kb-versions" data-testid="kb-versions">
        {[...data.versions].reverse().map((v) => {
          const current = v.version === data.version;
          const selected = current ? !viewingOld : shownVersion === v.version;
          return (
            <li key={v.version} data-testid="kb-version-row" data-version={v.version}>
              <button
                type="button"
                className={`ai-link ${selected ? 'ai-selected' : ''}`}
                aria-current={selected ? 'true' : undefined}
                onClick={() => setShownVersion(current ? null : v.version)}
                disabled={editing}
                data-testid="kb-version"
                data-version={v.version}
              >
                v{v.version}
              </button>{' '}
              {versionMade(v)} (#{v.seq}){current && ' — current'}
              <div className="ai-meta">Why: {versionReason(v)}</div>
              <div className="ai-actions">
                {v.version > 1 && (
                  <button type="button" className="ai-link" onClick={() => setCompare({ from: v.version - 1, to: v.version })} data-testid="kb-compare-previous">
                    Compare with v{v.version - 1}
                  </button>
                )}
                <button type="button" className="ai-link" onClick={() => setCitationsOf(citationsOf === v.version ? null : v.version)} aria-expanded={citationsOf === v.version} data-testid="kb-cited">
                  {citedLabel(v.cited)}
                </button>
              </div>
              {citationsOf === v.version && <KbCitations id={data.id} version={v.version} />}
            </li>
          );
        })}
      </ol>
      {data.versions.length > 1 && !compare && (
        <button type="button" onClick={() => setCompare({ from: data.version - 1, to: data.version })} data-testid="kb-compare">
          Compare two versions
        </button>
      )}
      {compare && (
        <>
          <KbDiff id={data.id} versions={data.versions} from={compare.from} to={compare.to} onChange={(from, to) => setCompare({ from, to })} />
          <button type="button" onClick={() => setCompare(null)} data-testid="kb-compare-close">Close the comparison</button>
        </>
      )}
    </div>
  );
}
