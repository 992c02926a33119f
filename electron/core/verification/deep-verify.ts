// `attest verify --deep`: every projection rebuilt from the events alone, in memory, and compared row by row with
// the file's. A projection row edited by hand (a price in outcome_events, a ticket's status) is named here even
// though the chain is intact, because decisions that read projections must never rest on rows nobody checks.
import type { ChainFinding } from '../../../shared/contract.ts';
import { openDatabase, type Db } from '../db/connection.ts';
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
 * Reads `source` only (inside the caller's snapshot); all rebuilding happens in a private in-memory database.
 * `shouldStop` is asked between phases and tables: a console that closes stops its check there (VerificationStopped),
 * never by killing the thread inside a SQLite call.
 */
export function deepProjectionFindings(source: Db, shouldStop: () => boolean = () => false): DeepReport {
  const memory = openDatabase(':memory:');
  const phase = (): void => {
    if (shouldStop()) throw new VerificationStopped();
  };
  try {
    const fileSide = new DeepRepository(source);
    const rebuilt = new DeepRepository(memory);
    rebuilt.copyLedgerFrom(fileSide, phase);
    phase();
    rebuildAllProjections(memory);
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
    memory.close();
  }
}
