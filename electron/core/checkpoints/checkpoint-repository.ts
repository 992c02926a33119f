// The SQL checkpoints need: the ledger's identity, its event hashes in order (the Merkle leaves), and the
// stored checkpoint events. Everything here only reads, so it works on a database opened read-only.
import type { Db } from '../db/connection.ts';
import { LedgerRepository } from '../ledger/ledger-repository.ts';
import { leafHashOfHex } from '../ledger/merkle.ts';

/** Hashes read per query while streaming leaves. */
const LEAF_CHUNK = 4096;

export interface StoredCheckpointRow {
  seq: number;
  at: string;
  payload: string;
}

/** The leaves ran out before the size asked for: the ledger is shorter, or a sequence number is missing. */
export class MissingLeavesError extends Error {
  /** How many events there are in unbroken sequence from #1. */
  readonly available: number;
  constructor(available: number, message: string) {
    super(message);
    this.available = available;
  }
}

export class CheckpointRepository {
  private readonly db: Db;
  private ledger: LedgerRepository | null = null;

  constructor(db: Db) {
    this.db = db;
  }

  /** The ledger's random id from migration 009, or null for a database that predates it. */
  ledgerId(): string | null {
    const table = this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'ledger_identity'").pluck().get();
    if (table === undefined) return null;
    return (this.db.prepare('SELECT ledger_id FROM ledger_identity WHERE id = 1').pluck().get() as string | undefined) ?? null;
  }

  /** The number of the last event (the current tree size), 0 for an empty ledger. */
  headSeq(): number {
    return (this.db.prepare('SELECT max(seq) FROM events').pluck().get() as number | null) ?? 0;
  }

  /**
   * The leaf hashes SHA-256(0x00 ‖ hash bytes) of events #from, #from+1, … in order, streamed (never all in
   * memory). Stops after event #limit; throws MissingLeavesError when a sequence number is missing.
   */
  *leafHashes(limit = Number.MAX_SAFE_INTEGER, from = 1): Generator<Buffer> {
    // Read in chunks of hashes only (about half the time of a row iterator over seq and hash); a chunk that comes back
    // short is read again with its sequence numbers to tell a gap from the end of the ledger.
    const hashes = this.db.prepare('SELECT hash FROM events WHERE seq >= ? AND seq <= ? ORDER BY seq').pluck();
    for (let first = from; first <= limit; first += LEAF_CHUNK) {
      const last = Math.min(limit, first + LEAF_CHUNK - 1);
      const chunk = hashes.all(first, last) as string[];
      if (chunk.length === last - first + 1) {
        for (const hash of chunk) yield leafHashOfHex(hash);
        continue;
      }
      const rows = this.db.prepare('SELECT seq, hash FROM events WHERE seq >= ? AND seq <= ? ORDER BY seq').raw().all(first, last) as [number, string][];
      let expected = first;
      for (const [seq, hash] of rows) {
        if (seq !== expected) throw new MissingLeavesError(expected - 1, `event #${expected} is missing (the next event is #${seq})`);
        yield leafHashOfHex(hash);
        expected++;
      }
      // Fewer rows without a gap among them: the ledger ends here, unless an event follows a gap after the chunk's last row.
      const next = this.db.prepare('SELECT min(seq) FROM events WHERE seq > ?').pluck().get(expected - 1) as number | null;
      if (next !== null && next <= limit) throw new MissingLeavesError(expected - 1, `event #${expected} is missing (the next event is #${next})`);
      return;
    }
  }

  /** The leaf hashes of events #first..#last (a block's worth at most, so an array); every one must be there. */
  leafHashesOf(first: number, last: number): Buffer[] {
    const leaves = [...this.leafHashes(last, first)];
    if (leaves.length !== last - first + 1) {
      const missing = first + leaves.length;
      const next = this.db.prepare('SELECT min(seq) FROM events WHERE seq > ?').pluck().get(missing) as number | null;
      throw new MissingLeavesError(missing - 1, next === null ? `event #${missing} is missing (the ledger ends at #${missing - 1})` : `event #${missing} is missing (the next event is #${next})`);
    }
    return leaves;
  }

  /** The stored hash (hex) of event #seq, null when there is none: the ledger's own read of it. */
  eventHash(seq: number): string | null {
    this.ledger ??= new LedgerRepository(this.db);
    return this.ledger.eventHash(seq);
  }

  /** SQLite's schema cookie as this connection sees it (the ledger's own read of it). */
  schemaVersion(): number {
    this.ledger ??= new LedgerRepository(this.db);
    return this.ledger.schemaVersion();
  }

  /** Every stored checkpoint event, in ledger order. */
  storedCheckpoints(): StoredCheckpointRow[] {
    return this.db
      .prepare("SELECT seq, at, payload FROM events WHERE ticket_id IS NULL AND type = 'checkpoint' ORDER BY seq")
      .all() as StoredCheckpointRow[];
  }

  /** The latest stored checkpoint event, if any. */
  lastCheckpoint(): StoredCheckpointRow | null {
    return (
      (this.db
        .prepare("SELECT seq, at, payload FROM events WHERE ticket_id IS NULL AND type = 'checkpoint' ORDER BY seq DESC LIMIT 1")
        .get() as StoredCheckpointRow | undefined) ?? null
    );
  }
}
