// SQL of the knowledge base: the projection of `kb.article` events and BM25 search over it.
import type { Db } from '../db/connection.ts';
import type { DerivedProjection } from '../derived/derived-projection.ts';

export interface KbArticle {
  id: string;
  version: number;
  title: string;
  body: string;
  tags: string[];
  category: string | null;
  source: string;
  contentHash: string;
  updatedAt: string;
  seq: number;
}

export interface KbHit {
  id: string;
  version: number;
  title: string;
  /** BM25 relevance, higher is better (SQLite reports it negated). */
  score: number;
}

interface ArticlePayload {
  article_id: string;
  version: number;
  title: string;
  body: string;
  tags: string[];
  category?: string;
  source: string;
  content_hash: string;
}

interface ArticleRow {
  id: string;
  version: number;
  title: string;
  body: string;
  tags: string;
  category: string | null;
  source: string;
  content_hash: string;
  updated_at: string;
  seq: number;
}

const toArticle = (row: ArticleRow): KbArticle => ({
  id: row.id,
  version: row.version,
  title: row.title,
  body: row.body,
  tags: JSON.parse(row.tags) as string[],
  category: row.category,
  source: row.source,
  contentHash: row.content_hash,
  updatedAt: row.updated_at,
  seq: row.seq,
});

export const kbProjection: DerivedProjection = {
  name: 'kb_articles',
  ledgerEventTypes: ['kb.article'],
  rebuildAll(db: Db): void {
    db.exec('DELETE FROM kb_articles; DELETE FROM kb_article_versions; DELETE FROM kb_fts;');
    const rows = db.prepare("SELECT seq, at, payload FROM events WHERE type = 'kb.article' ORDER BY seq").all() as { seq: number; at: string; payload: string }[];
    const latest = new Map<string, { seq: number; at: string; article: ArticlePayload }>();
    const version = db.prepare('INSERT OR REPLACE INTO kb_article_versions (id, version, title, body, content_hash, seq) VALUES (?, ?, ?, ?, ?, ?)');
    for (const row of rows) {
      const article = JSON.parse(row.payload) as ArticlePayload;
      version.run(article.article_id, article.version, article.title, article.body, article.content_hash, row.seq);
      latest.set(article.article_id, { seq: row.seq, at: row.at, article });
    }
    const insert = db.prepare(
      'INSERT INTO kb_articles (id, version, title, body, tags, category, source, content_hash, updated_at, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const fts = db.prepare('INSERT INTO kb_fts (article_id, title, tags, body) VALUES (?, ?, ?, ?)');
    for (const { seq, at, article } of latest.values()) {
      insert.run(article.article_id, article.version, article.title, article.body, JSON.stringify(article.tags), article.category ?? null, article.source, article.content_hash, at, seq);
      fts.run(article.article_id, article.title, article.tags.join(' '), article.body);
    }
  },
};

export function listArticles(db: Db): KbArticle[] {
  return (db.prepare('SELECT * FROM kb_articles ORDER BY id').all() as ArticleRow[]).map(toArticle);
}

export function getArticle(db: Db, id: string): KbArticle | null {
  const row = db.prepare('SELECT * FROM kb_articles WHERE id = ?').get(id) as ArticleRow | undefined;
  return row ? toArticle(row) : null;
}

export function getArticleVersion(db: Db, id: string, version: number): { id: string; version: number; title: string; body: string } | null {
  return (db.prepare('SELECT id, version, title, body FROM kb_article_versions WHERE id = ? AND version = ?').get(id, version) as
    | { id: string; version: number; title: string; body: string }
    | undefined) ?? null;
}

export interface KbVersion {
  version: number;
  action: 'import' | 'edit';
  at: string;
  /** The actor's id (its kind when it has none). */
  actor: string;
  seq: number;
}

/** Every recorded version of an article, oldest first, with the event that made it. */
export function listArticleVersions(db: Db, id: string): KbVersion[] {
  const rows = db
    .prepare(
      `SELECT v.version, v.seq, e.at, e.actor, json_extract(e.payload, '$.action') AS action
       FROM kb_article_versions v JOIN events e ON e.seq = v.seq
       WHERE v.id = ? ORDER BY v.version`,
    )
    .all(id) as { version: number; seq: number; at: string; actor: string; action: 'import' | 'edit' }[];
  return rows.map((row) => {
    const actor = JSON.parse(row.actor) as { kind: string; id?: string };
    return { version: row.version, action: row.action, at: row.at, actor: actor.id ?? actor.kind, seq: row.seq };
  });
}

export function articleCount(db: Db): number {
  return db.prepare('SELECT count(*) FROM kb_articles').pluck().get() as number;
}

/** BM25 over title (weight 6), tags (4) and body (1) for an FTS5 MATCH expression. */
export function searchFts(db: Db, match: string, limit: number): KbHit[] {
  if (!match) return [];
  const rows = db
    .prepare(
      `SELECT f.article_id AS id, a.version, a.title, bm25(kb_fts, 0.0, 6.0, 4.0, 1.0) AS rank
       FROM kb_fts f JOIN kb_articles a ON a.id = f.article_id
       WHERE kb_fts MATCH ? ORDER BY rank LIMIT ?`,
    )
    .all(match, limit) as { id: string; version: number; title: string; rank: number }[];
  return rows.map((row) => ({ id: row.id, version: row.version, title: row.title, score: Math.round(-row.rank * 1000) / 1000 }));
}
