// Retrieval quality on a labeled question set: recall@k = share of questions whose answering article
// is among the first k results.
import type { Db } from '../db/connection.ts';
import { searchArticles } from './kb-search.ts';

export interface LabeledQuestion {
  question: string;
  article: string;
}

export interface RetrievalQuality {
  questions: number;
  recallAt1: number;
  recallAt3: number;
  misses: { question: string; expected: string; got: string[] }[];
}

export function evaluateRetrieval(db: Db, questions: readonly LabeledQuestion[]): RetrievalQuality {
  let at1 = 0;
  let at3 = 0;
  const misses: RetrievalQuality['misses'] = [];
  for (const q of questions) {
    const ids = searchArticles(db, q.question, 3).hits.map((h) => h.id);
    if (ids[0] === q.article) at1++;
    if (ids.includes(q.article)) at3++;
    else misses.push({ question: q.question, expected: q.article, got: ids });
  }
  const n = questions.length || 1;
  return { questions: questions.length, recallAt1: at1 / n, recallAt3: at3 / n, misses };
}
