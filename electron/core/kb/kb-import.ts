// `attest kb import DIR` and article edits: every new or changed article becomes one `kb.article` event.
// All files are parsed before anything is written, so a bad file means nothing is imported.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { Actor } from '../../../shared/domain.ts';
import type { Db } from '../db/connection.ts';
import { recordEvents } from '../derived/record-events.ts';
import { describeBytes, MAX_ARTICLE_FILE_BYTES } from '../files/input-limits.ts';
import { ARTICLE_EXTENSIONS, ArticleError, parseArticle, type ParsedArticle } from './parse-article.ts';
import { getArticle } from './kb-repository.ts';

export interface KbImportReport {
  dir: string;
  filesRead: number;
  added: number;
  updated: number;
  unchanged: number;
  articles: { id: string; version: number; status: 'added' | 'updated' | 'unchanged'; source: string }[];
}

function contentHash(article: Pick<ParsedArticle, 'title' | 'body' | 'tags' | 'category'>): string {
  return createHash('sha256').update(JSON.stringify([article.title, article.body, article.tags, article.category ?? null])).digest('hex');
}

function articleFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (folder: string): void => {
    for (const name of readdirSync(folder).sort()) {
      if (name.startsWith('.')) continue;
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (ARTICLE_EXTENSIONS.some((ext) => name.toLowerCase().endsWith(ext))) files.push(path);
    }
  };
  walk(dir);
  return files;
}

function fileSha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The reason an imported version records when the person gave none: which file, exactly (its SHA-256). */
export function importReason(source: string, sha256: string): string {
  return `imported from ${source} (sha256 ${sha256})`;
}

function articleLine(article: ParsedArticle, version: number, action: 'import' | 'edit', at: string, actor: Actor, reason: string): Record<string, unknown> {
  return {
    type: 'kb.article',
    at,
    actor,
    article_id: article.id,
    version,
    action,
    title: article.title,
    body: article.body,
    tags: article.tags,
    ...(article.category ? { category: article.category } : {}),
    source: article.source,
    content_hash: contentHash(article),
    reason,
  };
}

export interface KbImportOptions {
  /** Why the articles are imported; each new version records it with its file. Default: the file and its SHA-256. */
  reason?: string;
}

export function importKnowledgeBase(db: Db, dir: string, actor: Actor = { kind: 'system' }, options: KbImportOptions = {}): KbImportReport {
  const givenReason = options.reason?.trim() || null;
  let stat;
  try {
    stat = statSync(dir);
  } catch {
    throw new ArticleError(dir, 0, 'dir', 'no such directory');
  }
  if (!stat.isDirectory()) throw new ArticleError(dir, 0, 'dir', 'is not a directory');
  const files = articleFiles(dir);
  if (files.length === 0) throw new ArticleError(dir, 0, 'dir', `no articles found (${ARTICLE_EXTENSIONS.join(', ')})`);
  const parsed = files.map((file) => {
    const source = relative(dir, file).split(sep).join('/');
    // Checked before reading: a huge file is refused without being loaded into memory.
    if (statSync(file).size > MAX_ARTICLE_FILE_BYTES) throw new ArticleError(source, 1, '(file)', `larger than ${describeBytes(MAX_ARTICLE_FILE_BYTES)} (the limit for one article file)`);
    const bytes = readFileSync(file);
    return { ...parseArticle(bytes.toString('utf8'), source), sha256: fileSha256(bytes) };
  });
  const seen = new Map<string, string>();
  for (const article of parsed) {
    const other = seen.get(article.id);
    if (other) throw new ArticleError(article.source, 1, 'id', `"${article.id}" is also the id of ${other}`);
    seen.set(article.id, article.source);
  }
  const at = new Date().toISOString();
  const lines: Record<string, unknown>[] = [];
  const report: KbImportReport = { dir, filesRead: files.length, added: 0, updated: 0, unchanged: 0, articles: [] };
  for (const article of parsed) {
    const current = getArticle(db, article.id);
    if (current && current.contentHash === contentHash(article)) {
      report.unchanged++;
      report.articles.push({ id: article.id, version: current.version, status: 'unchanged', source: article.source });
      continue;
    }
    const version = (current?.version ?? 0) + 1;
    const reason = givenReason ? `${givenReason} (${importReason(article.source, article.sha256)})` : importReason(article.source, article.sha256);
    lines.push(articleLine(article, version, 'import', at, actor, reason));
    report[current ? 'updated' : 'added']++;
    report.articles.push({ id: article.id, version, status: current ? 'updated' : 'added', source: article.source });
  }
  if (lines.length) recordEvents(db, lines);
  return report;
}

/**
 * A supervisor's edit in the console: a new version of an existing article, with the reason for it (the ledger's
 * rule refuses a version without one). Saving the same text again records nothing.
 */
export function editArticle(db: Db, id: string, change: { title: string; body: string; tags: string[]; reason: string }, actor: Actor): { id: string; version: number } {
  const current = getArticle(db, id);
  if (!current) throw new ArticleError(id, 0, 'id', 'no such article');
  const article: ParsedArticle = { id, title: change.title, body: change.body, tags: change.tags, category: current.category ?? undefined, source: current.source };
  if (contentHash(article) === current.contentHash) return { id, version: current.version };
  recordEvents(db, [articleLine(article, current.version + 1, 'edit', new Date().toISOString(), actor, change.reason.trim())]);
  return { id, version: current.version + 1 };
}
