// While the app runs: a checkpoint when the ledger moved since the last one and that one is old enough
// (a day by default). Opt-in (CoreOptions.checkpointEveryMs), so tools and tests that open a core write nothing.
import type { Db } from '../db/connection.ts';
import type { WriteTurn } from '../db/write-gate.ts';
import { CheckpointRepository } from './checkpoint-repository.ts';
import { loadOrCreateInstallationKey, type InstallationKeyOptions } from './installation-key.ts';
import { recordCheckpoint, type RecordedCheckpoint } from './record-checkpoint.ts';

export const DAILY_CHECKPOINT_MS = 24 * 60 * 60 * 1000;

/** How often the timer looks; the checkpoint itself is made only when `everyMs` has passed. */
const MAX_LOOK_INTERVAL_MS = 60 * 60 * 1000;

export interface CheckpointScheduleOptions {
  everyMs: number;
  key?: InstallationKeyOptions;
  onError?: (error: Error) => void;
  /** The core's write gate: the checkpoint waits its turn behind an import instead of hitting its lock. */
  write?: WriteTurn;
}

/** Records a checkpoint if one is due at `now`; returns it, or null when none was due. */
export function recordCheckpointIfDue(db: Db, everyMs: number, key: InstallationKeyOptions = {}, now: Date = new Date()): RecordedCheckpoint | null {
  const repository = new CheckpointRepository(db);
  const head = repository.headSeq();
  if (head === 0) return null;
  const last = repository.lastCheckpoint();
  // The last checkpoint is itself an event: the head moved only if something came after it.
  if (last && head <= last.seq) return null;
  if (last && now.getTime() - Date.parse(last.at) < everyMs) return null;
  return recordCheckpoint(db, loadOrCreateInstallationKey(key), now);
}

/** Starts the timer (unref'd: it never keeps the process alive); returns the function that stops it. */
export function scheduleCheckpoints(db: Db, options: CheckpointScheduleOptions): () => void {
  const timer = setInterval(
    () => {
      if (!db.open) return;
      const due = (): RecordedCheckpoint | null => recordCheckpointIfDue(db, options.everyMs, options.key);
      try {
        if (options.write) options.write('scheduled checkpoint', due).catch((error: unknown) => options.onError?.(error as Error));
        else due();
      } catch (error) {
        options.onError?.(error as Error);
      }
    },
    Math.max(1000, Math.min(options.everyMs, MAX_LOOK_INTERVAL_MS)),
  );
  timer.unref();
  return () => clearInterval(timer);
}
