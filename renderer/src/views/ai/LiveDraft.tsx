import { useEffect, useState } from 'react';
import { getApi } from '../../api/index.ts';
import { RefusalNote } from '../../components/RefusalNote.tsx';
import { useMayDo } from '../../hooks/useMayDo.ts';

const replaced = (runs: string[] | undefined): string => (runs?.length ? `; replaces the earlier draft${runs.length > 1 ? 's' : ''} ${runs.join(', ')} in review` : '');

export function LiveDraft({ ticketId, onDone }: { ticketId: string; onDone?: () => void }) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const permission = useMayDo('ai.draftLive');
  useEffect(
    () =>
      getApi().subscribe('ai.draftChunk', (chunk) => {
        if (chunk.ticketId === ticketId && !chunk.done) setText((t) => t + chunk.text);
      }),
    [ticketId],
  );
  const start = () => {
    setText('');
    setMessage(null);
    setBusy(true);
    void getApi()['ai.draftLive']({ ticketId }).then((r) => {
      setBusy(false);
      if (!r.ok) setMessage(r.error.message);
      else setMessage(r.value.message ?? `Recorded: ${r.value.action}${r.value.reason ? ` (${r.value.reason})` : ''}${replaced(r.value.superseded)}`);
      onDone?.();
    });
  };
  return (
    <div className="ai-live" data-testid="ai-live">
      <button type="button" onClick={start} {...permission.control} disabled={!permission.allowed || busy} data-testid="ai-live-start">{busy ? 'Drafting…' : 'Draft a reply now'}</button>{' '}
      <RefusalNote permission={permission} />
      {(busy || text) && <pre className="ai-draft" data-testid="ai-live-text">{text}</pre>}
      {message && <p data-testid="ai-live-message">{message}</p>}
    </div>
  );
}
