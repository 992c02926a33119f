import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/db/connection.ts';
import { rebuildAllProjections } from '../../electron/core/derived/refresh.ts';
import { editArticle, importKnowledgeBase } from '../../electron/core/kb/kb-import.ts';
import { getArticleVersion, listArticles } from '../../electron/core/kb/kb-repository.ts';
import { searchArticles } from '../../electron/core/kb/kb-search.ts';
import { evaluateRetrieval, type LabeledQuestion } from '../../electron/core/kb/retrieval-eval.ts';
import { addOpenTickets, setMode } from '../support/ai-tickets.ts';
import { startOllamaStandIn } from '../support/ollama-stand-in.ts';
import { tempDb, tempDir } from './helpers.ts';

const KB = fileURLToPath(new URL('../../resources/kb/', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/attest.js', import.meta.url));
const QUESTIONS = JSON.parse(readFileSync(new URL('../fixtures/retrieval-questions.json', import.meta.url), 'utf8')) as LabeledQuestion[];

function writeKb(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

function attest(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe('knowledge base import', () => {
  it('imports Markdown with front matter, HTML and plain text with stable ids, as ledger events', () => {
    const { db } = tempDb();
    const dir = writeKb({
      'a/reset.md': '---\nid: reset\ntitle: Reset your password\ntags: [password, login]\n---\nUse **Forgot password**.\n',
      'b/Plain Heading.md': '# Pair a sensor\n\nHold the button 5 seconds.\n',
      'c/returns.html': '<html><head><title>Returns</title><meta name="keywords" content="return, refund"></head><body><h1>Returns</h1><p>Within 30 days.</p><script>x()</script></body></html>',
      'd/outage.txt': 'Service status\n\nSee the status page.\n',
    });
    const report = importKnowledgeBase(db, dir);
    expect(report).toMatchObject({ filesRead: 4, added: 4, updated: 0, unchanged: 0 });
    const articles = listArticles(db);
    expect(articles.map((a) => a.id)).toEqual(['b-plain-heading', 'c-returns', 'd-outage', 'reset']);
    expect(articles.find((a) => a.id === 'c-returns')).toMatchObject({ title: 'Returns', body: 'Within 30 days.', tags: ['return', 'refund'] });
    expect(articles.find((a) => a.id === 'b-plain-heading')).toMatchObject({ title: 'Pair a sensor', body: 'Hold the button 5 seconds.' });
    const events = db.prepare("SELECT ticket_id, payload FROM events WHERE type = 'kb.article'").all() as { ticket_id: string | null; payload: string }[];
    expect(events).toHaveLength(4);
    expect(events.every((e) => e.ticket_id === null)).toBe(true);
    expect(importKnowledgeBase(db, dir)).toMatchObject({ added: 0, updated: 0, unchanged: 4 });
    expect(db.prepare("SELECT count(*) FROM events WHERE type = 'kb.article'").pluck().get()).toBe(4);
  });

  it('versions changed articles and keeps every version readable', () => {
    const { db } = tempDb();
    const dir = writeKb({ 'reset.md': '---\ntitle: Reset\n---\nVersion one.\n' });
    importKnowledgeBase(db, dir);
    writeFileSync(join(dir, 'reset.md'), '---\ntitle: Reset\n---\nVersion two.\n');
    expect(importKnowledgeBase(db, dir)).toMatchObject({ updated: 1, articles: [{ id: 'reset', version: 2, status: 'updated' }] });
    editArticle(db, 'reset', { title: 'Reset', body: 'Version three.', tags: [], reason: 'clearer wording' }, { kind: 'human', id: 'sabine' });
    expect(listArticles(db)[0]).toMatchObject({ version: 3, body: 'Version three.' });
    expect(getArticleVersion(db, 'reset', 1)!.body).toBe('Version one.');
    const edit = db.prepare("SELECT actor, payload FROM events WHERE type = 'kb.article' ORDER BY seq DESC LIMIT 1").get() as { actor: string; payload: string };
    expect(JSON.parse(edit.actor)).toEqual({ kind: 'human', id: 'sabine' });
    expect(JSON.parse(edit.payload)).toMatchObject({ action: 'edit', version: 3 });
    rebuildAllProjections(db);
    expect(listArticles(db)[0]).toMatchObject({ version: 3 });
    expect(searchArticles(db, 'version three').hits[0]).toMatchObject({ id: 'reset', version: 3 });
  });

  it('refuses bad files naming file, line and field, and imports nothing', () => {
    const { db } = tempDb();
    const good = { 'ok.md': '# Fine\n\nText.\n' };
    const cases: [Record<string, string>, RegExp][] = [
      [{ ...good, 'bad.md': '---\ntitle: X\nauthor: me\n---\nText\n' }, /bad\.md:3: author: unknown front matter field/],
      [{ ...good, 'bad.md': 'No heading here\n' }, /bad\.md:1: title: missing/],
      [{ ...good, 'bad.md': '---\ntitle: [unclosed\n---\nText\n' }, /bad\.md:\d+: front matter:/],
      [{ ...good, 'bad.md': '---\nid: Not Valid\ntitle: X\n---\nText\n' }, /bad\.md:2: id: must be lowercase/],
      [{ ...good, 'bad.html': '<html><body><p>no title</p></body></html>' }, /bad\.html:1: title: missing/],
      [{ ...good, 'x.md': '---\nid: ok\ntitle: Dup\n---\nT\n' }, /"ok" is also the id of/],
    ];
    for (const [files, error] of cases) {
      expect(() => importKnowledgeBase(db, writeKb(files))).toThrow(error);
      expect(listArticles(db)).toEqual([]);
    }
  });

  it('search treats FTS syntax in customer text as plain words', () => {
    const { db } = tempDb();
    importKnowledgeBase(db, KB);
    for (const text of ['"unbalanced quote', 'NEAR(password reset)', 'password* OR AND NOT', '-- ; DROP TABLE kb_fts', '']) {
      expect(() => searchArticles(db, text)).not.toThrow();
    }
    expect(searchArticles(db, 'password* reset').hits[0]!.id).toBe('password-reset-email');
  });

  it('ships about 30 sample articles and meets recall@3 >= 0.9 on the labeled questions', () => {
    const { db } = tempDb();
    const report = importKnowledgeBase(db, KB);
    expect(report.added).toBeGreaterThanOrEqual(30);
    expect(QUESTIONS.length).toBeGreaterThanOrEqual(200);
    const ids = new Set(listArticles(db).map((a) => a.id));
    expect(QUESTIONS.filter((q) => !ids.has(q.article))).toEqual([]);
    const quality = evaluateRetrieval(db, QUESTIONS);
    expect(quality.recallAt3).toBeGreaterThanOrEqual(0.9);
  });
});

describe('CLI', () => {
  // Six CLI processes, each starting Node and opening the file: on two busy cores (CI runs two test files at once)
  // that came within a second of the default 30 s.
  it('attest kb import and attest resolve --json against the stand-in', async () => {
    const { db, path } = tempDb();
    setMode(db, 'how_to', 'auto');
    addOpenTickets(db, 3, ['how_to']);
    db.close();
    const imported = await attest(['kb', 'import', '--db', path, KB, '--json']);
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ added: 36 });
    const standIn = await startOllamaStandIn();
    try {
      const resolved = await attest(['resolve', '--db', path, '--limit', '2', '--json'], { OLLAMA_HOST: standIn.host });
      expect(resolved.code).toBe(0);
      const summary = JSON.parse(resolved.stdout);
      expect(summary).toMatchObject({ queued: 2, processed: 2, sentSolved: 2, model: 'llama3.2:3b', message: null });
      expect(resolved.stderr).toMatch(/\[#+\] 2\/2/);
      const dry = await attest(['resolve', '--db', path, '--dry-run', '--json'], { OLLAMA_HOST: standIn.host });
      expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true, queued: 1, sentSolved: 1 });
      await standIn.stop();
      const down = await attest(['resolve', '--db', path], { OLLAMA_HOST: standIn.host });
      expect(down.code).toBe(1);
      expect(down.stderr).toMatch(/Ollama is not reachable at http:\/\/127\.0\.0\.1:\d+: start it with `ollama serve`; 1 ticket\(s\) stay queued/);
      const usage = await attest(['resolve', '--db', path, '--limit', 'x']);
      expect(usage.code).toBe(2);
      const bad = await attest(['kb', 'import', '--db', path, tempDir()]);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/no articles found/);
    } finally {
      await standIn.close();
    }
    const check = openDatabase(path);
    expect(check.prepare("SELECT count(*) FROM events WHERE type = 'message' AND payload ->> '$.author.kind' = 'ai'").pluck().get()).toBe(2);
    check.close();
  }, 90_000);
});
