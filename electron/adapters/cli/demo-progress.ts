// What `attest demo` prints while it works: the events written so far on one self-updating line, and each later
// stage on a line of its own that ends with the seconds it took — so a run of a million tickets, which spends minutes
// projecting after the last event is written, never looks stuck.
import { formatCount, formatDecimal } from '../../../shared/format.ts';
import type { DemoStage } from '../../core/demo-database.ts';

export interface DemoProgressPrinter {
  onProgress: (events: number) => void;
  onStage: (stage: DemoStage) => void;
  /** Ends the last open line once the demo is saved. */
  finish: () => void;
}

/** What a stage's line says while it runs. */
export function demoStageText(stage: DemoStage): string {
  switch (stage.stage) {
    case 'go-live projections':
      return `go-live: projecting the ${formatCount(stage.events)} events so far to freeze the KPI baseline…`;
    case 'projections':
      return `projecting the ${formatCount(stage.tickets)} tickets${stage.sinceGoLive ? ' touched since go-live' : ''} (${formatCount(stage.events)} events written)…`;
    case 'knowledge base':
      return 'importing the knowledge base…';
    case 'saving':
      return 'saving the database file…';
  }
}

export function demoProgressPrinter(write: (text: string) => void, now: () => number = () => performance.now()): DemoProgressPrinter {
  const started = now();
  let stageStarted: number | null = null;
  // Whether the cursor is at the end of a self-updating events line (so a stage starts on a new line).
  let onEventsLine = false;
  const seconds = (since: number): string => `${formatDecimal((now() - since) / 1000)} s`;
  const closeStage = (): void => {
    if (stageStarted === null) return;
    write(` ${seconds(stageStarted)}\n`);
    stageStarted = null;
  };
  return {
    onProgress(events) {
      closeStage();
      write(`\r${formatCount(events)} events written (${seconds(started)})`);
      onEventsLine = true;
    },
    onStage(stage) {
      closeStage();
      if (onEventsLine) write('\n');
      onEventsLine = false;
      write(demoStageText(stage));
      stageStarted = now();
    },
    finish() {
      closeStage();
      if (onEventsLine) write('\n');
      onEventsLine = false;
    },
  };
}
