// Turns one knowledge-base file (Markdown with front matter, HTML, or plain text) into an article.
// The id is stable across re-imports: the front matter's `id`, else the file's path below the import root.
import type matterFunction from 'gray-matter';
import type * as HtmlParser from 'node-html-parser';
import { loadOnFirstUse } from '../load-on-first-use.ts';
import { describeBytes, exceedsFieldLimit, FIELD_TOO_LONG, htmlNestingProblem, MAX_ARTICLE_FILE_BYTES, NESTED_TOO_DEEP, nestingProblem } from '../files/input-limits.ts';

// Only a KB import parses articles: loaded then (load-on-first-use.ts).
const matter = loadOnFirstUse<typeof matterFunction>('gray-matter');
const htmlParser = loadOnFirstUse<typeof HtmlParser>('node-html-parser');

export interface ParsedArticle {
  id: string;
  title: string;
  body: string;
  tags: string[];
  category?: string;
  /** Path relative to the import root, with forward slashes. */
  source: string;
}

export class ArticleError extends Error {
  constructor(file: string, line: number, field: string, reason: string) {
    super(`${file}:${line}: ${field}: ${reason}`);
  }
}

export const ARTICLE_EXTENSIONS = ['.md', '.markdown', '.html', '.htm', '.txt'] as const;
const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,119}$/;

export function slugFromPath(source: string): string {
  return source
    .replace(/\.[^./]+$/, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 120);
}

function lineOfKey(raw: string, key: string): number {
  const index = raw.split('\n').findIndex((line) => line.startsWith(`${key}:`));
  return index < 0 ? 1 : index + 1;
}

function stringList(value: unknown, file: string, line: number, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return value.split(',').map((t) => t.trim()).filter(Boolean);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) return value.map(String);
  throw new ArticleError(file, line, field, 'must be a list of strings');
}

function optionalString(value: unknown, file: string, line: number, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.trim() === '') throw new ArticleError(file, line, field, 'must be a non-empty string');
  return value.trim();
}

/** The front matter block's text (between the opening and closing ---), for checks before YAML parses it. */
function frontMatterText(raw: string): string {
  const match = /^---[^\n]*\n([\s\S]*?)\n---/.exec(raw.replace(/^\uFEFF/, ''));
  return match ? match[1]! : '';
}

function parseMarkdown(raw: string, source: string): Omit<ParsedArticle, 'source'> {
  // YAML's parser recurses per level of flow collections: the depth is checked before it runs.
  const deep = nestingProblem(frontMatterText(raw), 2, ['"', "'"]);
  if (deep) throw new ArticleError(source, deep.line, 'front matter', NESTED_TOO_DEEP);
  let parsed: matterFunction.GrayMatterFile<string>;
  try {
    // A fresh options object keeps gray-matter from serving a cached result for identical text.
    parsed = matter()(raw, {});
  } catch (error) {
    const mark = (error as { mark?: { line?: number } }).mark;
    throw new ArticleError(source, (mark?.line ?? 0) + 1, 'front matter', (error as Error).message.split('\n')[0]!);
  }
  const data = parsed.data as Record<string, unknown>;
  const known = new Set(['id', 'title', 'tags', 'category', 'aliases']);
  for (const key of Object.keys(data)) {
    if (!known.has(key)) throw new ArticleError(source, lineOfKey(raw, key), key, `unknown front matter field (expected ${[...known].join(', ')})`);
  }
  let content = parsed.content.trim();
  let title = optionalString(data.title, source, lineOfKey(raw, 'title'), 'title');
  if (!title) {
    const heading = /^#\s+(.+)$/m.exec(content);
    if (!heading) throw new ArticleError(source, 1, 'title', 'missing: give a front matter `title:` or start with a `# Heading`');
    title = heading[1]!.trim();
    content = content.replace(heading[0], '').trim();
  }
  const tags = [...stringList(data.tags, source, lineOfKey(raw, 'tags'), 'tags'), ...stringList(data.aliases, source, lineOfKey(raw, 'aliases'), 'aliases')];
  const id = optionalString(data.id, source, lineOfKey(raw, 'id'), 'id');
  if (id !== undefined && !ID_PATTERN.test(id)) throw new ArticleError(source, lineOfKey(raw, 'id'), 'id', 'must be lowercase letters, digits and dashes');
  return { id: id ?? slugFromPath(source), title, body: content, tags, category: optionalString(data.category, source, lineOfKey(raw, 'category'), 'category') };
}

function parseHtmlArticle(raw: string, source: string): Omit<ParsedArticle, 'source'> {
  // The HTML tree is walked recursively (text, selectors): its depth is checked before it is built.
  const deep = htmlNestingProblem(raw);
  if (deep) throw new ArticleError(source, deep.line, 'html', `elements ${NESTED_TOO_DEEP}`);
  const root = htmlParser().parse(raw);
  const meta = (name: string): string | undefined => root.querySelector(`meta[name="${name}"]`)?.getAttribute('content')?.trim() || undefined;
  const title = root.querySelector('title')?.text.trim() || root.querySelector('h1')?.text.trim();
  if (!title) throw new ArticleError(source, 1, 'title', 'missing: give the page a <title> or an <h1>');
  const main = root.querySelector('article') ?? root.querySelector('main') ?? root.querySelector('body') ?? root;
  main.querySelectorAll('script, style, nav, h1').forEach((node) => node.remove());
  const blocks = main.querySelectorAll('h2, h3, p, li, td, pre');
  const body = (blocks.length ? blocks.map((node) => (node.tagName === 'LI' ? `- ${node.text.trim()}` : node.text.trim())) : [main.text.trim()])
    .filter(Boolean)
    .join('\n\n');
  if (!body) throw new ArticleError(source, 1, 'body', 'the page has no text');
  const id = meta('kb-id');
  if (id !== undefined && !ID_PATTERN.test(id)) throw new ArticleError(source, 1, 'kb-id', 'must be lowercase letters, digits and dashes');
  const tags = (meta('keywords') ?? '').split(',').map((t) => t.trim()).filter(Boolean);
  return { id: id ?? slugFromPath(source), title, body, tags, category: meta('kb-category') };
}

function parseText(raw: string, source: string): Omit<ParsedArticle, 'source'> {
  const lines = raw.replace(/\r\n/g, '\n').split('\n');
  const first = lines.findIndex((line) => line.trim() !== '');
  if (first < 0) throw new ArticleError(source, 1, 'title', 'the file is empty');
  const body = lines.slice(first + 1).join('\n').trim();
  if (!body) throw new ArticleError(source, first + 2, 'body', 'missing: the first line is the title, the rest the article');
  return { id: slugFromPath(source), title: lines[first]!.trim(), body, tags: [] };
}

export function parseArticle(raw: string, source: string): ParsedArticle {
  if (raw.length > MAX_ARTICLE_FILE_BYTES) throw new ArticleError(source, 1, '(file)', `larger than ${describeBytes(MAX_ARTICLE_FILE_BYTES)} (the limit for one article file)`);
  const lower = source.toLowerCase();
  const parsed = lower.endsWith('.html') || lower.endsWith('.htm') ? parseHtmlArticle(raw, source) : lower.endsWith('.txt') ? parseText(raw, source) : parseMarkdown(raw, source);
  if (!parsed.body.trim()) throw new ArticleError(source, 1, 'body', 'the article has no text');
  if (exceedsFieldLimit(parsed.body)) throw new ArticleError(source, 1, 'body', FIELD_TOO_LONG);
  if (exceedsFieldLimit(parsed.title)) throw new ArticleError(source, 1, 'title', FIELD_TOO_LONG);
  return { ...parsed, source };
}
