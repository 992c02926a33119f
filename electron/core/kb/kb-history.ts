// What an auditor asks of an article's history: every version with who, when and why, two versions side by side,
// and which AI replies cited which version. Reads only: nothing here appends to the ledger.
import type { KbCitations, KbDiff, KbVersionRow } from '../../../shared/contracts/ai.ts';
import type { Db } from '../db/connection.ts';
import { NotFoundError } from '../errors.ts';
import { sideBySide } from './kb-diff.ts';
import { citationCounts, getArticle, getVersionWithText, listArticleVersions, runsCitingVersion } from './kb-repository.ts';

/** Every version of an article, oldest first, with how many AI runs cited it. */
export function versionHistory(db: Db, id: string): KbVersionRow[] {
  const cited = citationCounts(db, id);
  return listArticleVersions(db, id).map((v) => ({ ...v, cited: cited.get(v.version) ?? 0 }));
}

function requireVersion(db: Db, id: string, version: number) {
  if (!getArticle(db, id)) throw new NotFoundError(`no article ${id}`);
  const found = getVersionWithText(db, id, version);
  if (!found) throw new NotFoundError(`article ${id} has no version ${version}`);
  return found;
}

/** Two versions side by side, the older on the left whichever order they are asked in. */
export function compareVersions(db: Db, id: string, first: number, second: number): KbDiff {
  const [older, newer] = first < second ? [first, second] : [second, first];
  const from = requireVersion(db, id, older);
  const to = requireVersion(db, id, newer);
  const cited = citationCounts(db, id);
  const row = ({ body: _body, ...version }: typeof from): KbVersionRow => ({ ...version, cited: cited.get(version.version) ?? 0 });
  // The title is part of what a version says: compared as the first line, above the body.
  const diff = sideBySide(`# ${from.title}\n\n${from.body}`, `# ${to.title}\n\n${to.body}`);
  return { id, from: row(from), to: row(to), ...diff };
}

/** The AI runs whose reply cited one version of an article, newest first, a page at a time. */
export function articleCitations(db: Db, id: string, version: number, limit: number, offset: number): KbCitations {
  requireVersion(db, id, version);
  const total = citationCounts(db, id).get(version) ?? 0;
  return { id, version, total, offset, runs: runsCitingVersion(db, id, version, limit, offset) };
}
