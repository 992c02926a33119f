// Phase "history": the demo generator's history written as Attest JSONL (the file every ingest figure reads), and
// a second file of about 10% more events — new tickets from another seed, renamed into their own id range — for the
// "import into the full ledger" figure. Writing the files is preparation, not a figure: only its size is printed.
import { closeSync, fsyncSync, openSync, statSync, writeSync } from 'node:fs';
import { generateDemoHistory } from '../../electron/core/demo/generator.ts';
import { formatPercent } from '../../shared/format.ts';
import { count, log, mib, type BenchContext } from './bench-kit.ts';

/** Writes the lines as JSONL; `rename` may change each line (its ticket id). Returns the number of lines. */
function writeJsonl(path: string, lines: Iterable<Record<string, unknown>>, rename?: (line: Record<string, unknown>) => void): number {
  const fd = openSync(path, 'w');
  let written = 0;
  let buffer: string[] = [];
  const drain = (): void => {
    if (buffer.length) writeSync(fd, buffer.join('\n') + '\n');
    buffer = [];
  };
  try {
    for (const line of lines) {
      rename?.(line);
      buffer.push(JSON.stringify(line));
      written++;
      if (buffer.length === 20_000) drain();
    }
    drain();
    // On disk before the phase ends: what was still only in the page cache (of about 2 GB at 1,000,000 tickets) was
    // otherwise written back while the demo phase ran, beside the demo's own writes and its final sync.
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return written;
}

/** Tickets for the "10% new events" file: a tenth of the run's tickets, at least one. */
export const newTicketCount = (tickets: number): number => Math.max(1, Math.round(tickets / 10));

export function historyPhase(ctx: BenchContext): void {
  const events = writeJsonl(ctx.historyFile, generateDemoHistory({ tickets: ctx.tickets, seed: ctx.seed }));
  log(`history file: ${count(events)} events of ${count(ctx.tickets)} tickets as JSONL (${mib(statSync(ctx.historyFile).size)})`);
  // Another seed, and ids T-n renamed N-n: tickets the full ledger has never seen, so every line is a new event.
  const fresh = writeJsonl(ctx.newEventsFile, generateDemoHistory({ tickets: newTicketCount(ctx.tickets), seed: ctx.seed + 1 }), (line) => {
    if (typeof line.ticket === 'string') line.ticket = `N-${line.ticket.slice(2)}`;
  });
  log(`new-events file: ${count(fresh)} events of ${count(newTicketCount(ctx.tickets))} other tickets (${formatPercent(fresh / events)} of the history's events)`);
}
