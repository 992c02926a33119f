// Vitest's order of test files, with the few that take minutes moved to the front. Vitest runs first the files its
// cache says took longest, and on a fresh clone (no cache) the largest files; a short file that runs for minutes —
// the crash soak's 200 kills — then starts near the end and leaves one worker running it alone. Started first, the
// long files overlap the many short ones.
import { basename } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** The files that took longest in CI runs (crash soak, PostgreSQL clusters, many CLI processes), longest first. */
export const LONG_FILES = ['crash-soak.test.ts', 'team-concurrency.test.ts', 'cli-people.test.ts', 'team-crash.test.ts'];

function rank(file: TestSpecification): number {
  const index = LONG_FILES.indexOf(basename(file.moduleId));
  return index < 0 ? LONG_FILES.length : index;
}

export default class LongFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const vitestOrder = await super.sort(files);
    // Array.prototype.sort is stable: the rest keep Vitest's order.
    return vitestOrder.sort((a, b) => rank(a) - rank(b));
  }
}
