// What the console's thread and a job's own thread (job-thread.ts, job-worker.ts) say to each other: the console's
// long jobs — the outcome verification, a helpdesk import, the auditor pack — run in a thread of their own so that reading,
// judging, hashing and writing never hold the console's thread; the console's thread grants their write turns.
import type { CsvMapping, ImportFormat } from '../../../shared/contracts/importers.ts';
import type { Actor } from '../../../shared/domain.ts';
import type { InstallationKey } from '../checkpoints/installation-key.ts';
import type { PackedVerificationMemory } from '../outcomes/verification-memory.ts';
import type { ProcessSession } from '../sessions/session-start.ts';

/**
 * Index of the job thread's state word in the shared control array. The thread moves it IDLE -> IN_SQLITE before every
 * call into SQLite (its open, each write turn, its close) and back after; the console moves it IDLE -> STOPPED when
 * it closes. Whoever swaps first wins, so a closing console never ends the thread inside a SQLite call and the thread
 * never starts one after the console has gone.
 */
export const JOB_STATE = 0;
/** Index of the cancel word: set by "Cancel" and by a closing console; read by the job between its steps. */
export const JOB_CANCEL = 1;
export const JOB_CONTROL_WORDS = 2;

export const STATE_IDLE = 0;
export const STATE_IN_SQLITE = 1;
export const STATE_STOPPED = 2;

/** The console's outcome verification (runVerificationJob): each batch is one write turn. */
export interface VerificationJob {
  kind: 'verification';
  /** The as-of, already checked by the console (never later than its `nowMs`). */
  asOf: string;
  nowMs: number;
  /** What the console's earlier verifications on this ledger remembered (verification-memory.ts). */
  memory?: PackedVerificationMemory;
}

/** A helpdesk import from the console (importFile): one write turn, one transaction, for the whole file. */
export interface ImportJob {
  kind: 'import';
  format: ImportFormat;
  path: string;
  name: string;
  mapping?: CsvMapping;
  timezone?: string;
  actor: Actor;
}

/** The auditor pack from the console (writePack): its checkpoint is one write turn; the rest reads and writes files. */
export interface PackJob {
  kind: 'pack';
  dir: string;
  period?: string;
  contract?: string;
  /** The installation key that signs the pack's checkpoint and manifest (its private KeyObject crosses by clone). */
  signer: InstallationKey;
}

export type Job = VerificationJob | ImportJob | PackJob;

export interface JobData {
  dbPath: string;
  key: Uint8Array | null;
  /** The folder of the files shipped with Attest (resources/), as the console's thread knows it. */
  resourcesDir: string;
  /** The process's session, so the job records its session.started only when the process has not on that day. */
  session: ProcessSession | null;
  job: Job;
  control: SharedArrayBuffer;
}

/** Why a job failed, with what the console needs to report it as the same error the job raised. */
export type JobFailure =
  | { kind: 'busy'; message: string }
  | { kind: 'import'; file: string; line: number; field: string; reason: string }
  | { kind: 'cancelled'; message: string }
  /** The auditor pack stopped by a closing console (PackStopped). */
  | { kind: 'stopped'; message: string }
  | { kind: 'other'; message: string };

/** Thread -> console. */
export type JobThreadMessage =
  /** The job wants its next turn at the console's write gate. */
  | { kind: 'turn'; what: string }
  /** The turn's transaction has ended (committed or rolled back): the gate's turn is over. With the session as the
   * job's thread knows it now (it may have recorded the day's session.started). */
  | { kind: 'turnEnded'; session: ProcessSession | null }
  | { kind: 'progress'; progress: unknown }
  /** The verification's memory after the job, for the console to hand to its next one (sent before `done`). */
  | { kind: 'memory'; memory: PackedVerificationMemory }
  | { kind: 'done'; report: unknown }
  | { kind: 'failed'; failure: JobFailure };

/** Console -> thread: the turn asked for is the thread's now; or the console is closing and no turn will come. */
export type ConsoleToJobMessage = { kind: 'granted' } | { kind: 'closing' };
