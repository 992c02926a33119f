// Phase "rebuild": `attest rebuild`'s function (rebuildAllProjections: every projection rebuilt from the events in one
// transaction) over the demo database, in a process of its own so its peak RSS is its own.
import { openDatabase } from '../../electron/core/db/connection.ts';
import { rebuildAllProjections } from '../../electron/core/derived/refresh.ts';
import { eventCount } from './bench-repository.ts';
import { count, log, seconds, time, type BenchContext } from './bench-kit.ts';

export function rebuildPhase(ctx: BenchContext): void {
  const db = openDatabase(ctx.demoDbPath);
  try {
    const events = eventCount(db);
    const [rebuilt, ms] = time(() => db.transaction(() => rebuildAllProjections(db)).immediate());
    const parts = Object.entries(rebuilt.seconds).map(([name, s]) => `${name} ${seconds(s * 1000)}`).join(', ');
    log(`attest rebuild (rebuildAllProjections) of ${count(rebuilt.tickets)} tickets from ${count(events)} events: ${seconds(ms)} (${parts})`);
  } finally {
    db.close();
  }
}
