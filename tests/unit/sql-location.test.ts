// SQL lives in repository modules (*repository*.ts) and in electron/core/db/. The files below still hold some
// and are waiting to be moved; each may keep at most its count, so the list can only shrink.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = process.cwd();
const SCANNED = ['electron', 'scripts'];

const SQL_OUTSIDE_REPOSITORIES: Readonly<Record<string, number>> = {
  // Being rewritten by other work on issue 10: move their SQL into the ledger and import repositories then.
};

/** Statements prepared or executed: `.prepare(`, `.pragma(`, and `.exec(` of a literal (not RegExp#exec). */
const SQL_CALL = /\.(?:prepare|pragma)\(|\.exec\(\s*[`'"]/g;

function isSqlHome(path: string): boolean {
  return path.startsWith('electron/core/db/') || /repository[^/]*\.ts$/.test(path);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)).split('\\').join('/'));
}

function sqlCallsOutsideRepositories(): Map<string, number> {
  const found = new Map<string, number>();
  for (const path of SCANNED.flatMap(sourceFiles)) {
    if (isSqlHome(path)) continue;
    const calls = readFileSync(join(ROOT, path), 'utf8').match(SQL_CALL)?.length ?? 0;
    if (calls > 0) found.set(path, calls);
  }
  return found;
}

describe('where SQL lives', () => {
  it('keeps SQL in repository modules, except the listed files, which may only lose theirs', () => {
    const found = sqlCallsOutsideRepositories();
    const grown = [...found].filter(([path, calls]) => calls > (SQL_OUTSIDE_REPOSITORIES[path] ?? 0)).map(([path, calls]) => `${path}: ${calls}`);
    expect(grown, 'SQL outside a repository module: move it into the feature’s *-repository.ts').toEqual([]);
    const cleared = Object.keys(SQL_OUTSIDE_REPOSITORIES).filter((path) => !found.has(path));
    expect(cleared, 'no SQL left here: remove these from SQL_OUTSIDE_REPOSITORIES').toEqual([]);
  });

  it('recognizes SQL calls and ignores regular expressions', () => {
    const sample = "db.prepare('SELECT 1');\ndb\n  .prepare(`SELECT 2`);\ndb.exec('BEGIN');\n/^a$/.exec(text);\ndb.pragma('journal_mode');\n";
    expect(sample.match(SQL_CALL)).toHaveLength(4);
    expect(isSqlHome('electron/core/sla/sla-read-repository.ts')).toBe(true);
    expect(isSqlHome('electron/core/db/migrate.ts')).toBe(true);
    expect(isSqlHome('electron/core/sla/sla-queries.ts')).toBe(false);
  });
});
