// `attest verify` and the console's verifier: everything an auditor checks, read-only, in one snapshot —
// the hash chain, the ledger's protections and recorded head, whether the projections describe the ledger
// that is there, the signed checkpoints (stored and handed in), and with `deep` every projection row.
import type { ChainFinding, ChainStatus } from '../../../shared/contract.ts';
import { checkCheckpoints, type CheckpointCheck, type CheckpointCheckOptions } from '../checkpoints/checkpoint-check.ts';
import { openReadOnly, schemaState, structuralProblems, type Db, type SchemaState } from '../db/connection.ts';
import { readAhead } from '../db/read-ahead.ts';
import { integrityProblemsInWorker, verifyLedgerParallel } from '../ledger/verify-parallel.ts';
import { deepProjectionFindings, type DeepReport } from './deep-verify.ts';
import { projectionClaimFindings } from './projection-claims.ts';
import { signatureFindings } from './signature-findings.ts';
import { inReadSnapshot } from '../db/transaction.ts';
import { stopRequested, VerificationStopped } from '../ledger/verify-range.ts';

export class SchemaVersionError extends Error {}

export interface VerifyDatabaseOptions {
  threads?: number;
  minEvents?: number;
  onProgress?: (checked: number, total: number) => void;
  /** Checkpoints to check besides the stored ones; omit to check only the stored ones. */
  checkpoints?: CheckpointCheckOptions;
  /** Rebuild every projection in memory from the events and compare it row by row. */
  deep?: boolean;
  /**
   * A stop flag shared with every thread of the check (Int32Array on a SharedArrayBuffer). Read between batches of
   * events and between the checks that follow the chain: set, the verification ends with VerificationStopped and
   * closes what it opened. One SQLite call (the integrity check, a projection rebuild) always runs to its end.
   */
  stop?: Int32Array;
}

export interface DatabaseVerification {
  status: ChainStatus;
  checkpoints: CheckpointCheck[];
  deep: DeepReport | null;
  schema: SchemaState;
  /** Worker threads the check used (1: on the caller's thread), the integrity check's among them when alongside. */
  threads: number;
  /**
   * Whether SQLite's integrity check ran in a thread of its own while the chain's threads ran (with them, when the
   * chain is checked in worker threads), rather than after the chain on the verifying connection.
   */
  integrityAlongside: boolean;
  /**
   * Milliseconds each part of this run took, for the benchmark. The chain: from the start until its threads were done;
   * the integrity check, when alongside, overlaps it; the others follow the chain.
   */
  stepsMs: VerificationSteps;
}

export interface VerificationSteps {
  chain: number;
  checkpoints: number;
  integrity: number;
  claims: number;
  signatures: number;
  deep: number;
}

/** Runs `work`, adding its milliseconds to `steps[step]`. */
function timed<T>(steps: VerificationSteps, step: keyof VerificationSteps, work: () => T): T {
  const started = performance.now();
  try {
    return work();
  } finally {
    steps[step] += performance.now() - started;
  }
}

function checkpointFindings(checks: readonly CheckpointCheck[]): ChainFinding[] {
  return checks.filter((check) => !check.ok).map((check) => ({ problem: 'checkpoint_mismatch', seq: null, ticket: null, message: check.problem ?? `checkpoint of size ${check.treeSize} (${check.origin}) does not match the ledger` }));
}

/** Refuses a file that is not an Attest ledger, or one written by a newer Attest, with a plain message. */
export function requireReadableSchema(db: Db, path: string): SchemaState {
  const schema = schemaState(db);
  if (schema.kind === 'not_attest') throw new SchemaVersionError(`${path}: not an Attest ledger (it has no events table)`);
  if (schema.kind === 'newer') {
    throw new SchemaVersionError(`${path}: written by a newer version of Attest (schema ${schema.version}; this version knows up to ${schema.latest}); verify it with that version or newer`);
  }
  return schema;
}

