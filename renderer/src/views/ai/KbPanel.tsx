// The knowledge base the AI is grounded in: find an article and open it (KbArticle: rendered text, edits with a
// reason, version history, side-by-side diff, the AI replies that cited each version).
import { useMemo, useState } from 'react';
import { getApi } from '../../api/index.ts';
import { KbArticle } from './KbArticle.tsx';
import { useAiData } from './useAiData.ts';

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
        <KbArticle key={openId} id={openId} onClose={() => setOpenId(null)} />
      ) : (
        <>
          {!data && !error && <p>Loading articles…</p>}
          {data?.length === 0 && <p data-testid="kb-empty">No articles yet: import them with `attest kb import DIR`.</p>}
          {data && data.length > 0 && (
            <>
              <input type="search" aria-label="Filter articles" placeholder="Filter by title, id, tag or category" value={filter} onChange={(e) => setFilter(e.target.value)} data-testid="kb-filter" />
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
