// `attest verify --deep`: every projection rebuilt from the events alone, in a scratch database, and compared row by row with
// the file's. A projection row edited by hand (a price in outcome_events, a ticket's status) is named here even
// though the chain is intact, because decisions that read projections must never rest on rows nobody checks.
import type { ChainFinding } from '../../../shared/contract.ts';
import type { Db } from '../db/connection.ts';
import { fileKind } from '../db/database-key.ts';
import { openScratchDatabase, type ScratchDatabase } from '../db/scratch-database.ts';
import { rebuildAllProjections } from '../derived/refresh.ts';
import { DeepRepository, LEDGER_TABLES } from './deep-repository.ts';
import { VerificationStopped } from '../ledger/verify-range.ts';

/** Rows listed per table and side; the counts are always complete. */
const SAMPLE_ROWS = 5;

export interface TableDifference {
  table: string;
  /** Rows the ledger implies that the file's projection lacks (or holds differently). */
  missingFromFile: number;
  /** Rows of the file's projection that the ledger does not imply. */
  notFromLedger: number;
  samples: { missingFromFile: unknown[][]; notFromLedger: unknown[][] };
}

export interface DeepReport {
  tablesCompared: number;
  rowsCompared: number;
  differences: TableDifference[];
  findings: ChainFinding[];
}

function describe(difference: TableDifference): string {
  const example = difference.samples.notFromLedger[0] ?? difference.samples.missingFromFile[0];
  return (
    `projection ${difference.table}: ${difference.notFromLedger} row(s) not derived from the ledger, ${difference.missingFromFile} row(s) the ledger implies are missing or differ` +
    (example ? ` (e.g. ${JSON.stringify(example).slice(0, 200)})` : '')
  );
}

/**
 * Page cache of the scratch database: the rest of it lives in its file (the OS's page cache), not in the process. An
 * encrypted scratch decrypts every page it reads back, so it gets more: at 100,000 demo tickets its deep check took
 * 53.8 and 61.1 s with 16 MiB, 41.9, 39.3 and 45.7 s with 128 MiB, 37.3, 40.7 and 34.8 s in memory.
 */
const SCRATCH_CACHE_KIB = { plain: 16_384, encrypted: 131_072 };

/**
 * The private database the projections are rebuilt in (db/scratch-database.ts). It used to be an in-memory database,
 * which held a copy of the ledger and every projection in the process: at 100,000 demo tickets the console's check at
 * open (full, then deep) peaked at 1,780 and 1,813 MiB, and the memory stayed taken after it (freed, but not handed
 * back to the OS); with a scratch file, 1,248 and 1,133 MiB, the check as fast (34.1 and 35.4 s against 36.7 and
 * 34.0 s; without the deep check the process held 653 MiB). A scratch copy of an encrypted ledger is encrypted too
 * (1,305, 1,293 and 1,569 MiB against 1,843, 1,803 and 1,764 MiB): no ledger text reaches the disk in the clear.
 */
function openScratch(source: Db): ScratchDatabase {
  const plainSource = source.name !== ':memory:' && fileKind(source.name) === 'sqlite';
  return openScratchDatabase({ encrypted: !plainSource, cacheKiB: plainSource ? SCRATCH_CACHE_KIB.plain : SCRATCH_CACHE_KIB.encrypted });
}

/**
 * Reads `source` only (inside the caller's snapshot); all rebuilding happens in a private scratch database
 * (openScratch). `shouldStop` is asked between phases and tables: a console that closes stops its check there
 * (VerificationStopped), never by killing the thread inside a SQLite call.
 */
export function deepProjectionFindings(source: Db, shouldStop: () => boolean = () => false): DeepReport {
  const scratch = openScratch(source);
  const phase = (): void => {
    if (shouldStop()) throw new VerificationStopped();
  };
  try {
    const fileSide = new DeepRepository(source);
    const rebuilt = new DeepRepository(scratch.db);
    rebuilt.copyLedgerFrom(fileSide, phase);
    phase();
    rebuildAllProjections(scratch.db);
    phase();
    const differences: TableDifference[] = [];
    let tablesCompared = 0;
    let rowsCompared = 0;
    for (const table of rebuilt.projectionTables()) {
      if (LEDGER_TABLES.has(table)) continue;
      phase();
      tablesCompared++;
      if (!fileSide.hasTable(table)) {
        differences.push({ table, missingFromFile: rebuilt.rowCount(table), notFromLedger: 0, samples: { missingFromFile: [], notFromLedger: [] } });
        continue;
      }
      rowsCompared += rebuilt.copyTableFrom(fileSide, table, phase);
      const diff = rebuilt.compareWithCopy(table, SAMPLE_ROWS);
      if (diff.missingFromFile + diff.notFromLedger > 0) differences.push({ table, ...diff });
    }
    const findings: ChainFinding[] = differences.map((difference) => ({ problem: 'projection_mismatch', seq: null, ticket: null, message: describe(difference) }));
    return { tablesCompared, rowsCompared, differences, findings };
  } finally {
    scratch.remove();
  }
}