/** Verifies an open read-only connection (its own: it holds a read transaction while it runs). */
export async function verifyOpenDatabase(db: Db, path: string, options: VerifyDatabaseOptions = {}): Promise<DatabaseVerification> {
  const schema = requireReadableSchema(db, path);
  return inReadSnapshot(db, async () => {
    let checkpoints: CheckpointCheck[] = [];
    let deep: DeepReport | null = null;
    let threads = 1;
    const stepsMs: VerificationSteps = { chain: 0, checkpoints: 0, integrity: 0, claims: 0, signatures: 0, deep: 0 };
    const started = performance.now();
    let chainDone = started;
    // With the chain in worker threads, SQLite's integrity check (the longest of the other checks: 18 s of 26 at
    // 300,000 tickets) runs in one of them at the same time instead of after it (on two threads at 300,000 tickets:
    // chain 9.4 s beside integrity 13.5 s, against 8.5 + 12.7 s one after the other). It reads the file through its own
    // connection, as the chain's threads do: what it checks is the structure of the file, damaged in any snapshot.
    let alongside: string[] | null = null;
    const status = await verifyLedgerParallel(db, path, {
      ...options,
      onThreads: (used) => (threads = used),
      alongside: async () => {
        alongside = await integrityProblemsInWorker(path);
        stepsMs.integrity = performance.now() - started;
      },
      onChainThreadsDone: () => (chainDone = performance.now()),
      extraFindings: () => {
        const phase = (): void => {
          if (stopRequested(options.stop)) throw new VerificationStopped();
        };
        phase();
        checkpoints = timed(stepsMs, 'checkpoints', () => checkCheckpoints(db, options.checkpoints ?? {}));
        phase();
        // On one thread the chain has read the events only: the rest of the file is read through first (read-ahead.ts).
        const damage =
          alongside ??
          timed(stepsMs, 'integrity', () => {
            readAhead(path);
            return structuralProblems(db, 'full');
          });
        phase();
        const findings: ChainFinding[] = damage.length
          ? [{ problem: 'file_damaged', seq: null, ticket: null, message: `the file fails SQLite's integrity check (${damage.join('; ').slice(0, 300)}); Attest refuses to write to it` }]
          : [];
        findings.push(...timed(stepsMs, 'claims', () => projectionClaimFindings(db)), ...timed(stepsMs, 'signatures', () => signatureFindings(db)), ...checkpointFindings(checkpoints));
        if (options.deep) {
          phase();
          deep = timed(stepsMs, 'deep', () => deepProjectionFindings(db, () => stopRequested(options.stop)));
          findings.push(...deep.findings);
        }
        return findings;
      },
    });
    const integrityAlongside = alongside !== null;
    // In worker threads: until they were done. On one thread: the whole run less the other checks (an explaining
    // pass after a break counts as the chain's).
    const others = stepsMs.checkpoints + stepsMs.integrity + stepsMs.claims + stepsMs.signatures + stepsMs.deep;
    stepsMs.chain = threads > 1 ? chainDone - started : Math.max(0, performance.now() - started - others);
    return { status, checkpoints, deep, schema, threads, integrityAlongside, stepsMs };
  });
}

/** Opens `path` read-only (its bytes never change), verifies it, closes it. */
export async function verifyDatabaseFile(path: string, options: VerifyDatabaseOptions = {}): Promise<DatabaseVerification> {
  const db = openReadOnly(path);
  try {
    return await verifyOpenDatabase(db, path, options);
  } finally {
    db.close();
  }
}

/**
 * The deep check alone — every projection rebuilt from the events in memory and compared with the file's rows — on a
 * read-only snapshot of its own. For a thread that has just run the full check (chain, integrity, claims) and goes on
 * with this, rather than a second thread loading the same code and checking the chain again (chain-monitor.ts).
 */
export async function deepCheckFile(path: string, stop?: Int32Array): Promise<DeepReport> {
  const db = openReadOnly(path);
  try {
    requireReadableSchema(db, path);
    return await inReadSnapshot(db, () => deepProjectionFindings(db, () => stopRequested(stop)));
  } finally {
    db.close();
  }
}
