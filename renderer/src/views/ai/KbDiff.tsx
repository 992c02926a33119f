// Two versions of an article side by side (kb.diff): the older on the left, each headed by who made it, when and
// why; changed words are marked as deleted on the left and inserted on the right.
import type { KbDiffRow, KbDiffSegment, KbVersionRow } from '../../../../shared/contracts/ai.ts';
import { formatCount } from '../../../../shared/format.ts';
import { getApi } from '../../api/index.ts';
import { useAiData } from './useAiData.ts';
import { versionMade, versionReason } from './kbWords.ts';

function Side({ segments, kind }: { segments: KbDiffSegment[] | null; kind: 'left' | 'right' }) {
  if (!segments) return <td className="kb-diff-text kb-diff-empty" />;
  return (
    <td className="kb-diff-text">
      {segments.map((s, i) =>
        !s.changed ? <span key={i}>{s.text}</span> : kind === 'left' ? <del key={i}>{s.text}</del> : <ins key={i}>{s.text}</ins>,
      )}
    </td>
  );
}

function VersionHead({ version, side }: { version: KbVersionRow; side: string }) {
  return (
    <div className="kb-diff-version" data-testid={`kb-diff-${side}`} data-version={version.version}>
      <strong>Version {version.version}</strong> ({side}): {versionMade(version)}
      <div className="ai-meta">Why: <span data-testid="kb-diff-reason">{versionReason(version)}</span></div>
    </div>
  );
}

const plural = (n: number, word: string): string => `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;

export function KbDiff({ id, versions, from, to, onChange }: { id: string; versions: KbVersionRow[]; from: number; to: number; onChange: (from: number, to: number) => void }) {
  const { data, error } = useAiData(() => getApi()['kb.diff']({ id, from, to }), [id, from, to]);
  const choose = (label: string, value: number, set: (v: number) => void, testId: string) => (
    <label>
      {label}{' '}
      <select value={value} onChange={(e) => set(Number(e.target.value))} data-testid={testId}>
        {versions.map((v) => (
          <option key={v.version} value={v.version}>v{v.version}</option>
        ))}
      </select>
    </label>
  );
  return (
    <section className="kb-diff" data-testid="kb-diff" aria-label={`Compare versions of ${id}`}>
      <div className="ai-actions">
        {choose('Compare', from, (v) => onChange(v, to), 'kb-diff-from')}
        {choose('with', to, (v) => onChange(from, v), 'kb-diff-to')}
      </div>
      {error && <p className="ai-error">{error}</p>}
      {!data && !error && <p>Comparing…</p>}
      {data && (
        <>
          <div className="kb-diff-heads">
            <VersionHead version={data.from} side="left" />
            <VersionHead version={data.to} side="right" />
          </div>
          <p className="ai-meta" data-testid="kb-diff-summary">
            {data.from.version === data.to.version
              ? 'The same version on both sides.'
              : `${plural(data.changed, 'line')} changed, ${plural(data.added, 'line')} added, ${plural(data.removed, 'line')} removed.`}
          </p>
          <table className="kb-diff-table" aria-label={`Version ${data.from.version} (left) and version ${data.to.version} (right)`}>
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">Version {data.from.version}</th>
                <th scope="col">Line</th>
                <th scope="col">Version {data.to.version}</th>
              </tr>
            </thead>
            <tbody>
              {data.rows.map((row: KbDiffRow, i) => (
                <tr key={i} className={`kb-diff-${row.kind}`} data-testid="kb-diff-row" data-kind={row.kind}>
                  <td className="kb-diff-line">{row.leftLine ?? ''}</td>
                  <Side segments={row.left} kind="left" />
                  <td className="kb-diff-line">{row.rightLine ?? ''}</td>
                  <Side segments={row.right} kind="right" />
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
