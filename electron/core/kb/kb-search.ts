// Free text (a customer's message) -> an FTS5 query: significant words, OR-ed, each as a quoted term
// so punctuation or FTS syntax in the text can never change the query's meaning. The organization's own name is
// in nearly every question and article, so its words are stop-words too — taken from its settings, never written here.
import type { Db } from '../db/connection.ts';
import { organizationName } from '../organization/organization-settings.ts';
import { searchFts, type KbHit } from './kb-repository.ts';

const STOPWORDS = new Set(
  `a about above after again all also am an and any are as at be because been before being below between both but by can
  cannot could did do does doing don during each few for from further had has have having he her here hers him his how
  i if in into is it its itself just let me more most my myself no nor not now of off on once only or other our ours out over
  own please same she should so some still such than thank thanks that the their them then there these they this those
  through to too under until up very via was we were what when where which while who whom why will with would you your
  yours hi hello dear regards best cheers team support get got i'm i've can't it's im ive dont cant doesnt didnt
  want need help know like one two three since yet already today yesterday week month`.split(/\s+/),
);

const wordsOf = (text: string): string[] => text.toLowerCase().normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? [];

/** The words of the organization's name (null: none set), which say nothing about what a question is about. */
export function organizationStopwords(name: string | null): ReadonlySet<string> {
  return new Set(name ? wordsOf(name) : []);
}

export function queryTerms(text: string, max = 24, extraStopwords: ReadonlySet<string> = new Set()): string[] {
  const seen = new Set<string>();
  for (const raw of wordsOf(text)) {
    if (raw.length < 2 || STOPWORDS.has(raw) || extraStopwords.has(raw) || /^\d+$/.test(raw)) continue;
    seen.add(raw);
    if (seen.size >= max) break;
  }
  return [...seen];
}

export function toMatchExpression(terms: readonly string[]): string {
  return terms.map((term) => `"${term.replace(/"/g, '""')}"`).join(' OR ');
}

export function searchArticles(db: Db, text: string, limit = 3): { query: string; hits: KbHit[] } {
  const terms = queryTerms(text, 24, organizationStopwords(organizationName(db)));
  return { query: terms.join(' '), hits: searchFts(db, toMatchExpression(terms), limit) };
}
