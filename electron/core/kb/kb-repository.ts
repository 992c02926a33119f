// SQL of the knowledge base: the projection of `kb.article` events and BM25 search over it.
import type { Db } from '../db/connection.ts';
import type { DerivedProjection } from '../derived/derived-projection.ts';
import type { KbCitingRun } from '../../../shared/contracts/ai.ts';

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
    // Ledger-wide: `ticket_id IS NULL` lets SQLite use events_ledger_wide_by_type (010_people.sql), not scan the ledger.
    const rows = db.prepare("SELECT seq, at, payload FROM events WHERE type = 'kb.article' AND ticket_id IS NULL ORDER BY seq").all() as { seq: number; at: string; payload: string }[];
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
  /** Why the version was made; null on versions recorded before a reason was required. */
  reason: string | null;
  title: string;
}

interface VersionRow {
  version: number;
  seq: number;
  at: string;
  actor: string;
  action: 'import' | 'edit';
  reason: string | null;
  title: string;
}

const VERSION_SELECT = `SELECT v.version, v.seq, v.title, e.at, e.actor, json_extract(e.payload, '$.action') AS action, json_extract(e.payload, '$.reason') AS reason
  FROM kb_article_versions v JOIN events e ON e.seq = v.seq`;

const toVersion = (row: VersionRow): KbVersion => {
  const actor = JSON.parse(row.actor) as { kind: string; id?: string };
  return { version: row.version, action: row.action, at: row.at, actor: actor.id ?? actor.kind, seq: row.seq, reason: row.reason, title: row.title };
};

/** Every recorded version of an article, oldest first, with the event that made it (who, when, why). */
export function listArticleVersions(db: Db, id: string): KbVersion[] {
  return (db.prepare(`${VERSION_SELECT} WHERE v.id = ? ORDER BY v.version`).all(id) as VersionRow[]).map(toVersion);
}

/** One recorded version with its text and the event that made it. */
export function getVersionWithText(db: Db, id: string, version: number): (KbVersion & { body: string }) | null {
  const row = db.prepare(`${VERSION_SELECT.replace('SELECT ', 'SELECT v.body, ')} WHERE v.id = ? AND v.version = ?`).get(id, version) as (VersionRow & { body: string }) | undefined;
  return row ? { ...toVersion(row), body: row.body } : null;
}

/** One AI run whose reply cited a version of an article (from the ai_runs projection of ai.decision / ai.review). */
export type { KbCitingRun };

// Runs citing an article: a LIKE on the stored JSON narrows the rows before json_each reads them exactly.
const CITING_FROM = `FROM ai_runs r, json_each(r.citations) c
  WHERE r.citations LIKE '%' || json_quote(?) || '%' AND json_extract(c.value, '$.id') = ?`;

/** How many AI runs cited each version of an article. */
export function citationCounts(db: Db, id: string): Map<number, number> {
  const rows = db
    .prepare(`SELECT json_extract(c.value, '$.version') AS version, count(DISTINCT r.run_id) AS n ${CITING_FROM} GROUP BY 1`)
    .all(id, id) as { version: number; n: number }[];
  return new Map(rows.map((row) => [row.version, row.n]));
}

/** The AI runs that cited one version of an article, newest first, a page at a time. */
export function runsCitingVersion(db: Db, id: string, version: number, limit: number, offset: number): KbCitingRun[] {
  return db
    .prepare(
      `SELECT DISTINCT r.run_id AS runId, r.ticket_id AS ticketId, json_extract(c.value, '$.version') AS version, r.action, r.reason, r.review,
         r.decided_at AS decidedAt, r.decision_seq AS decisionSeq
       ${CITING_FROM} AND json_extract(c.value, '$.version') = ?
       ORDER BY r.decision_seq DESC LIMIT ? OFFSET ?`,
    )
    .all(id, id, version, limit, offset) as KbCitingRun[];
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
