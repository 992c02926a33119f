import { useMemo } from 'react';
import { renderMarkdown } from '../../lib/markdown.ts';

/** An article body rendered from Markdown, sanitized (lib/markdown.ts). */
export function KbMarkdown({ source, testId = 'kb-body' }: { source: string; testId?: string }) {
  const html = useMemo(() => renderMarkdown(source), [source]);
  return <div className="kb-markdown" data-testid={testId} dangerouslySetInnerHTML={{ __html: html }} />;
}
